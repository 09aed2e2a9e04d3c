//! A small HTTP client for the tests.

use std::time::Duration;

use e2e::Snag;
use reqwest::blocking::{Client, Response};
use reqwest::header::HeaderMap;
use serde_json::Value;

pub fn http() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("an HTTP client")
}

pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    fn from(response: Response) -> Answer {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Answer {
            status,
            headers,
            body,
        }
    }

    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    pub fn error_field(&self) -> &str {
        self.body["error"]["field"].as_str().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Posts raw bytes as a report.
pub fn post_raw(
    snag: &Snag,
    key: &str,
    origin: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> Answer {
    let mut request = http()
        .post(snag.url("/api/v1/reports"))
        .header("X-Snag-Key", key)
        .header("Content-Type", content_type)
        .body(body);
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    Answer::from(request.send().expect("sending a report"))
}

/// Posts a JSON report without an Origin (the demo project accepts that).
pub fn post(snag: &Snag, key: &str, report: &Value) -> Answer {
    post_raw(
        snag,
        key,
        None,
        "application/json",
        serde_json::to_vec(report).expect("JSON"),
    )
}

pub fn staff_get(snag: &Snag, token: &str, path: &str) -> Answer {
    let response = http()
        .get(snag.url(path))
        .bearer_auth(token)
        .send()
        .expect("staff request");
    Answer::from(response)
}

pub fn staff_get_bytes(snag: &Snag, token: &str, path: &str) -> (u16, String, Vec<u8>) {
    let response = http()
        .get(snag.url(path))
        .bearer_auth(token)
        .send()
        .expect("staff request");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (
        status,
        content_type,
        response.bytes().expect("body").to_vec(),
    )
}

/// The demo project's key of a server started with defaults.
pub fn demo_key(snag: &Snag) -> String {
    snag.demo_key
        .clone()
        .expect("the demo project key is printed at start")
}
