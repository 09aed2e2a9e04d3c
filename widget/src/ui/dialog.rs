//! The `<dialog>` element: built once, shown with `showModal()` so focus moves in, Tab stays
//! inside and Escape closes; its listeners are removed when it is dropped.

use alloc::rc::Rc;
use alloc::{string::String, vec, vec::Vec};
use core::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;
use web_sys::{
    CssStyleSheet, Element, HtmlDialogElement, HtmlElement, HtmlFormElement, HtmlInputElement,
    HtmlSelectElement, HtmlTextAreaElement, ShadowRoot,
};

use super::{App, style, submit, template};
use crate::dom::{self, find};
use crate::editor::Shot;
use crate::global::Global;
use crate::i18n::{Msg, Texts};
use crate::listener::Listener;
use crate::report;
use crate::settings::Settings;

/// The form's controls, found once after the markup is parsed.
pub struct Fields {
    pub description: HtmlTextAreaElement,
    pub email: HtmlInputElement,
    pub title: HtmlInputElement,
    pub category: HtmlSelectElement,
    pub steps: HtmlTextAreaElement,
    pub expected: HtmlTextAreaElement,
    pub actual: HtmlTextAreaElement,
}

/// How a status line reads: news, good news, or a problem (styled by the `ok` and `bad`
/// classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Neutral,
    Ok,
    Bad,
}

pub struct Dialog {
    pub element: HtmlDialogElement,
    pub fields: Fields,
    pub texts: Texts,
    status: Element,
    error: Element,
    send: HtmlElement,
    pub preview: Element,
    preview_box: Element,
    pub shot: Shot,
    /// What the dialog was built for; other settings mean a rebuild.
    built_for: (&'static str, &'static str, Vec<(String, String)>),
    busy: Cell<bool>,
    /// The draft's idempotency key: shown in "What is sent" and used for every retry.
    key: RefCell<String>,
    _listeners: Vec<Listener>,
}

impl Dialog {
    pub fn build(
        app: &Rc<App>,
        root: &ShadowRoot,
        settings: &Settings,
        texts: Texts,
    ) -> Option<Dialog> {
        let document = dom::document()?;
        let element: HtmlDialogElement = document.create_element("dialog").ok()?.unchecked_into();
        element.set_class_name("dialog");
        let attributes = [
            ("aria-labelledby", "snag-heading"),
            ("lang", texts.locale.tag),
            ("dir", if texts.locale.rtl { "rtl" } else { "ltr" }),
            ("data-theme", settings.theme.as_str()),
        ];
        for (name, value) in attributes {
            element.set_attribute(name, value).ok()?;
        }
        element.set_inner_html(&template::dialog(&texts));
        adopt_style(root);
        root.append_child(&element).ok()?;
        let el: &Element = element.as_ref();

        let fields = Fields {
            description: find(el, "#snag-description")?,
            email: find(el, "#snag-email")?,
            title: find(el, "#snag-title")?,
            category: find(el, "#snag-category")?,
            steps: find(el, "#snag-steps")?,
            expected: find(el, "#snag-expected")?,
            actual: find(el, "#snag-actual")?,
        };
        let shot_section: Element = find(el, ".shot")?;
        let shot = Shot::build(app, &shot_section, &texts)?;
        let listeners = listen(app, el)?;
        let tag = texts.locale.tag;
        Some(Dialog {
            status: find(el, ".status")?,
            error: find(el, ".error")?,
            send: find(el, ".send")?,
            preview: find(el, ".json")?,
            preview_box: find(el, ".preview")?,
            fields,
            texts,
            shot,
            built_for: (tag, settings.theme.as_str(), settings.strings.clone()),
            busy: Cell::new(false),
            key: RefCell::new(report::idempotency_key()),
            _listeners: listeners,
            element,
        })
    }

    /// Whether this dialog was built for these settings (locale, theme, strings).
    pub fn matches(&self, settings: &Settings, texts: &Texts) -> bool {
        self.built_for.0 == texts.locale.tag
            && self.built_for.1 == settings.theme.as_str()
            && self.built_for.2 == settings.strings
    }

    pub fn is_open(&self) -> bool {
        self.element.open()
    }

