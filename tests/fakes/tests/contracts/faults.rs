use std::time::{Duration, Instant};

use snag_fakes::{FakeSlack, Fault};

use crate::client;

fn post(fake: &FakeSlack, timeout: Duration) -> Result<u16, reqwest::Error> {
    reqwest::blocking::Client::builder()
        .timeout(timeout)
        .build()
        .expect("client")
        .post(fake.webhook_url())
        .json(&serde_json::json!({"text": "hi"}))
        .send()
        .map(|r| r.status().as_u16())
}

#[test]
fn faults_come_in_order_then_the_service_answers() {
    let fake = FakeSlack::start();
    fake.fail_next(1, Fault::Status(500));
    fake.fail_next(
        1,
        Fault::RateLimited {
            retry_after_secs: 7,
        },
    );
    assert_eq!(post(&fake, Duration::from_secs(5)).expect("answer"), 500);
    let limited = client()
        .post(fake.webhook_url())
        .json(&serde_json::json!({"text": "hi"}))
        .send()
        .expect("answer");
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "7");
    assert_eq!(post(&fake, Duration::from_secs(5)).expect("answer"), 200);
    assert_eq!(fake.messages().len(), 1);
}

#[test]
fn a_dropped_connection_and_a_hang_give_no_answer() {
    let fake = FakeSlack::start();
    fake.fail_next(1, Fault::Drop);
    let dropped = post(&fake, Duration::from_secs(5)).expect_err("dropped");
    assert!(!dropped.is_timeout(), "{dropped:?}");
    fake.fail_next(1, Fault::Hang);
    let started = Instant::now();
    let hung = post(&fake, Duration::from_millis(300)).expect_err("hung");
    assert!(hung.is_timeout(), "{hung:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(fake.messages().is_empty());
    assert_eq!(
        fake.requests().len(),
        2,
        "both requests were read and logged"
    );
}

#[test]
fn a_standing_fault_lasts_until_healed() {
    let fake = FakeSlack::start();
    fake.fail_always(Fault::Status(503));
    assert_eq!(post(&fake, Duration::from_secs(5)).expect("answer"), 503);
    assert_eq!(post(&fake, Duration::from_secs(5)).expect("answer"), 503);
    fake.heal();
    assert_eq!(post(&fake, Duration::from_secs(5)).expect("answer"), 200);
}
