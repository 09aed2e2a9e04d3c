//! Duplicate folding and the defect lifecycle through the real binary: concurrent duplicates
//! land on one defect, every legal move passes and every illegal one is a 409 naming the
//! allowed moves, merge and split are recorded and reversible, a new report reopens.

use std::sync::Arc;

use e2e::{Snag, create_project, create_token};
use reqwest::blocking::Client;
use serde_json::{Value, json};

use crate::client::{Answer, http, post};

const ALL: [&str; 10] = [
    "new",
    "triaged",
    "assigned",
    "in_progress",
    "resolved",
    "verified",
    "closed",
    "reopened",
    "duplicate",
    "wont_fix",
];

/// DESIGN.md's lifecycle, written out here independently of the code under test.
fn allowed(from: &str) -> &'static [&'static str] {
    match from {
        "new" => &["triaged", "assigned", "wont_fix"],
        "triaged" => &["assigned", "in_progress", "wont_fix"],
        "assigned" => &["in_progress", "triaged", "resolved", "wont_fix"],
        "in_progress" => &["resolved", "assigned", "wont_fix"],
        "resolved" => &["verified", "closed", "reopened"],
        "verified" => &["closed", "reopened"],
        "closed" => &["reopened"],
        "reopened" => &["triaged", "assigned", "in_progress", "resolved", "wont_fix"],
        "wont_fix" => &["reopened"],
        _ => &[],
    }
}

/// A path of legal moves from `new` to each status.
fn path_to(status: &str) -> &'static [&'static str] {
    match status {
        "triaged" => &["triaged"],
        "assigned" => &["assigned"],
        "in_progress" => &["triaged", "in_progress"],
        "resolved" => &["assigned", "resolved"],
        "verified" => &["assigned", "resolved", "verified"],
        "closed" => &["assigned", "resolved", "closed"],
        "reopened" => &["assigned", "resolved", "reopened"],
        "wont_fix" => &["wont_fix"],
        _ => &[],
    }
}

struct Staff {
    client: Client,
    token: String,
}

impl Staff {
    fn new(snag: &Snag) -> Staff {
        Staff {
            client: http(),
            token: create_token(&snag.data_dir),
        }
    }

