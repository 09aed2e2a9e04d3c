//! The dashboard's full-text search: an FTS5 index over each report's title, description,
//! steps, expected and actual results and console messages, and over each defect's title.
//!
//! The index is contentless (the text lives in `reports.payload` already). A document's
//! rowid says which defect it belongs to: the defect's `seq` in the high 32 bits, and 0 for
//! its title or the report's place in the defect (from `defects.search_next`) in the low
//! ones. A search then finds defects from the index alone (`rowid >> 32`), without a lookup
//! per matching document: a common word matches a quarter of a million reports. When reports
//! move (merge, unmerge, split) their documents are indexed again under the defect they
//! joined (`contentless_delete` lets a contentless table drop a document by rowid), and
//! `search_report_docs` remembers each report's document. Every write here runs inside the
//! caller's transaction (ingest or a staff action), so the index never disagrees with what is
//! committed.
//!
//! New documents wait in the writer connection's `temp.search_pending` until the batch's
//! jobs are done ([`flush_pending`], just before the batch commits). FTS5 writes its
//! in-memory terms to disk at every savepoint, and the writer opens one savepoint per job:
//! indexing inside the jobs wrote a tiny segment per report and spent most of the writer's
//! time merging them.

use rusqlite::{Connection, OptionalExtension, params};
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

/// How many bits of a document's rowid number the documents within one defect.
const DOC_BITS: u32 = 32;

/// The defect a document belongs to, as SQL over a rowid; the inbox matches it to
/// `defects.seq`.
pub(crate) const DEFECT_OF_DOC: &str = "rowid >> 32";

/// Asks whether the defect whose documents span rowids `?2..=?3` ([`defect_docs`]) matches
/// the query `?1`: the index seeks to that range instead of listing every match.
pub(crate) const DEFECT_MATCHES: &str =
    "SELECT 1 FROM search WHERE search MATCH ?1 AND rowid BETWEEN ?2 AND ?3 LIMIT 1";

/// The first and last rowid a document of the defect numbered `seq` can have.
pub(crate) fn defect_docs(seq: i64) -> (i64, i64) {
    let first = seq << DOC_BITS;
    (first, first | ((1 << DOC_BITS) - 1))
}

/// The rowid of document `n` of the defect numbered `seq` (0 is its title).
fn doc_id(seq: i64, n: i64) -> Result<i64, StoreError> {
    if !(1..i64::from(i32::MAX)).contains(&seq) || !(0..1 << DOC_BITS).contains(&n) {
        return Err(StoreError::Conflict(format!(
            "the search index has no room for document {n} of defect number {seq}"
        )));
    }
    Ok(seq << DOC_BITS | n)
}

/// Takes the next document number of `defect`: its `seq` and the number.
fn next_doc(conn: &Connection, defect: &DefectId) -> Result<i64, StoreError> {
    let (seq, n): (i64, i64) = conn
        .prepare_cached(
            "UPDATE defects SET search_next = search_next + 1 WHERE id = ?1
             RETURNING seq, search_next - 1",
        )?
        .query_row([defect.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?
        .ok_or(StoreError::NotFound("defect"))?;
    doc_id(seq, n)
}

/// Indexes a report just stored under `defect`.
pub(crate) fn index_report(
    conn: &Connection,
    report: &ReportId,
    defect: &DefectId,
) -> Result<(), StoreError> {
    index_report_under(conn, report.as_str(), defect)
}

fn index_report_under(
    conn: &Connection,
    report: &str,
    defect: &DefectId,
) -> Result<(), StoreError> {
    let doc = next_doc(conn, defect)?;
    conn.prepare_cached(
        "INSERT INTO search_report_docs (report_id, doc) VALUES (?1, ?2)
         ON CONFLICT (report_id) DO UPDATE SET doc = excluded.doc",
    )?
    .execute(params![report, doc])?;
    conn.prepare_cached(concat!(
        "INSERT INTO temp.search_pending (doc, text) SELECT ?1, ",
        report_text!(),
        " FROM reports r WHERE r.id = ?2"
    ))?
    .execute(params![doc, report])?;
    Ok(())
}

/// Numbers a new defect for the index (`defects.seq`) and indexes its title.
pub(crate) fn index_title(
    conn: &Connection,
    defect: &DefectId,
    title: &str,
) -> Result<(), StoreError> {
    let seq: i64 = conn
        .prepare_cached(
            "UPDATE defects SET seq = (SELECT ifnull(max(seq), 0) + 1 FROM defects), search_next = 1
             WHERE id = ?1 RETURNING seq",
        )?
        .query_row([defect.as_str()], |row| row.get(0))
        .optional()?
        .ok_or(StoreError::NotFound("defect"))?;
    conn.prepare_cached("INSERT INTO temp.search_pending (doc, text) VALUES (?1, ?2)")?
        .execute(params![doc_id(seq, 0)?, title])?;
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

/// Forgets a document, whether it is indexed already or still waits for the batch's end.
fn forget(conn: &Connection, doc: i64) -> Result<(), StoreError> {
    let pending = conn
        .prepare_cached("DELETE FROM temp.search_pending WHERE doc = ?1")?
        .execute([doc])?;
    if pending == 0 {
        conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
            .execute([doc])?;
    }
    Ok(())
}

/// The number a defect's documents carry (`defects.seq`).
fn seq_of(conn: &Connection, defect: &DefectId) -> Result<i64, StoreError> {
    conn.prepare_cached("SELECT seq FROM defects WHERE id = ?1")?
        .query_row([defect.as_str()], |row| row.get(0))
        .optional()?
        .ok_or(StoreError::NotFound("defect"))
}

/// Replaces a defect's indexed title.
pub(crate) fn retitle(conn: &Connection, defect: &DefectId, to: &str) -> Result<(), StoreError> {
    let doc = doc_id(seq_of(conn, defect)?, 0)?;
    forget(conn, doc)?;
    conn.prepare_cached("INSERT INTO temp.search_pending (doc, text) VALUES (?1, ?2)")?
        .execute(params![doc, to])?;
    Ok(())
}

/// Indexes again, under `defect`, the reports that moved to it (merge, unmerge, split).
pub(crate) fn follow_reports(conn: &Connection, defect: &DefectId) -> Result<(), StoreError> {
    let (first, last) = defect_docs(seq_of(conn, defect)?);
    let moved: Vec<(String, i64)> = conn
        .prepare_cached(
            "SELECT r.id, s.doc FROM reports r JOIN search_report_docs s ON s.report_id = r.id
             WHERE r.defect_id = ?1
               AND s.doc NOT BETWEEN ?2 AND ?3",
        )?
        .query_map(params![defect.as_str(), first, last], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    for (report, doc) in moved {
        forget(conn, doc)?;
        index_report_under(conn, &report, defect)?;
    }
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
