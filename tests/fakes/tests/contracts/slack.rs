use serde_json::{Value, json};
use snag_fakes::FakeSlack;

use crate::client;

fn post(url: &str, body: Value) -> (u16, String) {
    let response = client().post(url).json(&body).send().expect("send");
    (response.status().as_u16(), response.text().expect("text"))
}

#[test]
fn block_kit_limits_are_enforced() {
    let fake = FakeSlack::start();
    let url = fake.webhook_url();
    let header =
        |n: usize| json!({"type": "header", "text": {"type": "plain_text", "text": "h".repeat(n)}});
    assert_eq!(
        post(&url, json!({"text": "t", "blocks": [header(150)]})),
        (200, "ok".into())
    );
    assert_eq!(
        post(&url, json!({"blocks": [header(151)]})),
        (400, "invalid_blocks".into())
    );
    let many: Vec<Value> = (0..51).map(|_| json!({"type": "divider"})).collect();
    assert_eq!(post(&url, json!({"blocks": many})).0, 400);
    let section = json!({"type": "section", "text": {"type": "mrkdwn", "text": "s".repeat(3001)}});
    assert_eq!(post(&url, json!({"blocks": [section]})).1, "invalid_blocks");
    assert_eq!(
        post(&url, json!({"username": "x"})),
        (400, "no_text".into())
    );
    assert_eq!(
        post(
            &format!("{}/services/T/B/other", fake.url()),
            json!({"text": "t"})
        ),
        (404, "no_service".into())
    );
    assert_eq!(fake.messages().len(), 1);
}
