//! One attempt at `POST /api/v1/reports`, sorted into what to do next.

use alloc::string::String;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use super::backoff::parse_retry_after;
use crate::dom::{self, prop, prop_str};

/// The report as it travels and as the outbox keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub endpoint: String,
    pub key: String,
    /// The idempotency key, also inside `body`: the outbox's key.
    pub id: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// `202`: stored (or a replay of an earlier attempt that was).
    Accepted { id: String, defect_id: String },
    /// No answer, `408`, `429` or `5xx`: the same report may succeed later.
    Retry { after_ms: Option<f64> },
    /// Any other answer: sending again would get the same refusal. The user is told by
    /// `code` and `field` in their language; the server's English `message` is not read.
    Rejected { code: String, field: Option<String> },
}

pub async fn attempt(envelope: &Envelope) -> Attempt {
    let retry = Attempt::Retry { after_ms: None };
    let Some(window) = dom::window() else {
        return retry;
    };
    let Ok(headers) = Headers::new() else {
        return retry;
    };
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("X-Snag-Key", &envelope.key);
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&envelope.body));
    let request = window.fetch_with_str_and_init(&envelope.endpoint, &init);
    let Ok(response) = JsFuture::from(request).await else {
        return retry;
    };
    let Ok(response) = response.dyn_into::<Response>() else {
        return retry;
    };
    let status = response.status();
    let json = read_json(&response).await;
    classify(
        status,
        response.headers().get("Retry-After").ok().flatten(),
        json.as_ref(),
    )
}

async fn read_json(response: &Response) -> Option<JsValue> {
    JsFuture::from(response.json().ok()?).await.ok()
}

fn classify(status: u16, retry_after: Option<String>, json: Option<&JsValue>) -> Attempt {
    match status {
        200..=299 => {
            let field = |name| json.and_then(|j| prop_str(j, name)).unwrap_or_default();
            Attempt::Accepted {
                id: field("id"),
                defect_id: field("defect_id"),
            }
        }
        408 | 429 | 500..=599 => Attempt::Retry {
            after_ms: retry_after.as_deref().and_then(parse_retry_after),
        },
        _ => {
            let error = json.and_then(|j| prop(j, "error"));
            let text = |name| error.as_ref().and_then(|e| prop_str(e, name));
            Attempt::Rejected {
                code: text("code").unwrap_or_else(|| "http_error".into()),
                field: text("field"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{Attempt, classify};

    fn json(text: &str) -> JsValue {
        js_sys::JSON::parse(text).expect("JSON")
    }

    #[wasm_bindgen_test]
    fn accepted_reports_carry_their_ids() {
        let body = json(r#"{"id":"r1","defect_id":"d1"}"#);
        assert_eq!(
            classify(202, None, Some(&body)),
            Attempt::Accepted {
                id: "r1".into(),
                defect_id: "d1".into()
            }
        );
    }

    #[wasm_bindgen_test]
    fn busy_and_broken_servers_are_retried_after_their_retry_after() {
        assert_eq!(
            classify(429, Some("7".into()), None),
            Attempt::Retry {
                after_ms: Some(7_000.0)
            }
        );
        assert_eq!(classify(503, None, None), Attempt::Retry { after_ms: None });
        assert_eq!(classify(408, None, None), Attempt::Retry { after_ms: None });
    }

    #[wasm_bindgen_test]
    fn refusals_name_code_and_field() {
        let body = json(
            r#"{"error":{"code":"too_large","message":"description is longer than 12 characters","field":"description"}}"#,
        );
        assert_eq!(
            classify(413, None, Some(&body)),
            Attempt::Rejected {
                code: "too_large".into(),
                field: Some("description".into()),
            }
        );
        assert_eq!(
            classify(404, None, None),
            Attempt::Rejected {
                code: "http_error".into(),
                field: None,
            }
        );
    }
}
