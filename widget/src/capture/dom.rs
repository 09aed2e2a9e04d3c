//! The page as SVG markup: a deep clone of the document with every element's computed style
//! written inline, so that the clone looks the same inside an SVG `<foreignObject>` where
//! the page's style sheets do not apply.
//!
//! Only what differs is written: a property is left out when its value equals both the
//! browser's default for that tag (measured on a bare element) and the parent's value, since
//! then default or inheritance gives the same result in the clone. That keeps the markup
//! about a tenth of the full size.

use alloc::rc::Rc;
use alloc::{borrow::ToOwned, string::String, vec::Vec};

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, ShadowRoot, ShadowRootInit, ShadowRootMode, Window};

use super::images;
use super::redact::{Hidden, is_hidden};
use crate::dom;

/// Longest the synchronous style walk may take: past it the rest of the page is left out of
/// the picture rather than freezing the tab (the example page takes about 150 ms).
const TIME_BUDGET_MS: f64 = 1_500.0;

/// Properties that never change a still image; skipping them saves time and markup.
const SKIPPED: [&str; 6] = [
    "transition",
    "animation",
    "cursor",
    "will-change",
    "caret",
    "pointer-events",
];

/// Returns the SVG markup of the visible viewport and its size in CSS pixels.
pub fn render(hidden: &Hidden) -> Option<(String, u32, u32)> {
    let window = dom::window()?;
    let document = window.document()?;
    let root = document.document_element()?;
    let width = root.client_width().max(1) as u32;
    let height = root.client_height().max(1) as u32;
    // A deep clone of an element is an element.
    let clone: Element = root.clone_node_with_deep(true).ok()?.unchecked_into();
    let mut styler = Styler::new(&window, &document)?;
    let root_values = styler.values(&root)?;
    styler.walk(&root, &clone, &root_values, &[], hidden);
    styler.finish();
    // Show the scrolled part: the clone is laid out from the top.
    let scroll_x = window.scroll_x().unwrap_or(0.0);
    let scroll_y = window.scroll_y().unwrap_or(0.0);
    let mut style = clone.get_attribute("style").unwrap_or_default();
    style.push_str("margin:0;transform-origin:0 0;transform:translate(");
    push_px(&mut style, -scroll_x);
    style.push(',');
    push_px(&mut style, -scroll_y);
    style.push_str(");");
    let _ = clone.set_attribute("style", &style);

    let xhtml = web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&clone)
        .ok()?;
    let mut svg = String::with_capacity(xhtml.len() + 200);
    svg.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"");
    crate::text::push_decimal(&mut svg, i64::from(width));
    svg.push_str("\" height=\"");
    crate::text::push_decimal(&mut svg, i64::from(height));
    svg.push_str("\"><foreignObject x=\"0\" y=\"0\" width=\"100%\" height=\"100%\">");
    svg.push_str(&xhtml);
    svg.push_str("</foreignObject></svg>");
    Some((svg, width, height))
}

fn push_px(out: &mut String, value: f64) {
    crate::text::push_decimal(out, libm::round(value) as i64);
    out.push_str("px");
}

struct Styler {
    window: Window,
    document: Document,
    /// The longhand properties, in the browser's order.
    names: Vec<String>,
    /// Default values per tag name, measured in an unstyled shadow root. A page uses a few
    /// dozen tags; a list beats a hash map's code size.
    defaults: Vec<(String, Rc<Vec<String>>)>,
    probe: Option<(Element, ShadowRoot)>,
    /// Where `display` is in `names`.
    display: Option<usize>,
    /// The viewport's bottom edge, in CSS pixels.
    bottom: f64,
    /// When styling must stop, so a huge page never freezes the tab: what is left is
    /// dropped from the picture.
    deadline: f64,
}

