//! Drawing a screenshot with its boxes: on screen while editing, and once more for sending.

use alloc::string::String;

use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::marks::{Kind, Mark};
use crate::capture::Rect;

/// Amber: visible on light and dark pages alike.
const HIGHLIGHT: &str = "#f59e0b";

/// Draws `base` and the boxes on `target` (resized to match). `pending` is a box being
/// drawn; `cursor` the keyboard's position.
pub fn render(
    target: &HtmlCanvasElement,
    base: &HtmlCanvasElement,
    marks: &[Mark],
    pending: Option<(Kind, Rect)>,
    cursor: Option<(f64, f64)>,
) {
    if target.width() != base.width() || target.height() != base.height() {
        target.set_width(base.width());
        target.set_height(base.height());
    }
    let Some(context) = context(target) else {
        return;
    };
    let _ = context.draw_image_with_html_canvas_element(base, 0.0, 0.0);
    for mark in marks {
        draw_mark(&context, mark.kind, mark.rect);
    }
    if let Some((kind, rect)) = pending {
        draw_mark(&context, kind, rect);
    }
    if let Some((x, y)) = cursor {
        // A crosshair with a dark and a light stroke, visible on any background.
        for (colour, width) in [("#000", 4.0), ("#fff", 2.0)] {
            context.set_stroke_style_str(colour);
            context.set_line_width(width);
            context.begin_path();
            context.move_to(x - 12.0, y);
            context.line_to(x + 12.0, y);
            context.move_to(x, y - 12.0);
            context.line_to(x, y + 12.0);
            context.stroke();
        }
    }
}

fn draw_mark(context: &CanvasRenderingContext2d, kind: Kind, r: Rect) {
    match kind {
        Kind::Redact => {
            context.set_fill_style_str("#000");
            context.fill_rect(r.x, r.y, r.width, r.height);
        }
        Kind::Highlight => {
            context.set_stroke_style_str(HIGHLIGHT);
            context.set_line_width(4.0);
            context.stroke_rect(r.x, r.y, r.width, r.height);
        }
    }
}

/// The image as sent: base and boxes, without the keyboard cursor, as a PNG data URL
/// (lossless, so redacted pixels stay exactly black).
pub fn export(base: &HtmlCanvasElement, marks: &[Mark]) -> Option<String> {
    let (canvas, _) = crate::capture::canvas(base.width(), base.height())?;
    render(&canvas, base, marks, None, None);
    canvas.to_data_url().ok()
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    use wasm_bindgen::JsCast;
    Some(canvas.get_context("2d").ok()??.unchecked_into())
}
