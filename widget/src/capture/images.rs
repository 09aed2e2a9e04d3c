//! What a deep clone does not carry: form values, and pixels. Images are inlined as data
//! URLs (an SVG image loads nothing from outside); those the page may not read (another
//! origin without CORS) become neutral placeholders, never a tainted canvas or an error.

use alloc::string::String;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Element, HtmlCanvasElement, HtmlImageElement, HtmlInputElement, HtmlTextAreaElement,
};

use crate::dom;

/// A 1×1 transparent GIF: the placeholder's source, its colour comes from the style.
const BLANK: &str = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";
const PLACEHOLDER: &str = "background:#cbd5e1;";

/// Copies what `original` shows but its clone would not. `secret` elements keep no value.
pub fn replace_content(
    original: &Element,
    clone: &Element,
    tag: &str,
    secret: bool,
    style: &mut String,
) {
    match tag {
        "input" => {
            let Some(input) = original.dyn_ref::<HtmlInputElement>() else {
                return;
            };
            match input.type_().as_str() {
                "checkbox" | "radio" => {
                    let _ = clone.toggle_attribute_with_force("checked", input.checked());
                }
                _ => {
                    let value = if secret { String::new() } else { input.value() };
                    let _ = clone.set_attribute("value", &value);
                }
            }
        }
        "textarea" => {
            if let Some(area) = original.dyn_ref::<HtmlTextAreaElement>() {
                let value = if secret { String::new() } else { area.value() };
                clone.set_text_content(Some(&value));
            }
        }
        "option" => {
            let selected = js_sys::Reflect::get(original, &JsValue::from_str("selected"))
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            let _ = clone.toggle_attribute_with_force("selected", selected);
        }
        "img" => {
            let _ = clone.remove_attribute("srcset");
            let _ = clone.remove_attribute("loading");
            let inlined = original
                .dyn_ref::<HtmlImageElement>()
                .and_then(image_data_url);
            match inlined {
                Some(url) => {
                    let _ = clone.set_attribute("src", &url);
                }
                None => {
                    let _ = clone.set_attribute("src", BLANK);
                    style.push_str(PLACEHOLDER);
                }
            }
        }
        "canvas" => {
            let url = original
                .dyn_ref::<HtmlCanvasElement>()
                .and_then(|c| c.to_data_url().ok());
            match url {
                Some(url) => canvas_as_image(clone, &url, style),
                None => style.push_str(PLACEHOLDER),
            }
        }
        "iframe" | "video" | "embed" | "object" => style.push_str(PLACEHOLDER),
        _ => {}
    }
}

/// The image as the page shows it, at its displayed size, or `None` when the browser will
/// not let the page read it.
fn image_data_url(image: &HtmlImageElement) -> Option<String> {
    let source = image.current_src();
    if source.starts_with("data:") {
        return Some(source);
    }
    if !image.complete() || image.natural_width() == 0 {
        return None;
    }
    let width = image.client_width().max(1) as u32;
    let height = image.client_height().max(1) as u32;
    let (canvas, context) = super::canvas(width, height)?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(
            image,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .ok()?;
    // A cross-origin image without CORS taints the scratch canvas: reading it throws.
    canvas.to_data_url().ok()
}

/// A canvas's clone is blank: an image of its pixels takes its place.
fn canvas_as_image(clone: &Element, url: &str, style: &str) {
    let Some(image) = dom::document().and_then(|d| d.create_element("img").ok()) else {
        return;
    };
    let _ = image.set_attribute("src", url);
    let _ = image.set_attribute("style", style);
    let _ = clone.replace_with_with_node_1(&image);
}
