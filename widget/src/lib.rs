//! Snag's widget: the feedback dialog that the loader (`loader/widget.js`) starts on demand.
//!
//! The loader owns everything a host page pays for up front: `window.Snag`, the console and
//! breadcrumb buffers and the button. This crate is fetched when the button is first touched
//! or the page is idle; [`start`] receives the loader's bridge and returns the [`Widget`] the
//! loader drives. From there: [`ui`] is the dialog, [`capture`] the screenshot, [`editor`]
//! the boxes drawn on it, [`report`] turns all of it into a scrubbed, validated
//! `snag_core::ReportPayload`, and [`send`] delivers it without ever losing it.
//!
//! The host page comes first: no DOM call is unwrapped, every listener is held by a guard
//! that removes it on drop, and no error is thrown into the page.

#![no_std]

#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
compile_error!(
    "the widget builds for wasm32-unknown-unknown, one thread: `cargo xtask build-widget`"
);

extern crate alloc;
// Without `bundle` (tests, and one of the two lint runs) the standard library is linked, as
// the test harness needs it; the widget served to host pages (feature `bundle`) does not
// link it, and brings its own panic handler below.
#[cfg(not(feature = "bundle"))]
extern crate std;

/// What the standard prelude gives ordinary crates, for the tests.
#[cfg(test)]
mod test_prelude {
    pub use std::borrow::ToOwned;
    pub use std::string::{String, ToString};
    pub use std::vec::Vec;
    pub use std::{format, vec};
}

mod allocator;
pub mod bridge;
pub mod capture;
pub mod dom;
pub mod editor;
pub(crate) mod global;
pub mod i18n;
pub(crate) mod listener;
pub mod report;
pub mod send;
pub mod settings;
pub mod text;
pub mod ui;
pub mod wait;

use alloc::rc::Rc;
use core::cell::RefCell;

#[global_allocator]
static ALLOCATOR: allocator::Allocator = allocator::Allocator::new();

/// A panic stops the call it happens in with the wasm `unreachable` trap, as `panic = "abort"`
/// did with the standard library; no message is formatted, as no one reads it in a host page.
/// The widget formats nothing at all (no `format!`, `write!` or `to_string()` on a value), so
/// the build turns the `fmt` code that core's panic paths still reference into traps
/// (`xtask/src/widget_fmt.rs`); formatting anything would bring that code back, and the build
/// says so.
#[cfg(feature = "bundle")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

use wasm_bindgen::prelude::*;

use bridge::Bridge;
use global::Global;
use ui::App;

/// The widget, once the loader started it. Functions rather than an exported class: the
/// class's glue (wrapping, freeing, a finalization registry) is code for nothing, as the
/// widget lives as long as the page.
static APP: Global<RefCell<Option<Rc<App>>>> = Global::new(RefCell::new(None));

fn app() -> Option<Rc<App>> {
    APP.with(|app| app.borrow().clone())
}

/// Starts the widget (once; later calls keep the first) and delivers what earlier visits
/// left in the outbox.
#[wasm_bindgen]
pub fn start(bridge: Bridge) {
    if app().is_some() {
        return;
    }
    let app = App::new(bridge);
    APP.with(|slot| *slot.borrow_mut() = Some(Rc::clone(&app)));
    send::deliver_saved(app);
}

#[wasm_bindgen]
pub fn open() {
    if let Some(app) = app() {
        App::open(&app);
    }
}

#[wasm_bindgen]
pub fn close() {
    if let Some(app) = app() {
        app.close();
    }
}

/// Applies the loader's current configuration (`Snag.init`).
#[wasm_bindgen]
pub fn configure() {
    if let Some(app) = app() {
        app.configure();
    }
}

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
