//! The dialog's screenshot section: taken when the dialog opens, shown on a canvas where the
//! user draws highlight and redact boxes with the pointer or the keyboard, undoes them, or
//! removes the screenshot; replaced by "Capture exactly", an upload or a paste.

mod actions;
mod draw;
pub mod marks;
pub(crate) mod view;

use alloc::rc::Rc;
use alloc::{string::String, vec::Vec};
use core::cell::RefCell;

use web_sys::{Element, HtmlCanvasElement, KeyboardEvent, PointerEvent};

use crate::i18n::Texts;
use crate::listener::Listener;
use crate::ui::App;
use actions::{capture_page, listen};
use marks::{BIG_STEP, Kind, Marks, STEP};
use view::View;

struct State {
    /// The redacted capture; boxes are drawn over it, never into it.
    base: Option<HtmlCanvasElement>,
    marks: Marks,
    tool: Kind,
    /// Take a screenshot on the next open (false once the user removed it).
    auto: bool,
    busy: bool,
    /// The pointer's last position while it draws.
    pointer: Option<(f64, f64)>,
}

pub struct Shot {
    view: View,
    state: RefCell<State>,
    _listeners: Vec<Listener>,
}

impl Shot {
    pub fn build(app: &Rc<App>, section: &Element, texts: &Texts) -> Option<Shot> {
        let view = View::build(section, texts)?;
        let listeners = listen(app, &view, section)?;
        let shot = Shot {
            view,
            state: RefCell::new(State {
                base: None,
                marks: Marks::default(),
                tool: Kind::Redact,
                auto: true,
                busy: false,
                pointer: None,
            }),
            _listeners: listeners,
        };
        shot.refresh();
        Some(shot)
    }

    /// Takes the screenshot when the dialog opens, unless there is one or the user removed it.
    pub fn on_open(&self, app: &Rc<App>) {
        let wanted = {
            let state = self.state.borrow();
            state.auto && state.base.is_none() && !state.busy
        };
        if wanted {
            capture_page(app);
        }
    }

    pub fn clear(&self) {
        {
            let mut state = self.state.borrow_mut();
            state.base = None;
            state.marks.clear();
            state.auto = true;
        }
        self.refresh();
    }

    /// The image to send: the redacted capture with the user's boxes drawn in.
    pub fn data_url(&self) -> Option<String> {
        let state = self.state.borrow();
        draw::export(state.base.as_ref()?, state.marks.all())
    }

    fn set_busy(&self, busy: bool) {
        self.state.borrow_mut().busy = busy;
        self.refresh();
    }

    /// The result of "Capture exactly"; a failure keeps the earlier screenshot and is named on
    /// the canvas (`data-tab-error`) for whoever debugs a browser that refuses.
    fn set_tab(&self, tab: Result<HtmlCanvasElement, &'static str>) {
        match tab {
            Ok(canvas) => {
                let _ = self.view.canvas.remove_attribute("data-tab-error");
                self.set_base(Some(canvas), "tab", None);
            }
            Err(reason) => {
                let _ = self.view.canvas.set_attribute("data-tab-error", reason);
                self.set_base(None, "tab", None);
                self.view.say_tab_failed();
            }
        }
    }

    /// A new screenshot from `source` (`page`, `tab` or `file`, kept on the canvas as
    /// `data-source`), or `None` when that source gave nothing.
    fn set_base(&self, base: Option<HtmlCanvasElement>, source: &str, millis: Option<f64>) {
        if base.is_some() {
            let _ = self.view.canvas.set_attribute("data-source", source);
        }
        {
            let mut state = self.state.borrow_mut();
            state.busy = false;
            if base.is_some() {
                state.marks.clear();
                state.base = base;
            }
        }
        if let Some(ms) = millis {
            let mut text = String::new();
            crate::text::push_decimal(&mut text, libm::round(ms) as i64);
            let _ = self.view.canvas.set_attribute("data-capture-ms", &text);
        }
        self.refresh();
    }

