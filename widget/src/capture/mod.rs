//! Screenshots, by a chain that always ends with something: the page rendered from its DOM
//! (no prompt), the tab captured with `getDisplayMedia` on request, or an image the user
//! pastes or uploads. Whatever the source, sensitive parts of the page are blacked out in
//! the pixels before the image is shown or sent.

pub mod display;
pub mod dom;
pub mod file;
pub mod images;
pub mod redact;
pub mod svg;

use alloc::string::String;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub use redact::Rect;

use crate::dom as page;

/// A captured image and how long it took.
pub struct Shot {
    pub canvas: HtmlCanvasElement,
    pub millis: f64,
}

/// The visible viewport rendered from the DOM, redacted. `None` when the browser refused
/// (a CSP without `data:` images, an exotic page): the user can still capture or upload.
pub async fn page(mask: &[String]) -> Option<Shot> {
    let started = now();
    let hidden = redact::sensitive(mask);
    let (markup, width, height) = dom::render(&hidden)?;
    let canvas = svg::rasterize(&markup, width, height).await?;
    // The boxes were measured in the same task as the clone, so they match its pixels.
    redact::paint(&canvas, &hidden, 1.0);
    Some(Shot {
        canvas,
        millis: now() - started,
    })
}

/// A new canvas of `width` × `height` and its 2D context.
pub fn canvas(width: u32, height: u32) -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let canvas: HtmlCanvasElement = page::document()?
        .create_element("canvas")
        .ok()?
        .unchecked_into();
    canvas.set_width(width.max(1));
    canvas.set_height(height.max(1));
    // A canvas's "2d" context is a CanvasRenderingContext2D by definition.
    let context = canvas.get_context("2d").ok()??.unchecked_into();
    Some((canvas, context))
}

/// `performance.now()`, in milliseconds.
pub fn now() -> f64 {
    page::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
