//! What must never leave the page in a screenshot: password and payment fields, elements
//! marked `data-snag-mask`, and whatever the team's `mask` selectors name. Their boxes are
//! measured on the live page and painted black over the captured pixels.

use alloc::{string::String, vec::Vec};

use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use crate::dom;

/// Always masked. Payment fields are recognised by their `autocomplete` tokens (`cc-number`,
/// `cc-csc`, ...) and by names that say card, CVC or CVV; case-insensitively.
pub const ALWAYS: &str = "input[type=password i],[autocomplete*=cc- i],input[name*=card i],\
input[id*=card i],input[name*=cvc i],input[name*=cvv i],input[id*=cvc i],input[id*=cvv i],\
[data-snag-mask]";

/// A box in viewport CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// The same box with its corners in any order (a drag up and to the left).
    pub fn between(a: (f64, f64), b: (f64, f64)) -> Rect {
        Rect {
            x: a.0.min(b.0),
            y: a.1.min(b.1),
            width: (a.0 - b.0).abs(),
            height: (a.1 - b.1).abs(),
        }
    }

    pub fn scaled(self, factor: f64) -> Rect {
        Rect {
            x: self.x * factor,
            y: self.y * factor,
            width: self.width * factor,
            height: self.height * factor,
        }
    }
}

/// The elements to hide, and their boxes on screen now.
pub struct Hidden {
    pub elements: Vec<web_sys::Element>,
    pub rects: Vec<Rect>,
}

/// Finds what to hide. Each of the team's selectors is tried on its own, so one invalid
/// selector does not unmask the others.
pub fn sensitive(extra: &[String]) -> Hidden {
    let mut elements = Vec::new();
    if let Some(document) = dom::document() {
        for selector in core::iter::once(ALWAYS).chain(extra.iter().map(String::as_str)) {
            for element in dom::find_all(&document, selector) {
                if !elements.contains(&element) {
                    elements.push(element);
                }
            }
        }
    }
    let rects = elements
        .iter()
        .map(|element| {
            let r = element.get_bounding_client_rect();
            Rect {
                x: r.left(),
                y: r.top(),
                width: r.width(),
                height: r.height(),
            }
        })
        .filter(|r| r.width > 0.0 && r.height > 0.0)
        .collect();
    Hidden { elements, rects }
}

/// Paints the boxes black; `scale` maps viewport pixels to the canvas's.
pub fn paint(canvas: &HtmlCanvasElement, hidden: &Hidden, scale: f64) {
    let Some(context) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .map(|c| c.unchecked_into::<web_sys::CanvasRenderingContext2d>())
    else {
        return;
    };
    context.set_fill_style_str("#000");
    for rect in &hidden.rects {
        // One pixel of margin: anti-aliased edges of a field must not show its text.
        let r = rect.scaled(scale);
        context.fill_rect(r.x - 1.0, r.y - 1.0, r.width + 2.0, r.height + 2.0);
    }
}

/// Whether `element` is one of the hidden ones or inside one.
pub fn is_hidden(element: &web_sys::Element, hidden: &Hidden) -> bool {
    hidden
        .elements
        .iter()
        .any(|h| h == element || h.contains(Some(element.unchecked_ref())))
}

#[cfg(test)]
mod tests {
    use crate::test_prelude::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    fn passwords_payment_fields_marked_and_team_selectors_are_hidden() {
        let document = dom::document().expect("a document");
        let body = document.body().expect("a body");
        let area = document.create_element("div").expect("div");
        area.set_inner_html(
            "<input type=\"password\"><input autocomplete=\"cc-number\"><input name=\"CardNumber\">\
             <p data-snag-mask>balance</p><p class=\"private\">notes</p><input name=\"city\">\
             <p class=\"public\">hello</p>",
        );
        body.append_child(&area).expect("appended");
        let hidden = sensitive(&[".private".to_owned(), "::not-a-selector".to_owned()]);
        let texts: Vec<String> = hidden.elements.iter().map(|e| e.outer_html()).collect();
        assert_eq!(hidden.elements.len(), 5, "{texts:?}");
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("city") || t.contains("public"))
        );
        assert_eq!(hidden.rects.len(), 5);
        area.remove();
    }

    #[wasm_bindgen_test]
    fn boxes_between_corners_in_any_order() {
        let r = Rect::between((30.0, 5.0), (10.0, 25.0));
        assert_eq!((r.x, r.y, r.width, r.height), (10.0, 5.0, 20.0, 20.0));
        assert_eq!(r.scaled(2.0).width, 40.0);
    }
}
