//! A 202 means committed: killing the server right after loses nothing.

use std::sync::Arc;

use e2e::{Options, Snag, create_token};
use serde_json::json;

use crate::client::{demo_key, post, staff_get};

fn count_reports(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn every_acknowledged_report_survives_kill_9() {
    let data = tempfile::tempdir().expect("a data directory");
    let snag = Arc::new(Snag::start_with(Options::default().data_dir(data.path())));
    let key = demo_key(&snag);
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (snag, key) = (Arc::clone(&snag), key.clone());
            std::thread::spawn(move || {
                (0..40)
                    .map(|i| {
                        let answer = post(
                            &snag,
                            &key,
                            &json!({"description": format!("thread {t} report {i}")}),
                        );
                        assert_eq!(answer.status, 202);
                        answer.body["id"].as_str().expect("an id").to_owned()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let acknowledged: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("client thread"))
        .collect();
    assert_eq!(acknowledged.len(), 320);

    // SIGKILL right after the last 202: no chance to flush anything not already committed.
    Arc::try_unwrap(snag)
        .unwrap_or_else(|_| panic!("all clients are done"))
        .kill_hard();

    let again = Snag::start_with(Options::default().data_dir(data.path()));
    let token = create_token(data.path());
    assert_eq!(count_reports(&again.database()), 320);
    for id in &acknowledged {
        let stored = staff_get(&again, &token, &format!("/api/v1/reports/{id}"));
        assert_eq!(
            stored.status, 200,
            "report {id} is readable after the restart"
        );
    }
}

#[test]
fn sigterm_drains_and_exits_cleanly() {
    let data = tempfile::tempdir().expect("a data directory");
    let snag = Snag::start_with(Options::default().data_dir(data.path()));
    let key = demo_key(&snag);
    for i in 0..20 {
        assert_eq!(
            post(&snag, &key, &json!({"description": format!("r{i}")})).status,
            202
        );
    }
    let status = snag.stop();
    assert!(status.success(), "exit status {status:?}");
    let conn = rusqlite::Connection::open(data.path().join("snag.db")).expect("open");
    assert_eq!(count_reports(&conn), 20);
}
