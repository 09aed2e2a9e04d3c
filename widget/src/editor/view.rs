//! The screenshot section's elements, and showing the ones that fit the state.

use alloc::{borrow::ToOwned, string::String};

use web_sys::{Element, HtmlCanvasElement, HtmlElement, HtmlInputElement};

use super::draw;
use super::marks::{Kind, Mark};
use crate::capture::Rect;
use crate::dom::find;
use crate::i18n::{Msg, Texts};

/// The screenshot section below its heading; `{key}` is the string of that key
/// ([`Texts::fill`]).
pub(crate) const SECTION: &str = concat!(
    r#"<div class="tools" role="toolbar" aria-label="{tools}"><span class="drawing tools">"#,
    r#"<button type="button" class="highlight" aria-pressed="false">{highlight}</button>"#,
    r#"<button type="button" class="redact" aria-pressed="true">{redact}</button>"#,
    r#"<button type="button" class="undo">{undo}</button>"#,
    r#"<button type="button" class="remove">{remove_shot}</button></span>"#,
    r#"<button type="button" class="add">{add_shot}</button>"#,
    r#"<button type="button" class="exact">{capture_exact}</button>"#,
    r#"<label class="upload">{upload}<input type="file" class="file" accept="image/*"></label></div>"#,
    r#"<p class="hint shot-status" aria-live="polite"></p>"#,
    r#"<canvas class="canvas" tabindex="0" role="img" aria-label="{shot_label}" aria-describedby="snag-editor-help" width="1" height="1"></canvas>"#,
    r#"<p class="hint" id="snag-editor-help">{editor_help} {paste_hint}</p>"#,
);

pub struct View {
    pub canvas: HtmlCanvasElement,
    status: Element,
    drawing: Element,
    pub highlight: HtmlElement,
    pub redact: HtmlElement,
    pub undo: HtmlElement,
    pub remove: HtmlElement,
    pub add: HtmlElement,
    pub exact: HtmlElement,
    pub file: HtmlInputElement,
    capturing: String,
    failed: String,
    tab_failed: String,
}

impl View {
    pub fn build(section: &Element, texts: &Texts) -> Option<View> {
        let html = texts.fill(SECTION);
        section.insert_adjacent_html("beforeend", &html).ok()?;
        Some(View {
            canvas: find(section, ".canvas")?,
            status: find(section, ".shot-status")?,
            drawing: find(section, ".drawing")?,
            highlight: find(section, ".highlight")?,
            redact: find(section, ".redact")?,
            undo: find(section, ".undo")?,
            remove: find(section, ".remove")?,
            add: find(section, ".add")?,
            exact: find(section, ".exact")?,
            file: find(section, ".file")?,
            capturing: texts.get(Msg::Capturing).to_owned(),
            failed: texts.get(Msg::CaptureFailed).to_owned(),
            tab_failed: texts.get(Msg::TabFailed).to_owned(),
        })
    }

    /// Says that "Capture exactly" gave nothing (until the next change of the section).
    pub fn say_tab_failed(&self) {
        self.status.set_text_content(Some(&self.tab_failed));
    }

    pub fn show(
        &self,
        base: Option<&HtmlCanvasElement>,
        busy: bool,
        tool: Kind,
        marks: &[Mark],
        pending: Option<(Kind, Rect)>,
        cursor: Option<(f64, f64)>,
    ) {
        let has = base.is_some();
        let hide = |element: &Element, hidden: bool| {
            let _ = element.toggle_attribute_with_force("hidden", hidden);
        };
        hide(&self.canvas, !has);
        hide(&self.drawing, !has);
        hide(&self.add, has || busy);
        let status = if busy {
            Some(self.capturing.as_str())
        } else if has {
            None
        } else {
            Some(self.failed.as_str())
        };
        self.status.set_text_content(status);
        let pressed = |element: &Element, on: bool| {
            let _ = element.set_attribute("aria-pressed", if on { "true" } else { "false" });
        };
        pressed(&self.highlight, tool == Kind::Highlight);
        pressed(&self.redact, tool == Kind::Redact);
        if let Some(base) = base {
            draw::render(&self.canvas, base, marks, pending, cursor);
        }
    }
}
