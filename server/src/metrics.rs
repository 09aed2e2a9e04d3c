//! Prometheus metrics, served at `/metrics`.

use std::time::Duration;

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts, Registry,
    TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    pub http_requests: IntCounterVec,
    pub http_duration: HistogramVec,
    pub reports_accepted: IntCounter,
    pub reports_replayed: IntCounter,
    pub reports_rejected: IntCounterVec,
    pub writer_batch_size: Histogram,
    pub writer_commit_seconds: Histogram,
}

impl Metrics {
    pub fn new() -> Self {
        let registry =
            Registry::new_custom(Some("snag".into()), None).expect("a valid metric prefix");
        let http_requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by method, route and status",
            ),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ]),
            &["route"],
        )
        .expect("valid metric");
        let reports_accepted =
            IntCounter::new("reports_accepted_total", "Reports stored").expect("valid metric");
        let reports_replayed = IntCounter::new(
            "reports_replayed_total",
            "Retries answered from an earlier report with the same idempotency key",
        )
        .expect("valid metric");
        let reports_rejected = IntCounterVec::new(
            Opts::new("reports_rejected_total", "Reports refused, by reason"),
            &["reason"],
        )
        .expect("valid metric");
        let writer_batch_size = Histogram::with_opts(
            HistogramOpts::new(
                "writer_batch_size",
                "Writes committed together by the writer",
            )
            .buckets(vec![
                1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0,
            ]),
        )
        .expect("valid metric");
        let writer_commit_seconds = Histogram::with_opts(
            HistogramOpts::new("writer_commit_seconds", "Time to run and commit one batch")
                .buckets(vec![
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
                ]),
        )
        .expect("valid metric");
        for collector in [
            Box::new(http_requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(http_duration.clone()),
            Box::new(reports_accepted.clone()),
            Box::new(reports_replayed.clone()),
            Box::new(reports_rejected.clone()),
            Box::new(writer_batch_size.clone()),
            Box::new(writer_commit_seconds.clone()),
        ] {
            registry
                .register(collector)
                .expect("each metric registered once");
        }
        Metrics {
            registry,
            http_requests,
            http_duration,
            reports_accepted,
            reports_replayed,
            reports_rejected,
            writer_batch_size,
            writer_commit_seconds,
        }
    }

    pub fn observe_batch(&self, size: usize, took: Duration) {
        self.writer_batch_size.observe(size as f64);
        self.writer_commit_seconds.observe(took.as_secs_f64());
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        let encoder = TextEncoder::new();
        if let Err(err) = encoder.encode(&self.registry.gather(), &mut buffer) {
            tracing::error!(error = %err, "encoding metrics failed");
        }
        String::from_utf8(buffer).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
