//! Staff actions on defects: patch, transition, merge, unmerge, split. Each runs in the
//! writer; the rules are `snag_core::DefectState`'s, this module loads, asks and stores.

use rusqlite::{Connection, OptionalExtension, params};
use snag_core::{
    Change, DefectId, DefectPatch, DefectState, ReportId, ReportPayload, Status, defect_title,
};

use crate::lifecycle::{self, Loaded};
use crate::model::{Millis, OutboxRequest, ProjectId};
use crate::outbox;
use crate::search;
use crate::{StoreError, parse_id};

/// Defect titles are one line in lists and ticket summaries.
const TITLE_CHARS: usize = 120;

#[derive(Debug, Clone)]
pub enum DefectOp {
    Patch(DefectPatch),
    Transition {
        to: Status,
        note: Option<String>,
    },
    /// Merge this defect into `into`: its reports move there and it becomes a duplicate.
    Merge {
        into: DefectId,
    },
    /// Undo this defect's merge: its reports move back and its status returns.
    Unmerge,
    /// Move `report` out of this defect into a new defect with id `new_defect`.
    Split {
        report: ReportId,
        new_defect: DefectId,
    },
}

/// A defect an action changed, as folding needs to know it.
#[derive(Debug, Clone, PartialEq)]
pub struct Touched {
    pub project: ProjectId,
    pub id: DefectId,
    pub status: Status,
    pub merged_into: Option<DefectId>,
    pub at: Millis,
}

#[derive(Debug, Clone)]
pub struct OpOutcome {
    /// The defect the caller should show: the one acted on, or the new one of a split.
    pub defect: DefectId,
    pub touched: Vec<Touched>,
    /// For a split: the report that moved, from, to.
    pub moved: Option<(ReportId, DefectId, DefectId)>,
}

fn touched(project: ProjectId, id: &DefectId, state: &DefectState, at: Millis) -> Touched {
    Touched {
        project,
        id: id.clone(),
        status: state.status,
        merged_into: state.merged_into.clone(),
        at,
    }
}

fn load(conn: &Connection, id: &DefectId) -> Result<Loaded, StoreError> {
    lifecycle::load(conn, id)?.ok_or(StoreError::NotFound("defect"))
}

/// Runs `op`, then writes a webhook event row for each defect it changed, to the connectors
/// in `events`.
pub(crate) fn run_and_announce(
    conn: &Connection,
    id: &DefectId,
    op: DefectOp,
    actor: &str,
    events: &[OutboxRequest],
    at: Millis,
) -> Result<OpOutcome, StoreError> {
    let outcome = run(conn, id, op, actor, at)?;
    if !events.is_empty() {
        let event = serde_json::json!({ "type": "defect.changed", "actor": actor });
        for touched in &outcome.touched {
            outbox::enqueue(
                conn,
                touched.project,
                &touched.id,
                None,
                events,
                false,
                &event,
                at,
            )?;
        }
    }
    Ok(outcome)
}

fn run(
    conn: &Connection,
    id: &DefectId,
    op: DefectOp,
    actor: &str,
    at: Millis,
) -> Result<OpOutcome, StoreError> {
    let mut loaded = load(conn, id)?;
    let project = loaded.project;
    let simple = |changes: Vec<Change>,
                  note: Option<&str>,
                  loaded: &mut Loaded|
     -> Result<OpOutcome, StoreError> {
        lifecycle::record(conn, id, &mut loaded.state, &changes, actor, note, at)?;
        Ok(OpOutcome {
            defect: id.clone(),
            touched: vec![touched(project, id, &loaded.state, at)],
            moved: None,
        })
    };
    match op {
        DefectOp::Patch(patch) => {
            let changes = loaded.state.patch(patch)?;
            simple(changes, None, &mut loaded)
        }
        DefectOp::Transition { to, note } => {
            let change = loaded.state.transition(to)?;
            simple(vec![change], note.as_deref(), &mut loaded)
        }
        DefectOp::Merge { into } => merge(conn, id, loaded, &into, actor, at),
        DefectOp::Unmerge => unmerge(conn, id, loaded, actor, at),
        DefectOp::Split { report, new_defect } => {
            split(conn, id, loaded, &report, &new_defect, actor, at)
        }
    }
}

