use serde_json::{Value, json};
use snag_connectors::{ConnectorError, Tracker, TrackerConnector, defect_marker};
use snag_fakes::{FakeJira, Fault};

use crate::fixtures::{self, DEFECT, REPORT};
use crate::{stable, tracker};

fn jira(fake: &FakeJira) -> TrackerConnector {
    jira_with(fake, json!({}))
}

fn jira_with(fake: &FakeJira, extra: Value) -> TrackerConnector {
    let mut config = json!({
        "kind": "jira",
        "base_url": fake.url(),
        "email": FakeJira::EMAIL,
        "api_token": FakeJira::API_TOKEN,
        "project_key": FakeJira::PROJECT,
        "labels": ["from-widget"],
        "use_component": true,
        "timeouts": {"connect_ms": 1000, "total_ms": 2000},
    });
    for (k, v) in extra.as_object().expect("object") {
        config[k] = v.clone();
    }
    tracker(config)
}

fn created_fields(fake: &FakeJira) -> Value {
    let request = fake
        .accepted()
        .into_iter()
        .find(|r| r.path == "/rest/api/3/issue")
        .expect("an issue was created");
    stable(&request.json().expect("json"), &fake.url())
}

#[tokio::test]
async fn creates_an_issue_with_adf_priority_labels_component_and_screenshot() {
    let fake = FakeJira::start();
    let opened = jira(&fake)
        .open(&fixtures::checkout())
        .await
        .expect("opened");
    assert!(opened.created);
    assert_eq!(opened.ticket.key, "SHOP-1");
    assert_eq!(opened.ticket.url, format!("{}/browse/SHOP-1", fake.url()));
    assert_eq!(opened.attachment_error, None);

    let issues = fake.issues();
    assert_eq!(issues.len(), 1);
    let issue = &issues[0];
    assert!(issue.labels().contains(&format!("snag-{DEFECT}")));
    assert_eq!(issue.fields["priority"]["name"], "High");
    assert_eq!(issue.fields["components"][0]["name"], "checkout");
    assert_eq!(issue.attachments.len(), 1);
    assert_eq!(issue.attachments[0].filename, format!("snag-{REPORT}.png"));
    assert_eq!(issue.attachments[0].bytes, fixtures::PNG);
    let upload = fake
        .accepted()
        .into_iter()
        .find(|r| r.path.ends_with("/attachments"))
        .expect("upload");
    assert_eq!(upload.header("x-atlassian-token"), Some("no-check"));

    insta::assert_json_snapshot!("jira_create_issue", created_fields(&fake));
}

#[tokio::test]
async fn open_twice_or_after_a_lost_answer_gives_one_ticket() {
    let fake = FakeJira::start();
    let connector = jira(&fake);
    let input = fixtures::checkout();
    // The tracker created the issue but Snag never recorded the answer (a crash).
    let first = connector.create(&input).await.expect("created");
    let again = connector.open(&input).await.expect("opened");
    assert!(!again.created);
    assert_eq!(again.ticket, first.ticket);
    assert_eq!(
        fake.tickets_with_label(&defect_marker(&fixtures::defect_id())),
        1
    );
    assert_eq!(
        connector.find(&fixtures::defect_id()).await.expect("find"),
        Some(first.ticket)
    );
}

#[tokio::test]
async fn a_retry_uploads_a_screenshot_that_did_not_go_up() {
    let fake = FakeJira::start();
    let connector = jira(&fake);
    let mut without = fixtures::checkout();
    without.report.screenshot = None;
    connector
        .create(&without)
        .await
        .expect("created without screenshot");
    let opened = connector.open(&fixtures::checkout()).await.expect("opened");
    assert!(!opened.created);
    assert_eq!(fake.issues()[0].attachments.len(), 1);
    // And once it is there, not again.
    connector.open(&fixtures::checkout()).await.expect("opened");
    assert_eq!(fake.issues()[0].attachments.len(), 1);
}

#[tokio::test]
async fn a_failed_upload_still_returns_the_ticket() {
    let fake = FakeJira::start();
    let connector = jira(&fake);
    let mut without = fixtures::checkout();
    without.report.screenshot = None;
    let ticket = connector.create(&without).await.expect("created").ticket;
    fake.fail_next(1, Fault::Status(503));
    let error = connector
        .attach(&ticket, &fixtures::checkout())
        .await
        .expect_err("503");
    assert!(error.is_retryable());
    connector
        .attach(&ticket, &fixtures::checkout())
        .await
        .expect("attached");
    assert_eq!(fake.issues()[0].attachments.len(), 1);
}

