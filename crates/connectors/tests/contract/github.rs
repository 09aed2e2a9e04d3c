use serde_json::json;
use snag_connectors::{ConnectorError, Tracker, TrackerConnector, defect_marker};
use snag_fakes::{FakeGitHub, Fault};

use crate::fixtures::{self, DEFECT, REPORT};
use crate::{contains_unescaped, stable, tracker, visible_markdown};

fn github(fake: &FakeGitHub) -> TrackerConnector {
    tracker(json!({
        "kind": "github",
        "api_url": fake.url(),
        "token": FakeGitHub::TOKEN,
        "owner": FakeGitHub::OWNER,
        "repo": FakeGitHub::REPO,
        "labels": ["bug"],
        "timeouts": {"connect_ms": 1000, "total_ms": 2000},
    }))
}

#[tokio::test]
async fn creates_an_issue_with_labels_marker_and_screenshot_link() {
    let fake = FakeGitHub::start();
    let opened = github(&fake)
        .open(&fixtures::checkout())
        .await
        .expect("opened");
    assert!(opened.created);
    assert_eq!(opened.ticket.key, "#1");
    assert_eq!(opened.ticket.external_id, "1");
    let issue = &fake.issues()[0];
    assert!(issue.labels.contains(&format!("snag-{DEFECT}")));
    let body = issue.body.as_deref().expect("body");
    assert!(body.ends_with(&format!("<!-- snag:defect:{DEFECT} -->")));
    assert!(body.contains(&format!(
        "](https://snag.example.com/api/v1/reports/{REPORT}/screenshot?sig=abc123)"
    )));
    let request = fake
        .accepted()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("create");
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("snag/"))
    );
    insta::assert_json_snapshot!(
        "github_create_issue",
        stable(&request.json().expect("json"), &fake.url())
    );
}

#[tokio::test]
async fn open_looks_up_the_marker_before_creating() {
    let fake = FakeGitHub::start();
    let connector = github(&fake);
    let input = fixtures::checkout();
    let first = connector.create(&input).await.expect("created");
    let again = connector.open(&input).await.expect("found");
    assert!(!again.created);
    assert_eq!(again.ticket, first.ticket);
    assert_eq!(
        fake.tickets_with_label(&defect_marker(&fixtures::defect_id())),
        1
    );
}

#[tokio::test]
async fn later_reports_become_comments() {
    let fake = FakeGitHub::start();
    let connector = github(&fake);
    let ticket = connector
        .open(&fixtures::checkout())
        .await
        .expect("opened")
        .ticket;
    connector
        .comment(&ticket, &fixtures::later_report())
        .await
        .expect("commented");
    let comments = &fake.issues()[0].comments;
    assert_eq!(comments.len(), 1);
    insta::assert_snapshot!("github_comment", comments[0]);
}

#[tokio::test]
async fn hostile_content_is_inert_markdown() {
    let fake = FakeGitHub::start();
    github(&fake)
        .open(&fixtures::hostile())
        .await
        .expect("accepted");
    let issue = &fake.issues()[0];
    let body = issue.body.as_deref().expect("body");
    let (content, marker) = body.rsplit_once("\n\n").expect("marker line");
    assert_eq!(marker, format!("<!-- snag:defect:{DEFECT} -->"));
    for forbidden in [
        "<script",
        "<img",
        "<!--",
        "](javascript",
        "](https://evil",
        "![pixel]",
        "@channel",
        "@acme",
        "#12",
        "GH-7",
    ] {
        assert!(
            !contains_unescaped(content, forbidden),
            "{forbidden:?} in the body"
        );
    }
    assert!(visible_markdown(content).contains("@channel @here <!channel>"));
    assert!(!issue.title.contains('\n'));
    insta::assert_snapshot!("github_issue_hostile_body", body);
}

#[tokio::test]
async fn huge_content_is_cut_to_githubs_limits() {
    let fake = FakeGitHub::start();
    let connector = github(&fake);
    let ticket = connector
        .open(&fixtures::huge())
        .await
        .expect("accepted")
        .ticket;
    let issue = &fake.issues()[0];
    assert!(issue.title.chars().count() <= 256);
    assert!(
        issue
            .body
            .as_deref()
            .expect("body")
            .contains("(cut, see Snag)")
    );
    connector
        .comment(&ticket, &fixtures::huge())
        .await
        .expect("comment accepted");
}

#[tokio::test]
async fn rate_limits_wait_as_github_says() {
    let fake = FakeGitHub::start();
    let connector = github(&fake);
    fake.fail_next(
        1,
        Fault::RateLimited {
            retry_after_secs: 30,
        },
    );
    let error = connector
        .open(&fixtures::checkout())
        .await
        .expect_err("secondary limit");
    assert_eq!(
        error.retry_after(),
        Some(std::time::Duration::from_secs(30))
    );
    fake.fail_next(
        1,
        Fault::RateLimitReset {
            reset_after_secs: 120,
        },
    );
    let error = connector
        .open(&fixtures::checkout())
        .await
        .expect_err("rate limited");
    let wait = error.retry_after().expect("a wait");
    assert!(error.is_retryable());
    assert!(wait.as_secs() >= 118 && wait.as_secs() <= 120, "{wait:?}");
    let wrong = tracker(json!({
        "kind": "github", "api_url": fake.url(), "token": "ghp_wrong",
        "owner": FakeGitHub::OWNER, "repo": FakeGitHub::REPO,
    }));
    let error = wrong.open(&fixtures::checkout()).await.expect_err("401");
    assert!(matches!(error, ConnectorError::Permanent { .. }));
}
