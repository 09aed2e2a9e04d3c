//! Small DOM helpers that turn every failure into `None` instead of a panic or an exception.

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

/// The parts of `text` between any of the ASCII bytes `separators`, like `str::split` with
/// those characters (an empty part where two meet or at either end). Written for the
/// widget's few splits: each `str::split` pattern type is code of its own.
pub fn parts<'a>(text: &'a str, separators: &'a [u8]) -> Parts<'a> {
    Parts {
        rest: Some(text),
        separators,
    }
}

pub struct Parts<'a> {
    rest: Option<&'a str>,
    separators: &'a [u8],
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let at = rest.bytes().position(|b| self.separators.contains(&b));
        // The separators are ASCII, so both sides of one are on character boundaries.
        self.rest = at.and_then(|at| rest.get(at + 1..));
        match at {
            Some(at) => rest.get(..at),
            None => Some(rest),
        }
    }
}

/// Appends `n` in decimal. `to_string` would go through the formatting machinery, two
/// generic instances of it for the widget's few numbers.
pub fn push_decimal(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = n.unsigned_abs();
    loop {
        digits[len % 20] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in digits.iter().take(len).rev() {
        out.push(char::from(digit));
    }
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
    use super::{escape, parts, push_decimal};

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn escapes_markup_and_quotes() {
        let mut out = String::new();
        escape("<b a=\"x\">'&'</b>", &mut out);
        assert_eq!(out, "&lt;b a=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;");
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn parts_match_str_split() {
        for text in ["", ",", "a", "a,b", ",a,,b,", "é,ü-x_y", "-_-"] {
            let ours: Vec<&str> = parts(text, b",-_").collect();
            let std: Vec<&str> = text.split([',', '-', '_']).collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn decimals_match_to_string() {
        for n in [0, 7, -7, 10, 1_024, -4_096, i64::MAX, i64::MIN] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }
}
