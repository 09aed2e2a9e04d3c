//! The dialog: built on first open inside the loader's shadow root, kept (with the user's
//! draft) between opens, and driven by [`App`].

mod dialog;
mod style;
mod submit;
mod template;

use alloc::rc::{Rc, Weak};
use alloc::{borrow::ToOwned, string::String, vec::Vec};
use core::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, EventTarget, HtmlElement};

use crate::bridge::Bridge;
use crate::dom;
use crate::i18n::{Msg, Texts};
use crate::listener::Listener;
use crate::settings::Settings;

pub use dialog::Dialog;

/// The widget's state for the page's lifetime.
pub struct App {
    pub bridge: Bridge,
    dialog: RefCell<Option<Dialog>>,
    /// What had focus before the dialog opened, to give it back on close.
    trigger: RefCell<Option<HtmlElement>>,
    /// Coming back online delivers what the outbox holds.
    _online: Option<Listener>,
}

impl App {
    pub fn new(bridge: Bridge) -> Rc<App> {
        let app = Rc::new_cyclic(|weak: &Weak<App>| {
            let online = dom::window().map(|window| {
                App::on(weak, &window, "online", |app, _| {
                    crate::send::deliver_saved(Rc::clone(app));
                })
            });
            App {
                bridge,
                dialog: RefCell::new(None),
                trigger: RefCell::new(None),
                _online: online,
            }
        });
        app.configure();
        app
    }

    /// Listens for `event` on `target` with `f` until the listener is dropped. It holds the
    /// app weakly: the app owns its listeners, and they must not keep it alive in turn.
    pub fn on(
        app: &Weak<App>,
        target: &EventTarget,
        event: &'static str,
        f: fn(&Rc<App>, &Event),
    ) -> Listener {
        let app = app.clone();
        Listener::new(target, event, move |e| {
            if let Some(app) = app.upgrade() {
                f(&app, &e);
            }
        })
    }

    pub fn settings(&self) -> Settings {
        Settings::read(&self.bridge.config())
    }

    pub fn texts(&self, settings: &Settings) -> Texts {
        Texts::new(
            settings.locale.as_deref(),
            &browser_languages(),
            &settings.strings,
        )
    }

    /// Applies settings that show before the dialog does: the button's label and language.
    pub fn configure(&self) {
        let settings = self.settings();
        let texts = self.texts(&settings);
        if let Some(button) = self.bridge.button() {
            let label = settings
                .label
                .clone()
                .unwrap_or_else(|| texts.get(Msg::Launcher).to_owned());
            button.set_text_content(Some(&label));
            let _ = button.set_attribute("lang", texts.locale.tag);
            let _ = button.set_attribute("aria-haspopup", "dialog");
        }
        // A new locale or theme rebuilds the dialog on next open; the draft is lost only
        // then, which a team changing languages mid-report would expect.
        let stale = self
            .dialog
            .borrow()
            .as_ref()
            .is_some_and(|d| !d.matches(&settings, &texts) && !d.is_open());
        // `try_`: a team's handler may call `Snag.init()` while the dialog is in use; the
        // rebuild then waits for the next call.
        if stale && let Ok(mut slot) = self.dialog.try_borrow_mut() {
            *slot = None;
        }
    }

    /// Opens the dialog, building it first if needed.
    pub fn open(app: &Rc<App>) {
        let Some(root) = app.bridge.root() else {
            return;
        };
        if app.dialog.borrow().as_ref().is_some_and(Dialog::is_open) {
            return;
        }
        app.trigger.replace(active_element(&root));
        if app.dialog.borrow().is_none() {
            let settings = app.settings();
            let texts = app.texts(&settings);
            let dialog = Dialog::build(app, &root, &settings, texts);
            match app.dialog.try_borrow_mut() {
                Ok(mut slot) => *slot = dialog,
                Err(_) => return,
            }
        }
        let opened = app.dialog.borrow().as_ref().is_some_and(Dialog::show);
        if opened {
            app.bridge.emit("open", &JsValue::UNDEFINED);
            if let Some(dialog) = app.dialog.borrow().as_ref() {
                dialog.after_open(app);
            }
        }
    }

    pub fn close(&self) {
        if let Some(dialog) = self.dialog.borrow().as_ref() {
            dialog.hide();
        }
    }

    /// Runs `f` on the dialog, if it is built.
    pub fn with_dialog<R>(&self, f: impl FnOnce(&Dialog) -> R) -> Option<R> {
        self.dialog.borrow().as_ref().map(f)
    }

    /// The dialog closed (Escape, the close button, or after sending): focus goes back to
    /// where it was.
    pub fn closed(&self) {
        if let Some(trigger) = self.trigger.take() {
            let _ = trigger.focus();
        }
        self.bridge.emit("close", &JsValue::UNDEFINED);
    }
}

/// The element that has focus, looking through our own shadow root (the page sees only the
/// host element when our button has focus).
fn active_element(root: &web_sys::ShadowRoot) -> Option<HtmlElement> {
    let inner = root.active_element();
    let outer = dom::document().and_then(|d| d.active_element());
    // An HTML or SVG element: both have the focus() it is used for.
    Some(inner.or(outer)?.unchecked_into())
}

fn browser_languages() -> Vec<String> {
    let Some(navigator) = dom::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let mut languages: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    if languages.is_empty() {
        languages.extend(navigator.language());
    }
    languages
}
