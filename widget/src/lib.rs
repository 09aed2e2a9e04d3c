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

#[cfg(target_arch = "wasm32")]
mod alloc;
pub mod bridge;
pub mod capture;
pub mod dom;
pub mod editor;
pub mod i18n;
pub mod report;
pub mod send;
pub mod settings;
pub mod ui;

use std::rc::Rc;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: alloc::Allocator = alloc::Allocator::new();

use wasm_bindgen::prelude::*;

use bridge::Bridge;
use ui::App;

/// The running widget, as the loader sees it.
#[wasm_bindgen]
pub struct Widget {
    app: Rc<App>,
}

#[wasm_bindgen]
impl Widget {
    /// Opens the dialog (from the button, `Snag.open()` or a team's own trigger).
    pub fn open(&self) {
        App::open(&self.app);
    }

    /// Closes the dialog if it is open; the draft stays for the next open.
    pub fn close(&self) {
        self.app.close();
    }

    /// Called by the loader after `Snag.init()` changed the settings.
    pub fn configure(&self) {
        self.app.configure();
    }
}

/// Entry point, called once by the loader after the module is instantiated.
#[wasm_bindgen]
pub fn start(bridge: Bridge) -> Widget {
    let app = App::new(bridge);
    send::deliver_saved(Rc::clone(&app));
    Widget { app }
}

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
