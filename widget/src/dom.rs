//! Small DOM helpers that turn every failure into `None` instead of a panic or an exception.

use alloc::{string::String, vec::Vec};

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, DocumentFragment, Element, NodeList, Window};

/// What `querySelector` is defined on: elements, documents and shadow roots.
pub trait Query {
    fn query(&self, selector: &str) -> Option<Element>;
    fn query_list(&self, selector: &str) -> Option<NodeList>;
}

impl Query for Element {
    fn query(&self, selector: &str) -> Option<Element> {
        self.query_selector(selector).ok().flatten()
    }
    fn query_list(&self, selector: &str) -> Option<NodeList> {
        self.query_selector_all(selector).ok()
    }
}

impl Query for DocumentFragment {
    fn query(&self, selector: &str) -> Option<Element> {
        self.query_selector(selector).ok().flatten()
    }
    fn query_list(&self, selector: &str) -> Option<NodeList> {
        self.query_selector_all(selector).ok()
    }
}

impl Query for Document {
    fn query(&self, selector: &str) -> Option<Element> {
        self.query_selector(selector).ok().flatten()
    }
    fn query_list(&self, selector: &str) -> Option<NodeList> {
        self.query_selector_all(selector).ok()
    }
}

pub fn window() -> Option<Window> {
    web_sys::window()
}

pub fn document() -> Option<Document> {
    window()?.document()
}

/// The first element under `parent` matching `selector`, as type `T`: only for markup the
/// widget wrote itself, whose element types it knows. Not checked (`instanceof`) at run
/// time: each checked type costs a JS import and its call sites.
pub fn find<T: JsCast>(parent: &impl Query, selector: &str) -> Option<T> {
    Some(parent.query(selector)?.unchecked_into())
}

/// Every element under `parent` matching `selector`.
pub fn find_all(parent: &impl Query, selector: &str) -> Vec<Element> {
    let Some(list) = parent.query_list(selector) else {
        return Vec::new();
    };
    (0..list.length())
        // querySelectorAll finds elements only.
        .filter_map(|i| Some(list.item(i)?.unchecked_into()))
        .collect()
}

/// A property of a JS object as a string, if it is one.
pub fn prop_str(object: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(object, &JsValue::from_str(name))
        .ok()?
        .as_string()
}

/// A property of a JS object as a number, if it is one.
pub fn prop_f64(object: &JsValue, name: &str) -> Option<f64> {
    js_sys::Reflect::get(object, &JsValue::from_str(name))
        .ok()?
        .as_f64()
}

/// A property of a JS object, `None` when missing, `null` or `undefined`.
pub fn prop(object: &JsValue, name: &str) -> Option<JsValue> {
    let value = js_sys::Reflect::get(object, &JsValue::from_str(name)).ok()?;
    (!value.is_null() && !value.is_undefined()).then_some(value)
}

/// Sets a property on a JS object; failures (a frozen object) are ignored on purpose.
pub fn set_prop(object: &JsValue, name: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(name), value);
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::escape;
    use crate::test_prelude::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn escapes_markup_and_quotes() {
        let mut out = String::new();
        escape("<b a=\"x\">'&'</b>", &mut out);
        assert_eq!(out, "&lt;b a=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;");
    }
}
