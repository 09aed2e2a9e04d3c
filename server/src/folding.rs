//! Keeping the folding index in step with the store: rebuilt from stored features at start,
//! told about every lifecycle change staff make.

use snag_core::Status;
use snag_dedup::{DefectIndexState, EXEMPLARS, Folder, ReportFeatures};
use snag_storage::{FoldableDefect, Store, StoreError, Touched, now_millis};

/// The longest resolved window the index keeps defects for at start-up; a project's shorter
/// window is applied when matching.
const MAX_RESOLVED_WINDOW_DAYS: i64 = 365;

/// What a defect's status means for folding.
pub fn index_state(
    status: Status,
    merged_into: Option<&snag_core::DefectId>,
    at: i64,
) -> DefectIndexState {
    match (status, merged_into) {
        (Status::Duplicate, Some(survivor)) => DefectIndexState::MergedInto(survivor.clone()),
        (Status::Resolved | Status::Verified | Status::Closed, _) => DefectIndexState::Done(at),
        (Status::WontFix | Status::Duplicate, _) => DefectIndexState::Gone,
        _ => DefectIndexState::Open,
    }
}

/// Loads every foldable defect's exemplar reports into `folder`. Returns how many reports.
pub fn rebuild(store: &dyn Store, folder: &Folder) -> Result<usize, StoreError> {
    let done_since = now_millis() - MAX_RESOLVED_WINDOW_DAYS * 86_400_000;
    let (features, states) = store.fold_features(EXEMPLARS - 1, done_since)?;
    let mut loaded = 0;
    for stored in &features {
        // A blob from another version of the feature format is skipped, not fatal: that
        // report simply no longer attracts duplicates.
        if let Ok(decoded) = ReportFeatures::decode(&stored.features) {
            folder.load(stored.project.0, &stored.defect, &stored.report, decoded);
            loaded += 1;
        }
    }
    for FoldableDefect {
        project,
        id,
        status,
        merged_into,
        done_at,
    } in states
    {
        folder.set_state(
            project.0,
            &id,
            index_state(status, merged_into.as_ref(), done_at),
        );
    }
    Ok(loaded)
}

/// Tells the index what a staff action changed.
pub fn apply(
    folder: &Folder,
    touched: &[Touched],
    moved: Option<&(
        snag_core::ReportId,
        snag_core::DefectId,
        snag_core::DefectId,
    )>,
) {
    if let (Some((report, from, to)), Some(first)) = (moved, touched.first()) {
        folder.move_report(first.project.0, report, from, to);
    }
    for t in touched {
        folder.set_state(
            t.project.0,
            &t.id,
            index_state(t.status, t.merged_into.as_ref(), t.at),
        );
    }
}
