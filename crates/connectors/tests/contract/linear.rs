use serde_json::json;
use snag_connectors::{ConnectorError, Tracker, TrackerConnector};
use snag_fakes::{FakeLinear, Fault};

use crate::fixtures::{self, DEFECT};
use crate::{contains_unescaped, stable, tracker, visible_markdown};

fn linear(fake: &FakeLinear) -> TrackerConnector {
    tracker(json!({
        "kind": "linear",
        "api_url": fake.api_url(),
        "api_key": FakeLinear::API_KEY,
        "team_id": FakeLinear::TEAM_ID,
        "label_ids": [FakeLinear::LABEL_ID],
        "timeouts": {"connect_ms": 1000, "total_ms": 2000},
    }))
}

fn sent_input(fake: &FakeLinear, operation: &str) -> serde_json::Value {
    let request = fake
        .accepted()
        .into_iter()
        .find(|r| {
            r.json()
                .is_some_and(|b| b["query"].as_str().is_some_and(|q| q.contains(operation)))
        })
        .expect("the operation was sent");
    stable(&request.json().expect("json")["variables"], &fake.url())
}

#[tokio::test]
async fn creates_an_issue_with_a_chosen_id_markdown_priority_labels_and_screenshot() {
    let fake = FakeLinear::start();
    let opened = linear(&fake)
        .open(&fixtures::checkout())
        .await
        .expect("opened");
    assert!(opened.created);
    assert_eq!(opened.ticket.key, "ENG-1");

    let uploads = fake.uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!(
        uploads[0].bytes.as_deref(),
        Some(fixtures::PNG),
        "the bytes were PUT"
    );
    let issue = &fake.issues()[0];
    assert_eq!(issue.priority, 2, "critical is Linear's high");
    assert_eq!(issue.label_ids, [FakeLinear::LABEL_ID]);
    let description = issue.description.as_deref().expect("description");
    assert!(
        description.contains(&format!("]({})", uploads[0].asset_url)),
        "the screenshot is embedded"
    );
    assert_eq!(fake.tickets_for_defect(DEFECT), 1);

    insta::assert_json_snapshot!("linear_issue_create", sent_input(&fake, "issueCreate"));
}

#[tokio::test]
async fn a_lost_answer_is_healed_by_linears_own_idempotency() {
    let fake = FakeLinear::start();
    let connector = linear(&fake);
    let input = fixtures::checkout();
    let first = connector.create(&input).await.expect("created");
    // Retrying the create itself: Linear refuses the taken id, the connector finds the issue.
    let retried = connector.create(&input).await.expect("the same ticket");
    assert!(!retried.created);
    assert_eq!(retried.ticket, first.ticket);
    let again = connector.open(&input).await.expect("opened");
    assert_eq!(again.ticket, first.ticket);
    assert_eq!(fake.issues().len(), 1);
    let refused = fake
        .requests()
        .into_iter()
        .filter(|r| r.status == Some(400))
        .count();
    assert_eq!(refused, 1, "Linear refused the duplicate id once");
}

#[tokio::test]
async fn later_reports_become_comments_once() {
    let fake = FakeLinear::start();
    let connector = linear(&fake);
    let ticket = connector
        .open(&fixtures::checkout())
        .await
        .expect("opened")
        .ticket;
    connector
        .comment(&ticket, &fixtures::later_report())
        .await
        .expect("commented");
    // A retry of the same comment after a lost answer adds nothing.
    connector
        .comment(&ticket, &fixtures::later_report())
        .await
        .expect("commented again");
    let comments = fake.comments();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].issue_id, ticket.external_id);
    insta::assert_snapshot!("linear_comment", comments[0].body);
}

#[tokio::test]
async fn hostile_content_is_valid_graphql_and_inert_markdown() {
    let fake = FakeLinear::start();
    linear(&fake)
        .open(&fixtures::hostile())
        .await
        .expect("accepted");
    let issue = &fake.issues()[0];
    assert!(!issue.title.contains('\n'));
    let description = issue.description.as_deref().expect("description");
    for forbidden in [
        "<script",
        "<!--",
        "](javascript",
        "@channel",
        "@here",
        "#12",
        "\n# Not",
        "\n- not",
    ] {
        assert!(
            !contains_unescaped(description, forbidden),
            "{forbidden:?} in {description}"
        );
    }
    // What a reader sees is what the reporter typed.
    assert!(
        visible_markdown(description).contains("[Reset your password](https://evil.example/phish)")
    );
    insta::assert_snapshot!(
        "linear_issue_hostile_description",
        description.replace(&fake.url(), "http://fake")
    );
}

#[tokio::test]
async fn huge_content_is_cut() {
    let fake = FakeLinear::start();
    linear(&fake)
        .open(&fixtures::huge())
        .await
        .expect("accepted");
    let issue = &fake.issues()[0];
    assert!(issue.title.chars().count() <= 255);
    let description = issue.description.as_deref().expect("description");
    assert!(description.chars().count() <= 50_000);
    assert!(description.contains("(cut, see Snag)"));
}

#[tokio::test]
async fn rate_limits_and_auth_errors_are_classified() {
    let fake = FakeLinear::start();
    let connector = linear(&fake);
    fake.fail_next(
        1,
        Fault::RateLimited {
            retry_after_secs: 9,
        },
    );
    let error = connector
        .find(&fixtures::defect_id())
        .await
        .expect_err("rate limited");
    assert!(error.is_retryable());
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(9)));
    fake.fail_next(
        1,
        Fault::RateLimitReset {
            reset_after_secs: 45,
        },
    );
    let error = connector
        .find(&fixtures::defect_id())
        .await
        .expect_err("rate limited");
    let wait = error
        .retry_after()
        .expect("from x-ratelimit-requests-reset")
        .as_millis();
    assert!((43_000..=45_000).contains(&wait), "{wait}");

    let wrong_key = tracker(json!({
        "kind": "linear",
        "api_url": fake.api_url(),
        "api_key": "lin_api_wrong",
        "team_id": FakeLinear::TEAM_ID,
    }));
    let error = wrong_key
        .open(&fixtures::checkout())
        .await
        .expect_err("unauthenticated");
    assert!(
        matches!(error, ConnectorError::Permanent { .. }),
        "{error:?}"
    );

    let wrong_team = tracker(json!({
        "kind": "linear",
        "api_url": fake.api_url(),
        "api_key": FakeLinear::API_KEY,
        "team_id": "00000000-0000-4000-8000-000000000000",
    }));
    let mut input = fixtures::checkout();
    input.report.screenshot = None;
    let error = wrong_team.open(&input).await.expect_err("no such team");
    assert!(
        matches!(error, ConnectorError::Permanent { .. }),
        "{error:?}"
    );
    assert!(fake.issues().is_empty());
}
