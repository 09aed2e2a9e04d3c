use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use snag_fakes::FakeWebhook;

use crate::client;

fn sign(id: &str, timestamp: i64, body: &str) -> String {
    let key = base64::engine::general_purpose::STANDARD
        .decode(FakeWebhook::SECRET.trim_start_matches("whsec_"))
        .expect("key");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("hmac");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

fn send(fake: &FakeWebhook, id: &str, timestamp: i64, signature: &str) -> u16 {
    client()
        .post(fake.url())
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(r#"{"type":"defect.created"}"#)
        .send()
        .expect("send")
        .status()
        .as_u16()
}

#[test]
fn signatures_are_verified_per_the_spec() {
    let fake = FakeWebhook::start();
    let body = r#"{"type":"defect.created"}"#;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("time")
        .as_secs() as i64;
    let good = sign("msg_1", now, body);
    assert_eq!(send(&fake, "msg_1", now, &good), 204);
    // Any v1 entry of a space-separated list may match; other versions are ignored.
    assert_eq!(
        send(&fake, "msg_1", now, &format!("v1a,xyz v1,bm9wZQ== {good}")),
        204
    );
    assert_eq!(send(&fake, "msg_1", now, "v1,bm9wZQ=="), 401);
    assert_eq!(send(&fake, "msg_2", now, &good), 401, "the id is signed");
    let old = now - 6 * 60;
    assert_eq!(send(&fake, "msg_3", old, &sign("msg_3", old, body)), 400);
    let future = now + 6 * 60;
    assert_eq!(
        send(&fake, "msg_4", future, &sign("msg_4", future, body)),
        400
    );
    let missing = client().post(fake.url()).body(body).send().expect("send");
    assert_eq!(missing.status(), 400);
    assert_eq!(fake.deliveries().len(), 2);
    assert_eq!(fake.unique_events(), 1);
}
