//! Waiting in the browser: timers and promises settled by event handler properties, all
//! awaited as promises (the one kind of future the widget uses).

use alloc::boxed::Box;
use core::future::Future;
use core::pin::Pin;

use wasm_bindgen::JsValue;

use crate::dom::{set_prop, window};

/// A promise that resolves after `ms` milliseconds (never, if there is no window).
pub fn after(ms: i32) -> js_sys::Promise {
    js_sys::Promise::new(
        &mut |resolve: js_sys::Function, _reject: js_sys::Function| {
            if let Some(window) = window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
        },
    )
}

/// A promise that `target`'s handler property `success` resolves (with its event) and each
/// of `failures` rejects, `onload`/`onerror` style; [`clear_handlers`] unsets them. Set as
/// plain properties: one helper instead of a typed setter import per handler and target.
pub fn settled_by(target: &JsValue, success: &str, failures: &[&str]) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve: js_sys::Function, reject: js_sys::Function| {
        set_prop(target, success, &resolve);
        for name in failures {
            set_prop(target, name, &reject);
        }
    })
}

/// Unsets handler properties set by [`settled_by`].
pub fn clear_handlers(target: &JsValue, names: &[&str]) {
    for name in names {
        set_prop(target, name, &JsValue::NULL);
    }
}

/// Waits `ms` milliseconds. A promise and the future every `await` on a promise already
/// uses, rather than `gloo_timers`' own timer future and its channel (0.7 KB gzipped).
pub async fn sleep(ms: i32) {
    let _ = wasm_bindgen_futures::JsFuture::from(after(ms)).await;
}

/// Runs `task` in the background. Boxed first, so the executor's spawning code exists once
/// rather than once per kind of task.
pub fn spawn(task: impl Future<Output = ()> + 'static) {
    let task: Pin<Box<dyn Future<Output = ()>>> = Box::pin(task);
    wasm_bindgen_futures::spawn_local(task);
}
