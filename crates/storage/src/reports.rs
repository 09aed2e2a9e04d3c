//! Reports: the ingest transaction and report reads.

use rusqlite::{Connection, OptionalExtension, params};
use snag_core::{
    DefectId, DefectState, FoldDecision, FoldJob, IdempotencyKey, ReportId, Status, Timestamp,
};

use crate::lifecycle::{self, SYSTEM_ACTOR};
use crate::model::{
    Accepted, FoldableDefect, ImageKind, NewImage, NewReport, ProjectId, StoredFeatures,
    StoredImage, StoredReport,
};
use crate::outbox;
use crate::search;
use crate::{StoreError, parse_id};

/// Stores one report, folded into an existing defect or opening a new one, or returns the
/// first answer again when its idempotency key was seen before. Runs inside the writer's
/// transaction, so folding decisions are made one at a time.
pub(crate) fn insert(
    conn: &Connection,
    report: &NewReport,
    fold: &mut dyn FoldJob,
) -> Result<Accepted, StoreError> {
    if let Some(key) = &report.idempotency_key
        && let Some(first) = find_idempotent(conn, report.project_id, key)?
    {
        return Ok(first);
    }
    let (defect_id, fold_match) = match fold.decide() {
        FoldDecision::Join(found) => match join(conn, report, &found.defect)? {
            Some(joined) => (joined, Some(found)),
            None => (open_defect(conn, report)?, None),
        },
        FoldDecision::New => (open_defect(conn, report)?, None),
    };
    let opened = fold_match.is_none();
    if let Some(image) = &report.screenshot {
        insert_image(conn, image)?;
    }
    if let Some(image) = &report.thumbnail {
        insert_image(conn, image)?;
    }
    conn.prepare_cached(
        "INSERT INTO reports (id, project_id, defect_id, received_at, payload, enriched,
                              screenshot_sha256, thumbnail_sha256, fold, features)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        report.id.as_str(),
        report.project_id.0,
        defect_id.as_str(),
        report.received_at,
        serde_json::to_string(&report.payload)?,
        serde_json::to_string(&report.enriched)?,
        report.screenshot.as_ref().map(|i| i.sha256.as_str()),
        report.thumbnail.as_ref().map(|i| i.sha256.as_str()),
        fold_match.as_ref().map(serde_json::to_string).transpose()?,
        report.features,
    ])?;
    // Dashboard search: the report's text joins the index in this same transaction.
    search::index_report(conn, &report.id, &defect_id)?;
    if let Some(key) = &report.idempotency_key {
        conn.prepare_cached(
            "INSERT INTO idempotency (project_id, key, report_id, defect_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            report.project_id.0,
            key.as_str(),
            report.id.as_str(),
            defect_id.as_str(),
            report.received_at
        ])?;
    }
    if !report.outbox.is_empty() {
        let event = serde_json::json!({
            "type": if opened { "defect.created" } else { "defect.report_added" },
            "report": report.id,
        });
        let project = report.project_id;
        let at = report.received_at;
        outbox::enqueue(
            conn,
            project,
            &defect_id,
            Some(&report.id),
            &report.outbox,
            opened,
            &event,
            at,
        )?;
    }
    fold.remember(&defect_id);
    Ok(Accepted {
        report_id: report.id.clone(),
        defect_id,
        replayed: false,
    })
}

/// Opens the defect the report brings with it.
fn open_defect(conn: &Connection, report: &NewReport) -> Result<DefectId, StoreError> {
    let defect = &report.new_defect;
    conn.prepare_cached(
        "INSERT INTO defects (id, project_id, title, status, severity, suggested_severity, component, route,
                              category, environment, source, report_count, first_seen, last_seen, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?11, ?11)",
    )?
    .execute(params![
        defect.id.as_str(),
        report.project_id.0,
        defect.title,
        Status::New.as_str(),
        defect.severity.map(|s| s.as_str()),
        defect.component,
        defect.route,
        defect.category.map(|c| c.as_str()),
        defect.environment,
        defect.source.as_str(),
        report.received_at,
    ])?;
    let (_, created) = DefectState::created(
        defect.title.clone(),
        defect.severity,
        defect.component.clone(),
    );
    lifecycle::insert_event(
        conn,
        &defect.id,
        &created,
        SYSTEM_ACTOR,
        None,
        report.received_at,
    )?;
    // Dashboard search: the new defect's title.
    search::index_title(conn, &defect.id, &defect.title)?;
    Ok(defect.id.clone())
}

