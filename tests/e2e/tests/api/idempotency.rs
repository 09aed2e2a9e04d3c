//! Retries with one idempotency key store one report and get the first answer again.

use std::sync::Arc;

use e2e::{Snag, create_project};
use serde_json::json;

use crate::client::{demo_key, post};

fn stored_reports(snag: &Snag) -> i64 {
    snag.database()
        .query_row("SELECT COUNT(*) FROM reports", [], |row| row.get(0))
        .expect("count")
}

#[test]
fn a_sequential_retry_gets_the_first_answer_and_stores_nothing() {
    let snag = Snag::start();
    let key = demo_key(&snag);
    let report = json!({"description": "retry me", "idempotency_key": "a1b2c3d4-retry"});
    let first = post(&snag, &key, &report);
    assert_eq!(first.status, 202);
    assert!(first.header("idempotent-replayed").is_none());
    for _ in 0..3 {
        let again = post(&snag, &key, &report);
        assert_eq!(again.status, 202);
        assert_eq!(again.body, first.body);
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
    }
    assert_eq!(stored_reports(&snag), 1);
}

#[test]
fn concurrent_copies_store_one_report() {
    let snag = Arc::new(Snag::start());
    let key = demo_key(&snag);
    for round in 0..5 {
        let report = json!({"description": "sent twice at once", "idempotency_key": format!("concurrent-{round}")});
        let answers: Vec<_> = (0..16)
            .map(|_| {
                let (snag, key, report) = (Arc::clone(&snag), key.clone(), report.clone());
                std::thread::spawn(move || post(&snag, &key, &report))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().expect("a client thread"))
            .collect();
        assert!(answers.iter().all(|a| a.status == 202));
        assert!(
            answers.iter().all(|a| a.body == answers[0].body),
            "every copy gets the same ids"
        );
    }
    assert_eq!(stored_reports(&snag), 5);
}

#[test]
fn keys_are_per_project() {
    let snag = Snag::start();
    let demo = demo_key(&snag);
    let other = create_project(&snag.data_dir, &["--name", "other", "--allow-no-origin"]);
    let report = json!({"description": "same key, two projects", "idempotency_key": "shared-key"});
    let a = post(&snag, &demo, &report);
    let b = post(&snag, &other, &report);
    assert_eq!((a.status, b.status), (202, 202));
    assert_ne!(a.body["id"], b.body["id"]);
    assert_eq!(stored_reports(&snag), 2);
}