#[tokio::test]
async fn later_reports_become_adf_comments() {
    let fake = FakeJira::start();
    let connector = jira(&fake);
    let ticket = connector
        .open(&fixtures::checkout())
        .await
        .expect("opened")
        .ticket;
    connector
        .comment(&ticket, &fixtures::later_report())
        .await
        .expect("commented");
    let issue = &fake.issues()[0];
    assert_eq!(issue.comments.len(), 1);
    insta::assert_json_snapshot!("jira_comment", issue.comments[0]);
}

#[tokio::test]
async fn hostile_content_is_valid_adf_and_stays_text() {
    let fake = FakeJira::start();
    jira(&fake)
        .open(&fixtures::hostile())
        .await
        .expect("accepted by the ADF schema");
    let fields = created_fields(&fake);
    let summary = fields["fields"]["summary"].as_str().expect("summary");
    assert!(!summary.contains('\n'));
    let mut links = Vec::new();
    hrefs(&fields, &mut links);
    assert!(links.iter().all(|h| h.starts_with("https://")), "{links:?}");
    assert!(
        !fields.to_string().contains("\\u0000"),
        "control characters are removed"
    );
    insta::assert_json_snapshot!("jira_create_issue_hostile", fields);
}

#[tokio::test]
async fn huge_content_is_cut_to_jiras_limits() {
    let fake = FakeJira::start();
    let connector = jira(&fake);
    connector
        .open(&fixtures::huge())
        .await
        .expect("accepted within limits");
    let fields = &fake.issues()[0].fields;
    assert!(fields["summary"].as_str().expect("summary").chars().count() <= 255);
    let description = fields["description"].to_string();
    assert!(description.chars().count() <= 32_767);
    assert!(description.contains("(cut, see Snag)"));
    let ticket = connector
        .find(&fixtures::defect_id())
        .await
        .expect("find")
        .expect("ticket");
    connector
        .comment(&ticket, &fixtures::huge())
        .await
        .expect("comment within limits");
}

#[tokio::test]
async fn rate_limits_give_the_wait_from_retry_after_or_the_reset_time() {
    let fake = FakeJira::start();
    let connector = jira(&fake);
    fake.fail_next(
        1,
        Fault::RateLimited {
            retry_after_secs: 7,
        },
    );
    let error = connector
        .open(&fixtures::checkout())
        .await
        .expect_err("429");
    assert!(error.is_retryable());
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(7)));
    fake.fail_next(
        1,
        Fault::RateLimitReset {
            reset_after_secs: 90,
        },
    );
    let error = connector
        .open(&fixtures::checkout())
        .await
        .expect_err("429");
    let wait = error
        .retry_after()
        .expect("from X-RateLimit-Reset")
        .as_secs();
    assert!((88..=90).contains(&wait), "{wait}");
    connector
        .open(&fixtures::checkout())
        .await
        .expect("recovered");
    assert_eq!(fake.tickets_for_defect(DEFECT), 1);
}

#[tokio::test]
async fn refusals_are_permanent_and_name_the_field() {
    let fake = FakeJira::start();
    let wrong_token = jira_with(&fake, json!({"api_token": "nope"}));
    let error = wrong_token
        .open(&fixtures::checkout())
        .await
        .expect_err("401");
    assert!(
        matches!(error, ConnectorError::Permanent { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("401"));

    let bad_priority = jira_with(
        &fake,
        json!({"severity_priorities": {"critical": "Urgent"}}),
    );
    let error = bad_priority
        .open(&fixtures::checkout())
        .await
        .expect_err("400");
    assert!(matches!(error, ConnectorError::Permanent { .. }));
    assert!(error.to_string().contains("priority"), "{error}");
    assert!(fake.issues().is_empty());
}

/// Every link target in a document.
fn hrefs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(href)) = map.get("href") {
                out.push(href.clone());
            }
            map.values().for_each(|v| hrefs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| hrefs(v, out)),
        _ => {}
    }
}