    /// Shows the controls that fit the state and redraws.
    fn refresh(&self) {
        let state = self.state.borrow();
        let pending = state
            .pointer
            .or(state.marks.cursor())
            .and_then(|at| state.marks.pending(at))
            .map(|rect| (state.tool, rect));
        self.view.show(
            state.base.as_ref(),
            state.busy,
            state.tool,
            state.marks.all(),
            pending,
            state.marks.cursor(),
        );
    }

    /// Image pixels under a pointer event.
    fn point(&self, event: &PointerEvent) -> Option<(f64, f64)> {
        let canvas = &self.view.canvas;
        let rect = canvas.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        let sx = f64::from(canvas.width()) / rect.width();
        let sy = f64::from(canvas.height()) / rect.height();
        Some((
            (f64::from(event.client_x()) - rect.left()) * sx,
            (f64::from(event.client_y()) - rect.top()) * sy,
        ))
    }

    fn size(&self) -> (f64, f64) {
        (
            f64::from(self.view.canvas.width()),
            f64::from(self.view.canvas.height()),
        )
    }

    fn pointer_down(&self, event: &PointerEvent) {
        let Some(at) = self.point(event) else { return };
        if self.state.borrow().base.is_none() {
            return;
        }
        event.prevent_default();
        {
            let mut state = self.state.borrow_mut();
            state.marks.hide_cursor();
            state.marks.begin(at);
            state.pointer = Some(at);
        }
        let _ = self.view.canvas.set_pointer_capture(event.pointer_id());
        self.refresh();
    }

    fn pointer_move(&self, event: &PointerEvent) {
        if self.state.borrow().pointer.is_none() {
            return;
        }
        let Some(at) = self.point(event) else { return };
        self.state.borrow_mut().pointer = Some(at);
        self.refresh();
    }

    fn pointer_up(&self, event: &PointerEvent) {
        let Some(at) = self.point(event) else { return };
        {
            let mut state = self.state.borrow_mut();
            if state.pointer.take().is_none() {
                return;
            }
            let tool = state.tool;
            state.marks.end(tool, at);
        }
        self.refresh();
    }

    /// Arrows move the cursor (Shift: faster), Enter or Space starts and ends a box,
    /// Escape drops the box being drawn, Ctrl+Z (or ⌘Z) undoes.
    fn key(&self, event: &KeyboardEvent) {
        let (width, height) = self.size();
        let step = if event.shift_key() { BIG_STEP } else { STEP };
        let key = event.key();
        let handled = {
            let mut state = self.state.borrow_mut();
            if state.base.is_none() {
                return;
            }
            let tool = state.tool;
            let marks = &mut state.marks;
            match key.as_str() {
                "ArrowLeft" => marks.move_cursor(-step, 0.0, width, height),
                "ArrowRight" => marks.move_cursor(step, 0.0, width, height),
                "ArrowUp" => marks.move_cursor(0.0, -step, width, height),
                "ArrowDown" => marks.move_cursor(0.0, step, width, height),
                "Enter" | " " => {
                    marks.toggle_at_cursor(tool);
                }
                // Escape only cancels a box in progress; otherwise it closes the dialog.
                "Escape" if marks.drawing() => marks.cancel(),
                "z" | "Z" if event.ctrl_key() || event.meta_key() => {
                    marks.undo();
                }
                _ => return,
            }
            true
        };
        if handled {
            event.prevent_default();
            self.refresh();
        }
    }

    fn focus(&self, focused: bool) {
        let (width, height) = self.size();
        {
            let mut state = self.state.borrow_mut();
            if focused {
                state.marks.show_cursor(width, height);
            } else {
                state.marks.hide_cursor();
            }
        }
        self.refresh();
    }

    fn set_tool(&self, tool: Kind) {
        self.state.borrow_mut().tool = tool;
        self.refresh();
    }

    fn undo(&self) {
        self.state.borrow_mut().marks.undo();
        self.refresh();
    }

    fn remove(&self) {
        {
            let mut state = self.state.borrow_mut();
            state.base = None;
            state.marks.clear();
            state.auto = false;
        }
        self.refresh();
        let _ = self.view.add.focus();
    }
}
