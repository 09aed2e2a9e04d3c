//! The dashboard's inbox: defects by filters, full-text search and one of five orders, paged
//! by keyset (the sort key and id of the last row shown), so page 500 costs what page 1 does.
//! Every order has an index (migration 4).

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use snag_core::{DefectId, Status};

use crate::StoreError;
use crate::defects::{DEFECT_COLUMNS, defect_from_row};
use crate::model::{Defect, FieldFilter, InboxFilter, InboxSort, StatusFilter};
use crate::search::fts_query;

/// What sorts a defect in `sort`, as SQL over `defects d`. Severity and priority names sort
/// alphabetically in rank order (`blocker` < `critical` < `major` < `minor`, `p0` < `p3`);
/// `z` puts unset ones last.
fn key_sql(sort: InboxSort) -> Option<&'static str> {
    match sort {
        InboxSort::LastSeen => Some("d.last_seen"),
        InboxSort::Newest => None,
        InboxSort::Reports => Some("d.report_count"),
        InboxSort::Severity => Some("COALESCE(d.severity, 'z')"),
        InboxSort::Priority => Some("COALESCE(d.priority, 'z')"),
    }
}

/// The cursor that continues a page after `defect`, for `sort`.
pub fn inbox_cursor(defect: &Defect, sort: InboxSort) -> String {
    let key = match sort {
        InboxSort::LastSeen => defect.last_seen.0.to_string(),
        InboxSort::Newest => return defect.id.to_string(),
        InboxSort::Reports => defect.report_count.to_string(),
        InboxSort::Severity => defect.severity.map_or("z", |s| s.as_str()).to_owned(),
        InboxSort::Priority => defect.priority.map_or("z", |p| p.as_str()).to_owned(),
    };
    format!("{key}.{}", defect.id)
}

/// Reads a cursor back; `None` when it was not made by [`inbox_cursor`] for this sort.
fn parse_cursor(text: &str, sort: InboxSort) -> Option<(Option<Value>, DefectId)> {
    if sort == InboxSort::Newest {
        return DefectId::parse(text).map(|id| (None, id));
    }
    let (key, id) = text.split_once('.')?;
    let id = DefectId::parse(id)?;
    let key = match sort {
        InboxSort::LastSeen | InboxSort::Reports => Value::Integer(key.parse().ok()?),
        _ if key.len() <= 8 && key.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Value::Text(key.to_owned())
        }
        _ => return None,
    };
    Some((Some(key), id))
}

struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn bind(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("?{}", self.values.len())
    }

    fn field<T>(
        &mut self,
        column: &str,
        filter: &Option<FieldFilter<T>>,
        text: impl Fn(&T) -> String,
    ) {
        match filter {
            None => {}
            Some(FieldFilter::Unset) => self.text.push_str(&format!(" AND {column} IS NULL")),
            Some(FieldFilter::Is(value)) => {
                let p = self.bind(Value::Text(text(value)));
                self.text.push_str(&format!(" AND {column} = {p}"));
            }
        }
    }
}

pub(crate) fn list(conn: &Connection, filter: &InboxFilter) -> Result<Vec<Defect>, StoreError> {
    let mut sql = Sql {
        text: format!(
            "SELECT {DEFECT_COLUMNS} FROM defects d JOIN projects p ON p.id = d.project_id WHERE 1 = 1"
        ),
        values: Vec::new(),
    };
    if let Some(projects) = &filter.projects {
        if projects.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = projects
            .iter()
            .map(|p| sql.bind(Value::Integer(p.0)))
            .collect();
        sql.text.push_str(&format!(
            " AND d.project_id IN ({})",
            placeholders.join(", ")
        ));
    }
    let statuses: Vec<Status> = match filter.status {
        StatusFilter::All => Vec::new(),
        StatusFilter::Open => Status::ALL.into_iter().filter(|s| s.is_open()).collect(),
        StatusFilter::Only(status) => vec![status],
    };
    if !statuses.is_empty() {
        let placeholders: Vec<String> = statuses
            .iter()
            .map(|s| sql.bind(Value::Text(s.as_str().into())))
            .collect();
        // `+` keeps the planner on the sort order's index: most defects pass a status
        // filter, so walking the order and skipping a few beats sorting all that match.
        sql.text
            .push_str(&format!(" AND +d.status IN ({})", placeholders.join(", ")));
    }
    sql.field("d.severity", &filter.severity, |s| s.as_str().to_owned());
    sql.field("d.priority", &filter.priority, |p| p.as_str().to_owned());
    sql.field("d.assignee", &filter.assignee, String::clone);
    sql.field("d.component", &filter.component, String::clone);
    if let Some(text) = &filter.search {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let p = sql.bind(Value::Text(query));
        sql.text.push_str(&format!(
            " AND d.id IN (SELECT s.defect_id FROM search JOIN search_docs s ON s.doc = search.rowid WHERE search MATCH {p})"
        ));
    }
    let key = key_sql(filter.sort);
    if let Some(cursor) = filter.after.as_deref() {
        let (value, id) = parse_cursor(cursor, filter.sort).ok_or(StoreError::BadCursor)?;
        let id = sql.bind(Value::Text(id.to_string()));
        match (key, value) {
            (None, _) | (_, None) => sql.text.push_str(&format!(" AND d.id < {id}")),
            (Some(key), Some(value)) => {
                let v = sql.bind(value);
                let cmp = match filter.sort {
                    InboxSort::Severity | InboxSort::Priority => ">",
                    _ => "<",
                };
                sql.text.push_str(&format!(
                    " AND ({key} {cmp} {v} OR ({key} = {v} AND d.id < {id}))"
                ));
            }
        }
    }
    let order = match (filter.sort, key) {
        (InboxSort::Severity | InboxSort::Priority, Some(key)) => format!("{key} ASC, d.id DESC"),
        (_, Some(key)) => format!("{key} DESC, d.id DESC"),
        (_, None) => "d.id DESC".to_owned(),
    };
    let limit = sql.bind(Value::Integer(filter.limit as i64));
    sql.text
        .push_str(&format!(" ORDER BY {order} LIMIT {limit}"));
    let mut stmt = conn.prepare_cached(&sql.text)?;
    let mut rows = stmt.query(params_from_iter(sql.values))?;
    let mut defects = Vec::new();
    while let Some(row) = rows.next()? {
        defects.push(defect_from_row(row)?);
    }
    Ok(defects)
}
