use serde_json::json;
use snag_connectors::{Connector, DefectEvent, EventKind, TicketRef, WebhookSecret};
use snag_core::{Change, Severity, Timestamp};
use snag_fakes::{FakeWebhook, Fault};

use crate::{build, fixtures};

fn webhook(fake: &FakeWebhook) -> snag_connectors::webhook::WebhookConnector {
    match build(
        json!({"kind": "webhook", "url": format!("{}/hooks/snag", fake.url()), "secret": FakeWebhook::SECRET}),
    ) {
        Connector::Webhook(w) => w,
        other => panic!("{}", other.kind()),
    }
}

fn event(kind: EventKind) -> DefectEvent {
    let input = fixtures::checkout();
    DefectEvent {
        id: "evt_0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11-1".into(),
        kind,
        occurred_at: Timestamp(1_795_684_660_123),
        defect: input.defect,
        report: Some(input.report),
        change: None,
        tickets: vec![TicketRef {
            external_id: "10001".into(),
            key: "SHOP-1".into(),
            url: "https://acme.atlassian.net/browse/SHOP-1".into(),
        }],
        snag_url: input.snag_url,
    }
}

#[test]
fn the_signer_matches_the_standard_webhooks_vectors() {
    let path = snag_fakes::spec_path("webhooks/test-vectors.json");
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("vectors")).expect("json");
    for v in vectors["vectors"].as_array().expect("list") {
        let secret = WebhookSecret::parse(v["secret"].as_str().expect("secret")).expect("secret");
        let signed = secret.sign(
            v["webhook-id"].as_str().expect("id"),
            v["webhook-timestamp"].as_i64().expect("timestamp"),
            v["payload"].as_str().expect("payload").as_bytes(),
        );
        assert_eq!(
            signed,
            v["webhook-signature"].as_str().expect("signature"),
            "{}",
            v["name"]
        );
    }
}

#[tokio::test]
async fn events_are_signed_and_verified_by_the_receiver() {
    let fake = FakeWebhook::start();
    webhook(&fake)
        .send(&event(EventKind::Created))
        .await
        .expect("delivered");
    let deliveries = fake.deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(
        deliveries[0].id,
        "evt_0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11-1"
    );
    insta::assert_json_snapshot!("webhook_defect_created", deliveries[0].body);
}

#[tokio::test]
async fn a_retry_keeps_the_id_so_receivers_drop_the_repeat() {
    let fake = FakeWebhook::start();
    let connector = webhook(&fake);
    let mut changed = event(EventKind::Changed);
    changed.report = None;
    changed.change = Some(Change::Severity {
        from: Some(Severity::Critical),
        to: Some(Severity::Blocker),
    });
    fake.fail_next(1, Fault::Status(502));
    assert!(
        connector
            .send(&changed)
            .await
            .expect_err("502")
            .is_retryable()
    );
    connector.send(&changed).await.expect("delivered");
    connector.send(&changed).await.expect("delivered again");
    assert_eq!(fake.deliveries().len(), 2);
    assert_eq!(fake.unique_events(), 1);
    let body = &fake.deliveries()[0].body;
    assert_eq!(body["type"], "defect.changed");
    assert_eq!(body["data"]["change"]["kind"], "severity");
}

#[tokio::test]
async fn a_receiver_with_another_secret_refuses_and_gone_is_permanent() {
    let other = FakeWebhook::start_with_secret("whsec_c2VjcmV0LXRoYXQtaXMtbm90LW91cnMtYXQtYWxs");
    let error = webhook(&other)
        .send(&event(EventKind::Created))
        .await
        .expect_err("401");
    assert!(
        error.is_retryable(),
        "a refused signature may be a rotation in progress"
    );
    assert!(other.deliveries().is_empty());

    let fake = FakeWebhook::start();
    fake.fail_next(1, Fault::Status(410));
    let error = webhook(&fake)
        .send(&event(EventKind::Created))
        .await
        .expect_err("410");
    assert!(!error.is_retryable());
}
