//! The loader's side of the contract: the object `widget/loader/widget.js` passes to
//! [`crate::start`]. Everything the page had before the widget loaded (settings, console
//! entries, breadcrumbs, the shadow root and button) is read through it.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `bridge` in `loader/widget.js`.
    pub type Bridge;

    /// The open shadow root the widget lives in; `None` until the page has a `<body>`.
    #[wasm_bindgen(method)]
    pub fn root(this: &Bridge) -> Option<web_sys::ShadowRoot>;

    /// The floating button, or `None` when the team uses its own trigger.
    #[wasm_bindgen(method)]
    pub fn button(this: &Bridge) -> Option<web_sys::HtmlElement>;

    /// The live settings object (`data-*` attributes merged with `Snag.init()` and friends).
    #[wasm_bindgen(method)]
    pub fn config(this: &Bridge) -> js_sys::Object;

    /// A copy of the console ring buffer: `{level, message, ts}` objects, oldest first.
    #[wasm_bindgen(method)]
    pub fn console(this: &Bridge) -> js_sys::Array;

    /// A copy of the breadcrumb ring buffer: `{kind, message?, url?, method?, status?, ts}`.
    #[wasm_bindgen(method)]
    pub fn crumbs(this: &Bridge) -> js_sys::Array;

    /// Calls the handlers a team registered with `Snag.on(name, fn)`.
    #[wasm_bindgen(method)]
    pub fn emit(this: &Bridge, name: &str, detail: &JsValue);
}
