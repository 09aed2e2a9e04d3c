//! The transactional outbox: rows written in the same transaction as the report or change
//! they forward, claimed by workers with a lease, completed, retried or dead-lettered.
//!
//! Rows of one defect and connector are delivered in order, one at a time: a row is claimable
//! only when no older row of its pair is still pending. So the first report of a defect
//! creates its ticket before any later report tries to comment on it.

use rusqlite::{Connection, OptionalExtension, Row, params};
use snag_core::{DefectId, ReportId, Timestamp};

use crate::model::{
    DeliveryOutcome, Millis, OutboxAction, OutboxRequest, OutboxRow, OutboxState, ProjectId, Ticket,
};
use crate::{StoreError, parse_id};

const ROW_COLUMNS: &str =
    "id, project_id, defect_id, report_id, connector, action, event, state, attempts,
    next_attempt_at, last_error, created_at, done_at";

fn row_from(row: &Row<'_>) -> Result<OutboxRow, StoreError> {
    let action: String = row.get(5)?;
    let state: String = row.get(7)?;
    Ok(OutboxRow {
        id: row.get(0)?,
        project: ProjectId(row.get(1)?),
        defect: parse_id("outbox.defect_id", row.get::<_, String>(2)?)?,
        report: row
            .get::<_, Option<String>>(3)?
            .map(|r| parse_id::<ReportId>("outbox.report_id", r))
            .transpose()?,
        connector: row.get(4)?,
        action: OutboxAction::parse(&action).ok_or(StoreError::Corrupt {
            column: "outbox.action",
            value: action,
        })?,
        event: row
            .get::<_, Option<String>>(6)?
            .map(|e| serde_json::from_str(&e))
            .transpose()?,
        state: OutboxState::parse(&state).ok_or(StoreError::Corrupt {
            column: "outbox.state",
            value: state,
        })?,
        attempts: row.get(8)?,
        next_attempt_at: Timestamp(row.get(9)?),
        last_error: row.get(10)?,
        created_at: Timestamp(row.get(11)?),
        done_at: row.get::<_, Option<i64>>(12)?.map(Timestamp),
    })
}

/// Writes the outbox rows routing asks for. `new_defect` says whether a report opened its
/// defect (notices go out for new defects only); `event` is what webhook rows carry.
#[allow(clippy::too_many_arguments)]
pub(crate) fn enqueue(
    conn: &Connection,
    project: ProjectId,
    defect: &DefectId,
    report: Option<&ReportId>,
    requests: &[OutboxRequest],
    new_defect: bool,
    event: &serde_json::Value,
    at: Millis,
) -> Result<(), StoreError> {
    for request in requests {
        if request.action == OutboxAction::NotifyNew && !new_defect {
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO outbox (project_id, defect_id, report_id, connector, action, event, state, next_attempt_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7)",
        )?
        .execute(params![
            project.0,
            defect.as_str(),
            report.map(ReportId::as_str),
            request.connector,
            request.action.as_str(),
            (request.action == OutboxAction::Event).then(|| serde_json::to_string(event)).transpose()?,
            at,
        ])?;
    }
    Ok(())
}

/// Claims up to `limit` due rows of `connector` for `lease` milliseconds.
pub(crate) fn claim(
    conn: &Connection,
    connector: &str,
    now: Millis,
    lease: Millis,
    limit: usize,
) -> Result<Vec<OutboxRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM outbox o
         WHERE o.connector = ?1 AND o.state = 'pending' AND o.next_attempt_at <= ?2
           AND (o.claimed_until IS NULL OR o.claimed_until <= ?2)
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.defect_id = o.defect_id AND e.connector = o.connector
                           AND e.state = 'pending' AND e.id < o.id)
         ORDER BY o.next_attempt_at, o.id LIMIT ?3"
    ))?;
    let mut rows = stmt.query(params![connector, now, limit as i64])?;
    let mut claimed = Vec::new();
    while let Some(row) = rows.next()? {
        claimed.push(row_from(row)?);
    }
    drop(rows);
    for row in &claimed {
        conn.prepare_cached("UPDATE outbox SET claimed_until = ?2 WHERE id = ?1")?
            .execute(params![row.id, now + lease])?;
    }
    Ok(claimed)
}

