//! Many clients at once: nothing lost, nothing doubled.

use std::collections::HashSet;
use std::sync::Arc;

use e2e::Snag;
use serde_json::json;

use crate::client::{demo_key, post};

#[test]
fn two_hundred_concurrent_clients_lose_and_double_nothing() {
    let snag = Arc::new(Snag::start());
    let key = demo_key(&snag);
    const CLIENTS: usize = 200;
    const EACH: usize = 5;
    let barrier = Arc::new(std::sync::Barrier::new(CLIENTS));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (snag, key, barrier) = (Arc::clone(&snag), key.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                (0..EACH)
                    .map(|i| {
                        // Every client also retries its first report once with the same key.
                        let report = json!({"description": format!("client {c} report {i}"), "idempotency_key": format!("c{c}-r{i}")});
                        let answer = post(&snag, &key, &report);
                        assert_eq!(answer.status, 202, "{:?}", answer.body);
                        if i == 0 {
                            assert_eq!(post(&snag, &key, &report).body, answer.body);
                        }
                        answer.body["id"].as_str().expect("an id").to_owned()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let ids: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("client thread"))
        .collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), CLIENTS * EACH);

    let db = snag.database();
    let stored: i64 = db
        .query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))
        .expect("count");
    let distinct: i64 = db
        .query_row(
            "SELECT COUNT(DISTINCT json_extract(payload, '$.description')) FROM reports",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(
        (stored, distinct),
        ((CLIENTS * EACH) as i64, (CLIENTS * EACH) as i64)
    );
}