/// Adds the report to `target` (or the defect it was merged into), reopening finished work
/// when the project asks. `None` when the target is gone or belongs to another project.
fn join(
    conn: &Connection,
    report: &NewReport,
    target: &DefectId,
) -> Result<Option<DefectId>, StoreError> {
    let Some((id, mut loaded)) = lifecycle::survivor(conn, target)? else {
        return Ok(None);
    };
    if loaded.project != report.project_id {
        return Ok(None);
    }
    if let Some(reopen) = loaded.state.on_new_report(report.reopen_on_new_report) {
        let note = format!("reopened by a new report, {}", report.id);
        let at = report.received_at;
        lifecycle::record(
            conn,
            &id,
            &mut loaded.state,
            &[reopen],
            SYSTEM_ACTOR,
            Some(&note),
            at,
        )?;
    }
    conn.prepare_cached(
        "UPDATE defects SET report_count = report_count + 1, last_seen = MAX(last_seen, ?2) WHERE id = ?1",
    )?
    .execute(params![id.as_str(), report.received_at])?;
    Ok(Some(id))
}

/// Images are content-addressed: the same screenshot sent twice is stored once.
fn insert_image(conn: &Connection, image: &NewImage) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO attachments (sha256, media_type, width, height, bytes)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        image.sha256,
        image.media_type,
        image.width,
        image.height,
        image.bytes
    ])?;
    Ok(())
}

pub(crate) fn find_idempotent(
    conn: &Connection,
    project: ProjectId,
    key: &IdempotencyKey,
) -> Result<Option<Accepted>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT report_id, defect_id FROM idempotency WHERE project_id = ?1 AND key = ?2",
        )?
        .query_row(params![project.0, key.as_str()], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .optional()?;
    match row {
        Some((report_id, defect_id)) => Ok(Some(Accepted {
            report_id: parse_id::<ReportId>("idempotency.report_id", report_id)?,
            defect_id: parse_id::<DefectId>("idempotency.defect_id", defect_id)?,
            replayed: true,
        })),
        None => Ok(None),
    }
}

pub(crate) fn get(conn: &Connection, id: &ReportId) -> Result<Option<StoredReport>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT p.name, r.defect_id, r.received_at, r.payload, r.enriched, r.screenshot_sha256 IS NOT NULL, r.fold,
                    r.project_id, r.id
             FROM reports r JOIN projects p ON p.id = r.project_id WHERE r.id = ?1",
        )?
        .query_row([id.as_str()], |row| Ok(stored_from_row(row)))
        .optional()?;
    row.transpose()
}

/// A defect's reports, newest first, `limit` at a time, continuing before `before`
/// (received at, id) of the previous page's last report.
pub(crate) fn of_defect(
    conn: &Connection,
    defect: &DefectId,
    before: Option<(i64, &ReportId)>,
    limit: usize,
) -> Result<Vec<StoredReport>, StoreError> {
    let (at, id) = before.map_or((i64::MAX, ""), |(at, id)| (at, id.as_str()));
    let mut stmt = conn.prepare_cached(
        "SELECT p.name, r.defect_id, r.received_at, r.payload, r.enriched, r.screenshot_sha256 IS NOT NULL, r.fold,
                r.project_id, r.id
         FROM reports r JOIN projects p ON p.id = r.project_id
         WHERE r.defect_id = ?1 AND (r.received_at, r.id) < (?2, ?3)
         ORDER BY r.received_at DESC, r.id DESC LIMIT ?4",
    )?;
    let mut rows = stmt.query(params![defect.as_str(), at, id, limit as i64])?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(stored_from_row(row)?);
    }
    Ok(found)
}

