use base64::Engine as _;
use serde_json::{Value, json};
use snag_fakes::FakeJira;

use crate::client;

fn auth() -> String {
    let pair = format!("{}:{}", FakeJira::EMAIL, FakeJira::API_TOKEN);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

fn create(fake: &FakeJira, body: &Value) -> (u16, Value) {
    let response = client()
        .post(format!("{}/rest/api/3/issue", fake.url()))
        .header("Authorization", auth())
        .json(body)
        .send()
        .expect("send");
    (
        response.status().as_u16(),
        response.json().unwrap_or(Value::Null),
    )
}

fn issue(description: Value) -> Value {
    json!({"fields": {
        "project": {"key": "SHOP"},
        "issuetype": {"name": "Bug"},
        "summary": "Checkout fails",
        "description": description,
    }})
}

fn doc(content: Value) -> Value {
    json!({"type": "doc", "version": 1, "content": content})
}

#[test]
fn accepts_a_valid_issue_and_assigns_keys() {
    let fake = FakeJira::start();
    let (status, body) = create(
        &fake,
        &issue(doc(
            json!([{"type": "paragraph", "content": [{"type": "text", "text": "hi"}]}]),
        )),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["key"], "SHOP-1");
    let (_, body) = create(&fake, &issue(doc(json!([]))));
    assert_eq!(body["key"], "SHOP-2");
}

#[test]
fn refuses_what_is_not_adf() {
    let fake = FakeJira::start();
    for description in [
        json!("a plain string, as in REST v2"),
        doc(json!([{"type": "text", "text": "text directly under doc"}])),
        doc(json!([{"type": "paragraph", "content": [{"type": "text", "text": ""}]}])),
        doc(json!([{"type": "orderedList", "content": []}])),
        json!({"type": "doc", "version": 2, "content": []}),
    ] {
        let (status, body) = create(&fake, &issue(description.clone()));
        assert_eq!(status, 400, "{description} → {body}");
        assert!(body["errors"]["description"].is_string(), "{body}");
    }
    assert!(fake.issues().is_empty());
}

#[test]
fn refuses_bad_fields_auth_and_paths() {
    let fake = FakeJira::start();
    let mut long = issue(doc(json!([])));
    long["fields"]["summary"] = json!("x".repeat(256));
    long["fields"]["labels"] = json!(["has space"]);
    long["fields"]["customfield_10000"] = json!("?");
    let (status, body) = create(&fake, &long);
    assert_eq!(status, 400);
    for field in ["summary", "labels", "customfield_10000"] {
        assert!(body["errors"][field].is_string(), "{field}: {body}");
    }
    let anonymous = client()
        .post(format!("{}/rest/api/3/issue", fake.url()))
        .json(&issue(doc(json!([]))))
        .send()
        .expect("send");
    assert_eq!(anonymous.status(), 401);
    let unknown = client()
        .post(format!("{}/rest/api/2/issue", fake.url()))
        .header("Authorization", auth())
        .send()
        .expect("send");
    assert_eq!(unknown.status(), 404);
}

#[test]
fn attachments_need_the_xsrf_header_and_a_file_part() {
    let fake = FakeJira::start();
    create(&fake, &issue(doc(json!([]))));
    let url = format!("{}/rest/api/3/issue/SHOP-1/attachments", fake.url());
    let form = || {
        reqwest::blocking::multipart::Form::new().part(
            "file",
            reqwest::blocking::multipart::Part::bytes(vec![1, 2, 3]).file_name("a.png"),
        )
    };
    let blocked = client()
        .post(&url)
        .header("Authorization", auth())
        .multipart(form())
        .send()
        .expect("send");
    assert_eq!(blocked.status(), 403);
    let wrong_part = reqwest::blocking::multipart::Form::new().part(
        "attachment",
        reqwest::blocking::multipart::Part::bytes(vec![1]).file_name("a.png"),
    );
    let refused = client()
        .post(&url)
        .header("Authorization", auth())
        .header("X-Atlassian-Token", "no-check")
        .multipart(wrong_part)
        .send()
        .expect("send");
    assert_eq!(refused.status(), 400);
    let ok = client()
        .post(&url)
        .header("Authorization", auth())
        .header("X-Atlassian-Token", "no-check")
        .multipart(form())
        .send()
        .expect("send");
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().expect("json");
    assert_eq!(body[0]["filename"], "a.png");
}

#[test]
fn search_takes_bounded_jql_only() {
    let fake = FakeJira::start();
    let search = |body: Value| {
        client()
            .post(format!("{}/rest/api/3/search/jql", fake.url()))
            .header("Authorization", auth())
            .json(&body)
            .send()
            .expect("send")
            .status()
            .as_u16()
    };
    assert_eq!(
        search(json!({"jql": "project = SHOP AND labels = \"snag-x\"", "fields": ["attachment"]})),
        200
    );
    assert_eq!(search(json!({"jql": "order by key desc"})), 400);
    assert_eq!(
        search(json!({"jql": "project = SHOP", "startAt": 0})),
        400,
        "startAt belongs to the old search"
    );
}