    /// Shows the dialog modally; `false` if the browser refused (it is not connected).
    pub fn show(&self) -> bool {
        self.element.show_modal().is_ok()
    }

    /// Work that needs the dialog on screen: the e-mail field's visibility and the
    /// screenshot, taken after the dialog is up so opening never waits for it.
    pub fn after_open(&self, app: &Rc<App>) {
        let settings = app.settings();
        if let Some(email) = self.fields.email.parent_element() {
            let _ = email.toggle_attribute_with_force("hidden", settings.identified());
        }
        let _ = self.fields.description.focus();
        self.shot.on_open(app);
    }

    pub fn hide(&self) {
        if self.element.open() {
            self.element.close();
        }
    }

    /// Shows a status line in a tone.
    pub fn set_status(&self, text: &str, tone: Tone) {
        self.status.set_text_content(Some(text));
        self.status.set_class_name(match tone {
            Tone::Neutral => "status",
            Tone::Ok => "status ok",
            Tone::Bad => "status bad",
        });
    }

    /// Marks the description as invalid with a message, or clears it.
    pub fn set_error(&self, text: Option<&str>) {
        self.error.set_text_content(text);
        let invalid = if text.is_some() { "true" } else { "false" };
        let _ = self
            .fields
            .description
            .set_attribute("aria-invalid", invalid);
    }

    pub fn set_busy(&self, busy: bool) {
        self.busy.set(busy);
        let _ = self.send.toggle_attribute_with_force("disabled", busy);
        let _ = self
            .element
            .set_attribute("aria-busy", if busy { "true" } else { "false" });
    }

    pub fn key(&self) -> String {
        self.key.borrow().clone()
    }

    /// A new report (after one left, or was refused and will be edited) gets a new key.
    pub fn renew_key(&self) {
        self.key.replace(report::idempotency_key());
    }

    pub fn is_busy(&self) -> bool {
        self.busy.get()
    }

    pub fn preview_open(&self) -> bool {
        self.preview_box.has_attribute("open")
    }

    /// Clears the form after a report left (or was saved), keeping nothing of it.
    pub fn reset(&self) {
        for area in [
            &self.fields.description,
            &self.fields.steps,
            &self.fields.expected,
            &self.fields.actual,
        ] {
            area.set_value("");
        }
        self.fields.title.set_value("");
        self.fields.email.set_value("");
        self.fields.category.set_selected_index(0);
        self.preview.set_text_content(None);
        self.shot.clear();
        self.renew_key();
    }

    pub fn text(&self, msg: Msg) -> &str {
        self.texts.get(msg)
    }
}

impl Drop for Dialog {
    /// A rebuilt dialog (new locale or theme) replaces this one in the shadow root.
    fn drop(&mut self) {
        self.element.remove();
    }
}

fn listen(app: &Rc<App>, element: &Element) -> Option<Vec<Listener>> {
    let form: HtmlFormElement = find(element, ".form")?;
    let close: Element = find(element, ".close")?;
    let cancel: Element = find(element, ".cancel")?;
    let preview: Element = find(element, ".preview")?;
    let description: Element = find(element, "#snag-description")?;
    let weak = Rc::downgrade(app);
    let on = |target: &Element, event, f| App::on(&weak, target, event, f);
    Some(vec![
        on(&form, "submit", |app, e| {
            e.prevent_default();
            submit::start(app);
        }),
        on(&close, "click", |app, _| app.close()),
        on(&cancel, "click", |app, _| app.close()),
        on(element, "close", |app, _| app.closed()),
        on(&preview, "toggle", |app, _| submit::refresh_preview(app)),
        on(&description, "input", |app, _| {
            app.with_dialog(|d| d.set_error(None));
        }),
    ])
}

/// Adds the dialog's style sheet to the shadow root, once per page.
fn adopt_style(root: &ShadowRoot) {
    static ADOPTED: Global<Cell<bool>> = Global::new(Cell::new(false));
    if ADOPTED.with(|a| a.replace(true)) {
        return;
    }
    let Ok(sheet) = CssStyleSheet::new() else {
        return;
    };
    if sheet.replace_sync(style::CSS).is_err() {
        return;
    }
    let sheets = root.adopted_style_sheets();
    sheets.push(&sheet);
    root.set_adopted_style_sheets(&sheets);
}
