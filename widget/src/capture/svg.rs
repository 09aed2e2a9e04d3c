//! SVG markup to pixels: loaded as an image, drawn on a canvas.

use alloc::string::String;

use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlCanvasElement, HtmlImageElement};

/// Draws the SVG on a new canvas; `None` if the image did not load (a CSP without `data:`
/// in `img-src`, say).
pub async fn rasterize(svg: &str, width: u32, height: u32) -> Option<HtmlCanvasElement> {
    let image = HtmlImageElement::new().ok()?;
    let mut url = String::from("data:image/svg+xml;charset=utf-8,");
    url.push_str(&String::from(js_sys::encode_uri_component(svg)));
    let loaded = crate::wait::settled_by(&image, "onload", &["onerror"]);
    image.set_src(&url);
    let ok = JsFuture::from(loaded).await.is_ok();
    crate::wait::clear_handlers(&image, &["onload", "onerror"]);
    if !ok {
        return None;
    }
    let (canvas, context) = super::canvas(width, height)?;
    context.set_fill_style_str("#fff");
    context.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    context
        .draw_image_with_html_image_element(&image, 0.0, 0.0)
        .ok()?;
    Some(canvas)
}
