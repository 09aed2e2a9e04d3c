//! Health and Prometheus metrics.

use e2e::Snag;
use serde_json::json;

use crate::client::{demo_key, http, post};

#[test]
fn healthz_and_metrics_answer() {
    let snag = Snag::start();
    let key = demo_key(&snag);
    assert_eq!(post(&snag, &key, &json!({"description": "ok"})).status, 202);
    assert_eq!(post(&snag, &key, &json!({})).status, 422);

    let health = http().get(snag.url("/healthz")).send().expect("healthz");
    assert_eq!(health.status().as_u16(), 200);

    let metrics = http()
        .get(snag.url("/metrics"))
        .send()
        .expect("metrics")
        .text()
        .expect("text");
    assert!(
        metrics.contains("snag_reports_accepted_total 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("snag_reports_rejected_total{reason=\"missing_field\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("snag_writer_batch_size_count"),
        "{metrics}"
    );
    assert!(
        metrics.contains("snag_http_request_duration_seconds_bucket{route=\"/api/v1/reports\""),
        "{metrics}"
    );
    // Route patterns, not raw paths: one series for all report ids.
    assert!(!metrics.contains("/api/v1/reports/0"), "{metrics}");
}
