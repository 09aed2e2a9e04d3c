//! Forwarding through the real binary to local fakes that check the trackers' contracts:
//! exactly one ticket per defect, comments for later reports, Slack notices for new defects,
//! signed webhook events; faults, kill -9 mid-delivery, dead letters and their retry.

use std::path::Path;
use std::time::{Duration, Instant};

use e2e::{Options, Snag, create_project, create_token, snag_command};
use serde_json::{Value, json};
use snag_fakes::{FakeJira, FakeSlack, FakeWebhook, Fault};

use crate::client::{http, post, staff_get};

/// A config file sending every defect of project `shop` to the fakes, with short timeouts,
/// leases and backoff so faults resolve within a test.
fn write_config(
    dir: &Path,
    jira: &FakeJira,
    slack: &FakeSlack,
    hook: &FakeWebhook,
    jira_total_ms: u64,
) -> std::path::PathBuf {
    let config = format!(
        r#"
[outbox]
max_attempts = 10
min_delay_ms = 200
max_delay_secs = 1
lease_secs = 2
poll_ms = 100
delivery_timeout_secs = 30

[connectors.jira]
kind = "jira"
base_url = "{jira}"
email = "{email}"
api_token = "{token}"
project_key = "{project}"
timeouts = {{ connect_ms = 500, total_ms = {jira_total_ms} }}

[connectors.alerts]
kind = "slack"
webhook_url = "{slack}"

[connectors.hook]
kind = "webhook"
url = "{hook}"
secret = "{secret}"

[[forwarding]]
project = "shop"
connectors = ["jira", "alerts", "hook"]
"#,
        jira = jira.url(),
        email = FakeJira::EMAIL,
        token = FakeJira::API_TOKEN,
        project = FakeJira::PROJECT,
        slack = slack.webhook_url(),
        hook = hook.url(),
        secret = FakeWebhook::SECRET,
    );
    let path = dir.join("snag.toml");
    std::fs::write(&path, config).expect("writing the config");
    path
}

struct Setup {
    jira: FakeJira,
    slack: FakeSlack,
    hook: FakeWebhook,
    data: tempfile::TempDir,
    config: std::path::PathBuf,
    key: String,
}

fn setup() -> Setup {
    setup_with_jira_timeout(1_500)
}

fn setup_with_jira_timeout(jira_total_ms: u64) -> Setup {
    let (jira, slack, hook) = (FakeJira::start(), FakeSlack::start(), FakeWebhook::start());
    let data = tempfile::tempdir().expect("a data directory");
    let config = write_config(data.path(), &jira, &slack, &hook, jira_total_ms);
    let key = create_project(data.path(), &["--name", "shop", "--allow-no-origin"]);
    Setup {
        jira,
        slack,
        hook,
        data,
        config,
        key,
    }
}

fn start(setup: &Setup) -> Snag {
    Snag::start_with(
        Options::default()
            .data_dir(setup.data.path())
            .env("SNAG_CONFIG", setup.config.display()),
    )
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn pay_report(user: u32) -> Value {
    json!({
        "description": format!("The pay button does nothing when I click it (user {user})"),
        "page": {"url": format!("https://shop.example/checkout/{}/pay", 100 + user)},
        "console": [{"level": "error", "message": "TypeError: Cannot read properties of undefined (reading 'total')\n    at PaymentForm.submit (https://shop.example/static/checkout.8f2a1b.js:1:48213)"}]
    })
}

#[test]
fn each_defect_gets_one_ticket_comments_a_notice_and_signed_events() {
    let s = setup();
    let snag = start(&s);
    let first = post(&snag, &s.key, &pay_report(1));
    let defect = first.body["defect_id"]
        .as_str()
        .expect("a defect")
        .to_owned();
    for user in 2..=3 {
        assert_eq!(
            post(&snag, &s.key, &pay_report(user)).body["defect_id"].as_str(),
            Some(defect.as_str())
        );
    }
    let other = post(
        &snag,
        &s.key,
        &json!({"description": "Invoice PDF shows the old billing address", "page": {"url": "https://shop.example/orders/9/invoice"}}),
    );
    let other_defect = other.body["defect_id"]
        .as_str()
        .expect("a defect")
        .to_owned();
    assert_ne!(other_defect, defect);

    wait_until(
        "two tickets with two comments",
        Duration::from_secs(20),
        || {
            s.jira.tickets_for_defect(&defect) == 1
                && s.jira.tickets_for_defect(&other_defect) == 1
                && s.jira
                    .issues()
                    .iter()
                    .map(|i| i.comments.len())
                    .sum::<usize>()
                    == 2
        },
    );
    wait_until(
        "two Slack notices and four events",
        Duration::from_secs(20),
        || s.slack.messages().len() == 2 && s.hook.unique_events() == 4,
    );
    // The receiver records only deliveries whose Standard Webhooks signature verified.
    let kinds: Vec<String> = s
        .hook
        .deliveries()
        .iter()
        .map(|d| d.body["type"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "defect.created").count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| *k == "defect.report_added").count(),
        2,
        "{kinds:?}"
    );

    let token = create_token(s.data.path());
    wait_until(
        "the ticket recorded on the defect",
        Duration::from_secs(10),
        || {
            staff_get(&snag, &token, &format!("/api/v1/defects/{defect}")).body["tickets"]
                .as_array()
                .is_some_and(|t| t.len() == 1)
        },
    );
    let detail = staff_get(&snag, &token, &format!("/api/v1/defects/{defect}"));
    let ticket = &detail.body["tickets"][0];
    assert_eq!(ticket["connector"], "jira");
    assert!(
        ticket["key"]
            .as_str()
            .is_some_and(|k| k.starts_with(FakeJira::PROJECT)),
        "{ticket}"
    );

    // A staff change is an event too.
    let moved = http()
        .post(snag.url(&format!("/api/v1/defects/{defect}/transitions")))
        .bearer_auth(&token)
        .json(&json!({"to": "triaged"}))
        .send()
        .expect("transition");
    assert_eq!(moved.status().as_u16(), 200);
    wait_until("the change event", Duration::from_secs(10), || {
        s.hook.unique_events() == 5
    });
    assert_eq!(
        s.jira.tickets_for_defect(&defect),
        1,
        "still exactly one ticket"
    );
}

