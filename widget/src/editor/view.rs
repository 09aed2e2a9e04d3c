//! The screenshot section's elements, and showing the ones that fit the state.

use alloc::{borrow::ToOwned, string::String};
use web_sys::{Element, HtmlCanvasElement, HtmlElement, HtmlInputElement};

use super::draw;
use super::marks::{Kind, Mark};
use crate::capture::Rect;
use crate::dom::{escape, find};
use crate::i18n::{Msg, Texts};

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
        let mut html = String::with_capacity(1500);
        let button = |html: &mut String, class: &str, msg: Msg, pressed: Option<bool>| {
            html.push_str("<button type=\"button\" class=\"");
            html.push_str(class);
            html.push('"');
            if let Some(pressed) = pressed {
                html.push_str(if pressed {
                    " aria-pressed=\"true\""
                } else {
                    " aria-pressed=\"false\""
                });
            }
            html.push('>');
            escape(texts.get(msg), html);
            html.push_str("</button>");
        };
        html.push_str("<div class=\"tools\" role=\"toolbar\" aria-label=\"");
        escape(texts.get(Msg::Tools), &mut html);
        html.push_str("\"><span class=\"drawing tools\">");
        button(&mut html, "highlight", Msg::Highlight, Some(false));
        button(&mut html, "redact", Msg::Redact, Some(true));
        button(&mut html, "undo", Msg::Undo, None);
        button(&mut html, "remove", Msg::RemoveShot, None);
        html.push_str("</span>");
        button(&mut html, "add", Msg::AddShot, None);
        button(&mut html, "exact", Msg::CaptureExact, None);
        html.push_str("<label class=\"upload\">");
        escape(texts.get(Msg::Upload), &mut html);
        html.push_str("<input type=\"file\" class=\"file\" accept=\"image/*\"></label></div>");
        html.push_str("<p class=\"hint shot-status\" aria-live=\"polite\"></p>");
        html.push_str("<canvas class=\"canvas\" tabindex=\"0\" role=\"img\" aria-label=\"");
        escape(texts.get(Msg::ShotLabel), &mut html);
        html.push_str(
            "\" aria-describedby=\"snag-editor-help\" width=\"1\" height=\"1\"></canvas>",
        );
        html.push_str("<p class=\"hint\" id=\"snag-editor-help\">");
        escape(texts.get(Msg::EditorHelp), &mut html);
        html.push(' ');
        escape(texts.get(Msg::PasteHint), &mut html);
        html.push_str("</p>");
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
