use super::*;
use crate::test_prelude::*;

fn id(n: u8) -> DefectId {
    DefectId::parse(&format!("0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a{n:02x}")).expect("an id")
}

fn new_defect() -> (DefectState, Vec<Change>) {
    let (state, created) = DefectState::created("Pay fails".into(), None, Some("checkout".into()));
    (state, vec![created])
}

fn record(state: &mut DefectState, history: &mut Vec<Change>, change: Change) {
    state.apply(&change);
    history.push(change);
}

#[test]
fn duplicate_is_reached_only_by_merging() {
    let (state, _) = new_defect();
    let err = state.transition(Status::Duplicate).unwrap_err();
    assert!(matches!(err, ChangeError::Transition(_)));
    let (mut merged, _) = new_defect();
    let (out, _) = merged
        .merge_into(&id(1), &id(2), &new_defect().0, 3)
        .expect("merge");
    merged.apply(&out);
    assert_eq!(merged.status, Status::Duplicate);
    assert!(merged.allowed_transitions().is_empty());
    assert!(merged.transition(Status::Reopened).is_err());
    assert!(merged.is_consistent());
}

#[test]
fn merging_refuses_self_chains_and_double_merges() {
    let (a, _) = new_defect();
    assert_eq!(
        a.merge_into(&id(1), &id(1), &a, 1),
        Err(ChangeError::MergeIntoSelf)
    );
    let (mut target, _) = new_defect();
    target.apply(&Change::MergedInto {
        into: id(9),
        from: Status::New,
    });
    assert_eq!(
        a.merge_into(&id(1), &id(2), &target, 1),
        Err(ChangeError::TargetMerged(id(9)))
    );
    let mut merged = a.clone();
    merged.apply(&Change::MergedInto {
        into: id(3),
        from: Status::Triaged,
    });
    assert_eq!(
        merged.merge_into(&id(1), &id(2), &a, 1),
        Err(ChangeError::AlreadyMerged(id(1)))
    );
}

#[test]
fn unmerge_restores_the_earlier_status() {
    let (mut state, mut history) = new_defect();
    record(
        &mut state,
        &mut history,
        Change::Status {
            from: Status::New,
            to: Status::Triaged,
        },
    );
    let (out, _) = state
        .merge_into(&id(1), &id(2), &new_defect().0, 2)
        .expect("merge");
    record(&mut state, &mut history, out);
    let (back, _) = state.unmerge(&id(1), Status::Triaged, 2).expect("unmerge");
    record(&mut state, &mut history, back);
    assert_eq!(state.status, Status::Triaged);
    assert_eq!(state.merged_into, None);
    assert_eq!(DefectState::replay(&history), Some(state));
}

#[test]
fn a_new_report_reopens_finished_work_only() {
    for (status, reopens) in [
        (Status::New, false),
        (Status::InProgress, false),
        (Status::Resolved, true),
        (Status::Verified, true),
        (Status::Closed, true),
        (Status::WontFix, false),
    ] {
        let (mut state, _) = new_defect();
        state.status = status;
        assert_eq!(state.on_new_report(true).is_some(), reopens, "{status}");
        assert_eq!(
            state.on_new_report(false),
            None,
            "{status}: reopening is configurable"
        );
    }
}

#[test]
fn a_patch_changes_only_what_differs_and_checks_text() {
    let (state, _) = new_defect();
    let patch: DefectPatch = serde_json::from_str(
        r#"{"severity": "critical", "priority": null, "assignee": "  ann  ", "component": "checkout"}"#,
    )
    .expect("a patch");
    let changes = state.patch(patch).expect("valid");
    assert_eq!(
        changes,
        vec![
            Change::Severity {
                from: None,
                to: Some(Severity::Critical)
            },
            Change::Assignee {
                from: None,
                to: Some("ann".into())
            },
        ]
    );
    let empty_title: DefectPatch = serde_json::from_str(r#"{"title": "   "}"#).expect("a patch");
    assert!(matches!(
        state.patch(empty_title),
        Err(ChangeError::Invalid { field: "title", .. })
    ));
    let long: DefectPatch =
        serde_json::from_value(serde_json::json!({"assignee": "a".repeat(201)})).expect("a patch");
    assert!(state.patch(long).is_err());
    assert!(
        serde_json::from_str::<DefectPatch>(r#"{"status": "closed"}"#).is_err(),
        "status moves by transition only"
    );
}

#[test]
fn history_replays_to_the_state() {
    let (mut state, mut history) = new_defect();
    for to in [
        Status::Triaged,
        Status::Assigned,
        Status::InProgress,
        Status::Resolved,
    ] {
        let change = state.transition(to).expect("legal");
        record(&mut state, &mut history, change);
    }
    let reopen = state
        .on_new_report(true)
        .expect("a resolved defect reopens");
    record(&mut state, &mut history, reopen);
    assert_eq!(state.status, Status::Reopened);
    let patch = DefectPatch {
        title: Some("Pay button dead".into()),
        ..DefectPatch::default()
    };
    for change in state.patch(patch).expect("valid") {
        record(&mut state, &mut history, change);
    }
    assert_eq!(DefectState::replay(&history), Some(state));
    let json = serde_json::to_string(&history).expect("serialize");
    let back: Vec<Change> = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, history);
}
