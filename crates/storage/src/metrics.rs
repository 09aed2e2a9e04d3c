//! Counting for the quality metrics over a window; `snag_core::metrics` does the arithmetic.
//! Duplicates (merged defects) are left out everywhere: their reports count for the defect
//! they were merged into.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use snag_core::Severity;

use crate::StoreError;
use crate::defects::{parse_enum, parse_source};
use crate::model::{MetricsCounts, MetricsQuery, ProjectId};

/// `AND <column> IN (…)` for the projects asked for, binding from `values`.
fn project_clause(
    column: &str,
    projects: &Option<Vec<ProjectId>>,
    values: &mut Vec<Value>,
) -> String {
    match projects {
        None => String::new(),
        Some(ids) if ids.is_empty() => " AND 0".to_owned(),
        Some(ids) => {
            let placeholders: Vec<String> = ids
                .iter()
                .map(|id| {
                    values.push(Value::Integer(id.0));
                    format!("?{}", values.len())
                })
                .collect();
            // `+`: the window's index drives the query, never a walk of a project's defects.
            format!(" AND +{column} IN ({})", placeholders.join(", "))
        }
    }
}

/// How many rows of `table` have `column` in `[start, end)`, for the projects asked for.
fn range_count(
    conn: &Connection,
    table: &str,
    column: &str,
    filter: &str,
    start: i64,
    end: i64,
    q: &MetricsQuery,
) -> Result<u64, StoreError> {
    let mut values = vec![Value::Integer(start), Value::Integer(end)];
    let projects = project_clause("project_id", &q.projects, &mut values);
    let sql = format!(
        "SELECT COUNT(*) FROM {table} WHERE {column} >= ?1 AND {column} < ?2{filter}{projects}"
    );
    let count: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(values), |row| row.get(0))?;
    Ok(count as u64)
}

fn query<T>(
    conn: &Connection,
    sql: &str,
    values: Vec<Value>,
    mut map: impl FnMut(&rusqlite::Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params_from_iter(values))?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(map(row)?);
    }
    Ok(found)
}

pub(crate) fn counts(conn: &Connection, q: &MetricsQuery) -> Result<MetricsCounts, StoreError> {
    let since = Value::Integer(q.since);

    let mut values = vec![since.clone()];
    let projects = project_clause("project_id", &q.projects, &mut values);
    let resolved = query(
        conn,
        &format!(
            "SELECT severity, component, resolved_at - first_seen FROM defects
             WHERE resolved_at >= ?1 AND status != 'duplicate'{projects}"
        ),
        values,
        |row| {
            Ok((
                parse_enum("defects.severity", row.get(0)?, Severity::parse)?,
                row.get(1)?,
                row.get::<_, i64>(2)?.max(0),
            ))
        },
    )?;

    let mut values = vec![since.clone()];
    let projects = project_clause("project_id", &q.projects, &mut values);
    let found = query(
        conn,
        &format!(
            "SELECT source, environment, COUNT(*) FROM defects
             WHERE first_seen >= ?1 AND status != 'duplicate'{projects} GROUP BY source, environment"
        ),
        values,
        |row| {
            let source: String = row.get(0)?;
            Ok((
                parse_source(&source).ok_or(StoreError::Corrupt {
                    column: "defects.source",
                    value: source,
                })?,
                row.get(1)?,
                row.get::<_, i64>(2)? as u64,
            ))
        },
    )?;

    let mut values = vec![since.clone()];
    let projects = project_clause("project_id", &q.projects, &mut values);
    let components = query(
        conn,
        &format!(
            "SELECT project_id, component, COUNT(*), SUM(report_count) FROM defects
             WHERE first_seen >= ?1 AND status != 'duplicate'{projects}
             GROUP BY project_id, component ORDER BY COUNT(*) DESC LIMIT 50"
        ),
        values,
        |row| {
            Ok((
                ProjectId(row.get(0)?),
                row.get(1)?,
                row.get::<_, i64>(2)? as u64,
                row.get::<_, i64>(3)? as u64,
            ))
        },
    )?;

    let mut values = vec![since.clone()];
    let projects = project_clause("project_id", &q.projects, &mut values);
    let routes = query(
        conn,
        &format!(
            "SELECT route, COUNT(*), SUM(report_count) FROM defects
             WHERE last_seen >= ?1 AND route IS NOT NULL AND status != 'duplicate'{projects}
             GROUP BY route ORDER BY SUM(report_count) DESC, route LIMIT 10"
        ),
        values,
        |row| {
            Ok((
                row.get(0)?,
                row.get::<_, i64>(1)? as u64,
                row.get::<_, i64>(2)? as u64,
            ))
        },
    )?;

    // One range count per bar: an index range counted is far cheaper than grouping a year
    // of reports by an expression (which sorts them all).
    let volume = (0..q.buckets.max(0))
        .map(|bucket| {
            let start = q.since + bucket * q.bucket_ms.max(1);
            let end = start + q.bucket_ms.max(1);
            let reports = range_count(conn, "reports", "received_at", "", start, end, q)?;
            let defects = range_count(
                conn,
                "defects",
                "first_seen",
                " AND status != 'duplicate'",
                start,
                end,
                q,
            )?;
            Ok((bucket, reports, defects))
        })
        .collect::<Result<Vec<_>, StoreError>>()?
        .into_iter()
        .filter(|(_, reports, defects)| reports + defects > 0)
        .collect();
    Ok(MetricsCounts {
        resolved,
        found,
        components,
        routes,
        volume,
    })
}