pub(crate) fn complete(
    conn: &Connection,
    id: i64,
    outcome: &DeliveryOutcome,
    now: Millis,
) -> Result<(), StoreError> {
    match outcome {
        DeliveryOutcome::Delivered { ticket } => {
            if let Some(ticket) = ticket {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO tickets (defect_id, connector, external_id, key, url, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![ticket.defect.as_str(), ticket.connector, ticket.external_id, ticket.key, ticket.url, now])?;
            }
            conn.prepare_cached(
                "UPDATE outbox SET state = 'done', attempts = attempts + 1, done_at = ?2, claimed_until = NULL WHERE id = ?1",
            )?
            .execute(params![id, now])?;
        }
        DeliveryOutcome::Retry { at, error } => {
            conn.prepare_cached(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3, claimed_until = NULL WHERE id = ?1",
            )?
            .execute(params![id, at, error])?;
        }
        DeliveryOutcome::Dead { error } => {
            conn.prepare_cached(
                "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?2, claimed_until = NULL WHERE id = ?1",
            )?
            .execute(params![id, error])?;
        }
    }
    Ok(())
}

/// Puts dead rows back in the queue: one (`id`) or all. Returns how many.
pub(crate) fn retry_dead(
    conn: &Connection,
    id: Option<i64>,
    now: Millis,
) -> Result<u64, StoreError> {
    let changed = match id {
        Some(id) => conn
            .prepare_cached("UPDATE outbox SET state = 'pending', next_attempt_at = ?2, attempts = 0 WHERE id = ?1 AND state = 'dead'")?
            .execute(params![id, now])?,
        None => conn
            .prepare_cached("UPDATE outbox SET state = 'pending', next_attempt_at = ?1, attempts = 0 WHERE state = 'dead'")?
            .execute(params![now])?,
    };
    Ok(changed as u64)
}

pub(crate) fn list(
    conn: &Connection,
    state: Option<OutboxState>,
    limit: usize,
) -> Result<Vec<OutboxRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM outbox WHERE (?1 IS NULL OR state = ?1) ORDER BY id DESC LIMIT ?2"
    ))?;
    let mut rows = stmt.query(params![state.map(OutboxState::as_str), limit as i64])?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(row_from(row)?);
    }
    Ok(found)
}

pub(crate) fn ticket(
    conn: &Connection,
    defect: &DefectId,
    connector: &str,
) -> Result<Option<Ticket>, StoreError> {
    let found = conn
        .prepare_cached("SELECT external_id, key, url, created_at FROM tickets WHERE defect_id = ?1 AND connector = ?2")?
        .query_row(params![defect.as_str(), connector], |row| {
            Ok(Ticket {
                defect: defect.clone(),
                connector: connector.to_owned(),
                external_id: row.get(0)?,
                key: row.get(1)?,
                url: row.get(2)?,
                created_at: Timestamp(row.get(3)?),
            })
        })
        .optional()?;
    Ok(found)
}

pub(crate) fn tickets_of(conn: &Connection, defect: &DefectId) -> Result<Vec<Ticket>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT connector, external_id, key, url, created_at FROM tickets WHERE defect_id = ?1 ORDER BY created_at",
    )?;
    let tickets = stmt
        .query_map([defect.as_str()], |row| {
            Ok(Ticket {
                defect: defect.clone(),
                connector: row.get(0)?,
                external_id: row.get(1)?,
                key: row.get(2)?,
                url: row.get(3)?,
                created_at: Timestamp(row.get(4)?),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(tickets)
}