#[test]
fn errors_rate_limits_hangs_and_cut_connections_still_give_one_ticket() {
    let s = setup();
    s.jira.fail_next(1, Fault::Status(500));
    s.jira.fail_next(
        1,
        Fault::RateLimited {
            retry_after_secs: 1,
        },
    );
    s.jira.fail_next(1, Fault::Drop);
    s.jira.fail_next(1, Fault::Hang);
    let snag = start(&s);
    let started = Instant::now();
    let report = post(&snag, &s.key, &pay_report(1));
    assert_eq!(report.status, 202);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a failing tracker never holds up ingest"
    );
    let defect = report.body["defect_id"]
        .as_str()
        .expect("a defect")
        .to_owned();
    wait_until(
        "the ticket after four faults",
        Duration::from_secs(30),
        || s.jira.tickets_for_defect(&defect) == 1,
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(s.jira.tickets_for_defect(&defect), 1);
    // Slack was never held up by Jira's trouble.
    assert_eq!(s.slack.messages().len(), 1);
}

#[test]
fn kill_9_between_the_trackers_answer_and_the_commit_makes_no_second_ticket() {
    // Jira creates the issue at once but answers only after five seconds; the connector waits
    // that long, and the server dies meanwhile.
    let s = setup_with_jira_timeout(10_000);
    s.jira
        .fail_always(Fault::SlowAnswer(Duration::from_secs(5)));
    let snag = start(&s);
    let defect = post(&snag, &s.key, &pay_report(1)).body["defect_id"]
        .as_str()
        .expect("a defect")
        .to_owned();
    wait_until("Jira to have the issue", Duration::from_secs(10), || {
        s.jira.tickets_for_defect(&defect) == 1
    });
    snag.kill_hard();
    s.jira.heal();

    let again = start(&s);
    let token = create_token(s.data.path());
    wait_until(
        "the ticket recorded after the restart",
        Duration::from_secs(20),
        || {
            staff_get(&again, &token, &format!("/api/v1/defects/{defect}")).body["tickets"]
                .as_array()
                .is_some_and(|t| t.len() == 1)
        },
    );
    assert_eq!(
        s.jira.tickets_for_defect(&defect),
        1,
        "found by its marker, not created again"
    );
}

#[test]
fn a_dead_letter_is_listed_and_can_be_retried() {
    let s = setup();
    s.jira.fail_always(Fault::Status(401));
    let snag = start(&s);
    let defect = post(&snag, &s.key, &pay_report(1)).body["defect_id"]
        .as_str()
        .expect("a defect")
        .to_owned();
    let token = create_token(s.data.path());
    let dead = || {
        staff_get(&snag, &token, "/api/v1/outbox?state=dead").body["rows"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    wait_until("the row dead-lettered", Duration::from_secs(20), || {
        !dead().is_empty()
    });
    let row = dead()[0].clone();
    assert_eq!(row["connector"], "jira");
    assert!(
        row["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("401")),
        "{row}"
    );
    assert!(
        !row["last_error"]
            .as_str()
            .unwrap_or("")
            .contains(FakeJira::API_TOKEN),
        "no secret in errors"
    );

    let listed = snag_command(
        s.data.path(),
        &["outbox", "list", "--state", "dead", "--json"],
    );
    assert!(listed.status.success());
    let rows: Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    assert_eq!(rows[0]["id"], row["id"]);

    s.jira.heal();
    let id = row["id"].as_i64().expect("an id");
    let retried = snag_command(s.data.path(), &["outbox", "retry", "--id", &id.to_string()]);
    assert!(
        retried.status.success(),
        "{}",
        String::from_utf8_lossy(&retried.stderr)
    );
    wait_until("the retried ticket", Duration::from_secs(20), || {
        s.jira.tickets_for_defect(&defect) == 1
    });
    let again = http()
        .post(snag.url(&format!("/api/v1/outbox/{id}/retry")))
        .bearer_auth(&token)
        .send()
        .expect("retry");
    assert_eq!(again.status().as_u16(), 404, "a delivered row is not dead");
}
