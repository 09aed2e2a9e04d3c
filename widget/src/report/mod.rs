//! From the form, the page and the loader's buffers to one scrubbed, validated
//! `snag_core::ReportPayload`: the same types, scrubber and limits the server uses.

mod context;
mod json;
mod preview;

use alloc::{borrow::ToOwned, string::String, vec::Vec};

use snag_core::{
    Breadcrumb, BreadcrumbKind, Category, ConsoleEntry, ConsoleLevel, Limits, Refusal,
    ReportPayload, Reporter, ScrubConfig, ScrubSummary, Scrubber, Source, check_report,
};
use wasm_bindgen::JsValue;

use crate::bridge::Bridge;
use crate::dom::{prop_f64, prop_str};
use crate::settings::Settings;

pub use context::{client, idempotency_key, page};
pub use json::to_json;
pub use preview::preview;

/// What the user typed.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub description: String,
    pub title: String,
    pub category: String,
    pub steps: String,
    pub expected: String,
    pub actual: String,
    pub email: String,
}

/// A report ready to leave the page, and what the scrubber removed from it.
pub struct Prepared {
    pub payload: ReportPayload,
    pub scrubbed: ScrubSummary,
}

/// Builds and scrubs a report. [`Prepared::check`] then says what the server would refuse.
pub fn prepare(
    draft: &Draft,
    settings: &Settings,
    bridge: &Bridge,
    screenshot: Option<String>,
    idempotency_key: String,
) -> Prepared {
    let mut payload = ReportPayload {
        description: Some(draft.description.trim().to_owned()),
        title: non_empty(&draft.title),
        category: category(&draft.category),
        steps: non_empty(&draft.steps),
        expected: non_empty(&draft.expected),
        actual: non_empty(&draft.actual),
        reporter: reporter(settings, &draft.email),
        page: Some(page()),
        client: Some(client()),
        console: console(bridge),
        breadcrumbs: breadcrumbs(bridge),
        custom: settings.metadata.clone(),
        release: settings.release.clone(),
        environment: settings.environment.clone(),
        source: Some(Source::Widget),
        screenshot,
        idempotency_key: Some(idempotency_key),
    };
    fit(&mut payload);
    // The server scrubs again with the project's settings; scrubbing here means the
    // personal data never leaves the browser at all.
    let scrubbed = Scrubber::new(&ScrubConfig::default()).scrub_report(&mut payload);
    Prepared { payload, scrubbed }
}

