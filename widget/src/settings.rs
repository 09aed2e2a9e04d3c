//! The team's settings, read from the loader's live config object each time they matter (a
//! team may call `Snag.identify()` or `Snag.setRelease()` at any moment).

use alloc::{borrow::ToOwned, string::String, vec::Vec};

use js_sys::{Array, Object};
use snag_core::{CustomFields, Limits, Reporter};
use wasm_bindgen::{JsCast, JsValue};

use crate::dom::{prop, prop_str};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// Follows `prefers-color-scheme`.
    System,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::System => "system",
        }
    }
}

/// A snapshot of the settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub key: Option<String>,
    pub endpoint: String,
    pub theme: Theme,
    /// A BCP 47 tag (`fr`, `ar-EG`) or `None` for the browser's languages.
    pub locale: Option<String>,
    pub label: Option<String>,
    /// Selectors whose elements are blacked out in screenshots, besides the built-in ones.
    pub mask: Vec<String>,
    /// Overrides of bundled strings by key (`"send": "Submit"`).
    pub strings: Vec<(String, String)>,
    pub release: Option<String>,
    pub environment: Option<String>,
    pub user: Option<Reporter>,
    pub metadata: CustomFields,
}

impl Settings {
    pub fn read(config: &Object) -> Settings {
        let config: &JsValue = config.as_ref();
        let theme = match prop_str(config, "theme").as_deref() {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        };
        Settings {
            key: non_empty_text(config, "key"),
            endpoint: prop_str(config, "endpoint").unwrap_or_default(),
            theme,
            locale: non_empty_text(config, "locale"),
            label: non_empty_text(config, "label"),
            mask: strings(prop(config, "mask")),
            strings: entries(prop(config, "strings")),
            release: non_empty_text(config, "release"),
            environment: non_empty_text(config, "environment"),
            user: prop(config, "user").map(|user| Reporter {
                id: prop_str(&user, "id"),
                email: prop_str(&user, "email"),
                name: prop_str(&user, "name"),
            }),
            metadata: custom_fields(entries(prop(config, "metadata"))),
        }
    }

    /// Whether the team told us who the user is; if not, the form asks for an e-mail.
    pub fn identified(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.id.is_some() || u.email.is_some())
    }
}

/// A non-empty string property. Not inlined: the configuration reads five of them.
#[inline(never)]
fn non_empty_text(config: &JsValue, name: &str) -> Option<String> {
    prop_str(config, name).filter(|t| !t.is_empty())
}

/// The team's metadata, keeping the first keys in key order up to the limit a report takes
/// (what the report keeps anyway). Inserted one by one rather than collected (`collect`
/// sorts, and the sort costs the widget kilobytes), with the map never over the limit, so a
/// large object costs `n × limit`, not `n²`.
fn custom_fields(entries: Vec<(String, String)>) -> CustomFields {
    let limit = Limits::default().max_custom_entries;
    let mut fields = CustomFields::new();
    for (key, value) in entries {
        let full = fields.len() >= limit;
        if full
            && fields
                .iter()
                .next_back()
                .is_some_and(|(last, _)| key > *last)
        {
            continue;
        }
        fields.insert(key, value);
        fields.truncate(limit);
    }
    fields
}

/// A JS array of strings (other entries skipped), or one comma-separated string.
fn strings(value: Option<JsValue>) -> Vec<String> {
    let Some(value) = value else {
        return Vec::new();
    };
    if let Some(text) = value.as_string() {
        return crate::text::parts(&text, b",")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
    }
    match value.dyn_into::<Array>() {
        Ok(array) => array.iter().filter_map(|v| v.as_string()).collect(),
        Err(_) => Vec::new(),
    }
}

/// An object's own string-valued properties (numbers and booleans are turned into text).
fn entries(value: Option<JsValue>) -> Vec<(String, String)> {
    // `typeof`, not `instanceof Object`: an object from another frame or without a
    // prototype counts too.
    let Some(object) = value
        .filter(JsValue::is_object)
        .map(JsCast::unchecked_into::<Object>)
    else {
        return Vec::new();
    };
    Object::entries(&object)
        .iter()
        .filter_map(|pair| {
            // Object.entries gives [key, value] arrays.
            let pair: Array = pair.unchecked_into();
            let key = pair.get(0).as_string()?;
            let value = pair.get(1);
            // JS turns numbers into text; Rust's float formatting would cost 16 KB of wasm.
            let text = if let Some(flag) = value.as_bool() {
                (if flag { "true" } else { "false" }).to_owned()
            } else if value.as_f64().is_some() {
                js_sys::Number::from(value)
                    .to_string_with_radix(10)
                    .ok()?
                    .into()
            } else {
                value.as_string()?
            };
            Some((key, text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(source: &str) -> JsValue {
        js_sys::Function::new_no_args(&["return ", source].concat())
            .call0(&JsValue::NULL)
            .unwrap()
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn metadata_reads_plain_and_prototype_less_objects_and_ignores_the_rest() {
        let plain = entries(Some(eval(
            "({plan: 'pro', seats: 12, beta: true, gone: null})",
        )));
        assert_eq!(
            plain,
            [("plan", "pro"), ("seats", "12"), ("beta", "true")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        let bare = entries(Some(eval(
            "Object.assign(Object.create(null), {region: 'eu'})",
        )));
        assert_eq!(bare, [("region".to_owned(), "eu".to_owned())]);
        assert!(entries(Some(eval("'plan=pro'"))).is_empty());
        assert!(entries(Some(JsValue::NULL)).is_empty());
        assert!(entries(None).is_empty());
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn metadata_keeps_the_first_keys_within_the_report_limit() {
        let limit = Limits::default().max_custom_entries;
        let pairs: Vec<(String, String)> = (0..limit + 20)
            .rev()
            .map(|i| {
                let mut key = String::from("k");
                crate::text::push_decimal(&mut key, 1_000 + i as i64);
                (key, "v".to_owned())
            })
            .chain([("k1003".to_owned(), "again".to_owned())])
            .collect();
        let fields = custom_fields(pairs.clone());
        let mut everything = CustomFields::new();
        for (key, value) in pairs {
            everything.insert(key, value);
        }
        everything.truncate(limit);
        assert_eq!(fields, everything);
        assert_eq!(fields.len(), limit);
        assert_eq!(fields.get("k1003"), Some("again"));
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_mask_is_a_list_or_comma_separated_text() {
        assert_eq!(strings(Some(eval("' .a , #b,,'"))), [".a", "#b"]);
        assert_eq!(strings(Some(eval("['.a', 3, '#b']"))), [".a", "#b"]);
        assert!(strings(Some(eval("({})"))).is_empty());
    }
}
