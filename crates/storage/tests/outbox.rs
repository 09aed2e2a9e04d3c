//! The outbox on a real SQLite store: rows written with their report, delivered in order per
//! defect and connector, leased, retried, dead-lettered and retried by staff.

mod common;

use common::{Decided, Fixture};
use snag_core::{DefectId, ReportId, ReportPayload, Source};
use snag_storage::{
    DeliveryOutcome, NewDefect, NewReport, OutboxAction, OutboxRequest, OutboxState, Store, Ticket,
    now_millis,
};

impl Fixture {
    /// Stores a report routed to a tracker and a Slack notice; joins `join` if given.
    fn report(&mut self, join: Option<&DefectId>) -> (ReportId, DefectId) {
        let report = NewReport {
            id: ReportId::parse(&self.id()).expect("id"),
            project_id: self.project,
            received_at: now_millis(),
            payload: ReportPayload {
                description: Some("broken".into()),
                ..ReportPayload::default()
            },
            enriched: Default::default(),
            screenshot: None,
            thumbnail: None,
            idempotency_key: None,
            new_defect: NewDefect {
                id: DefectId::parse(&self.id()).expect("id"),
                title: "broken".into(),
                severity: None,
                component: None,
                route: None,
                category: None,
                environment: None,
                source: Source::Api,
            },
            features: None,
            reopen_on_new_report: true,
            outbox: vec![
                OutboxRequest {
                    connector: "jira".into(),
                    action: OutboxAction::Ticket,
                },
                OutboxRequest {
                    connector: "slack".into(),
                    action: OutboxAction::NotifyNew,
                },
            ],
        };
        let accepted = self
            .runtime
            .block_on(
                self.store
                    .insert_report(report, Box::new(Decided(join.cloned()))),
            )
            .expect("ingest");
        (accepted.report_id, accepted.defect_id)
    }

    fn claim(&self, connector: &str, lease: i64) -> Vec<snag_storage::OutboxRow> {
        self.runtime
            .block_on(self.store.claim_outbox(connector.into(), lease, 10))
            .expect("claim")
    }

    fn complete(&self, id: i64, outcome: DeliveryOutcome) {
        self.runtime
            .block_on(self.store.complete_outbox(id, outcome))
            .expect("complete");
    }
}

#[test]
fn rows_of_one_defect_go_out_in_order_one_at_a_time() {
    let mut f = Fixture::new();
    let (first_report, defect) = f.report(None);
    let (second_report, joined) = f.report(Some(&defect));
    assert_eq!(joined, defect);
    let (_, other_defect) = f.report(None);

    let claimed = f.claim("jira", 60_000);
    let reports: Vec<_> = claimed.iter().map(|r| r.report.clone()).collect();
    assert_eq!(
        claimed.len(),
        2,
        "the first row of each defect: {reports:?}"
    );
    assert!(reports.contains(&Some(first_report.clone())));
    assert!(
        !reports.contains(&Some(second_report.clone())),
        "waits for the ticket to exist"
    );
    assert!(
        f.claim("jira", 60_000).is_empty(),
        "claimed rows are leased"
    );

    let first = claimed
        .iter()
        .find(|r| r.report == Some(first_report.clone()))
        .expect("first");
    let ticket = Ticket {
        defect: defect.clone(),
        connector: "jira".into(),
        external_id: "10001".into(),
        key: "SHOP-1".into(),
        url: "https://jira.example/browse/SHOP-1".into(),
        created_at: snag_core::Timestamp(0),
    };
    f.complete(
        first.id,
        DeliveryOutcome::Delivered {
            ticket: Some(ticket),
        },
    );
    let next = f.claim("jira", 60_000);
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].report, Some(second_report));
    assert_eq!(
        f.store
            .ticket(&defect, "jira")
            .expect("read")
            .map(|t| t.key),
        Some("SHOP-1".into())
    );
    assert!(
        f.store
            .ticket(&other_defect, "jira")
            .expect("read")
            .is_none()
    );

    // Slack hears about new defects only: two, not three.
    assert_eq!(f.claim("slack", 60_000).len(), 2);
}

#[test]
fn retries_wait_dead_letters_stay_until_retried() {
    let mut f = Fixture::new();
    f.report(None);
    let row = f.claim("jira", 60_000).pop().expect("a row");
    f.complete(
        row.id,
        DeliveryOutcome::Retry {
            at: now_millis() + 3_600_000,
            error: "503".into(),
        },
    );
    assert!(f.claim("jira", 0).is_empty(), "not due yet");
    let listed = f
        .store
        .list_outbox(Some(OutboxState::Pending), 10)
        .expect("list");
    let jira = listed
        .iter()
        .find(|r| r.connector == "jira")
        .expect("the jira row");
    assert_eq!(
        (jira.attempts, jira.last_error.as_deref()),
        (1, Some("503"))
    );

    f.complete(
        row.id,
        DeliveryOutcome::Dead {
            error: "401 bad token".into(),
        },
    );
    assert_eq!(
        f.store
            .list_outbox(Some(OutboxState::Dead), 10)
            .expect("list")
            .len(),
        1
    );
    assert!(f.claim("jira", 0).is_empty());
    let revived = f
        .runtime
        .block_on(f.store.retry_outbox(Some(row.id)))
        .expect("retry");
    assert_eq!(revived, 1);
    let again = f.claim("jira", 0);
    assert_eq!((again.len(), again[0].attempts), (1, 0));
}

#[test]
fn an_expired_lease_is_claimed_again() {
    let mut f = Fixture::new();
    f.report(None);
    assert_eq!(
        f.claim("jira", 0).len(),
        1,
        "a zero lease expires at once, as after a crash"
    );
    assert_eq!(f.claim("jira", 60_000).len(), 1);
}
