//! Transport faults, the same for every connector: each maps to a retryable error.

use std::time::{Duration, Instant};

use serde_json::json;
use snag_connectors::{ConnectorError, Tracker, TrackerConnector};
use snag_fakes::{FakeGitHub, Fault};

use crate::{fixtures, tracker};

fn github(fake: &FakeGitHub, total_ms: u64) -> TrackerConnector {
    tracker(json!({
        "kind": "github",
        "api_url": fake.url(),
        "token": FakeGitHub::TOKEN,
        "owner": FakeGitHub::OWNER,
        "repo": FakeGitHub::REPO,
        "timeouts": {"connect_ms": 500, "total_ms": total_ms},
    }))
}

#[tokio::test]
async fn server_errors_are_retryable_with_retry_after_when_given() {
    let fake = FakeGitHub::start();
    fake.fail_next(1, Fault::Status(500));
    let error = github(&fake, 2000)
        .open(&fixtures::checkout())
        .await
        .expect_err("500");
    assert!(
        matches!(
            error,
            ConnectorError::Retryable {
                retry_after: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("500"));
}

#[tokio::test]
async fn a_dropped_connection_is_retryable() {
    let fake = FakeGitHub::start();
    fake.fail_next(1, Fault::Drop);
    let error = github(&fake, 2000)
        .open(&fixtures::checkout())
        .await
        .expect_err("dropped");
    assert!(error.is_retryable(), "{error:?}");
    // The service is back for the next attempt.
    github(&fake, 2000)
        .open(&fixtures::checkout())
        .await
        .expect("recovered");
    assert_eq!(fake.issues().len(), 1);
}

#[tokio::test]
async fn a_hang_ends_at_the_timeout_as_retryable() {
    let fake = FakeGitHub::start();
    fake.fail_next(1, Fault::Hang);
    let started = Instant::now();
    let error = github(&fake, 300)
        .open(&fixtures::checkout())
        .await
        .expect_err("timeout");
    assert!(error.is_retryable());
    assert!(error.to_string().contains("timed out"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn nothing_listening_is_retryable() {
    let url = {
        let fake = FakeGitHub::start();
        fake.url()
    };
    let connector = tracker(json!({
        "kind": "github", "api_url": url, "token": "t", "owner": "acme", "repo": "shop",
        "timeouts": {"connect_ms": 500, "total_ms": 1000},
    }));
    let error = connector
        .open(&fixtures::checkout())
        .await
        .expect_err("refused");
    assert!(error.is_retryable(), "{error:?}");
    assert!(
        !error.to_string().contains(&url),
        "messages do not carry URLs: {error}"
    );
}
