//! The dashboard's inbox: defects by filters, full-text search and one of five orders, paged
//! by keyset (the sort key and id of the last row shown), so page 500 costs what page 1 does.
//! Every order has an index (migration 4).

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use snag_core::{DefectId, Status};

use crate::StoreError;
use crate::defects::{DEFECT_COLUMNS, defect_from_row};
use crate::model::{Defect, FieldFilter, InboxFilter, InboxSort, StatusFilter};
use crate::search::{DEFECT_MATCHES, DEFECT_OF_DOC, defect_docs, fts_query};

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

/// Where the inbox query puts `d.seq`, after [`DEFECT_COLUMNS`].
const SEQ_COLUMN: usize = 19;

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
    list_tuned(conn, filter, Tuning::DEFAULT)
}

/// When a search asks the index defect by defect instead of collecting its matches.
///
/// Collecting costs in proportion to the matching documents (a common word matches a quarter
/// of a million reports); asking costs about a tenth of a millisecond per defect asked about,
/// so it pays when most defects match and a page is found after a few dozen questions.
#[derive(Debug, Clone, Copy)]
struct Tuning {
    /// A search is common when it matches at least this many documents...
    common_docs: i64,
    /// ...and at least this share of the defects their first `common_docs` span.
    common_share: f64,
    /// How many defects of the inbox's order a first try reads ([`Source::Window`]) before
    /// the query starts from the projects or the search's matches instead.
    probe_rows: usize,
}

impl Tuning {
    const DEFAULT: Tuning = Tuning {
        common_docs: 20_000,
        common_share: 0.5,
        probe_rows: 2_000,
    };
}

/// Where the inbox query reads defects from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The table; the projects a user may see through `defects_project`, right for a
    /// project that holds few of the defects.
    Table,
    /// The table; the projects checked on each row the query reaches another way (the
    /// search's matches).
    TableByMatches,
    /// The first this many defects in the inbox's order (after the cursor), each checked
    /// against every filter: the cost is bounded however few pass.
    Window(usize),
}

fn list_tuned(
    conn: &Connection,
    filter: &InboxFilter,
    tuning: Tuning,
) -> Result<Vec<Defect>, StoreError> {
    if filter.projects.as_ref().is_some_and(Vec::is_empty) {
        return Ok(Vec::new());
    }
    let search = match filter.search.as_deref().map(fts_query) {
        None => None,
        Some(None) => return Ok(Vec::new()),
        Some(Some(query)) => Some(query),
    };
    // When most defects are likely to pass (the user's projects hold most of them, or most
    // match the search), walking the order and checking each defect finds a page soonest;
    // the walk is bounded, so a small project or a rare word costs little before the query
    // that starts from them.
    let common = match &search {
        None => true,
        Some(query) => is_common(conn, query, tuning)?,
    };
    if common && (filter.projects.is_some() || search.is_some()) {
        let window = Source::Window(tuning.probe_rows);
        let (sql, order) = base(filter, window)?;
        if let Some(found) = probe(conn, sql, &order, filter, search.as_deref(), tuning)? {
            return Ok(found);
        }
    }
    let Some(query) = search else {
        let (sql, order) = base(filter, Source::Table)?;
        return walk(conn, sql, &order, filter.limit, filter.limit, |_| Ok(true));
    };
    let (mut sql, order) = base(filter, Source::TableByMatches)?;
    let p = sql.bind(Value::Text(query));
    sql.text.push_str(&format!(
        " AND d.seq IN (SELECT DISTINCT {DEFECT_OF_DOC} FROM search WHERE search MATCH {p})"
    ));
    walk(conn, sql, &order, filter.limit, filter.limit, |_| Ok(true))
}

