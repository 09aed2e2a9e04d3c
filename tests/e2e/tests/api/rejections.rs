//! Every kind of bad input gets its status and names the field, never a 500.

use e2e::fixtures::{data_url, jpeg_bytes, png_declaring, screenshot};
use e2e::{Options, Snag, create_project};
use serde_json::json;

use crate::client::{Answer, demo_key, post, post_raw};

fn assert_refused(answer: &Answer, status: u16, code: &str, field: &str) {
    assert_eq!(answer.status, status, "{:?}", answer.body);
    assert_eq!(answer.error_code(), code, "{:?}", answer.body);
    assert_eq!(answer.error_field(), field, "{:?}", answer.body);
    assert!(
        !answer.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .is_empty()
    );
}

#[test]
fn bad_payloads_name_their_field() {
    let snag = Snag::start();
    let key = demo_key(&snag);
    let raw = |body: &str| {
        post_raw(
            &snag,
            &key,
            None,
            "application/json",
            body.as_bytes().to_vec(),
        )
    };

    let answer = raw("{\"description\": ");
    assert_eq!(
        (answer.status, answer.error_code()),
        (400, "malformed_json")
    );
    let answer = raw("not json");
    assert_eq!(
        (answer.status, answer.error_code()),
        (400, "malformed_json")
    );
    let answer = raw("{\"description\": \"x\"} trailing");
    assert_eq!(
        (answer.status, answer.error_code()),
        (400, "malformed_json")
    );

    assert_refused(&raw("{}"), 422, "missing_field", "description");
    assert_refused(
        &raw("{\"description\": \"  \\n \"}"),
        422,
        "empty_field",
        "description",
    );
    assert_refused(
        &raw("{\"description\": 42}"),
        422,
        "invalid_type",
        "description",
    );
    assert_refused(&raw("[1, 2]"), 422, "invalid_type", "");
    assert_refused(
        &raw("{\"description\": \"x\", \"category\": \"rant\"}"),
        422,
        "invalid_value",
        "category",
    );
    assert_refused(
        &raw("{\"description\": \"x\", \"source\": \"prod\"}"),
        422,
        "invalid_value",
        "source",
    );
    assert_refused(
        &raw("{\"description\": \"x\", \"console\": [{\"level\": \"fatal\", \"message\": \"m\"}]}"),
        422,
        "invalid_value",
        "console[0].level",
    );
    assert_refused(
        &raw("{\"description\": \"x\", \"console\": [{\"level\": \"error\"}]}"),
        422,
        "missing_field",
        "console[0].message",
    );
    assert_refused(
        &raw("{\"description\": \"x\", \"custom\": {\"a\": 1}}"),
        422,
        "invalid_type",
        "custom.a",
    );
    assert_refused(
        &raw(
            "{\"description\": \"x\", \"client\": {\"viewport\": {\"width\": -1, \"height\": 2}}}",
        ),
        422,
        "invalid_value",
        "client.viewport.width",
    );

    for url in [
        "not a url",
        "/relative/path",
        "javascript:alert(1)",
        "ftp://files.example/x",
    ] {
        let answer = post(
            &snag,
            &key,
            &json!({"description": "x", "page": {"url": url}}),
        );
        assert_refused(&answer, 422, "invalid_url", "page.url");
    }
    let answer = post(
        &snag,
        &key,
        &json!({"description": "x", "idempotency_key": "has space"}),
    );
    assert_refused(&answer, 422, "invalid_value", "idempotency_key");
    let answer = post(
        &snag,
        &key,
        &json!({"description": "x", "client": {"pixel_ratio": 0}}),
    );
    assert_refused(&answer, 422, "invalid_value", "client.pixel_ratio");
}

