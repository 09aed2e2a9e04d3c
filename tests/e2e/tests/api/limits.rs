//! Every limit, configured through `SNAG_LIMITS__*`, holds at its edge and refuses past it.

use e2e::fixtures::{data_url, png_bytes, screenshot};
use e2e::{Options, Snag};
use reqwest::blocking::Body;
use serde_json::{Value, json};

use crate::client::{demo_key, http, post, post_raw};

/// A JSON body of exactly `len` bytes (padded with trailing whitespace, which JSON allows).
fn body_of_len(len: usize) -> Vec<u8> {
    let mut body = br#"{"description":"sized"}"#.to_vec();
    assert!(body.len() <= len);
    body.resize(len, b' ');
    body
}

#[test]
fn the_body_limit_holds_with_and_without_content_length() {
    let snag = Snag::start_with(Options::default().env("SNAG_LIMITS__MAX_BODY_BYTES", 2000));
    let key = demo_key(&snag);
    assert_eq!(
        post_raw(&snag, &key, None, "application/json", body_of_len(2000)).status,
        202
    );
    let answer = post_raw(&snag, &key, None, "application/json", body_of_len(2001));
    assert_eq!((answer.status, answer.error_code()), (413, "too_large"));

    // Chunked, with no Content-Length: the stream is cut off as it passes the limit.
    let chunked = |len: usize| {
        let reader = std::io::Cursor::new(body_of_len(len));
        http()
            .post(snag.url("/api/v1/reports"))
            .header("X-Snag-Key", &key)
            .header("Content-Type", "application/json")
            .body(Body::new(reader))
            .send()
            .expect("chunked request")
            .status()
            .as_u16()
    };
    assert_eq!(chunked(2000), 202);
    assert_eq!(chunked(50_000), 413);
}

/// Sets `path` (like `page.url`) in a minimal report.
fn report_with(path: &[&str], value: Value) -> Value {
    let mut report = json!({"description": "edge"});
    let mut at = &mut report;
    for (i, part) in path.iter().enumerate() {
        if i + 1 == path.len() {
            at[*part] = value.clone();
        } else {
            if at.get(*part).is_none() {
                at[*part] = json!({});
            }
            at = &mut at[*part];
        }
    }
    report
}

#[test]
fn text_limits_count_characters_at_and_past_the_edge() {
    let snag = Snag::start_with(
        Options::default()
            .env("SNAG_LIMITS__MAX_DESCRIPTION_CHARS", 50)
            .env("SNAG_LIMITS__MAX_TITLE_CHARS", 20)
            .env("SNAG_LIMITS__MAX_TEXT_CHARS", 30)
            .env("SNAG_LIMITS__MAX_SHORT_CHARS", 10)
            .env("SNAG_LIMITS__MAX_URL_CHARS", 40),
    );
    let key = demo_key(&snag);
    // Multi-byte characters: limits count characters, not bytes.
    let text = |n: usize| "é".repeat(n);
    let cases: Vec<(&[&str], usize, &str)> = vec![
        (&["description"], 50, "description"),
        (&["title"], 20, "title"),
        (&["steps"], 30, "steps"),
        (&["expected"], 30, "expected"),
        (&["actual"], 30, "actual"),
        (&["release"], 10, "release"),
        (&["environment"], 10, "environment"),
        (&["reporter", "name"], 10, "reporter.name"),
        (&["page", "title"], 10, "page.title"),
        (&["client", "user_agent"], 10, "client.user_agent"),
    ];
    for (path, limit, field) in cases {
        let at = post(&snag, &key, &report_with(path, text(limit).into()));
        assert_eq!(at.status, 202, "{field} at {limit}: {:?}", at.body);
        let past = post(&snag, &key, &report_with(path, text(limit + 1).into()));
        assert_eq!(
            (past.status, past.error_code(), past.error_field()),
            (413, "too_large", field),
            "{field} past {limit}"
        );
    }
    let url = |n: usize| {
        format!(
            "https://a.example/{}",
            "p".repeat(n - "https://a.example/".len())
        )
    };
    assert_eq!(
        post(&snag, &key, &report_with(&["page", "url"], url(40).into())).status,
        202
    );
    let past = post(&snag, &key, &report_with(&["page", "url"], url(41).into()));
    assert_eq!((past.status, past.error_field()), (413, "page.url"));
}

#[test]
fn the_default_description_limit_is_ten_thousand_characters() {
    let snag = Snag::start();
    let key = demo_key(&snag);
    assert_eq!(
        post(&snag, &key, &json!({"description": "ü".repeat(10_000)})).status,
        202
    );
    let past = post(&snag, &key, &json!({"description": "ü".repeat(10_001)}));
    assert_eq!((past.status, past.error_field()), (413, "description"));
}