/// The inbox query without its search, reading from `source`, and its order.
fn base(filter: &InboxFilter, source: Source) -> Result<(Sql, String), StoreError> {
    let mut sql = Sql {
        text: String::new(),
        values: Vec::new(),
    };
    if let Some(ids) = &filter.projects {
        let placeholders: Vec<String> = ids.iter().map(|p| sql.bind(Value::Integer(p.0))).collect();
        let column = match source {
            Source::TableByMatches => "+d.project_id",
            Source::Table | Source::Window(_) => "d.project_id",
        };
        sql.text
            .push_str(&format!(" AND {column} IN ({})", placeholders.join(", ")));
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
    let filters = std::mem::take(&mut sql.text);
    cursor_clause(filter, &mut sql)?;
    let order = order_clause(filter.sort);
    let cursor = std::mem::take(&mut sql.text);
    let columns = format!("SELECT {DEFECT_COLUMNS}, d.seq FROM");
    let projects = "JOIN projects p ON p.id = d.project_id";
    sql.text = match source {
        Source::Table | Source::TableByMatches => {
            format!("{columns} defects d {projects} WHERE 1 = 1{filters}{cursor}")
        }
        Source::Window(rows) => {
            let rows = sql.bind(Value::Integer(rows as i64));
            format!(
                "{columns} (SELECT * FROM defects d WHERE 1 = 1{cursor} ORDER BY {order} LIMIT {rows}) AS d
                 {projects} WHERE 1 = 1{filters}"
            )
        }
    };
    Ok((sql, order))
}

/// How many defects follow the cursor in the inbox's order, counting up to `rows`.
fn window_len(conn: &Connection, filter: &InboxFilter, rows: usize) -> Result<usize, StoreError> {
    let mut sql = Sql {
        text: String::new(),
        values: Vec::new(),
    };
    cursor_clause(filter, &mut sql)?;
    let order = order_clause(filter.sort);
    let rows = sql.bind(Value::Integer(rows as i64));
    let text = format!(
        "SELECT count(*) FROM (SELECT 1 FROM defects d WHERE 1 = 1{} ORDER BY {order} LIMIT {rows})",
        sql.text
    );
    let count: i64 = conn
        .prepare_cached(&text)?
        .query_row(params_from_iter(sql.values), |row| row.get(0))?;
    Ok(count as usize)
}

/// Appends to `sql` the condition that continues after the cursor, if there is one.
fn cursor_clause(filter: &InboxFilter, sql: &mut Sql) -> Result<(), StoreError> {
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
    Ok(())
}

/// The inbox's order for `sort`, as SQL over `defects d`.
fn order_clause(sort: InboxSort) -> String {
    match (sort, key_sql(sort)) {
        (InboxSort::Severity | InboxSort::Priority, Some(key)) => format!("{key} ASC, d.id DESC"),
        (_, Some(key)) => format!("{key} DESC, d.id DESC"),
        (_, None) => "d.id DESC".to_owned(),
    }
}

/// Whether `query` is common (see [`Tuning`]) and has no prefix term: a prefix is expanded
/// again for every question, which costs more than collecting its matches. Documents are
/// numbered by defect, so the first ones found tell how many of the defects they span match.
fn is_common(conn: &Connection, query: &str, tuning: Tuning) -> Result<bool, StoreError> {
    if query.ends_with('*') || query.contains("* ") {
        return Ok(false);
    }
    let (docs, defects, span): (i64, i64, i64) = conn
        .prepare_cached(&format!(
            "SELECT count(*), count(DISTINCT defect), ifnull(max(defect) - min(defect) + 1, 0)
             FROM (SELECT {DEFECT_OF_DOC} AS defect FROM search WHERE search MATCH ?1 LIMIT ?2)"
        ))?
        .query_row(rusqlite::params![query, tuning.common_docs], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    Ok(docs >= tuning.common_docs && defects as f64 >= tuning.common_share * span as f64)
}

/// Finds a page among the first defects of the inbox's order (`sql` reads a
/// [`Source::Window`]), asking the index whether each matches `query` when there is one.
/// `None` when they held less than a page and more defects follow: the caller then starts
/// from the projects or the matches instead.
fn probe(
    conn: &Connection,
    sql: Sql,
    order: &str,
    filter: &InboxFilter,
    query: Option<&str>,
    tuning: Tuning,
) -> Result<Option<Vec<Defect>>, StoreError> {
    let mut ask = match query {
        Some(_) => Some(conn.prepare_cached(DEFECT_MATCHES)?),
        None => None,
    };
    let found = walk(conn, sql, order, tuning.probe_rows, filter.limit, |row| {
        let (Some(ask), Some(query)) = (ask.as_mut(), query) else {
            return Ok(true);
        };
        let (first, last) = defect_docs(row.get(SEQ_COLUMN)?);
        Ok(ask.exists(rusqlite::params![query, first, last])?)
    })?;
    let complete = found.len() >= filter.limit
        || window_len(conn, filter, tuning.probe_rows)? < tuning.probe_rows;
    Ok(complete.then_some(found))
}

/// Runs the inbox query in `order` over at most `rows` defects, keeping those `keep` says
/// yes to until `want` are kept.
fn walk(
    conn: &Connection,
    mut sql: Sql,
    order: &str,
    rows: usize,
    want: usize,
    mut keep: impl FnMut(&rusqlite::Row<'_>) -> Result<bool, StoreError>,
) -> Result<Vec<Defect>, StoreError> {
    let limit = sql.bind(Value::Integer(rows as i64));
    sql.text
        .push_str(&format!(" ORDER BY {order} LIMIT {limit}"));
    let mut stmt = conn.prepare_cached(&sql.text)?;
    let mut cursor = stmt.query(params_from_iter(sql.values))?;
    let mut defects = Vec::new();
    while let Some(row) = cursor.next()? {
        if defects.len() >= want {
            break;
        }
        if keep(row)? {
            defects.push(defect_from_row(row)?);
        }
    }
    Ok(defects)
}

#[cfg(test)]
mod tests {
    use rusqlite::{Connection, params};
    use snag_core::{DefectId, ReportId, Severity};

    use super::{Tuning, inbox_cursor, list_tuned};
    use crate::model::{FieldFilter, InboxFilter, InboxSort, ProjectId, StatusFilter};
    use crate::{schema, search};

    /// Forty defects in two projects (every third in the second) with one to three reports
    /// each: most say "common", some "typeerror", each has a word of its own; statuses,
    /// severities, counts and times vary.
    fn inbox() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = Connection::open(dir.path().join("snag.db")).unwrap();
        schema::migrate(&mut conn).unwrap();
        conn.execute_batch(search::PENDING_TABLE).unwrap();
        conn.execute(
            "INSERT INTO projects (id, name, public_key, allowed_origins, created_at)
             VALUES (1, 'shop', 'k', '[]', 0), (2, 'blog', 'b', '[]', 0)",
            [],
        )
        .unwrap();
        let statuses = ["new", "triaged", "resolved", "in_progress"];
        let severities = [None, Some("blocker"), Some("minor")];
        for i in 0..40_u32 {
            let defect =
                DefectId::parse(&format!("00000000-0000-7000-8000-0000000{i:05}")).unwrap();
            let reports = 1 + i % 3;
            conn.execute(
                "INSERT INTO defects (id, project_id, title, status, severity, source, report_count,
                                      first_seen, last_seen)
                 VALUES (?1, ?8, ?2, ?3, ?4, 'widget', ?5, ?6, ?7)",
                params![
                    defect.as_str(),
                    format!("defect {i}"),
                    statuses[i as usize % 4],
                    severities[i as usize % 3],
                    reports,
                    i,
                    (i * 7919) % 101,
                    1 + u32::from(i % 3 == 0)
                ],
            )
            .unwrap();
            search::index_title(&conn, &defect, &format!("defect {i}")).unwrap();
            for n in 0..reports {
                let report =
                    ReportId::parse(&format!("00000000-0000-7000-8000-00000{i:05}{n:02}")).unwrap();
                let common = if i % 5 == 0 { "" } else { "common" };
                let error = if i % 7 == 0 && n == 0 {
                    "TypeError"
                } else {
                    ""
                };
                let payload = serde_json::json!({
                    "description": format!("{common} word{i} {error}"),
                });
                conn.execute(
                    "INSERT INTO reports (id, project_id, defect_id, received_at, payload, enriched)
                     VALUES (?1, 1, ?2, ?3, ?4, '{}')",
                    params![report.as_str(), defect.as_str(), i, payload.to_string()],
                )
                .unwrap();
                search::index_report(&conn, &report, &defect).unwrap();
            }
        }
        search::flush_pending(&conn).unwrap();
        (dir, conn)
    }

    /// Every page of `filter`, following cursors.
    fn pages(conn: &Connection, filter: &InboxFilter, tuning: Tuning) -> Vec<Vec<String>> {
        let mut pages = Vec::new();
        let mut filter = filter.clone();
        loop {
            let page = list_tuned(conn, &filter, tuning).unwrap();
            let Some(last) = page.last() else {
                return pages;
            };
            filter.after = Some(inbox_cursor(last, filter.sort));
            pages.push(page.iter().map(|d| d.id.to_string()).collect());
        }
    }

    #[test]
    fn walking_and_checking_finds_the_pages_the_indexed_query_finds() {
        let (_dir, conn) = inbox();
        let collect = Tuning {
            common_docs: i64::MAX,
            common_share: 1.0,
            probe_rows: 0,
        };
        // Every search counts as common; a walk gives up after 6 defects or never.
        let short = Tuning {
            common_docs: 1,
            common_share: 0.0,
            probe_rows: 6,
        };
        let long = Tuning {
            common_docs: 1,
            common_share: 0.0,
            probe_rows: 1_000,
        };
        let searches = [
            None,
            Some("common"),
            Some("typeerror"),
            Some("word17"),
            Some("common typeerror"),
            Some("comm*"),
            Some("nothing"),
        ];
        let projects = [
            None,
            Some(vec![ProjectId(1)]),
            Some(vec![ProjectId(2)]),
            Some(vec![ProjectId(2), ProjectId(1)]),
        ];
        let statuses = [StatusFilter::Open, StatusFilter::All];
        // Field filters apply inside a window too, also to defects where the field is unset.
        let severities = [
            None,
            Some(FieldFilter::Is(Severity::Blocker)),
            Some(FieldFilter::Unset),
        ];
        for words in searches {
            for projects in &projects {
                for (status, severity) in statuses
                    .iter()
                    .flat_map(|s| severities.iter().map(move |v| (*s, v.clone())))
                {
                    for sort in InboxSort::ALL {
                        let filter = InboxFilter {
                            projects: projects.clone(),
                            status,
                            severity: severity.clone(),
                            search: words.map(str::to_owned),
                            sort,
                            limit: 4,
                            ..InboxFilter::default()
                        };
                        let expected = pages(&conn, &filter, collect);
                        let what =
                            format!("{words:?} {projects:?} {status:?} {severity:?} {sort:?}");
                        if projects.is_none() && severity.is_none() && words != Some("nothing") {
                            assert!(!expected.is_empty(), "{what}: found something");
                        }
                        assert_eq!(
                            pages(&conn, &filter, short),
                            expected,
                            "{what}, short walks"
                        );
                        assert_eq!(pages(&conn, &filter, long), expected, "{what}, long walks");
                    }
                }
            }
        }
        let all_common = pages(
            &conn,
            &InboxFilter {
                status: StatusFilter::All,
                search: Some("common".into()),
                limit: 100,
                ..InboxFilter::default()
            },
            long,
        );
        assert_eq!(
            all_common.concat().len(),
            32,
            "the defects not numbered 0 mod 5"
        );
    }
}
