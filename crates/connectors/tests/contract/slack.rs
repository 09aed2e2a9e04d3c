use serde_json::json;
use snag_connectors::{Connector, ConnectorError, TicketRef};
use snag_fakes::{FakeSlack, Fault};

use crate::{build, fixtures, stable};

fn slack(fake: &FakeSlack) -> snag_connectors::slack::SlackConnector {
    match build(json!({"kind": "slack", "webhook_url": fake.webhook_url()})) {
        Connector::Slack(s) => s,
        other => panic!("{}", other.kind()),
    }
}

fn ticket() -> TicketRef {
    TicketRef {
        external_id: "10001".into(),
        key: "SHOP-1".into(),
        url: "https://acme.atlassian.net/browse/SHOP-1".into(),
    }
}

#[tokio::test]
async fn posts_a_compact_block_kit_notice() {
    let fake = FakeSlack::start();
    slack(&fake)
        .notify(&fixtures::checkout(), Some(&ticket()))
        .await
        .expect("posted");
    let messages = fake.messages();
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0]["text"]
            .as_str()
            .expect("fallback")
            .starts_with("New defect: ")
    );
    insta::assert_json_snapshot!("slack_message", stable(&messages[0], &fake.url()));
}

#[tokio::test]
async fn hostile_and_huge_content_stays_within_limits_and_mentions_nothing() {
    let fake = FakeSlack::start();
    let connector = slack(&fake);
    connector
        .notify(&fixtures::hostile(), None)
        .await
        .expect("accepted");
    connector
        .notify(&fixtures::huge(), None)
        .await
        .expect("accepted");
    assert_eq!(fake.truncated(), 0);
    let hostile = fake.messages()[0].to_string();
    for forbidden in ["<!channel>", "<@U024BE7LH>", "@here", "@channel"] {
        assert!(!hostile.contains(forbidden), "{forbidden} in {hostile}");
    }
    insta::assert_json_snapshot!("slack_message_hostile", fake.messages()[0]);
}

#[tokio::test]
async fn slack_errors_are_classified() {
    let fake = FakeSlack::start();
    let connector = slack(&fake);
    fake.fail_next(
        1,
        Fault::RateLimited {
            retry_after_secs: 3,
        },
    );
    let error = connector
        .notify(&fixtures::checkout(), None)
        .await
        .expect_err("429");
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(3)));
    let revoked = match build(
        json!({"kind": "slack", "webhook_url": format!("{}/services/T/B/revoked", fake.url())}),
    ) {
        Connector::Slack(s) => s,
        other => panic!("{}", other.kind()),
    };
    let error = revoked
        .notify(&fixtures::checkout(), None)
        .await
        .expect_err("404");
    assert!(matches!(error, ConnectorError::Permanent { .. }));
    assert!(error.to_string().contains("no_service"), "{error}");
    assert!(
        !error.to_string().contains("/services/"),
        "the URL is the credential: {error}"
    );
}
