//! The boxes drawn on a screenshot, and the keyboard's way of drawing them. Pure logic in
//! image pixels; [`super::Shot`] turns events into calls here.

use alloc::vec::Vec;

use crate::capture::Rect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Outlined, to point at something.
    Highlight,
    /// Filled black, to hide something the automatic redaction missed.
    Redact,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub kind: Kind,
    pub rect: Rect,
}

/// Boxes smaller than this (in image pixels) are taken for a click, not a drag.
const MIN_SIDE: f64 = 4.0;

/// Keyboard steps, in image pixels: an arrow, and Shift with an arrow.
pub const STEP: f64 = 10.0;
pub const BIG_STEP: f64 = 50.0;

#[derive(Debug, Default)]
pub struct Marks {
    marks: Vec<Mark>,
    /// The corner where a box being drawn started.
    anchor: Option<(f64, f64)>,
    /// The keyboard's position; `None` while the pointer draws.
    cursor: Option<(f64, f64)>,
}

impl Marks {
    pub fn all(&self) -> &[Mark] {
        &self.marks
    }

    pub fn clear(&mut self) {
        *self = Marks::default();
    }

    /// Starts a box at `at`.
    pub fn begin(&mut self, at: (f64, f64)) {
        self.anchor = Some(at);
    }

    /// The box being drawn, from its anchor to `to`.
    pub fn pending(&self, to: (f64, f64)) -> Option<Rect> {
        self.anchor.map(|a| Rect::between(a, to))
    }

    /// Finishes the box at `to`; a box too small to be meant is dropped.
    pub fn end(&mut self, kind: Kind, to: (f64, f64)) -> bool {
        let Some(rect) = self.pending(to) else {
            return false;
        };
        self.anchor = None;
        if rect.width < MIN_SIDE || rect.height < MIN_SIDE {
            return false;
        }
        self.marks.push(Mark { kind, rect });
        true
    }

    pub fn cancel(&mut self) {
        self.anchor = None;
    }

    pub fn drawing(&self) -> bool {
        self.anchor.is_some()
    }

    pub fn undo(&mut self) -> bool {
        if self.anchor.take().is_some() {
            return true;
        }
        self.marks.pop().is_some()
    }

    pub fn cursor(&self) -> Option<(f64, f64)> {
        self.cursor
    }

    /// Shows the keyboard cursor (at the centre the first time).
    pub fn show_cursor(&mut self, width: f64, height: f64) {
        if self.cursor.is_none() {
            self.cursor = Some((width / 2.0, height / 2.0));
        }
    }

    pub fn hide_cursor(&mut self) {
        self.cursor = None;
    }

    /// Moves the keyboard cursor, kept inside the image.
    pub fn move_cursor(&mut self, dx: f64, dy: f64, width: f64, height: f64) {
        let (x, y) = self.cursor.unwrap_or((width / 2.0, height / 2.0));
        self.cursor = Some((within(x + dx, width), within(y + dy, height)));
    }

    /// Enter: starts a box at the cursor, or finishes the one started.
    pub fn toggle_at_cursor(&mut self, kind: Kind) -> bool {
        let Some(at) = self.cursor else {
            return false;
        };
        if self.drawing() {
            self.end(kind, at)
        } else {
            self.begin(at);
            true
        }
    }
}

/// `value` kept in `0..=max`. Not `f64::clamp`: its NaN assertion formats floats, which
/// costs the wasm 17 KB of float printing.
fn within(value: f64, max: f64) -> f64 {
    value.max(0.0).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_drag_makes_a_box_in_any_direction() {
        let mut marks = Marks::default();
        marks.begin((50.0, 40.0));
        assert!(marks.end(Kind::Redact, (10.0, 20.0)));
        assert_eq!(
            marks.all()[0].rect,
            Rect {
                x: 10.0,
                y: 20.0,
                width: 40.0,
                height: 20.0
            }
        );
    }

    #[wasm_bindgen_test]
    fn a_click_is_not_a_box() {
        let mut marks = Marks::default();
        marks.begin((5.0, 5.0));
        assert!(!marks.end(Kind::Highlight, (6.0, 7.0)));
        assert!(marks.all().is_empty());
    }

    #[wasm_bindgen_test]
    fn undo_cancels_a_pending_box_then_removes_the_last() {
        let mut marks = Marks::default();
        marks.begin((0.0, 0.0));
        marks.end(Kind::Highlight, (10.0, 10.0));
        marks.begin((20.0, 20.0));
        assert!(marks.undo());
        assert_eq!(marks.all().len(), 1);
        assert!(marks.undo());
        assert!(marks.all().is_empty());
        assert!(!marks.undo());
    }

    #[wasm_bindgen_test]
    fn the_keyboard_draws_within_the_image() {
        let mut marks = Marks::default();
        marks.show_cursor(100.0, 80.0);
        assert_eq!(marks.cursor(), Some((50.0, 40.0)));
        marks.move_cursor(-BIG_STEP * 3.0, 0.0, 100.0, 80.0);
        assert_eq!(marks.cursor(), Some((0.0, 40.0)));
        assert!(marks.toggle_at_cursor(Kind::Redact));
        marks.move_cursor(STEP * 3.0, STEP, 100.0, 80.0);
        assert!(marks.toggle_at_cursor(Kind::Redact));
        assert_eq!(
            marks.all()[0].rect,
            Rect {
                x: 0.0,
                y: 40.0,
                width: 30.0,
                height: 10.0
            }
        );
    }
}
