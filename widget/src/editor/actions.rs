//! What the screenshot section's controls do: the listeners, and the captures they start in
//! the background (the dialog stays usable meanwhile).

use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, KeyboardEvent, PointerEvent};

use super::marks::Kind;
use super::view::View;
use crate::capture;
use crate::listener::Listener;
use crate::ui::App;

/// DOM capture.
pub fn capture_page(app: &Rc<App>) {
    let mask = app.settings().mask;
    app.with_dialog(|d| d.shot.set_busy(true));
    let app = Rc::clone(app);
    crate::wait::spawn(async move {
        let shot = capture::page(&mask).await;
        let millis = shot.as_ref().map(|s| s.millis);
        app.with_dialog(|d| d.shot.set_base(shot.map(|s| s.canvas), "page", millis));
    });
}

/// "Capture exactly": the dialog steps aside while the browser captures the tab.
fn capture_tab(app: &Rc<App>) {
    let mask = app.settings().mask;
    let Some(dialog) = app.with_dialog(|d| {
        d.shot.set_busy(true);
        d.element.clone()
    }) else {
        return;
    };
    let app = Rc::clone(app);
    crate::wait::spawn(async move {
        let hidden = capture::redact::sensitive(&mask);
        let _ = dialog.class_list().add_1("capturing");
        let nudge = nudge_beside(&dialog);
        // Two frames, so the hidden dialog is off screen before the capture starts.
        crate::wait::sleep(60).await;
        let canvas = match &nudge {
            Some(nudge) => capture::display::tab(&hidden, nudge).await,
            None => Err("no document"),
        };
        if let Some(nudge) = nudge {
            nudge.remove();
        }
        let _ = dialog.class_list().remove_1("capturing");
        app.with_dialog(|d| d.shot.set_tab(canvas));
    });
}

/// A one-pixel, nearly transparent element beside the dialog in its shadow root, which the
/// tab capture changes to make the page repaint (see [`capture::display::tab`]).
fn nudge_beside(dialog: &Element) -> Option<Element> {
    let nudge = dialog.owner_document()?.create_element("i").ok()?;
    nudge.set_class_name("nudge");
    dialog.parent_node()?.append_child(&nudge).ok()?;
    Some(nudge)
}

fn use_file(app: &Rc<App>, blob: web_sys::Blob) {
    app.with_dialog(|d| d.shot.set_busy(true));
    let app = Rc::clone(app);
    crate::wait::spawn(async move {
        let canvas = capture::file::decode(&blob).await;
        app.with_dialog(|d| d.shot.set_base(canvas, "file", None));
    });
}

pub fn listen(app: &Rc<App>, view: &View, section: &Element) -> Option<Vec<Listener>> {
    let weak = Rc::downgrade(app);
    let on = |target: &web_sys::EventTarget, event, f| App::on(&weak, target, event, f);
    let dialog = section.closest("dialog").ok()??;
    let canvas: &web_sys::EventTarget = view.canvas.as_ref();
    Some(vec![
        on(canvas, "pointerdown", |app, e| {
            if let Some(e) = e.dyn_ref::<PointerEvent>() {
                app.with_dialog(|d| d.shot.pointer_down(e));
            }
        }),
        on(canvas, "pointermove", |app, e| {
            if let Some(e) = e.dyn_ref::<PointerEvent>() {
                app.with_dialog(|d| d.shot.pointer_move(e));
            }
        }),
        on(canvas, "pointerup", |app, e| {
            if let Some(e) = e.dyn_ref::<PointerEvent>() {
                app.with_dialog(|d| d.shot.pointer_up(e));
            }
        }),
        on(canvas, "keydown", |app, e| {
            if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
                app.with_dialog(|d| d.shot.key(e));
            }
        }),
        on(canvas, "focus", |app, _| {
            app.with_dialog(|d| d.shot.focus(true));
        }),
        on(canvas, "blur", |app, _| {
            app.with_dialog(|d| d.shot.focus(false));
        }),
        on(view.highlight.as_ref(), "click", |app, _| {
            app.with_dialog(|d| d.shot.set_tool(Kind::Highlight));
        }),
        on(view.redact.as_ref(), "click", |app, _| {
            app.with_dialog(|d| d.shot.set_tool(Kind::Redact));
        }),
        on(view.undo.as_ref(), "click", |app, _| {
            app.with_dialog(|d| d.shot.undo());
        }),
        on(view.remove.as_ref(), "click", |app, _| {
            app.with_dialog(|d| d.shot.remove());
        }),
        on(view.add.as_ref(), "click", |app, _| capture_page(app)),
        on(view.exact.as_ref(), "click", |app, _| capture_tab(app)),
        on(view.file.as_ref(), "change", |app, e| {
            let file = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                use_file(app, file.into());
            }
        }),
        on(dialog.as_ref(), "paste", |app, e| {
            let image = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(capture::file::pasted_image);
            if let Some(image) = image {
                e.prevent_default();
                use_file(app, image);
            }
        }),
    ])
}
