//! `GET /widget.js` and `GET /widget/{file}`: the widget's files, with the content types,
//! caching and compression browsers need. Needs the built widget (`cargo xtask
//! build-widget`; `cargo xtask test` builds it first).

use std::path::Path;

use e2e::Snag;
use reqwest::header;

use crate::client::http;

/// The hashed file names the build wrote.
fn built(extension: &str) -> String {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../widget/dist");
    std::fs::read_dir(&dist)
        .expect("widget/dist: run cargo xtask build-widget")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| name.starts_with("snag-") && name.ends_with(extension))
        .unwrap_or_else(|| panic!("no built {extension} in widget/dist"))
}

#[test]
fn the_loader_is_javascript_cached_briefly() {
    let snag = Snag::start();
    let response = http().get(snag.url("/widget.js")).send().expect("GET");
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/javascript; charset=utf-8"
    );
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=300");
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let text = response.text().expect("text");
    assert!(text.contains(&built(".wasm")), "the loader names the wasm");
    assert!(text.contains(&built(".js")), "the loader names the glue");
}

#[test]
fn hashed_files_are_cached_for_good_and_sent_gzipped() {
    let snag = Snag::start();
    let wasm = built(".wasm");
    let url = snag.url(&format!("/widget/{wasm}"));
    let plain = http().get(&url).send().expect("GET");
    assert_eq!(plain.status(), 200);
    assert_eq!(plain.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(
        plain.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    let etag = plain.headers()[header::ETAG].clone();
    let bytes = plain.bytes().expect("bytes");
    assert_eq!(&bytes[..4], b"\0asm");

    let gzipped = http()
        .get(&url)
        .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
        .send()
        .expect("GET");
    assert_eq!(gzipped.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(gzipped.headers()[header::VARY], "Accept-Encoding");
    let compressed = gzipped.bytes().expect("bytes");
    assert!(compressed.len() < bytes.len() / 2);

    let again = http()
        .get(&url)
        .header(header::IF_NONE_MATCH, etag)
        .send()
        .expect("GET");
    assert_eq!(again.status(), 304);

    let glue = http()
        .get(snag.url(&format!("/widget/{}", built(".js"))))
        .send()
        .expect("GET");
    assert_eq!(
        glue.headers()[header::CONTENT_TYPE],
        "application/javascript; charset=utf-8"
    );
}

#[test]
fn anything_else_under_widget_is_a_json_404() {
    let snag = Snag::start();
    for path in [
        "/widget/.gitkeep",
        "/widget/nothing.js",
        "/widget/widget.js",
        "/widget/x.txt",
    ] {
        let response = http().get(snag.url(path)).send().expect("GET");
        assert_eq!(response.status(), 404, "{path}");
        let body: serde_json::Value = response.json().expect("a JSON error");
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
}