fn report_count(conn: &Connection, id: &DefectId) -> Result<u32, StoreError> {
    let count: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM reports WHERE defect_id = ?1")?
        .query_row([id.as_str()], |row| row.get(0))?;
    Ok(count as u32)
}

/// Recounts a defect's reports and first/last seen from the reports it now holds.
fn refresh_counts(conn: &Connection, id: &DefectId) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE defects SET
            report_count = (SELECT COUNT(*) FROM reports WHERE defect_id = ?1),
            first_seen = COALESCE((SELECT MIN(received_at) FROM reports WHERE defect_id = ?1), first_seen),
            last_seen = COALESCE((SELECT MAX(received_at) FROM reports WHERE defect_id = ?1), last_seen)
         WHERE id = ?1",
    )?
    .execute([id.as_str()])?;
    Ok(())
}

fn merge(
    conn: &Connection,
    id: &DefectId,
    mut source: Loaded,
    into: &DefectId,
    actor: &str,
    at: Millis,
) -> Result<OpOutcome, StoreError> {
    let mut target = lifecycle::load(conn, into)?.ok_or(StoreError::NotFound("target defect"))?;
    if target.project != source.project {
        // Another project's defect is, to this one, a defect that does not exist.
        return Err(StoreError::NotFound("target defect"));
    }
    let reports = report_count(conn, id)?;
    let (out, inward) = source.state.merge_into(id, into, &target.state, reports)?;
    lifecycle::record(conn, id, &mut source.state, &[out], actor, None, at)?;
    lifecycle::record(conn, into, &mut target.state, &[inward], actor, None, at)?;
    // A report keeps the defect it came from first, so each merge can be undone on its own.
    conn.prepare_cached(
        "UPDATE reports SET defect_id = ?2, moved_from = COALESCE(moved_from, ?1) WHERE defect_id = ?1",
    )?
    .execute(params![id.as_str(), into.as_str()])?;
    // Dashboard search: the moved reports are found under their new defect.
    search::follow_reports(conn, into)?;
    refresh_counts(conn, id)?;
    refresh_counts(conn, into)?;
    let mut all_touched = vec![
        touched(source.project, id, &source.state, at),
        touched(target.project, into, &target.state, at),
    ];
    all_touched.extend(redirect_merged(conn, id, into, actor, at)?);
    Ok(OpOutcome {
        defect: id.clone(),
        touched: all_touched,
        moved: None,
    })
}

