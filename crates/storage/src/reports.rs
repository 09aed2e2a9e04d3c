//! Reports: the ingest transaction and report reads.

use rusqlite::{Connection, OptionalExtension, params};
use snag_core::{DefectId, IdempotencyKey, ReportId, Status, Timestamp};

use crate::model::{
    Accepted, ImageKind, NewImage, NewReport, ProjectId, StoredImage, StoredReport,
};
use crate::{StoreError, parse_id};

/// Stores one report and the defect it opens, or returns the first answer again when its
/// idempotency key was seen before. Runs inside the writer's transaction.
pub(crate) fn insert(conn: &Connection, report: &NewReport) -> Result<Accepted, StoreError> {
    if let Some(key) = &report.idempotency_key
        && let Some(first) = find_idempotent(conn, report.project_id, key)?
    {
        return Ok(first);
    }
    let defect = &report.new_defect;
    conn.prepare_cached(
        "INSERT INTO defects (id, project_id, title, status, severity, component, route, category,
                              environment, source, report_count, first_seen, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?11)",
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
    conn.prepare_cached(
        "INSERT INTO defect_events (defect_id, at, actor, kind, to_value) VALUES (?1, ?2, 'snag', 'created', ?3)",
    )?
    .execute(params![defect.id.as_str(), report.received_at, Status::New.as_str()])?;
    if let Some(image) = &report.screenshot {
        insert_image(conn, image)?;
    }
    if let Some(image) = &report.thumbnail {
        insert_image(conn, image)?;
    }
    conn.prepare_cached(
        "INSERT INTO reports (id, project_id, defect_id, received_at, payload, enriched,
                              screenshot_sha256, thumbnail_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        report.id.as_str(),
        report.project_id.0,
        defect.id.as_str(),
        report.received_at,
        serde_json::to_string(&report.payload)?,
        serde_json::to_string(&report.enriched)?,
        report.screenshot.as_ref().map(|i| i.sha256.as_str()),
        report.thumbnail.as_ref().map(|i| i.sha256.as_str()),
    ])?;
    if let Some(key) = &report.idempotency_key {
        conn.prepare_cached(
            "INSERT INTO idempotency (project_id, key, report_id, defect_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            report.project_id.0,
            key.as_str(),
            report.id.as_str(),
            defect.id.as_str(),
            report.received_at,
        ])?;
    }
    Ok(Accepted {
        report_id: report.id.clone(),
        defect_id: defect.id.clone(),
        replayed: false,
    })
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
            "SELECT p.name, r.defect_id, r.received_at, r.payload, r.enriched, r.screenshot_sha256 IS NOT NULL
             FROM reports r JOIN projects p ON p.id = r.project_id WHERE r.id = ?1",
        )?
        .query_row([id.as_str()], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, bool>(5)?,
            ))
        })
        .optional()?;
    let Some((project, defect_id, received_at, payload, enriched, has_screenshot)) = row else {
        return Ok(None);
    };
    Ok(Some(StoredReport {
        id: id.clone(),
        project,
        defect_id: parse_id("reports.defect_id", defect_id)?,
        received_at: Timestamp(received_at),
        payload: serde_json::from_str(&payload)?,
        enriched: serde_json::from_str(&enriched)?,
        has_screenshot,
    }))
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