impl Prepared {
    /// The server's own validation with its default limits, run before sending so the
    /// user hears of a problem at once, in their language.
    pub fn check(&self) -> Result<(), Refusal> {
        check_report(&self.payload, &Limits::default())
    }
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn category(value: &str) -> Option<Category> {
    Some(match value {
        "bug" => Category::Bug,
        "idea" => Category::Idea,
        "question" => Category::Question,
        "other" => Category::Other,
        _ => return None,
    })
}

fn reporter(settings: &Settings, email: &str) -> Option<Reporter> {
    if let Some(user) = settings.user.clone().filter(|_| settings.identified()) {
        return Some(user);
    }
    non_empty(email).map(|email| Reporter {
        email: Some(email),
        ..Reporter::default()
    })
}

fn console(bridge: &Bridge) -> Vec<ConsoleEntry> {
    bridge
        .console()
        .iter()
        .filter_map(|entry| {
            let level = match prop_str(&entry, "level")?.as_str() {
                "error" => ConsoleLevel::Error,
                "warn" => ConsoleLevel::Warn,
                "info" => ConsoleLevel::Info,
                "debug" => ConsoleLevel::Debug,
                _ => ConsoleLevel::Log,
            };
            Some(ConsoleEntry {
                level,
                message: prop_str(&entry, "message")?,
                ts: prop_f64(&entry, "ts"),
            })
        })
        .collect()
}

fn breadcrumbs(bridge: &Bridge) -> Vec<Breadcrumb> {
    bridge
        .crumbs()
        .iter()
        .filter_map(|entry: JsValue| {
            let kind = match prop_str(&entry, "kind")?.as_str() {
                "click" => BreadcrumbKind::Click,
                "input" => BreadcrumbKind::Input,
                "navigation" => BreadcrumbKind::Navigation,
                "request" => BreadcrumbKind::Request,
                _ => BreadcrumbKind::Custom,
            };
            Some(Breadcrumb {
                kind,
                message: prop_str(&entry, "message"),
                url: prop_str(&entry, "url").map(|url| without_query(&url)),
                method: prop_str(&entry, "method"),
                // `as` saturates; no clamp (its assertion formats floats).
                status: prop_f64(&entry, "status").map(|s| s as u16),
                ts: prop_f64(&entry, "ts"),
            })
        })
        .collect()
}

/// Request and navigation URLs lose their query and fragment: they are where tokens,
/// e-mails and search terms live, and the path is what an engineer needs.
pub fn without_query(url: &str) -> String {
    // Split, not sliced: a slice's failure path brings the panic's text formatting along.
    crate::text::parts(url, b"?#")
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Trims what the widget collects to the server's default limits, so a long console line
/// or a team's oversized metadata never gets the whole report refused.
fn fit(payload: &mut ReportPayload) {
    let limits = Limits::default();
    for entry in &mut payload.console {
        truncate(&mut entry.message, limits.max_console_message_chars);
    }
    for crumb in &mut payload.breadcrumbs {
        if let Some(message) = &mut crumb.message {
            truncate(message, limits.max_breadcrumb_chars);
        }
        if let Some(url) = &mut crumb.url {
            truncate(url, limits.max_url_chars);
        }
    }
    let keep_from = payload
        .console
        .len()
        .saturating_sub(limits.max_console_entries);
    payload.console.drain(..keep_from);
    let keep_from = payload
        .breadcrumbs
        .len()
        .saturating_sub(limits.max_breadcrumbs);
    payload.breadcrumbs.drain(..keep_from);
    payload.custom.truncate(limits.max_custom_entries);
    for value in payload.custom.values_mut() {
        truncate(value, limits.max_custom_value_chars);
    }
    if let Some(page) = &mut payload.page {
        if let Some(title) = &mut page.title {
            truncate(title, limits.max_short_chars);
        }
        if let Some(url) = &mut page.url {
            truncate(url, limits.max_url_chars);
        }
        if let Some(referrer) = &mut page.referrer {
            truncate(referrer, limits.max_url_chars);
        }
    }
}

fn truncate(text: &mut String, max_chars: usize) {
    if let Some((at, _)) = text.char_indices().nth(max_chars) {
        text.truncate(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;
    use snag_core::validate_report;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn queries_and_fragments_leave_request_urls() {
        assert_eq!(
            without_query("https://api.example/users/7?token=abc#x"),
            "https://api.example/users/7"
        );
        assert_eq!(without_query("/plain"), "/plain");
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn truncates_on_char_boundaries() {
        let mut text = "ééé".to_owned();
        truncate(&mut text, 2);
        assert_eq!(text, "éé");
    }

    /// The widget builds `snag-core` without the `url` crate: its light URL checks must
    /// accept what browsers produce and refuse what the server refuses.
    #[wasm_bindgen_test::wasm_bindgen_test]
    fn validation_without_the_url_crate_checks_page_urls() {
        let report = |url: &str, referrer: &str| ReportPayload {
            description: Some("x".into()),
            page: Some(snag_core::Page {
                url: Some(url.into()),
                title: None,
                referrer: Some(referrer.into()),
            }),
            ..ReportPayload::default()
        };
        let limits = Limits::default();
        for (url, referrer) in [
            ("https://shop.example/checkout?step=2#pay", ""),
            ("http://127.0.0.1:8081/", "https://search.example/?q=x"),
            ("HTTPS://user@[::1]:8443/a b", "android-app://com.example"),
            (" \thttp://a.example\\path \n", "a+b.c-d:rest"),
            ("https://u:p@host.example:8080?x#y", "https://é.example/"),
        ] {
            assert!(
                validate_report(&report(url, referrer), &limits).is_ok(),
                "{url}"
            );
        }
        for (url, referrer, field) in [
            ("javascript:alert(1)", "", "page.url"),
            ("ftp://files.example/", "", "page.url"),
            ("https://", "", "page.url"),
            ("/relative", "", "page.url"),
            ("https://shop.example/", "not a url", "page.referrer"),
            ("https://user@/path", "", "page.url"),
            ("https://[]/", "", "page.url"),
            ("https://a b.example/", "", "page.url"),
            ("https://a\u{85}b.example/", "", "page.url"),
            ("https://a\u{7f}b.example/", "", "page.url"),
            ("https://shop.example/", "1app:x", "page.referrer"),
            ("https://shop.example/", ":x", "page.referrer"),
            ("https://shop.example/", "é:x", "page.referrer"),
        ] {
            let refusal = validate_report(&report(url, referrer), &limits).expect_err(url);
            assert_eq!(refusal.field.as_deref(), Some(field), "{url}");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn fit_keeps_the_newest_console_entries() {
        let mut payload = ReportPayload::default();
        for i in 0..150 {
            payload.console.push(ConsoleEntry {
                level: ConsoleLevel::Error,
                message: i.to_string(),
                ts: None,
            });
        }
        fit(&mut payload);
        assert_eq!(payload.console.len(), 100);
        assert_eq!(payload.console[0].message, "50");
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn fit_keeps_the_first_metadata_keys_within_the_limit() {
        let limits = Limits::default();
        let mut payload = ReportPayload {
            description: Some("x".into()),
            ..ReportPayload::default()
        };
        let over = limits.max_custom_entries + 5;
        for i in (0..over).rev() {
            let value = "v".repeat(limits.max_custom_value_chars + 3);
            payload.custom.insert(format!("k{i:03}"), value);
        }
        fit(&mut payload);
        assert_eq!(payload.custom.len(), limits.max_custom_entries);
        let first = format!("k{:03}", 0);
        let last = format!("k{:03}", limits.max_custom_entries - 1);
        assert!(payload.custom.contains_key(&first) && payload.custom.contains_key(&last));
        assert!(
            payload
                .custom
                .values()
                .all(|v| v.chars().count() <= limits.max_custom_value_chars)
        );
        assert!(validate_report(&payload, &limits).is_ok());
    }
}