/// Defects merged earlier into `from` now point at `into`, so merges never chain.
fn redirect_merged(
    conn: &Connection,
    from: &DefectId,
    into: &DefectId,
    actor: &str,
    at: Millis,
) -> Result<Vec<Touched>, StoreError> {
    let ids: Vec<String> = conn
        .prepare_cached("SELECT id FROM defects WHERE merged_into = ?1")?
        .query_map([from.as_str()], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut touched_now = Vec::with_capacity(ids.len());
    for id in ids {
        let id: DefectId = parse_id("defects.id", id)?;
        let mut loaded = load(conn, &id)?;
        let change = Change::MergeRedirected {
            from: from.clone(),
            to: into.clone(),
        };
        lifecycle::record(conn, &id, &mut loaded.state, &[change], actor, None, at)?;
        touched_now.push(touched(loaded.project, &id, &loaded.state, at));
    }
    Ok(touched_now)
}

/// The status a defect had when it was merged, from its last `merged_into` change.
fn status_before_merge(conn: &Connection, id: &DefectId) -> Result<Status, StoreError> {
    let detail: Option<String> = conn
        .prepare_cached("SELECT detail FROM defect_events WHERE defect_id = ?1 AND kind = 'merged_into' ORDER BY id DESC LIMIT 1")?
        .query_row([id.as_str()], |row| row.get(0))
        .optional()?;
    match detail
        .map(|d| serde_json::from_str::<Change>(&d))
        .transpose()?
    {
        Some(Change::MergedInto { from, .. }) => Ok(from),
        _ => Ok(Status::New),
    }
}

fn unmerge(
    conn: &Connection,
    id: &DefectId,
    mut source: Loaded,
    actor: &str,
    at: Millis,
) -> Result<OpOutcome, StoreError> {
    let survivor_id = source
        .state
        .merged_into
        .clone()
        .ok_or(snag_core::ChangeError::NotMerged)?;
    let mut survivor = load(conn, &survivor_id)?;
    let moved: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM reports WHERE moved_from = ?1 AND defect_id = ?2")?
        .query_row(params![id.as_str(), survivor_id.as_str()], |row| row.get(0))?;
    let previous = status_before_merge(conn, id)?;
    let (back, on_survivor) = source.state.unmerge(id, previous, moved as u32)?;
    lifecycle::record(conn, id, &mut source.state, &[back], actor, None, at)?;
    lifecycle::record(
        conn,
        &survivor_id,
        &mut survivor.state,
        &[on_survivor],
        actor,
        None,
        at,
    )?;
    conn.prepare_cached("UPDATE reports SET defect_id = ?1, moved_from = NULL WHERE moved_from = ?1 AND defect_id = ?2")?
        .execute(params![id.as_str(), survivor_id.as_str()])?;
    // Dashboard search: the reports moved back are found under this defect again.
    search::follow_reports(conn, id)?;
    refresh_counts(conn, id)?;
    refresh_counts(conn, &survivor_id)?;
    Ok(OpOutcome {
        defect: id.clone(),
        touched: vec![
            touched(source.project, id, &source.state, at),
            touched(survivor.project, &survivor_id, &survivor.state, at),
        ],
        moved: None,
    })
}

fn split(
    conn: &Connection,
    id: &DefectId,
    mut source: Loaded,
    report: &ReportId,
    new_id: &DefectId,
    actor: &str,
    at: Millis,
) -> Result<OpOutcome, StoreError> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT defect_id, payload FROM reports WHERE id = ?1")?
        .query_row([report.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((owner, payload)) = row else {
        return Err(StoreError::NotFound("report"));
    };
    if parse_id::<DefectId>("reports.defect_id", owner)? != *id {
        return Err(StoreError::NotFound("report in this defect"));
    }
    if report_count(conn, id)? < 2 {
        return Err(StoreError::Conflict(
            "a defect's only report cannot be split out".into(),
        ));
    }
    let payload: ReportPayload = serde_json::from_str(&payload)?;
    let title = defect_title(
        payload.title.as_deref(),
        payload.description.as_deref().unwrap_or_default(),
        TITLE_CHARS,
    );
    conn.prepare_cached(
        "INSERT INTO defects (id, project_id, title, status, component, route, category, environment, source,
                              report_count, first_seen, last_seen, updated_at)
         SELECT ?1, project_id, ?2, 'new', component, route, category, environment, source, 0, ?3, ?3, ?3
         FROM defects WHERE id = ?4",
    )?
    .execute(params![new_id.as_str(), title, at, id.as_str()])?;
    let component = source.state.component.clone();
    let (mut fresh, created) = DefectState::created(title, None, component);
    lifecycle::insert_event(conn, new_id, &created, actor, None, at)?;
    let moved_in = Change::ReportMovedIn {
        report: report.clone(),
        from: id.clone(),
    };
    lifecycle::record(conn, new_id, &mut fresh, &[moved_in], actor, None, at)?;
    let moved_out = Change::ReportMovedOut {
        report: report.clone(),
        to: new_id.clone(),
    };
    lifecycle::record(conn, id, &mut source.state, &[moved_out], actor, None, at)?;
    conn.prepare_cached(
        "UPDATE reports SET defect_id = ?2, moved_from = NULL, fold = NULL WHERE id = ?1",
    )?
    .execute(params![report.as_str(), new_id.as_str()])?;
    // Dashboard search: the new defect's title, and the report that moved to it.
    search::index_title(conn, new_id, &fresh.title)?;
    search::follow_reports(conn, new_id)?;
    refresh_counts(conn, id)?;
    refresh_counts(conn, new_id)?;
    Ok(OpOutcome {
        defect: new_id.clone(),
        touched: vec![
            touched(source.project, id, &source.state, at),
            touched(source.project, new_id, &fresh, at),
        ],
        moved: Some((report.clone(), id.clone(), new_id.clone())),
    })
}
