//! Defect reads: the filtered list and one defect with its reports and history.

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};
use snag_core::{
    Category, DefectId, Priority, ReportId, ReportPayload, Severity, Source, Status, Timestamp,
};

use crate::model::{Defect, DefectDetail, DefectEvent, DefectFilter, ProjectId, ReportSummary};
use crate::{StoreError, parse_id};

pub(crate) const DEFECT_COLUMNS: &str =
    "d.id, p.name, d.title, d.status, d.severity, d.priority, d.assignee,
    d.component, d.route, d.category, d.environment, d.source, d.report_count, d.first_seen,
    d.last_seen, d.resolved_at, d.merged_into, d.suggested_severity, d.project_id";

/// The most reports one defect page lists; the count on the defect is always exact.
const MAX_REPORTS_LISTED: i64 = 500;

pub(crate) fn parse_enum<T>(
    column: &'static str,
    text: Option<String>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, StoreError> {
    match text {
        None => Ok(None),
        Some(value) => parse(&value)
            .map(Some)
            .ok_or(StoreError::Corrupt { column, value }),
    }
}

pub(crate) fn defect_from_row(row: &Row<'_>) -> Result<Defect, StoreError> {
    let status: String = row.get(3)?;
    let source: String = row.get(11)?;
    Ok(Defect {
        id: parse_id("defects.id", row.get::<_, String>(0)?)?,
        project_id: ProjectId(row.get(18)?),
        project: row.get(1)?,
        title: row.get(2)?,
        status: Status::parse(&status).ok_or(StoreError::Corrupt {
            column: "defects.status",
            value: status,
        })?,
        severity: parse_enum("defects.severity", row.get(4)?, Severity::parse)?,
        priority: parse_enum("defects.priority", row.get(5)?, Priority::parse)?,
        assignee: row.get(6)?,
        component: row.get(7)?,
        route: row.get(8)?,
        category: parse_enum("defects.category", row.get(9)?, parse_category)?,
        environment: row.get(10)?,
        source: parse_source(&source).ok_or(StoreError::Corrupt {
            column: "defects.source",
            value: source,
        })?,
        report_count: row.get(12)?,
        first_seen: Timestamp(row.get(13)?),
        last_seen: Timestamp(row.get(14)?),
        resolved_at: row.get::<_, Option<i64>>(15)?.map(Timestamp),
        merged_into: row
            .get::<_, Option<String>>(16)?
            .map(|m| parse_id("defects.merged_into", m))
            .transpose()?,
        suggested_severity: parse_enum(
            "defects.suggested_severity",
            row.get(17)?,
            Severity::parse,
        )?,
    })
}

pub(crate) fn parse_category(text: &str) -> Option<Category> {
    [
        Category::Bug,
        Category::Idea,
        Category::Question,
        Category::Other,
    ]
    .into_iter()
    .find(|c| c.as_str() == text)
}

pub(crate) fn parse_source(text: &str) -> Option<Source> {
    [Source::Widget, Source::Qa, Source::Ci, Source::Api]
        .into_iter()
        .find(|s| s.as_str() == text)
}

/// Escapes `%`, `_` and `\` so a search term matches literally inside `LIKE ... ESCAPE '\'`.
fn like_pattern(term: &str) -> String {
    let mut pattern = String::with_capacity(term.len() + 2);
    pattern.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

pub(crate) fn list(conn: &Connection, filter: &DefectFilter) -> Result<Vec<Defect>, StoreError> {
    let mut sql = format!(
        "SELECT {DEFECT_COLUMNS} FROM defects d JOIN projects p ON p.id = d.project_id WHERE 1 = 1"
    );
    let mut values: Vec<Value> = Vec::new();
    let mut add = |clause: &str, value: Value, sql: &mut String| {
        values.push(value);
        sql.push_str(&format!(" AND {clause} ?{}", values.len()));
    };
    if let Some(status) = filter.status {
        add("d.status =", Value::Text(status.as_str().into()), &mut sql);
    }
    if let Some(severity) = filter.severity {
        add(
            "d.severity =",
            Value::Text(severity.as_str().into()),
            &mut sql,
        );
    }
    if let Some(priority) = filter.priority {
        add(
            "d.priority =",
            Value::Text(priority.as_str().into()),
            &mut sql,
        );
    }
    if let Some(assignee) = &filter.assignee {
        add("d.assignee =", Value::Text(assignee.clone()), &mut sql);
    }
    if let Some(query) = filter.query.as_deref().filter(|q| !q.trim().is_empty()) {
        add(
            "d.title LIKE",
            Value::Text(like_pattern(query.trim())),
            &mut sql,
        );
        sql.push_str(" ESCAPE '\\'");
    }
    if let Some(after) = &filter.after {
        add("d.id <", Value::Text(after.as_str().into()), &mut sql);
    }
    values.push(Value::Integer(filter.limit as i64));
    sql.push_str(&format!(" ORDER BY d.id DESC LIMIT ?{}", values.len()));
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(values))?;
    let mut defects = Vec::new();
    while let Some(row) = rows.next()? {
        defects.push(defect_from_row(row)?);
    }
    Ok(defects)
}

pub(crate) fn get(conn: &Connection, id: &DefectId) -> Result<Option<DefectDetail>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DEFECT_COLUMNS} FROM defects d JOIN projects p ON p.id = d.project_id WHERE d.id = ?1"
    ))?;
    let mut rows = stmt.query([id.as_str()])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let defect = defect_from_row(row)?;
    Ok(Some(DefectDetail {
        reports: reports_of(conn, id)?,
        history: history_of(conn, id)?,
        tickets: crate::outbox::tickets_of(conn, id)?,
        defect,
    }))
}

fn reports_of(conn: &Connection, id: &DefectId) -> Result<Vec<ReportSummary>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, received_at, payload, screenshot_sha256 IS NOT NULL, fold FROM reports
         WHERE defect_id = ?1 ORDER BY received_at, id LIMIT ?2",
    )?;
    let mut rows = stmt.query(params![id.as_str(), MAX_REPORTS_LISTED])?;
    let mut reports = Vec::new();
    while let Some(row) = rows.next()? {
        let payload: ReportPayload = serde_json::from_str(&row.get::<_, String>(2)?)?;
        reports.push(ReportSummary {
            id: parse_id::<ReportId>("reports.id", row.get::<_, String>(0)?)?,
            received_at: Timestamp(row.get(1)?),
            description: payload.description.unwrap_or_default(),
            reporter_email: payload.reporter.and_then(|r| r.email),
            page_url: payload.page.and_then(|p| p.url),
            has_screenshot: row.get(3)?,
            fold: row
                .get::<_, Option<String>>(4)?
                .map(|f| serde_json::from_str(&f))
                .transpose()?,
        });
    }
    Ok(reports)
}

fn history_of(conn: &Connection, id: &DefectId) -> Result<Vec<DefectEvent>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, kind, from_value, to_value, note, detail FROM defect_events WHERE defect_id = ?1 ORDER BY id",
    )?;
    let events = stmt
        .query_map([id.as_str()], |row| {
            Ok(DefectEvent {
                at: Timestamp(row.get(0)?),
                actor: row.get(1)?,
                kind: row.get(2)?,
                from: row.get(3)?,
                to: row.get(4)?,
                note: row.get(5)?,
                change: row
                    .get::<_, Option<String>>(6)?
                    .and_then(|d| serde_json::from_str(&d).ok()),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