fn stored_from_row(row: &rusqlite::Row<'_>) -> Result<StoredReport, StoreError> {
    let project: String = row.get(0)?;
    let defect_id: String = row.get(1)?;
    let received_at: i64 = row.get(2)?;
    let payload: String = row.get(3)?;
    let enriched: String = row.get(4)?;
    let has_screenshot: bool = row.get(5)?;
    let fold: Option<String> = row.get(6)?;
    Ok(StoredReport {
        id: parse_id("reports.id", row.get::<_, String>(8)?)?,
        project_id: ProjectId(row.get(7)?),
        project,
        defect_id: parse_id("reports.defect_id", defect_id)?,
        received_at: Timestamp(received_at),
        payload: serde_json::from_str(&payload)?,
        enriched: serde_json::from_str(&enriched)?,
        has_screenshot,
        fold: fold.map(|f| serde_json::from_str(&f)).transpose()?,
    })
}

pub(crate) fn image(
    conn: &Connection,
    id: &ReportId,
    kind: ImageKind,
) -> Result<Option<StoredImage>, StoreError> {
    let sql = match kind {
        ImageKind::Screenshot => {
            "SELECT a.media_type, a.bytes FROM reports r JOIN attachments a ON a.sha256 = r.screenshot_sha256 WHERE r.id = ?1"
        }
        ImageKind::Thumbnail => {
            "SELECT a.media_type, a.bytes FROM reports r JOIN attachments a ON a.sha256 = r.thumbnail_sha256 WHERE r.id = ?1"
        }
    };
    let image = conn
        .prepare_cached(sql)?
        .query_row([id.as_str()], |row| {
            Ok(StoredImage {
                media_type: row.get(0)?,
                bytes: row.get(1)?,
            })
        })
        .optional()?;
    Ok(image)
}

pub(crate) fn count(conn: &Connection) -> Result<u64, StoreError> {
    Ok(conn.query_row("SELECT COUNT(*) FROM reports", [], |row| {
        row.get::<_, i64>(0)
    })? as u64)
}

/// Fold features of the reports that speak for foldable defects: per original defect (before
/// merges), its first report and its latest few, oldest first. Defects that are neither open,
/// merged, nor done since `done_since` are left out.
pub(crate) fn fold_features(
    conn: &Connection,
    latest: usize,
    done_since: i64,
) -> Result<Vec<StoredFeatures>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT d.project_id, r.original, r.id, r.features FROM (
             SELECT id, features, received_at, COALESCE(moved_from, defect_id) AS original,
                    ROW_NUMBER() OVER (PARTITION BY COALESCE(moved_from, defect_id) ORDER BY received_at, id) AS first_rank,
                    ROW_NUMBER() OVER (PARTITION BY COALESCE(moved_from, defect_id) ORDER BY received_at DESC, id DESC) AS last_rank
             FROM reports WHERE features IS NOT NULL) r
         JOIN defects d ON d.id = r.original
         WHERE (r.first_rank = 1 OR r.last_rank <= ?1)
           AND d.status != 'wont_fix'
           AND (d.status NOT IN ('resolved', 'verified', 'closed') OR COALESCE(d.resolved_at, d.updated_at, d.last_seen) >= ?2)
         ORDER BY r.received_at, r.id",
    )?;
    let mut rows = stmt.query(params![latest as i64, done_since])?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(StoredFeatures {
            project: ProjectId(row.get(0)?),
            defect: parse_id("reports.defect_id", row.get::<_, String>(1)?)?,
            report: parse_id("reports.id", row.get::<_, String>(2)?)?,
            features: row.get(3)?,
        });
    }
    Ok(found)
}

/// The states of defects that are not plainly open, for the index.
pub(crate) fn foldable_states(conn: &Connection) -> Result<Vec<FoldableDefect>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT project_id, id, status, merged_into, COALESCE(resolved_at, updated_at, last_seen) FROM defects
         WHERE status IN ('resolved', 'verified', 'closed', 'duplicate', 'wont_fix')",
    )?;
    let mut rows = stmt.query([])?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        let status: String = row.get(2)?;
        found.push(FoldableDefect {
            project: ProjectId(row.get(0)?),
            id: parse_id("defects.id", row.get::<_, String>(1)?)?,
            status: Status::parse(&status).ok_or(StoreError::Corrupt {
                column: "defects.status",
                value: status,
            })?,
            merged_into: row
                .get::<_, Option<String>>(3)?
                .map(|m| parse_id("defects.merged_into", m))
                .transpose()?,
            done_at: row.get(4)?,
        });
    }
    Ok(found)
}
