//! The payload as the JSON the server reads, built as a JavaScript object and written by the
//! browser's own `JSON.stringify`: serde's serializer for the payload's types cost the
//! widget about 4.5 KB gzipped, this about a third of that.
//!
//! The names and the fields left out (`None`, empty lists and maps) are serde's, so the
//! server reads back exactly the payload the widget built; a browser test checks this
//! against `serde_json` for a full and a sparse payload.

use alloc::string::String;

use js_sys::{Array, Object};
use snag_core::{Breadcrumb, Client, ConsoleEntry, Page, ReportPayload, Reporter, Size};
use wasm_bindgen::JsValue;

use crate::dom::set_prop;

/// The payload as JSON text.
pub fn to_json(payload: &ReportPayload) -> String {
    stringify(&to_js(payload, payload.screenshot.as_deref()), None)
}

/// The payload as JSON text indented by two spaces, for people to read, with `screenshot`
/// in place of the payload's (the preview shows its size, not megabytes of base64).
pub fn to_pretty_json(payload: &ReportPayload, screenshot: Option<&str>) -> String {
    stringify(&to_js(payload, screenshot), Some(2.0))
}

fn stringify(value: &JsValue, indent: Option<f64>) -> String {
    let text = match indent {
        Some(space) => {
            js_sys::JSON::stringify_with_replacer_and_space(value, &JsValue::NULL, &space.into())
        }
        None => js_sys::JSON::stringify(value),
    };
    text.ok().map(String::from).unwrap_or_default()
}

/// An object that leaves out what serde leaves out.
struct Fields(Object);

impl Fields {
    fn new() -> Fields {
        Fields(Object::new())
    }

    fn value(&self, name: &str, value: &JsValue) {
        set_prop(&self.0, name, value);
    }

    fn text(&self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.value(name, &JsValue::from_str(value));
        }
    }

    fn number(&self, name: &str, value: Option<f64>) {
        if let Some(value) = value {
            self.value(name, &JsValue::from_f64(value));
        }
    }

    fn object<T>(&self, name: &str, value: &Option<T>, build: impl Fn(&T) -> JsValue) {
        if let Some(value) = value {
            self.value(name, &build(value));
        }
    }

    fn list<T>(&self, name: &str, items: &[T], build: impl Fn(&T) -> JsValue) {
        if !items.is_empty() {
            let list: Array = items.iter().map(build).collect();
            self.value(name, &list);
        }
    }

    fn done(self) -> JsValue {
        self.0.into()
    }
}

fn to_js(payload: &ReportPayload, screenshot: Option<&str>) -> JsValue {
    let fields = Fields::new();
    fields.text("description", payload.description.as_deref());
    fields.text("title", payload.title.as_deref());
    fields.text("category", payload.category.map(|c| c.as_str()));
    fields.text("steps", payload.steps.as_deref());
    fields.text("expected", payload.expected.as_deref());
    fields.text("actual", payload.actual.as_deref());
    fields.object("reporter", &payload.reporter, reporter);
    fields.object("page", &payload.page, page);
    fields.object("client", &payload.client, client);
    fields.list("console", &payload.console, console_entry);
    fields.list("breadcrumbs", &payload.breadcrumbs, breadcrumb);
    if !payload.custom.is_empty() {
        let custom = Fields::new();
        for (key, value) in &payload.custom {
            custom.value(key, &JsValue::from_str(value));
        }
        fields.value("custom", &custom.done());
    }
    fields.text("release", payload.release.as_deref());
    fields.text("environment", payload.environment.as_deref());
    fields.text("source", payload.source.map(|s| s.as_str()));
    fields.text("screenshot", screenshot);
    fields.text("idempotency_key", payload.idempotency_key.as_deref());
    fields.done()
}

fn reporter(reporter: &Reporter) -> JsValue {
    let fields = Fields::new();
    fields.text("id", reporter.id.as_deref());
    fields.text("email", reporter.email.as_deref());
    fields.text("name", reporter.name.as_deref());
    fields.done()
}

fn page(page: &Page) -> JsValue {
    let fields = Fields::new();
    fields.text("url", page.url.as_deref());
    fields.text("title", page.title.as_deref());
    fields.text("referrer", page.referrer.as_deref());
    fields.done()
}

fn client(client: &Client) -> JsValue {
    let fields = Fields::new();
    fields.text("user_agent", client.user_agent.as_deref());
    fields.text("language", client.language.as_deref());
    fields.text("timezone", client.timezone.as_deref());
    fields.object("viewport", &client.viewport, size);
    fields.object("screen", &client.screen, size);
    fields.number("pixel_ratio", client.pixel_ratio);
    fields.done()
}