#[test]
fn bad_screenshots_are_refused_with_the_field() {
    let snag = Snag::start();
    let key = demo_key(&snag);
    let with_shot = |shot: String| {
        post(
            &snag,
            &key,
            &json!({"description": "x", "screenshot": shot}),
        )
    };

    assert_refused(
        &with_shot("https://example.com/a.png".into()),
        422,
        "invalid_image",
        "screenshot",
    );
    assert_refused(
        &with_shot("data:image/gif;base64,R0lGODlhAQABAAAAACw=".into()),
        422,
        "invalid_image",
        "screenshot",
    );
    assert_refused(
        &with_shot("data:image/png;base64,@@@not-base64@@@".into()),
        422,
        "invalid_image",
        "screenshot",
    );
    assert_refused(
        &with_shot(data_url("image/png", b"\x89PNG\r\n\x1a\nnot really")),
        422,
        "invalid_image",
        "screenshot",
    );
    let jpeg = jpeg_bytes(&screenshot(64, 48, 1));
    assert_refused(
        &with_shot(data_url("image/png", &jpeg)),
        422,
        "invalid_image",
        "screenshot",
    );

    // A decompression bomb: a tiny file declaring 50,000 × 50,000 pixels, refused from its
    // header before anything is decoded.
    let started = std::time::Instant::now();
    let answer = with_shot(data_url("image/png", &png_declaring(50_000, 50_000)));
    assert_refused(&answer, 413, "too_large", "screenshot");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn wrong_content_type_is_415() {
    let snag = Snag::start();
    let key = demo_key(&snag);
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let answer = post_raw(
            &snag,
            &key,
            None,
            content_type,
            b"{\"description\":\"x\"}".to_vec(),
        );
        assert_refused(&answer, 415, "unsupported_media_type", "Content-Type");
    }
    let answer = post_raw(
        &snag,
        &key,
        None,
        "application/json; charset=utf-8",
        b"{\"description\":\"x\"}".to_vec(),
    );
    assert_eq!(answer.status, 202);
}

#[test]
fn keys_and_origins_are_checked() {
    let snag = Snag::start();
    let key = create_project(
        &snag.data_dir,
        &["--name", "web", "--origin", "https://app.example"],
    );
    let body = b"{\"description\":\"x\"}".to_vec();

    let answer = reqwest::blocking::Client::new()
        .post(snag.url("/api/v1/reports"))
        .header("Content-Type", "application/json")
        .body(body.clone())
        .send()
        .expect("request");
    assert_eq!(answer.status().as_u16(), 401);

    let answer = post_raw(
        &snag,
        "snag_pk_doesnotexist000000000",
        Some("https://app.example"),
        "application/json",
        body.clone(),
    );
    assert_refused(&answer, 401, "unknown_key", "X-Snag-Key");
    let answer = post_raw(
        &snag,
        "'; DROP TABLE reports; --",
        Some("https://app.example"),
        "application/json",
        body.clone(),
    );
    assert_refused(&answer, 401, "unknown_key", "X-Snag-Key");

    let answer = post_raw(
        &snag,
        &key,
        Some("https://evil.example"),
        "application/json",
        body.clone(),
    );
    assert_refused(&answer, 403, "origin_not_allowed", "Origin");
    assert!(answer.header("access-control-allow-origin").is_none());
    let answer = post_raw(&snag, &key, None, "application/json", body.clone());
    assert_refused(&answer, 403, "origin_required", "Origin");

    let answer = post_raw(
        &snag,
        &key,
        Some("https://app.example"),
        "application/json",
        body,
    );
    assert_eq!(answer.status, 202);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://app.example")
    );
}

#[test]
fn past_the_rate_limit_is_429_with_retry_after() {
    let snag = Snag::start_with(
        Options::default()
            .env("SNAG_RATE_LIMIT", "on")
            .env("SNAG_RATE_LIMIT__PER_IP_PER_MINUTE", 6)
            .env("SNAG_RATE_LIMIT__PER_IP_BURST", 3),
    );
    let key = demo_key(&snag);
    let statuses: Vec<u16> = (0..5)
        .map(|i| post(&snag, &key, &json!({"description": format!("r{i}")})).status)
        .collect();
    assert_eq!(statuses, vec![202, 202, 202, 429, 429]);
    let answer = post(&snag, &key, &json!({"description": "again"}));
    assert_refused(&answer, 429, "rate_limited", "");
    let retry_after: u64 = answer
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=10).contains(&retry_after), "Retry-After {retry_after}");
}

#[test]
fn the_per_key_limit_holds_across_addresses() {
    let snag = Snag::start_with(
        Options::default()
            .env("SNAG_RATE_LIMIT", "on")
            .env("SNAG_RATE_LIMIT__PER_KEY_PER_MINUTE", 60)
            .env("SNAG_RATE_LIMIT__PER_KEY_BURST", 2)
            .env("SNAG_RATE_LIMIT__PER_IP_BURST", 100),
    );
    let key = demo_key(&snag);
    let statuses: Vec<u16> = (0..3)
        .map(|_| post(&snag, &key, &json!({"description": "x"})).status)
        .collect();
    assert_eq!(statuses, vec![202, 202, 429]);
}
