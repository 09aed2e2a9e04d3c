//! The staff read API: tokens required, defects listed with filters and cursor paging.

use e2e::{Snag, create_token};
use serde_json::json;

use crate::client::{demo_key, http, post, staff_get};

#[test]
fn staff_endpoints_need_a_valid_token() {
    let snag = Snag::start();
    let key = demo_key(&snag);
    let answer = post(&snag, &key, &json!({"description": "x"}));
    let id = answer.body["id"].as_str().expect("id").to_owned();
    for path in [
        format!("/api/v1/reports/{id}"),
        format!("/api/v1/reports/{id}/screenshot"),
        "/api/v1/defects".to_owned(),
    ] {
        let anonymous = http().get(snag.url(&path)).send().expect("request");
        assert_eq!(anonymous.status().as_u16(), 401, "{path}");
        assert_eq!(
            anonymous
                .headers()
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok()),
            Some("Bearer")
        );
        let wrong = staff_get(&snag, "snag_st_not-a-real-token", &path);
        assert_eq!(
            (wrong.status, wrong.error_code()),
            (401, "unauthorized"),
            "{path}"
        );
        // The project's public key is not a staff credential.
        let public = staff_get(&snag, &key, &path);
        assert_eq!(public.status, 401, "{path}");
    }
}

#[test]
fn unknown_ids_are_404_not_500() {
    let snag = Snag::start();
    let token = create_token(&snag.data_dir);
    for path in [
        "/api/v1/reports/0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11",
        "/api/v1/reports/not-an-id",
        "/api/v1/reports/..%2f..%2fetc%2fpasswd",
        "/api/v1/reports/0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11/thumbnail",
        "/api/v1/defects/0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11",
        "/api/v1/nothing-here",
    ] {
        let answer = staff_get(&snag, &token, path);
        assert_eq!(
            (answer.status, answer.error_code()),
            (404, "not_found"),
            "{path}"
        );
    }
    let key = demo_key(&snag);
    let without_shot = post(&snag, &key, &json!({"description": "no screenshot"}));
    let id = without_shot.body["id"].as_str().expect("id");
    assert_eq!(
        staff_get(&snag, &token, &format!("/api/v1/reports/{id}/screenshot")).status,
        404
    );
}

#[test]
fn defects_list_filters_and_pages() {
    let snag = Snag::start();
    // Folding off: seven similar titles must stay seven defects here.
    let key = e2e::create_project(
        &snag.data_dir,
        &["--name", "list", "--allow-no-origin", "--no-dedup"],
    );
    let token = create_token(&snag.data_dir);
    for i in 0..7 {
        let title = if i % 2 == 0 {
            format!("Checkout broken {i}")
        } else {
            format!("Search slow {i}")
        };
        assert_eq!(
            post(&snag, &key, &json!({"description": "d", "title": title})).status,
            202
        );
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/defects?limit=3&cursor={c}"),
            None => "/api/v1/defects?limit=3".to_owned(),
        };
        let page = staff_get(&snag, &token, &path);
        assert_eq!(page.status, 200, "{:?}", page.body);
        let defects = page.body["defects"].as_array().expect("a list").clone();
        assert!(defects.len() <= 3);
        seen.extend(
            defects
                .iter()
                .map(|d| d["title"].as_str().unwrap_or("").to_owned()),
        );
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7, "every defect once: {seen:?}");
    assert_eq!(seen[0], "Checkout broken 6", "newest first");

    let search = staff_get(&snag, &token, "/api/v1/defects?q=checkout");
    assert_eq!(search.body["defects"].as_array().map(Vec::len), Some(4));
    let none = staff_get(&snag, &token, "/api/v1/defects?q=%25");
    assert_eq!(
        none.body["defects"].as_array().map(Vec::len),
        Some(0),
        "% matches literally"
    );
    let new = staff_get(&snag, &token, "/api/v1/defects?status=new");
    assert_eq!(new.body["defects"].as_array().map(Vec::len), Some(7));
    let closed = staff_get(&snag, &token, "/api/v1/defects?status=closed");
    assert_eq!(closed.body["defects"].as_array().map(Vec::len), Some(0));

    for (path, field) in [
        ("/api/v1/defects?status=bogus", "status"),
        ("/api/v1/defects?severity=huge", "severity"),
        ("/api/v1/defects?priority=p9", "priority"),
        ("/api/v1/defects?limit=0", "limit"),
        ("/api/v1/defects?limit=100000", "limit"),
        ("/api/v1/defects?cursor=abc", "cursor"),
    ] {
        let answer = staff_get(&snag, &token, path);
        assert_eq!(
            (answer.status, answer.error_field()),
            (400, field),
            "{path}"
        );
    }
}