    fn send(
        &self,
        snag: &Snag,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self
            .client
            .request(method, snag.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().expect("staff request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.json().unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
        }
    }

    fn get(&self, snag: &Snag, path: &str) -> Value {
        let answer = self.send(snag, reqwest::Method::GET, path, None);
        assert_eq!(answer.status, 200, "{path}: {:?}", answer.body);
        answer.body
    }

    fn transition(&self, snag: &Snag, defect: &str, to: &str) -> Answer {
        self.send(
            snag,
            reqwest::Method::POST,
            &format!("/api/v1/defects/{defect}/transitions"),
            Some(json!({"to": to})),
        )
    }

    fn post(&self, snag: &Snag, path: &str, body: Value) -> Answer {
        self.send(snag, reqwest::Method::POST, path, Some(body))
    }
}

fn kinds(defect: &Value) -> Vec<String> {
    defect["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn every_legal_move_passes_and_every_illegal_one_names_the_allowed() {
    let snag = Snag::start();
    let key = create_project(
        &snag.data_dir,
        &["--name", "moves", "--allow-no-origin", "--no-dedup"],
    );
    let staff = Staff::new(&snag);
    for from in ALL.iter().filter(|s| **s != "duplicate") {
        for to in ALL {
            let report = post(
                &snag,
                &key,
                &json!({"description": format!("{from} to {to}")}),
            );
            let defect = report.body["defect_id"]
                .as_str()
                .expect("a defect")
                .to_owned();
            for step in path_to(from) {
                assert_eq!(
                    staff.transition(&snag, &defect, step).status,
                    200,
                    "{from}: step {step}"
                );
            }
            let answer = staff.transition(&snag, &defect, to);
            if allowed(from).contains(&to) {
                assert_eq!(answer.status, 200, "{from} → {to}: {:?}", answer.body);
                assert_eq!(answer.body["status"], to);
            } else {
                assert_eq!(answer.status, 409, "{from} → {to} must be refused");
                assert_eq!(answer.error_code(), "illegal_transition");
                let named: Vec<&str> = answer.body["error"]["allowed"]
                    .as_array()
                    .expect("the allowed moves")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                assert_eq!(named, allowed(from), "{from} → {to}");
                let unchanged = staff.get(&snag, &format!("/api/v1/defects/{defect}"));
                assert_eq!(unchanged["status"], *from);
            }
        }
    }
}

#[test]
fn history_records_who_when_from_and_to_in_order() {
    let snag = Snag::start();
    let key = create_project(&snag.data_dir, &["--name", "history", "--allow-no-origin"]);
    let staff = Staff::new(&snag);
    let report = post(
        &snag,
        &key,
        &json!({"description": "The export button does nothing"}),
    );
    let defect = report.body["defect_id"]
        .as_str()
        .expect("a defect")
        .to_owned();
    for to in ["triaged", "assigned", "in_progress", "resolved"] {
        assert_eq!(staff.transition(&snag, &defect, to).status, 200);
    }
    let patched = staff.send(
        &snag,
        reqwest::Method::PATCH,
        &format!("/api/v1/defects/{defect}"),
        Some(json!({"severity": "major", "priority": "p1", "assignee": "ann", "title": "Export is dead"})),
    );
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(
        (
            patched.body["severity"].as_str(),
            patched.body["assignee"].as_str()
        ),
        (Some("major"), Some("ann"))
    );
    let body = staff.get(&snag, &format!("/api/v1/defects/{defect}"));
    assert_eq!(
        kinds(&body),
        [
            "created", "status", "status", "status", "status", "severity", "priority", "assignee",
            "title"
        ]
    );
    let history = body["history"].as_array().expect("history");
    assert_eq!(
        (history[1]["from"].as_str(), history[1]["to"].as_str()),
        (Some("new"), Some("triaged"))
    );
    assert_eq!(history[1]["actor"], "e2e");
    assert_eq!(history[0]["actor"], "snag");
    let times: Vec<&str> = history
        .iter()
        .map(|e| e["at"].as_str().unwrap_or(""))
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    for (body, field) in [
        (json!({"severity": "huge"}), "severity"),
        (json!({"status": "closed"}), "status"),
        (json!({"title": ""}), "title"),
        (json!({"assignee": "x".repeat(201)}), "assignee"),
    ] {
        let answer = staff.send(
            &snag,
            reqwest::Method::PATCH,
            &format!("/api/v1/defects/{defect}"),
            Some(body),
        );
        assert_eq!(
            (answer.status, answer.error_field()),
            (422, field),
            "{:?}",
            answer.body
        );
    }
    let cleared = staff.send(
        &snag,
        reqwest::Method::PATCH,
        &format!("/api/v1/defects/{defect}"),
        Some(json!({"assignee": null})),
    );
    assert_eq!(cleared.body["assignee"], Value::Null);
}

#[test]
fn concurrent_duplicates_land_on_one_defect() {
    let snag = Arc::new(Snag::start());
    let key = create_project(&snag.data_dir, &["--name", "shop", "--allow-no-origin"]);
    let error = "TypeError: Cannot read properties of undefined (reading 'total')\n    at PaymentForm.submit (https://shop.example/static/checkout.8f2a1b.js:1:48213)";
    let threads: Vec<_> = (0..20)
        .map(|i| {
            let (snag, key) = (Arc::clone(&snag), key.clone());
            std::thread::spawn(move || {
                let report = json!({
                    "description": format!("The pay button does nothing when I click it (user {i})"),
                    "page": {"url": format!("https://shop.example/checkout/{}/pay", 8000 + i)},
                    "console": [{"level": "error", "message": error}]
                });
                post(&snag, &key, &report).body["defect_id"].as_str().expect("a defect").to_owned()
            })
        })
        .collect();
    let defects: Vec<String> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    assert!(defects.iter().all(|d| *d == defects[0]), "{defects:?}");

    // A different problem on the same page stays apart.
    let other = post(
        &snag,
        &key,
        &json!({
            "description": "The coupon code WINTER10 is rejected as expired although it runs until March",
            "page": {"url": "https://shop.example/checkout/9000/pay"}
        }),
    );
    assert_ne!(other.body["defect_id"].as_str(), Some(defects[0].as_str()));

    let staff = Staff::new(&snag);
    let defect = staff.get(&snag, &format!("/api/v1/defects/{}", defects[0]));
    assert_eq!(defect["report_count"], 20);
    let reports = defect["reports"].as_array().expect("reports");
    // Received times are taken before the writer orders the reports, so the one that opened
    // the defect need not be the earliest: exactly one has no fold explanation.
    let opened = reports.iter().filter(|r| r["fold"].is_null()).count();
    assert_eq!(opened, 1, "{reports:?}");
    let joined = reports
        .iter()
        .find(|r| !r["fold"].is_null())
        .expect("a joined report");
    assert!(
        joined["fold"]["score"].as_f64().is_some(),
        "why it joined is shown: {joined}"
    );
    assert!(
        joined["fold"]["signals"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
    );
}

#[test]
fn a_new_report_reopens_a_resolved_defect_and_says_so() {
    let snag = Snag::start();
    let key = create_project(&snag.data_dir, &["--name", "shop", "--allow-no-origin"]);
    let staff = Staff::new(&snag);
    let report = json!({"description": "Invoice PDF download gives a blank page", "page": {"url": "https://shop.example/orders/1/invoice"}});
    let defect = post(&snag, &key, &report).body["defect_id"]
        .as_str()
        .expect("a defect")
        .to_owned();
    for to in ["assigned", "resolved"] {
        assert_eq!(staff.transition(&snag, &defect, to).status, 200);
    }
    let again = post(
        &snag,
        &key,
        &json!({"description": "Invoice PDF download shows a blank page", "page": {"url": "https://shop.example/orders/2/invoice"}}),
    );
    assert_eq!(again.body["defect_id"].as_str(), Some(defect.as_str()));
    let body = staff.get(&snag, &format!("/api/v1/defects/{defect}"));
    assert_eq!(body["status"], "reopened");
    let last = body["history"]
        .as_array()
        .and_then(|h| h.last())
        .expect("history")
        .clone();
    assert_eq!(
        (
            last["kind"].as_str(),
            last["to"].as_str(),
            last["actor"].as_str()
        ),
        (Some("status"), Some("reopened"), Some("snag"))
    );
}

#[test]
fn merge_split_and_their_undo() {
    let snag = Snag::start();
    let key = create_project(&snag.data_dir, &["--name", "shop", "--allow-no-origin"]);
    let staff = Staff::new(&snag);
    let a = post(
        &snag,
        &key,
        &json!({"description": "Search results page two shows page one again", "page": {"url": "https://shop.example/search?q=tent&page=2"}}),
    );
    let b = post(
        &snag,
        &key,
        &json!({"description": "Wishlist heart icon does not save the product", "page": {"url": "https://shop.example/product/12"}}),
    );
    let (a, b) = (
        a.body["defect_id"].as_str().expect("a").to_owned(),
        b.body["defect_id"].as_str().expect("b").to_owned(),
    );
    assert_ne!(a, b);
    assert_eq!(staff.transition(&snag, &a, "triaged").status, 200);

    assert_eq!(
        staff
            .post(
                &snag,
                &format!("/api/v1/defects/{a}/merge"),
                json!({"into": a})
            )
            .error_code(),
        "merge_refused"
    );
    let merged = staff.post(
        &snag,
        &format!("/api/v1/defects/{a}/merge"),
        json!({"into": b}),
    );
    assert_eq!(merged.status, 200, "{:?}", merged.body);
    assert_eq!(
        (
            merged.body["status"].as_str(),
            merged.body["merged_into"].as_str()
        ),
        (Some("duplicate"), Some(b.as_str()))
    );
    let survivor = staff.get(&snag, &format!("/api/v1/defects/{b}"));
    assert_eq!(survivor["report_count"], 2);
    assert_eq!(
        kinds(&survivor).last().map(String::as_str),
        Some("merged_from")
    );
    assert_eq!(
        staff.transition(&snag, &a, "closed").status,
        409,
        "a duplicate moves only by unmerging"
    );
    assert_eq!(
        staff
            .post(
                &snag,
                &format!("/api/v1/defects/{b}/merge"),
                json!({"into": a})
            )
            .error_code(),
        "merge_refused"
    );

    // A later report that resembles the merged defect joins the survivor.
    let later = post(
        &snag,
        &key,
        &json!({"description": "Search results: page two shows page one again", "page": {"url": "https://shop.example/search?q=boots&page=2"}}),
    );
    assert_eq!(later.body["defect_id"].as_str(), Some(b.as_str()));

    let undone = staff.post(&snag, &format!("/api/v1/defects/{a}/unmerge"), json!({}));
    assert_eq!(undone.status, 200, "{:?}", undone.body);
    assert_eq!(
        (
            undone.body["status"].as_str(),
            undone.body["report_count"].as_u64()
        ),
        (Some("triaged"), Some(1))
    );
    assert_eq!(undone.body["merged_into"], Value::Null);
    assert_eq!(
        staff.get(&snag, &format!("/api/v1/defects/{b}"))["report_count"],
        2
    );

    // Split: move the later report out of b into a new defect, then merge it back.
    let later_id = later.body["id"].as_str().expect("report id");
    let split = staff.post(
        &snag,
        &format!("/api/v1/defects/{b}/split"),
        json!({"report": later_id}),
    );
    assert_eq!(split.status, 201, "{:?}", split.body);
    let fresh = split.body["id"]
        .as_str()
        .expect("the new defect")
        .to_owned();
    assert_eq!(split.body["report_count"], 1);
    assert_eq!(kinds(&split.body), ["created", "report_moved_in"]);
    let b_now = staff.get(&snag, &format!("/api/v1/defects/{b}"));
    assert_eq!(b_now["report_count"], 1);
    assert_eq!(
        kinds(&b_now).last().map(String::as_str),
        Some("report_moved_out")
    );
    let only = b_now["reports"][0]["id"].as_str().expect("b's report");
    assert_eq!(
        staff
            .post(
                &snag,
                &format!("/api/v1/defects/{b}/split"),
                json!({"report": only})
            )
            .status,
        409
    );
    let back = staff.post(
        &snag,
        &format!("/api/v1/defects/{fresh}/merge"),
        json!({"into": b}),
    );
    assert_eq!(back.status, 200);
    assert_eq!(
        staff.get(&snag, &format!("/api/v1/defects/{b}"))["report_count"],
        2
    );
}

#[test]
fn triage_needs_a_token_and_existing_ids() {
    let snag = Snag::start();
    let staff = Staff::new(&snag);
    let missing = "0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11";
    let anonymous = http()
        .post(snag.url(&format!("/api/v1/defects/{missing}/transitions")))
        .json(&json!({"to": "triaged"}))
        .send()
        .expect("request");
    assert_eq!(anonymous.status().as_u16(), 401);
    assert_eq!(staff.transition(&snag, missing, "triaged").status, 404);
    assert_eq!(staff.transition(&snag, "not-an-id", "triaged").status, 404);
    let bad = staff.post(
        &snag,
        &format!("/api/v1/defects/{missing}/transitions"),
        json!({"to": "done"}),
    );
    assert_eq!((bad.status, bad.error_field()), (422, "to"));
    let malformed = staff.send(
        &snag,
        reqwest::Method::POST,
        &format!("/api/v1/defects/{missing}/merge"),
        Some(json!([1])),
    );
    assert_eq!(malformed.status, 422);
}
