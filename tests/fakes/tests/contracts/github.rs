use serde_json::{Value, json};
use snag_fakes::FakeGitHub;

use crate::client;

fn create(fake: &FakeGitHub, body: Value, user_agent: Option<&str>, auth: &str) -> (u16, Value) {
    let mut request = client()
        .post(format!("{}/repos/acme/shop/issues", fake.url()))
        .header("Authorization", auth)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
        .json(&body);
    if let Some(ua) = user_agent {
        request = request.header("User-Agent", ua);
    }
    let response = request.send().expect("send");
    let status = response.status().as_u16();
    (status, response.json().unwrap_or(Value::Null))
}

#[test]
fn needs_a_user_agent_and_a_token() {
    let fake = FakeGitHub::start();
    let bearer = format!("Bearer {}", FakeGitHub::TOKEN);
    assert_eq!(create(&fake, json!({"title": "x"}), None, &bearer).0, 403);
    assert_eq!(
        create(&fake, json!({"title": "x"}), Some("t"), "Bearer nope").0,
        401
    );
    let (status, body) = create(
        &fake,
        json!({"title": "x"}),
        Some("t"),
        &format!("token {}", FakeGitHub::TOKEN),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["number"], 1);
}

#[test]
fn bodies_follow_the_schema_and_the_limits() {
    let fake = FakeGitHub::start();
    let bearer = format!("Bearer {}", FakeGitHub::TOKEN);
    for body in [
        json!({"body": "no title"}),
        json!({"title": "x", "labels": "not-a-list"}),
        json!({"title": "x".repeat(257)}),
        json!({"title": "x", "body": "y".repeat(65_537)}),
    ] {
        let (status, answer) = create(&fake, body, Some("t"), &bearer);
        assert_eq!(status, 422, "{answer}");
    }
    assert!(fake.issues().is_empty());
}
