//! Reading a defect's triage state and writing changes to it, with their history rows.
//!
//! The rules live in `snag_core::DefectState`; this module only loads the state, lets core
//! decide, and stores the state and one history row per change.

use rusqlite::{Connection, OptionalExtension, params};
use snag_core::{Change, DefectId, DefectState, Priority, Severity, Status};

use crate::model::{Millis, ProjectId};
use crate::{StoreError, parse_id};

/// Who made a change: a staff token's name, or Snag itself.
pub const SYSTEM_ACTOR: &str = "snag";

pub(crate) struct Loaded {
    pub project: ProjectId,
    pub state: DefectState,
}

pub(crate) fn load(conn: &Connection, id: &DefectId) -> Result<Option<Loaded>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT project_id, status, severity, priority, assignee, component, title, merged_into
             FROM defects WHERE id = ?1",
        )?
        .query_row([id.as_str()], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, Option<String>>(7)?,
            ))
        })
        .optional()?;
    let Some((project, status, severity, priority, assignee, component, title, merged_into)) = row
    else {
        return Ok(None);
    };
    let corrupt = |column: &'static str, value: String| StoreError::Corrupt { column, value };
    let state = DefectState {
        status: Status::parse(&status).ok_or_else(|| corrupt("defects.status", status.clone()))?,
        severity: match severity {
            Some(s) => {
                Some(Severity::parse(&s).ok_or_else(|| corrupt("defects.severity", s.clone()))?)
            }
            None => None,
        },
        priority: match priority {
            Some(p) => {
                Some(Priority::parse(&p).ok_or_else(|| corrupt("defects.priority", p.clone()))?)
            }
            None => None,
        },
        assignee,
        component,
        title,
        merged_into: merged_into
            .map(|m| parse_id("defects.merged_into", m))
            .transpose()?,
    };
    Ok(Some(Loaded {
        project: ProjectId(project),
        state,
    }))
}

/// The defect a report should join: `id`, or the survivor it was merged into.
pub(crate) fn survivor(
    conn: &Connection,
    id: &DefectId,
) -> Result<Option<(DefectId, Loaded)>, StoreError> {
    let mut at = id.clone();
    // Merges never chain (core refuses merging into a duplicate), so one hop is the most a
    // consistent database needs; the bound guards against a corrupt one.
    for _ in 0..8 {
        let Some(loaded) = load(conn, &at)? else {
            return Ok(None);
        };
        match loaded.state.merged_into.clone() {
            Some(next) => at = next,
            None => return Ok(Some((at, loaded))),
        }
    }
    Err(StoreError::Corrupt {
        column: "defects.merged_into",
        value: id.to_string(),
    })
}

/// Applies `changes` to the stored defect: one history row each, then the resulting state.
pub(crate) fn record(
    conn: &Connection,
    id: &DefectId,
    state: &mut DefectState,
    changes: &[Change],
    actor: &str,
    note: Option<&str>,
    at: Millis,
) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut resolved_at: Option<Option<Millis>> = None;
    for change in changes {
        state.apply(change);
        insert_event(conn, id, change, actor, note, at)?;
        // Dashboard search: a renamed defect is found by its new title only.
        if let Change::Title { to, .. } = change {
            crate::search::retitle(conn, id, to)?;
        }
        if let Change::Status { to, .. } = change {
            match to {
                Status::Resolved => resolved_at = Some(Some(at)),
                Status::Reopened => resolved_at = Some(None),
                _ => {}
            }
        }
    }
    conn.prepare_cached(
        "UPDATE defects SET status = ?2, severity = ?3, priority = ?4, assignee = ?5, component = ?6,
                title = ?7, merged_into = ?8, updated_at = ?9,
                resolved_at = CASE WHEN ?10 THEN ?11 ELSE resolved_at END
         WHERE id = ?1",
    )?
    .execute(params![
        id.as_str(),
        state.status.as_str(),
        state.severity.map(Severity::as_str),
        state.priority.map(Priority::as_str),
        state.assignee,
        state.component,
        state.title,
        state.merged_into.as_ref().map(DefectId::as_str),
        at,
        resolved_at.is_some(),
        resolved_at.flatten(),
    ])?;
    Ok(())
}

/// One history row.
pub(crate) fn insert_event(
    conn: &Connection,
    id: &DefectId,
    change: &Change,
    actor: &str,
    note: Option<&str>,
    at: Millis,
) -> Result<(), StoreError> {
    let (from, to) = display_values(change);
    conn.prepare_cached(
        "INSERT INTO defect_events (defect_id, at, actor, kind, from_value, to_value, note, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id.as_str(),
        at,
        actor,
        change.kind(),
        from,
        to,
        note,
        serde_json::to_string(change)?
    ])?;
    Ok(())
}

/// The from/to columns staff read in the history; the full change is kept as JSON beside.
fn display_values(change: &Change) -> (Option<String>, Option<String>) {
    fn text<T: ToString>(value: &Option<T>) -> Option<String> {
        value.as_ref().map(ToString::to_string)
    }
    match change {
        Change::Created { .. } => (None, Some(Status::New.to_string())),
        Change::Status { from, to } => (Some(from.to_string()), Some(to.to_string())),
        Change::Severity { from, to } => (
            from.map(|s| s.as_str().to_owned()),
            to.map(|s| s.as_str().to_owned()),
        ),
        Change::Priority { from, to } => (
            from.map(|p| p.as_str().to_owned()),
            to.map(|p| p.as_str().to_owned()),
        ),
        Change::Assignee { from, to } | Change::Component { from, to } => (text(from), text(to)),
        Change::Title { from, to } => (Some(from.clone()), Some(to.clone())),
        Change::MergedInto { into, from } => (Some(from.to_string()), Some(into.to_string())),
        Change::MergedFrom { from, .. } | Change::UnmergedFrom { from, .. } => {
            (Some(from.to_string()), None)
        }
        Change::Unmerged { survivor, to } => (Some(survivor.to_string()), Some(to.to_string())),
        Change::MergeRedirected { from, to } => (Some(from.to_string()), Some(to.to_string())),
        Change::ReportMovedOut { report, to } => (Some(report.to_string()), Some(to.to_string())),
        Change::ReportMovedIn { report, from } => {
            (Some(from.to_string()), Some(report.to_string()))
        }
        Change::Commented { comment } => (None, Some(comment.to_string())),
    }
}
