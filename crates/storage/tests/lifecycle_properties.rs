//! Any sequence of staff actions and new reports, run against a real SQLite store, leaves
//! every defect in a valid state whose history replays to it, with consistent counts.

mod common;

use common::Decided;

use proptest::prelude::*;
use snag_core::{
    DefectId, DefectPatch, DefectState, ReportId, ReportPayload, Severity, Source, Status,
};
use snag_storage::{
    DefectOp, NewDefect, NewReport, OutboxAction, OutboxRequest, ProjectId, Store, StoreError,
};

#[derive(Debug, Clone)]
enum Op {
    Report {
        join: Option<usize>,
    },
    Transition {
        defect: usize,
        to: usize,
    },
    Patch {
        defect: usize,
        severity: Option<usize>,
        assignee: bool,
    },
    Merge {
        defect: usize,
        into: usize,
    },
    Unmerge {
        defect: usize,
    },
    Split {
        defect: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => proptest::option::of(0..8usize).prop_map(|join| Op::Report { join }),
        4 => (0..8usize, 0..Status::ALL.len()).prop_map(|(defect, to)| Op::Transition { defect, to }),
        1 => (0..8usize, proptest::option::of(0..4usize), any::<bool>())
            .prop_map(|(defect, severity, assignee)| Op::Patch { defect, severity, assignee }),
        2 => (0..8usize, 0..8usize).prop_map(|(defect, into)| Op::Merge { defect, into }),
        1 => (0..8usize).prop_map(|defect| Op::Unmerge { defect }),
        1 => (0..8usize).prop_map(|defect| Op::Split { defect }),
    ]
}

fn hook() -> Vec<OutboxRequest> {
    vec![OutboxRequest {
        connector: "hook".into(),
        action: OutboxAction::Event,
    }]
}

fn new_id(counter: &mut u64) -> String {
    *counter += 1;
    format!("00000000-0000-7000-8000-{:012x}", *counter)
}

fn report(project: ProjectId, counter: &mut u64, at: i64) -> NewReport {
    let id = ReportId::parse(&new_id(counter)).expect("id");
    let defect = DefectId::parse(&new_id(counter)).expect("id");
    NewReport {
        id,
        project_id: project,
        received_at: at,
        payload: ReportPayload {
            description: Some(format!("report {counter}")),
            ..ReportPayload::default()
        },
        enriched: Default::default(),
        screenshot: None,
        thumbnail: None,
        idempotency_key: None,
        new_defect: NewDefect {
            id: defect,
            title: format!("defect {counter}"),
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
                connector: "tracker".into(),
                action: OutboxAction::Ticket,
            },
            OutboxRequest {
                connector: "hook".into(),
                action: OutboxAction::Event,
            },
        ],
    }
}

/// Only rule refusals are acceptable failures; anything else is a bug.
fn expected_refusal(result: Result<impl Sized, StoreError>) {
    match result {
        Ok(_) | Err(StoreError::Change(_) | StoreError::NotFound(_) | StoreError::Conflict(_)) => {}
        Err(other) => panic!("unexpected store error: {other}"),
    }
}

fn run(ops: Vec<Op>) {
    let mut fixture = common::Fixture::new();
    let (store, runtime, project) = (&fixture.store, &fixture.runtime, fixture.project);
    let counter = &mut fixture.counter;
    let mut defects: Vec<DefectId> = Vec::new();
    let mut reports: Vec<ReportId> = Vec::new();
    for (step, op) in ops.into_iter().enumerate() {
        let pick = |i: usize, list: &Vec<DefectId>| list.get(i % list.len().max(1)).cloned();
        match op {
            Op::Report { join } => {
                let new = report(project, counter, step as i64);
                let target = join.and_then(|i| pick(i, &defects));
                let accepted = runtime
                    .block_on(store.insert_report(new, Box::new(Decided(target))))
                    .expect("ingest");
                reports.push(accepted.report_id);
                if !defects.contains(&accepted.defect_id) {
                    defects.push(accepted.defect_id);
                }
            }
            Op::Transition { defect, to } => {
                let Some(id) = pick(defect, &defects) else {
                    continue;
                };
                let op = DefectOp::Transition {
                    to: Status::ALL[to],
                    note: None,
                };
                expected_refusal(runtime.block_on(store.update_defect(id, op, "t".into(), hook())));
            }
            Op::Patch {
                defect,
                severity,
                assignee,
            } => {
                let Some(id) = pick(defect, &defects) else {
                    continue;
                };
                let patch = DefectPatch {
                    severity: Some(severity.map(|s| Severity::ALL[s])),
                    assignee: Some(assignee.then(|| "ann".to_owned())),
                    ..DefectPatch::default()
                };
                expected_refusal(runtime.block_on(store.update_defect(
                    id,
                    DefectOp::Patch(patch),
                    "t".into(),
                    hook(),
                )));
            }
            Op::Merge { defect, into } => {
                let (Some(id), Some(into)) = (pick(defect, &defects), pick(into, &defects)) else {
                    continue;
                };
                expected_refusal(runtime.block_on(store.update_defect(
                    id,
                    DefectOp::Merge { into },
                    "t".into(),
                    hook(),
                )));
            }
            Op::Unmerge { defect } => {
                let Some(id) = pick(defect, &defects) else {
                    continue;
                };
                expected_refusal(runtime.block_on(store.update_defect(
                    id,
                    DefectOp::Unmerge,
                    "t".into(),
                    hook(),
                )));
            }
            Op::Split { defect } => {
                let Some(id) = pick(defect, &defects) else {
                    continue;
                };
                let Some(detail) = store.get_defect(&id).expect("read") else {
                    continue;
                };
                let Some(first) = detail.reports.first() else {
                    continue;
                };
                let new_defect = DefectId::parse(&new_id(counter)).expect("id");
                let op = DefectOp::Split {
                    report: first.id.clone(),
                    new_defect: new_defect.clone(),
                };
                let result = runtime.block_on(store.update_defect(id, op, "t".into(), hook()));
                if result.is_ok() {
                    defects.push(new_defect);
                }
                expected_refusal(result);
            }
        }
    }
    let mut total_reports = 0;
    for id in &defects {
        let detail = store
            .get_defect(id)
            .expect("read")
            .expect("every defect exists");
        let changes: Vec<_> = detail
            .history
            .iter()
            .map(|e| e.change.clone().expect("every event has its change"))
            .collect();
        let replayed = DefectState::replay(&changes).expect("history starts with created");
        let d = &detail.defect;
        let stored = DefectState {
            status: d.status,
            severity: d.severity,
            priority: d.priority,
            assignee: d.assignee.clone(),
            component: d.component.clone(),
            title: d.title.clone(),
            merged_into: d.merged_into.clone(),
        };
        assert_eq!(replayed, stored, "history of {id} replays to its state");
        assert!(
            stored.is_consistent(),
            "{id}: duplicate exactly when merged"
        );
        assert_eq!(
            d.report_count as usize,
            detail.reports.len(),
            "{id}: count matches its reports"
        );
        if let Some(survivor) = &d.merged_into {
            let target = store
                .get_defect(survivor)
                .expect("read")
                .expect("survivor exists");
            assert_ne!(
                target.defect.status,
                Status::Duplicate,
                "merges never chain"
            );
            assert_eq!(
                d.report_count, 0,
                "a duplicate's reports live on its survivor"
            );
        }
        total_reports += detail.reports.len();
    }
    assert_eq!(total_reports, reports.len(), "no report lost or doubled");
    store.close();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_leaves_valid_replayable_defects(ops in proptest::collection::vec(op(), 1..40)) {
        run(ops);
    }
}
