//! What the browser says about the page and the device.

use alloc::string::String;

use js_sys::{Array, Intl, Object};
use snag_core::{Client, Page, Size};
use wasm_bindgen::JsValue;

use crate::dom::{self, prop_str};

pub fn page() -> Page {
    let Some(document) = dom::document() else {
        return Page::default();
    };
    let url = dom::window().and_then(|w| w.location().href().ok());
    Page {
        url,
        title: Some(document.title()).filter(|t| !t.is_empty()),
        referrer: Some(document.referrer()).filter(|r| !r.is_empty()),
    }
}

pub fn client() -> Client {
    let Some(window) = dom::window() else {
        return Client::default();
    };
    let navigator = window.navigator();
    let size = |w: Result<JsValue, JsValue>, h: Result<JsValue, JsValue>| {
        let width = w.ok()?.as_f64()?;
        let height = h.ok()?.as_f64()?;
        Some(Size {
            width: width.max(0.0) as u32,
            height: height.max(0.0) as u32,
        })
    };
    let screen = window.screen().ok();
    Client {
        user_agent: navigator.user_agent().ok(),
        language: navigator.language(),
        timezone: timezone(),
        viewport: size(window.inner_width(), window.inner_height()),
        screen: screen.and_then(|s| {
            let width = s.width().ok()?;
            let height = s.height().ok()?;
            Some(Size {
                width: width.max(0) as u32,
                height: height.max(0) as u32,
            })
        }),
        pixel_ratio: Some(window.device_pixel_ratio()).filter(|r| *r > 0.0 && *r <= 16.0),
    }
}

fn timezone() -> Option<String> {
    let format = Intl::DateTimeFormat::new(&Array::new(), &Object::new());
    prop_str(&format.resolved_options(), "timeZone")
}

/// A fresh key for one report: 128 random bits from the browser's CSPRNG (which, unlike
/// `crypto.randomUUID`, also works on plain-http intranet pages).
pub fn idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = dom::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for chunk in bytes.chunks_mut(4) {
            let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
            chunk.copy_from_slice(&random.to_le_bytes());
        }
    }
    let mut key = String::with_capacity(37);
    key.push_str("snag-");
    for byte in bytes {
        key.push(hex(byte >> 4));
        key.push(hex(byte & 15));
    }
    key
}

fn hex(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble)])
}
