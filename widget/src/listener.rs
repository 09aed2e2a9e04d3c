//! Event listeners held by a guard: dropping the [`Listener`] removes it, so no handler
//! outlives the dialog it serves. The widget's own rather than `gloo-events`', which links the
//! standard library that the `no_std` widget leaves out.

use alloc::boxed::Box;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, EventTarget};

pub struct Listener {
    target: EventTarget,
    event: &'static str,
    handler: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Listens for `event` on `target` until dropped, with the browser's default options:
    /// not passive for the events the widget listens to, so handlers may call
    /// `preventDefault` (the form's submit, keys on the screenshot). (Touch and wheel
    /// events on the window or document would be passive by default.)
    pub fn new(
        target: &EventTarget,
        event: &'static str,
        handler: impl FnMut(Event) + 'static,
    ) -> Listener {
        let handler = Closure::wrap(Box::new(handler) as Box<dyn FnMut(Event)>);
        let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        Listener {
            target: target.clone(),
            event,
            handler,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.event, self.handler.as_ref().unchecked_ref());
    }
}
