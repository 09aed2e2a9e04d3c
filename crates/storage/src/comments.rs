//! Staff comments on a defect. Each is also a `commented` event in the defect's history, in the
//! same transaction, so the history shows who commented when.

use rusqlite::{Connection, params};
use snag_core::{Change, DefectId, Timestamp};

use crate::StoreError;
use crate::lifecycle;
use crate::model::{Comment, Millis};

pub(crate) fn add(
    conn: &Connection,
    defect: &DefectId,
    author: &str,
    body: &str,
    at: Millis,
) -> Result<Comment, StoreError> {
    if lifecycle::load(conn, defect)?.is_none() {
        return Err(StoreError::NotFound("defect"));
    }
    conn.prepare_cached(
        "INSERT INTO comments (defect_id, at, author, body) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![defect.as_str(), at, author, body])?;
    let id = conn.last_insert_rowid();
    lifecycle::insert_event(
        conn,
        defect,
        &Change::Commented { comment: id },
        author,
        None,
        at,
    )?;
    conn.prepare_cached("UPDATE defects SET updated_at = ?2 WHERE id = ?1")?
        .execute(params![defect.as_str(), at])?;
    Ok(Comment {
        id,
        at: Timestamp(at),
        author: author.to_owned(),
        body: body.to_owned(),
    })
}

pub(crate) fn of_defect(conn: &Connection, defect: &DefectId) -> Result<Vec<Comment>, StoreError> {
    let comments = conn
        .prepare_cached(
            "SELECT id, at, author, body FROM comments WHERE defect_id = ?1 ORDER BY id",
        )?
        .query_map([defect.as_str()], |row| {
            Ok(Comment {
                id: row.get(0)?,
                at: Timestamp(row.get(1)?),
                author: row.get(2)?,
                body: row.get(3)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(comments)
}