#[test]
fn list_and_map_limits_hold_at_and_past_the_edge() {
    let snag = Snag::start_with(
        Options::default()
            .env("SNAG_LIMITS__MAX_CONSOLE_ENTRIES", 3)
            .env("SNAG_LIMITS__MAX_CONSOLE_MESSAGE_CHARS", 15)
            .env("SNAG_LIMITS__MAX_BREADCRUMBS", 2)
            .env("SNAG_LIMITS__MAX_BREADCRUMB_CHARS", 12)
            .env("SNAG_LIMITS__MAX_CUSTOM_ENTRIES", 2)
            .env("SNAG_LIMITS__MAX_CUSTOM_KEY_CHARS", 5)
            .env("SNAG_LIMITS__MAX_CUSTOM_VALUE_CHARS", 6),
    );
    let key = demo_key(&snag);
    let console = |n: usize, len: usize| json!({"description": "x", "console": vec![json!({"level": "error", "message": "m".repeat(len)}); n]});
    assert_eq!(post(&snag, &key, &console(3, 15)).status, 202);
    let past = post(&snag, &key, &console(4, 1));
    assert_eq!((past.status, past.error_field()), (413, "console"));
    let past = post(&snag, &key, &console(1, 16));
    assert_eq!(
        (past.status, past.error_field()),
        (413, "console[0].message")
    );

    let crumbs = |n: usize, len: usize| json!({"description": "x", "breadcrumbs": vec![json!({"kind": "click", "message": "b".repeat(len)}); n]});
    assert_eq!(post(&snag, &key, &crumbs(2, 12)).status, 202);
    let past = post(&snag, &key, &crumbs(3, 1));
    assert_eq!((past.status, past.error_field()), (413, "breadcrumbs"));
    let past = post(&snag, &key, &crumbs(1, 13));
    assert_eq!(
        (past.status, past.error_field()),
        (413, "breadcrumbs[0].message")
    );

    assert_eq!(
        post(
            &snag,
            &key,
            &json!({"description": "x", "custom": {"aaaaa": "vvvvvv", "b": "v"}})
        )
        .status,
        202
    );
    let past = post(
        &snag,
        &key,
        &json!({"description": "x", "custom": {"a": "1", "b": "2", "c": "3"}}),
    );
    assert_eq!((past.status, past.error_field()), (413, "custom"));
    let past = post(
        &snag,
        &key,
        &json!({"description": "x", "custom": {"aaaaaa": "1"}}),
    );
    assert_eq!((past.status, past.error_field()), (413, "custom"));
    let past = post(
        &snag,
        &key,
        &json!({"description": "x", "custom": {"a": "vvvvvvv"}}),
    );
    assert_eq!((past.status, past.error_field()), (413, "custom.a"));
}

#[test]
fn the_screenshot_byte_limit_holds_at_and_past_the_edge() {
    let png = png_bytes(&screenshot(64, 48, 3));
    let snag =
        Snag::start_with(Options::default().env("SNAG_LIMITS__MAX_SCREENSHOT_BYTES", png.len()));
    let key = demo_key(&snag);
    let shot =
        |bytes: &[u8]| json!({"description": "x", "screenshot": data_url("image/png", bytes)});
    assert_eq!(post(&snag, &key, &shot(&png)).status, 202);
    let mut bigger = png.clone();
    bigger.push(0);
    let past = post(&snag, &key, &shot(&bigger));
    assert_eq!(
        (past.status, past.error_code(), past.error_field()),
        (413, "too_large", "screenshot")
    );
}

#[test]
fn screenshot_pixel_and_side_limits_hold_at_and_past_the_edge() {
    let snag = Snag::start_with(
        Options::default()
            .env("SNAG_LIMITS__MAX_SCREENSHOT_PIXELS", 64 * 48)
            .env("SNAG_LIMITS__MAX_SCREENSHOT_SIDE", 64),
    );
    let key = demo_key(&snag);
    let shot = |w: u32, h: u32| json!({"description": "x", "screenshot": data_url("image/png", &png_bytes(&screenshot(w, h, 3)))});
    assert_eq!(post(&snag, &key, &shot(64, 48)).status, 202);
    assert_eq!(post(&snag, &key, &shot(48, 64)).status, 202);
    let past = post(&snag, &key, &shot(64, 49));
    assert_eq!(
        (past.status, past.error_field()),
        (413, "screenshot"),
        "one row past the pixel limit"
    );
    let past = post(&snag, &key, &shot(65, 10));
    assert_eq!(
        (past.status, past.error_field()),
        (413, "screenshot"),
        "one column past the side limit"
    );
}
