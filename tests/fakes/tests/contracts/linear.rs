use serde_json::{Value, json};
use snag_fakes::FakeLinear;

use crate::client;

fn post(fake: &FakeLinear, authorization: &str, body: Value) -> (u16, Value) {
    let response = client()
        .post(format!("{}/graphql", fake.url()))
        .header("Authorization", authorization)
        .json(&body)
        .send()
        .expect("send");
    (response.status().as_u16(), response.json().expect("json"))
}

const CREATE: &str = "mutation($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier } } }";

#[test]
fn documents_are_validated_against_linears_schema() {
    let fake = FakeLinear::start();
    let (status, body) = post(
        &fake,
        FakeLinear::API_KEY,
        json!({"query": "{ issues { nodes { id nope } } }"}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{body}"
    );
    let (status, body) = post(
        &fake,
        FakeLinear::API_KEY,
        json!({"query": CREATE, "variables": {"input": {"teamId": FakeLinear::TEAM_ID, "titel": "typo"}}}),
    );
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(
        &fake,
        FakeLinear::API_KEY,
        json!({"query": CREATE, "variables": {"input": {"teamId": FakeLinear::TEAM_ID, "title": "x", "priority": "high"}}}),
    );
    assert_eq!(status, 400, "{body}");
    assert!(fake.issues().is_empty());
}

#[test]
fn api_keys_go_bare_and_oauth_tokens_as_bearer() {
    let fake = FakeLinear::start();
    let query = json!({"query": "{ issues(first: 1) { nodes { id } } }"});
    assert_eq!(post(&fake, FakeLinear::API_KEY, query.clone()).0, 200);
    assert_eq!(
        post(
            &fake,
            &format!("Bearer {}", FakeLinear::OAUTH_TOKEN),
            query.clone()
        )
        .0,
        200
    );
    let (status, body) = post(&fake, &format!("Bearer {}", FakeLinear::API_KEY), query);
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["extensions"]["type"],
        "authentication error"
    );
}

#[test]
fn client_chosen_ids_are_honoured_once() {
    let fake = FakeLinear::start();
    let id = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    let input = json!({"input": {"id": id, "teamId": FakeLinear::TEAM_ID, "title": "Pay fails"}});
    let (status, body) = post(
        &fake,
        FakeLinear::API_KEY,
        json!({"query": CREATE, "variables": input}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["issueCreate"]["issue"]["id"], id);
    assert_eq!(body["data"]["issueCreate"]["issue"]["identifier"], "ENG-1");
    let (status, body) = post(
        &fake,
        FakeLinear::API_KEY,
        json!({"query": CREATE, "variables": input}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["extensions"]["type"], "invalid input",
        "{body}"
    );
    let v1 = json!({"input": {"id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "teamId": FakeLinear::TEAM_ID, "title": "x"}});
    assert_eq!(
        post(
            &fake,
            FakeLinear::API_KEY,
            json!({"query": CREATE, "variables": v1})
        )
        .0,
        400
    );
    assert_eq!(fake.issues().len(), 1);
}
