//! The last resort: an image the user pastes or uploads, decoded by the browser.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, HtmlCanvasElement, ImageBitmap};

use crate::dom;

/// Draws an image file on a canvas; `None` if it is not an image the browser can decode.
pub async fn decode(blob: &Blob) -> Option<HtmlCanvasElement> {
    if !blob.type_().starts_with("image/") {
        return None;
    }
    let promise = dom::window()?.create_image_bitmap_with_blob(blob).ok()?;
    let bitmap: ImageBitmap = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    let (canvas, context) = super::canvas(bitmap.width(), bitmap.height())?;
    context
        .draw_image_with_image_bitmap(&bitmap, 0.0, 0.0)
        .ok()?;
    bitmap.close();
    Some(canvas)
}

/// The first image in a paste, if any.
pub fn pasted_image(event: &web_sys::ClipboardEvent) -> Option<Blob> {
    let items = event.clipboard_data()?.items();
    (0..items.length())
        .filter_map(|i| items.get(i))
        .filter(|item| item.kind() == "file" && item.type_().starts_with("image/"))
        .find_map(|item| item.get_as_file().ok().flatten())
        .map(|file| file.unchecked_into())
}
