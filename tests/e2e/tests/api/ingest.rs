//! A full report, as the widget sends it, stored and enriched.

use e2e::fixtures::{data_url, full_report, png_bytes, screenshot};
use e2e::{Snag, create_token};

use crate::client::{demo_key, post, staff_get, staff_get_bytes};

#[test]
fn a_full_report_with_a_screenshot_is_stored_enriched_and_scrubbed() {
    let snag = Snag::start();
    let key = demo_key(&snag);
    let token = create_token(&snag.data_dir);
    let mut report = full_report();
    let png = png_bytes(&screenshot(1280, 800, 7));
    report["screenshot"] = data_url("image/png", &png).into();

    let answer = post(&snag, &key, &report);
    assert_eq!(answer.status, 202, "{:?}", answer.body);
    let id = answer.body["id"].as_str().expect("an id").to_owned();
    let defect_id = answer.body["defect_id"]
        .as_str()
        .expect("a defect id")
        .to_owned();

    let stored = staff_get(&snag, &token, &format!("/api/v1/reports/{id}"));
    assert_eq!(stored.status, 200, "{:?}", stored.body);
    let body = &stored.body;
    assert_eq!(body["defect_id"], defect_id.as_str());
    assert_eq!(body["project"], "demo");
    let enriched = &body["enriched"];
    assert_eq!(enriched["browser"], "Chrome");
    assert_eq!(enriched["browser_version"], "120.0.6099.109");
    assert_eq!(enriched["os"], "Windows");
    assert_eq!(enriched["route"], "/checkout/:id/pay");
    let shot = &enriched["screenshot"];
    assert_eq!(shot["media_type"], "image/png");
    assert_eq!(shot["width"], 1280);
    assert_eq!(shot["height"], 800);
    assert_eq!(shot["received_bytes"], png.len());
    assert_eq!(shot["perceptual_hash"].as_str().map(str::len), Some(16));
    assert_eq!(shot["thumbnail"]["width"], 320);
    assert_eq!(shot["thumbnail"]["height"], 200);

    // PII is gone from what is stored, and the report says what was removed.
    let text = body["payload"].to_string();
    assert!(
        !text.contains("4111 1111 1111 1111"),
        "card number stored: {text}"
    );
    assert!(!text.contains("s3cr3tvalue"), "URL secret stored: {text}");
    assert!(
        !text.contains("abcd1234efgh5678"),
        "console secret stored: {text}"
    );
    assert!(
        !body["payload"]["description"]
            .as_str()
            .unwrap_or("")
            .contains("jane.doe@example.com")
    );
    assert_eq!(
        body["payload"]["reporter"]["email"], "jane.doe@example.com",
        "the reporter's own address stays"
    );
    let scrubbed = &enriched["scrubbed"];
    assert_eq!(scrubbed["card_number"], 1);
    assert_eq!(scrubbed["email"], 1);
    assert!(
        scrubbed["url_secret"].as_u64().unwrap_or(0) >= 1,
        "{scrubbed}"
    );
    assert!(
        body["payload"].get("screenshot").is_none(),
        "the data URL is not kept in the payload"
    );

    let (status, content_type, bytes) =
        staff_get_bytes(&snag, &token, &format!("/api/v1/reports/{id}/screenshot"));
    assert_eq!((status, content_type.as_str()), (200, "image/png"));
    let decoded = image::load_from_memory(&bytes).expect("the stored screenshot decodes");
    assert_eq!((decoded.width(), decoded.height()), (1280, 800));

    let (status, content_type, bytes) =
        staff_get_bytes(&snag, &token, &format!("/api/v1/reports/{id}/thumbnail"));
    assert_eq!((status, content_type.as_str()), (200, "image/jpeg"));
    let thumb = image::load_from_memory(&bytes).expect("the thumbnail decodes");
    assert_eq!((thumb.width(), thumb.height()), (320, 200));

    let defect = staff_get(&snag, &token, &format!("/api/v1/defects/{defect_id}"));
    assert_eq!(defect.status, 200);
    assert_eq!(defect.body["title"], "Checkout: Pay button does nothing");
    assert_eq!(defect.body["status"], "new");
    assert_eq!(defect.body["report_count"], 1);
    assert_eq!(defect.body["source"], "widget");
    assert_eq!(defect.body["reports"][0]["id"], id.as_str());
    assert_eq!(defect.body["history"][0]["kind"], "created");
}

#[test]
fn route_rules_give_the_component() {
    let snag = Snag::start();
    let key = e2e::create_project(
        &snag.data_dir,
        &[
            "--name",
            "shop",
            "--allow-no-origin",
            "--route",
            "/checkout/**=checkout",
            "--route",
            "/**=web",
        ],
    );
    let token = create_token(&snag.data_dir);
    let mut report = full_report();
    report["page"]["url"] = "https://shop.example/checkout/77/pay".into();
    let answer = post(&snag, &key, &report);
    assert_eq!(answer.status, 202, "{:?}", answer.body);
    let stored = staff_get(
        &snag,
        &token,
        &format!(
            "/api/v1/reports/{}",
            answer.body["id"].as_str().unwrap_or("")
        ),
    );
    assert_eq!(stored.body["enriched"]["component"], "checkout");
    assert_eq!(stored.body["enriched"]["route"], "/checkout/:id/pay");
}

#[test]
fn a_project_can_turn_scrubbing_off() {
    let snag = Snag::start();
    let key = e2e::create_project(
        &snag.data_dir,
        &["--name", "raw", "--allow-no-origin", "--no-scrub"],
    );
    let token = create_token(&snag.data_dir);
    let answer = post(
        &snag,
        &key,
        &serde_json::json!({"description": "write to ops@example.com"}),
    );
    assert_eq!(answer.status, 202);
    let stored = staff_get(
        &snag,
        &token,
        &format!(
            "/api/v1/reports/{}",
            answer.body["id"].as_str().unwrap_or("")
        ),
    );
    assert_eq!(
        stored.body["payload"]["description"],
        "write to ops@example.com"
    );
    assert_eq!(stored.body["enriched"]["scrubbed"], serde_json::json!({}));
}