fn size(size: &Size) -> JsValue {
    let fields = Fields::new();
    fields.number("width", Some(f64::from(size.width)));
    fields.number("height", Some(f64::from(size.height)));
    fields.done()
}

fn console_entry(entry: &ConsoleEntry) -> JsValue {
    let fields = Fields::new();
    fields.text("level", Some(entry.level.as_str()));
    fields.text("message", Some(&entry.message));
    fields.number("ts", entry.ts);
    fields.done()
}

fn breadcrumb(crumb: &Breadcrumb) -> JsValue {
    let fields = Fields::new();
    fields.text("kind", Some(crumb.kind.as_str()));
    fields.text("message", crumb.message.as_deref());
    fields.text("url", crumb.url.as_deref());
    fields.text("method", crumb.method.as_deref());
    fields.number("status", crumb.status.map(f64::from));
    fields.number("ts", crumb.ts);
    fields.done()
}

#[cfg(test)]
mod tests {
    use crate::test_prelude::*;

    use snag_core::{BreadcrumbKind, Category, ConsoleLevel, Source};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    fn full() -> ReportPayload {
        ReportPayload {
            description: Some(
                "Pay \"now\" does nothing\n\tat all: ünïcödé ✓ 💳 \\ </script>".into(),
            ),
            title: Some("Pay button".into()),
            category: Some(Category::Question),
            steps: Some("1. open\r\n2. pay".into()),
            expected: Some("paid".into()),
            actual: Some("nothing".into()),
            reporter: Some(Reporter {
                id: Some("u_1".into()),
                email: Some("a@example.com".into()),
                name: None,
            }),
            page: Some(Page {
                url: Some("https://shop.example/checkout/1/pay?x=1".into()),
                title: Some("Pay".into()),
                referrer: None,
            }),
            client: Some(Client {
                user_agent: Some("Mozilla/5.0".into()),
                language: Some("fr-FR".into()),
                timezone: Some("Europe/Paris".into()),
                viewport: Some(Size {
                    width: 412,
                    height: 788,
                }),
                screen: None,
                pixel_ratio: Some(2.625),
            }),
            console: vec![
                ConsoleEntry {
                    level: ConsoleLevel::Error,
                    message: "TypeError: x is undefined".into(),
                    ts: Some(1_732_093_985_873.5),
                },
                ConsoleEntry {
                    level: ConsoleLevel::Warn,
                    message: String::new(),
                    ts: None,
                },
            ],
            breadcrumbs: vec![
                Breadcrumb {
                    kind: BreadcrumbKind::Request,
                    message: None,
                    url: Some("https://shop.example/api/pay".into()),
                    method: Some("POST".into()),
                    status: Some(0),
                    ts: Some(1.0),
                },
                Breadcrumb {
                    kind: BreadcrumbKind::Click,
                    message: Some("button#pay".into()),
                    url: None,
                    method: None,
                    status: None,
                    ts: None,
                },
            ],
            custom: snag_core::CustomFields::from([
                ("plan".to_owned(), "pro".to_owned()),
                ("weird key \"1\"".to_owned(), String::new()),
            ]),
            release: Some("4.12.1".into()),
            environment: Some("production".into()),
            source: Some(Source::Widget),
            screenshot: Some("data:image/png;base64,iVBORw0KGgo=".into()),
            idempotency_key: Some("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into()),
        }
    }

    /// JSON values equal as the server reads them: the same keys, and numbers equal as
    /// numbers (JavaScript writes `1.0` as `1`).
    fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    fn check(payload: &ReportPayload) {
        let ours = to_json(payload);
        let read: ReportPayload = serde_json::from_str(&ours).expect("the server reads it");
        assert_eq!(&read, payload, "{ours}");
        let ours: serde_json::Value = serde_json::from_str(&ours).expect("json");
        let serde = serde_json::to_value(payload).expect("serde");
        assert!(same(&ours, &serde), "{ours} against {serde}");
        let pretty = to_pretty_json(payload, payload.screenshot.as_deref());
        let pretty: serde_json::Value = serde_json::from_str(&pretty).expect("json");
        assert!(same(&pretty, &serde));
    }

    #[wasm_bindgen_test]
    fn the_json_is_serdes() {
        check(&full());
        let full = full();
        let pretty = to_pretty_json(&full, full.screenshot.as_deref());
        assert!(pretty.contains("\n  \"description\": "));
        check(&ReportPayload::default());
        check(&ReportPayload {
            description: Some(String::new()),
            ..ReportPayload::default()
        });
    }
}
