//! Embedded migrations, applied in order at start-up and tracked in `PRAGMA user_version`.
//!
//! A migration is never edited once released: add a new one.

use rusqlite::Connection;

use crate::StoreError;

const MIGRATIONS: &[&str] = &[
    // 1: projects, staff tokens, defects, reports, screenshots, idempotency, defect history.
    r#"
    CREATE TABLE projects (
        id              INTEGER PRIMARY KEY,
        name            TEXT NOT NULL UNIQUE,
        public_key      TEXT NOT NULL UNIQUE,
        allowed_origins TEXT NOT NULL,
        allow_no_origin INTEGER NOT NULL DEFAULT 0,
        settings        TEXT NOT NULL DEFAULT '{}',
        created_at      INTEGER NOT NULL
    );
    CREATE TABLE staff_tokens (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL,
        token_hash   TEXT NOT NULL UNIQUE,
        created_at   INTEGER NOT NULL
    );
    CREATE TABLE defects (
        id           TEXT PRIMARY KEY,
        project_id   INTEGER NOT NULL REFERENCES projects(id),
        title        TEXT NOT NULL,
        status       TEXT NOT NULL,
        severity     TEXT,
        priority     TEXT,
        assignee     TEXT,
        component    TEXT,
        route        TEXT,
        category     TEXT,
        environment  TEXT,
        source       TEXT NOT NULL,
        report_count INTEGER NOT NULL,
        first_seen   INTEGER NOT NULL,
        last_seen    INTEGER NOT NULL,
        resolved_at  INTEGER
    );
    CREATE INDEX defects_project ON defects(project_id, id);
    CREATE TABLE attachments (
        sha256     TEXT PRIMARY KEY,
        media_type TEXT NOT NULL,
        width      INTEGER NOT NULL,
        height     INTEGER NOT NULL,
        bytes      BLOB NOT NULL
    );
    CREATE TABLE reports (
        id                TEXT PRIMARY KEY,
        project_id        INTEGER NOT NULL REFERENCES projects(id),
        defect_id         TEXT NOT NULL REFERENCES defects(id),
        received_at       INTEGER NOT NULL,
        payload           TEXT NOT NULL,
        enriched          TEXT NOT NULL,
        screenshot_sha256 TEXT REFERENCES attachments(sha256),
        thumbnail_sha256  TEXT REFERENCES attachments(sha256)
    );
    CREATE INDEX reports_defect ON reports(defect_id, received_at);
    CREATE TABLE idempotency (
        project_id INTEGER NOT NULL,
        key        TEXT NOT NULL,
        report_id  TEXT NOT NULL,
        defect_id  TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (project_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE defect_events (
        id         INTEGER PRIMARY KEY,
        defect_id  TEXT NOT NULL REFERENCES defects(id),
        at         INTEGER NOT NULL,
        actor      TEXT NOT NULL,
        kind       TEXT NOT NULL,
        from_value TEXT,
        to_value   TEXT,
        note       TEXT
    );
    CREATE INDEX defect_events_defect ON defect_events(defect_id, id);
    "#,
];

/// The schema version this build expects.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Applies every migration past the database's `user_version`, each in its own transaction.
/// Returns how many were applied.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current > latest_version() {
        return Err(StoreError::SchemaTooNew {
            found: current,
            supported: latest_version(),
        });
    }
    let mut applied = 0;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
        applied += 1;
    }
    Ok(applied)
}