impl Styler {
    fn new(window: &Window, document: &Document) -> Option<Styler> {
        let body = document.body()?;
        let style = window.get_computed_style(&body).ok()??;
        let names: Vec<String> = (0..style.length())
            .map(|i| style.item(i))
            .filter(|name| !SKIPPED.iter().any(|s| name.starts_with(s)))
            .collect();
        let bottom = window
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(f64::MAX);
        Some(Styler {
            display: names.iter().position(|n| n == "display"),
            bottom,
            deadline: super::now() + TIME_BUDGET_MS,
            window: window.clone(),
            document: document.clone(),
            names,
            defaults: Vec::new(),
            probe: None,
        })
    }

    fn out_of_time(&self) -> bool {
        super::now() > self.deadline
    }

    fn values(&self, element: &Element) -> Option<Vec<String>> {
        let style = self.window.get_computed_style(element).ok()??;
        Some(
            self.names
                .iter()
                .map(|name| style.get_property_value(name).unwrap_or_default())
                .collect(),
        )
    }

    /// Styles `clone` like `original`, then its children, in step.
    fn walk(
        &mut self,
        original: &Element,
        clone: &Element,
        values: &[String],
        parent: &[String],
        hidden: &Hidden,
    ) {
        let tag = original.local_name();
        let defaults = self.defaults_for(&tag);
        let mut style = String::new();
        for (i, name) in self.names.iter().enumerate() {
            let value = &values[i];
            let default = defaults.as_ref().map(|d| d[i].as_str());
            if default == Some(value.as_str()) && parent.get(i) == Some(value) {
                continue;
            }
            style.push_str(name);
            style.push(':');
            style.push_str(value);
            style.push(';');
        }
        let secret = is_hidden(original, hidden);
        images::replace_content(original, clone, &tag, secret, &mut style);
        let _ = clone.set_attribute("style", &style);

        // In block flow, what starts below the viewport cannot move what is visible: long
        // pages are cut there instead of styled element by element.
        let block_flow = self
            .display
            .is_some_and(|i| matches!(values[i].as_str(), "block" | "flow-root"));
        let originals = original.children();
        let clones = clone.children();
        let mut removed = Vec::new();
        for i in 0..originals.length() {
            let (Some(child), Some(child_clone)) = (originals.item(i), clones.item(i)) else {
                break;
            };
            let below = block_flow && child.get_bounding_client_rect().top() >= self.bottom;
            if below || skip(&child.local_name()) || self.out_of_time() {
                removed.push(child_clone);
                continue;
            }
            if let Some(child_values) = self.values(&child) {
                self.walk(&child, &child_clone, &child_values, values, hidden);
            }
        }
        for element in removed {
            element.remove();
        }
    }

    /// The computed style of a bare `tag` element: what the clone gets without help.
    fn defaults_for(&mut self, tag: &str) -> Option<Rc<Vec<String>>> {
        if let Some((_, values)) = self.defaults.iter().find(|(t, _)| t == tag) {
            return Some(Rc::clone(values));
        }
        let root = self.probe()?;
        let element = self.document.create_element(tag).ok()?;
        root.append_child(&element).ok()?;
        let values = self.values(&element).map(Rc::new);
        element.remove();
        let values = values?;
        self.defaults.push((tag.to_owned(), Rc::clone(&values)));
        Some(values)
    }

    /// An invisible host whose shadow root has no styles but the browser's own; it lives
    /// only during this synchronous walk, so the page never renders it.
    fn probe(&mut self) -> Option<ShadowRoot> {
        if let Some((_, root)) = &self.probe {
            return Some(root.clone());
        }
        let host = self.document.create_element("snag-probe").ok()?;
        let root = host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok()?;
        let sheet = web_sys::CssStyleSheet::new().ok()?;
        sheet
            .replace_sync(":host{all:initial!important;position:absolute!important;visibility:hidden!important}")
            .ok()?;
        root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
        self.document.document_element()?.append_child(&host).ok()?;
        self.probe = Some((host, root.clone()));
        Some(root)
    }

    fn finish(self) {
        if let Some((host, _)) = self.probe {
            host.remove();
        }
    }
}

/// Elements that are not drawn, or are ours.
fn skip(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "noscript"
            | "template"
            | "style"
            | "link"
            | "snag-widget"
            | "snag-probe"
    )
}
