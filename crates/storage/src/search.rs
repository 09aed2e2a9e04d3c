//! The dashboard's full-text search: an FTS5 index over each report's title, description,
//! steps, expected and actual results and console messages, and over each defect's title.
//!
//! The index is contentless (the text lives in `reports.payload` already). Each indexed
//! document has a row in `search_docs` naming the defect it belongs to now; merges, unmerges
//! and splits only update that row, so moving reports never rewrites the index. Every write
//! here runs inside the caller's transaction (ingest or a staff action), so the index never
//! disagrees with what is committed.
//!
//! New documents wait in the writer connection's `temp.search_pending` until the batch's
//! jobs are done ([`flush_pending`], just before the batch commits). FTS5 writes its
//! in-memory terms to disk at every savepoint, and the writer opens one savepoint per job:
//! indexing inside the jobs wrote a tiny segment per report and spent most of the writer's
//! time merging them.

use rusqlite::{Connection, params};
use snag_core::{DefectId, ReportId};

use crate::StoreError;

/// The text indexed for a report, as an SQL expression over `reports r`. One definition for
/// the ingest path and for the migration that indexed reports stored before search existed.
macro_rules! report_text {
    () => {
        "(ifnull(json_extract(r.payload, '$.title'), '') || ' ' ||
          ifnull(json_extract(r.payload, '$.description'), '') || ' ' ||
          ifnull(json_extract(r.payload, '$.steps'), '') || ' ' ||
          ifnull(json_extract(r.payload, '$.expected'), '') || ' ' ||
          ifnull(json_extract(r.payload, '$.actual'), '') || ' ' ||
          ifnull((SELECT group_concat(json_extract(c.value, '$.message'), ' ')
                  FROM json_each(r.payload, '$.console') c), ''))"
    };
}
pub(crate) use report_text;

/// Indexes a report just stored under `defect`.
pub(crate) fn index_report(
    conn: &Connection,
    report: &ReportId,
    defect: &DefectId,
) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO search_docs (defect_id, report_id) VALUES (?1, ?2)")?
        .execute(params![defect.as_str(), report.as_str()])?;
    let doc = conn.last_insert_rowid();
    conn.prepare_cached(concat!(
        "INSERT INTO temp.search_pending (doc, text) SELECT ?1, ",
        report_text!(),
        " FROM reports r WHERE r.id = ?2"
    ))?
    .execute(params![doc, report.as_str()])?;
    Ok(())
}

/// Indexes a new defect's title.
pub(crate) fn index_title(
    conn: &Connection,
    defect: &DefectId,
    title: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO search_docs (defect_id, report_id) VALUES (?1, NULL)")?
        .execute([defect.as_str()])?;
    let doc = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO temp.search_pending (doc, text) VALUES (?1, ?2)")?
        .execute(params![doc, title])?;
    Ok(())
}

/// The table of documents waiting for the batch's end; made once per writer connection.
pub(crate) const PENDING_TABLE: &str =
    "CREATE TEMP TABLE IF NOT EXISTS search_pending (doc INTEGER PRIMARY KEY, text TEXT NOT NULL)";

/// Indexes the documents the batch's jobs added, outside any job's savepoint, so FTS5 keeps
/// them in memory and writes them once, at the commit.
pub(crate) fn flush_pending(conn: &Connection) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO search (rowid, text) SELECT doc, text FROM temp.search_pending",
    )?
    .execute([])?;
    conn.prepare_cached("DELETE FROM temp.search_pending")?
        .execute([])?;
    Ok(())
}

/// Replaces a defect's indexed title. A contentless FTS5 table forgets a document only when
/// told its exact old text, which the title change carries.
pub(crate) fn retitle(
    conn: &Connection,
    defect: &DefectId,
    from: &str,
    to: &str,
) -> Result<(), StoreError> {
    let docs: Vec<i64> = conn
        .prepare_cached("SELECT doc FROM search_docs WHERE defect_id = ?1 AND report_id IS NULL")?
        .query_map([defect.as_str()], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let Some(doc) = docs.first() else {
        return index_title(conn, defect, to);
    };
    // Still waiting for the batch's end: not in the index yet, so only its text changes.
    let pending = conn
        .prepare_cached("UPDATE temp.search_pending SET text = ?2 WHERE doc = ?1")?
        .execute(params![doc, to])?;
    if pending > 0 {
        return Ok(());
    }
    conn.prepare_cached("INSERT INTO search (search, rowid, text) VALUES ('delete', ?1, ?2)")?
        .execute(params![doc, from])?;
    conn.prepare_cached("INSERT INTO search (rowid, text) VALUES (?1, ?2)")?
        .execute(params![doc, to])?;
    Ok(())
}

/// Points the index entries of the reports `defect` now holds at it, after reports moved
/// (merge, unmerge, split).
pub(crate) fn follow_reports(conn: &Connection, defect: &DefectId) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE search_docs SET defect_id = ?1
         WHERE report_id IN (SELECT id FROM reports WHERE defect_id = ?1) AND defect_id != ?1",
    )?
    .execute([defect.as_str()])?;
    Ok(())
}

/// Turns what a person typed into an FTS5 query: every word must appear (in any indexed
/// field of any report of the defect, or its title); a word ending in `*` matches as a
/// prefix. Each word is quoted, so FTS5 operators and punctuation in the input are only
/// text. `None` when nothing searchable is left.
pub fn fts_query(text: &str) -> Option<String> {
    let mut terms = Vec::new();
    for word in text.split_whitespace().take(16) {
        let (word, prefix) = match word.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (word, false),
        };
        if !word.chars().any(char::is_alphanumeric) {
            continue;
        }
        let quoted = format!("\"{}\"", word.replace('"', "\"\""));
        terms.push(if prefix { format!("{quoted}*") } else { quoted });
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn queries_quote_every_word() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("- * \""), None);
        assert_eq!(
            fts_query("pay button"),
            Some("\"pay\" \"button\"".to_owned())
        );
        assert_eq!(
            fts_query("Type* OR \"x"),
            Some("\"Type\"* \"OR\" \"\"\"x\"".to_owned())
        );
        assert_eq!(fts_query("pay.js:42"), Some("\"pay.js:42\"".to_owned()));
    }
}
