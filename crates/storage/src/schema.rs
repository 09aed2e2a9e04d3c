//! Embedded migrations, applied in order at start-up and tracked in `PRAGMA user_version`.
//!
//! A migration is never edited once released: add a new one.

use rusqlite::Connection;

use crate::StoreError;
use crate::search::report_text;

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
    // 2: duplicate folding and the lifecycle: why a report joined, its fold features, where a
    // merge moved it from; merges and suggested severity on defects; full change detail.
    r#"
    ALTER TABLE reports ADD COLUMN fold TEXT;
    ALTER TABLE reports ADD COLUMN features BLOB;
    ALTER TABLE reports ADD COLUMN moved_from TEXT;
    ALTER TABLE defects ADD COLUMN merged_into TEXT REFERENCES defects(id);
    ALTER TABLE defects ADD COLUMN suggested_severity TEXT;
    ALTER TABLE defects ADD COLUMN updated_at INTEGER;
    ALTER TABLE defect_events ADD COLUMN detail TEXT;
    CREATE INDEX reports_moved_from ON reports(moved_from) WHERE moved_from IS NOT NULL;
    CREATE INDEX defects_status ON defects(project_id, status);
    "#,
    // 3: the transactional outbox (rows written in the same transaction as what they forward)
    // and the tickets it created, one per defect and connector.
    r#"
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        project_id      INTEGER NOT NULL,
        defect_id       TEXT NOT NULL,
        report_id       TEXT,
        connector       TEXT NOT NULL,
        action          TEXT NOT NULL,
        event           TEXT,
        state           TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        claimed_until   INTEGER,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        done_at         INTEGER
    );
    CREATE INDEX outbox_due ON outbox(state, connector, next_attempt_at);
    CREATE INDEX outbox_order ON outbox(defect_id, connector, id);
    CREATE TABLE tickets (
        defect_id   TEXT NOT NULL,
        connector   TEXT NOT NULL,
        external_id TEXT NOT NULL,
        key         TEXT NOT NULL,
        url         TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (defect_id, connector)
    ) WITHOUT ROWID;
    "#,
    // 4: the dashboard. Staff accounts, the projects each may see, one-time invites and
    // sessions (tokens stored hashed); staff comments; the full-text search index (FTS5,
    // contentless: the text already lives in `reports.payload`; `search_docs` maps each
    // indexed document to the defect it now belongs to, so a merge moves no index entry);
    // indexes for the inbox's sort orders and the metrics' windows.
    concat!(
        r#"
    CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE,
        role          TEXT NOT NULL,
        password_hash TEXT,
        created_at    INTEGER NOT NULL
    );
    CREATE TABLE user_projects (
        user_id    INTEGER NOT NULL REFERENCES users(id),
        project_id INTEGER NOT NULL REFERENCES projects(id),
        PRIMARY KEY (user_id, project_id)
    ) WITHOUT ROWID;
    CREATE TABLE invites (
        token_hash TEXT PRIMARY KEY,
        user_id    INTEGER NOT NULL REFERENCES users(id),
        expires_at INTEGER NOT NULL,
        used_at    INTEGER
    ) WITHOUT ROWID;
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id    INTEGER NOT NULL REFERENCES users(id),
        csrf       TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_expiry ON sessions(expires_at);
    CREATE TABLE comments (
        id        INTEGER PRIMARY KEY,
        defect_id TEXT NOT NULL REFERENCES defects(id),
        at        INTEGER NOT NULL,
        author    TEXT NOT NULL,
        body      TEXT NOT NULL
    );
    CREATE INDEX comments_defect ON comments(defect_id, id);
    CREATE TABLE search_docs (
        doc       INTEGER PRIMARY KEY,
        defect_id TEXT NOT NULL,
        report_id TEXT UNIQUE
    );
    CREATE INDEX search_docs_defect ON search_docs(defect_id);
    CREATE VIRTUAL TABLE search USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2');
    INSERT INTO search_docs (defect_id, report_id) SELECT defect_id, id FROM reports ORDER BY received_at, id;
    INSERT INTO search_docs (defect_id, report_id) SELECT id, NULL FROM defects;
    INSERT INTO search (rowid, text) SELECT s.doc, "#,
        report_text!(),
        r#" FROM search_docs s JOIN reports r ON r.id = s.report_id;
    INSERT INTO search (rowid, text) SELECT s.doc, d.title FROM search_docs s JOIN defects d ON d.id = s.defect_id
        WHERE s.report_id IS NULL;
    CREATE INDEX defects_last_seen ON defects(last_seen, id);
    CREATE INDEX defects_reports ON defects(report_count, id);
    CREATE INDEX defects_severity ON defects(COALESCE(severity, 'z'), id DESC);
    CREATE INDEX defects_priority ON defects(COALESCE(priority, 'z'), id DESC);
    CREATE INDEX defects_first_seen ON defects(first_seen);
    CREATE INDEX defects_resolved ON defects(resolved_at) WHERE resolved_at IS NOT NULL;
    CREATE INDEX reports_received ON reports(received_at, project_id);
    "#
    ),
    // 5: search finds defects from the index alone. Each defect gets a stable number (`seq`)
    // and a counter of its documents; a document's rowid is `seq << 32 | n` (0 for the
    // title); `search_report_docs` remembers each report's document, so a moved report is
    // indexed again under the defect it joined (see `search`). The metrics read defects from
    // covering indexes that lead with what they group by (component, origin, page), so a
    // window is counted in one walk of an index instead of sorted in a temporary tree.
    concat!(
        r#"
    DROP INDEX defects_first_seen;
    CREATE INDEX defects_first_seen ON defects(first_seen, status, project_id);
    CREATE INDEX defects_by_component ON defects(project_id, component, first_seen, status, report_count);
    CREATE INDEX defects_by_origin ON defects(source, environment, first_seen, status, project_id);
    CREATE INDEX defects_by_route ON defects(route, last_seen, status, project_id, report_count);
    ALTER TABLE defects ADD COLUMN seq INTEGER;
    ALTER TABLE defects ADD COLUMN search_next INTEGER NOT NULL DEFAULT 1;
    UPDATE defects SET seq = rowid;
    CREATE UNIQUE INDEX defects_seq ON defects(seq);
    DROP TABLE search;
    DROP TABLE search_docs;
    CREATE VIRTUAL TABLE search USING fts5(text, content='', contentless_delete=1,
        tokenize='unicode61 remove_diacritics 2');
    CREATE TABLE search_report_docs (
        report_id TEXT PRIMARY KEY,
        doc       INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO search_report_docs (report_id, doc)
        SELECT r.id, (d.seq << 32) + row_number() OVER (PARTITION BY r.defect_id ORDER BY r.received_at, r.id)
        FROM reports r JOIN defects d ON d.id = r.defect_id;
    UPDATE defects SET search_next = 1 + (SELECT count(*) FROM reports r WHERE r.defect_id = defects.id);
    INSERT INTO search (rowid, text) SELECT seq << 32, title FROM defects;
    INSERT INTO search (rowid, text) SELECT s.doc, "#,
        report_text!(),
        r#" FROM search_report_docs s JOIN reports r ON r.id = s.report_id ORDER BY s.doc;
    "#
    ),
];

/// The schema version this build expects.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Applies every migration past the database's `user_version`, each in its own transaction.
/// Returns how many were applied.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    migrate_to(conn, latest_version())
}

/// Applies the migrations past the database's `user_version` up to `target`.
fn migrate_to(conn: &mut Connection, target: u32) -> Result<u32, StoreError> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current > latest_version() {
        return Err(StoreError::SchemaTooNew {
            found: current,
            supported: latest_version(),
        });
    }
    let mut applied = 0;
    let upto = MIGRATIONS.iter().take(target as usize);
    for (index, sql) in upto.enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
        applied += 1;
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use snag_core::{DefectId, ReportId};

    use super::{migrate, migrate_to};
    use crate::search;

    const PAY: &str = "00000000-0000-7000-8000-00000000000a";
    const CART: &str = "00000000-0000-7000-8000-00000000000b";

    /// The defects whose title or reports hold `word`, found the way the inbox finds them.
    fn found(conn: &Connection, word: &str) -> Vec<String> {
        let sql = format!(
            "SELECT id FROM defects WHERE seq IN
             (SELECT DISTINCT {} FROM search WHERE search MATCH ?1) ORDER BY id",
            search::DEFECT_OF_DOC
        );
        let mut stmt = conn.prepare(&sql).unwrap();
        stmt.query_map([word], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn doc_of(conn: &Connection, report: &str) -> (i64, i64) {
        let doc: i64 = conn
            .query_row(
                "SELECT doc FROM search_report_docs WHERE report_id = ?1",
                [report],
                |row| row.get(0),
            )
            .unwrap();
        (doc >> 32, doc & 0xffff_ffff)
    }

    fn seq_of(conn: &Connection, defect: &str) -> i64 {
        conn.query_row("SELECT seq FROM defects WHERE id = ?1", [defect], |row| {
            row.get(0)
        })
        .unwrap()
    }

    #[test]
    fn search_made_before_version_5_is_indexed_again_by_defect() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = Connection::open(dir.path().join("snag.db")).unwrap();
        migrate_to(&mut conn, 4).unwrap();
        let report = |n: u8| format!("00000000-0000-7000-8000-0000000001{n:02}");
        conn.execute_batch(&format!(
            r#"
            INSERT INTO projects (id, name, public_key, allowed_origins, created_at)
                VALUES (1, 'shop', 'k', '[]', 0);
            INSERT INTO defects (id, project_id, title, status, source, report_count, first_seen, last_seen)
                VALUES ('{PAY}', 1, 'Pay button dead', 'new', 'widget', 2, 0, 0),
                       ('{CART}', 1, 'Cart empty', 'new', 'widget', 1, 0, 0);
            INSERT INTO reports (id, project_id, defect_id, received_at, payload, enriched) VALUES
                ('{}', 1, '{PAY}', 1, '{{"description": "nothing happens", "console": [{{"message": "TypeError: total"}}]}}', '{{}}'),
                ('{}', 1, '{PAY}', 2, '{{"description": "still frozen", "steps": "click pay"}}', '{{}}'),
                ('{}', 1, '{CART}', 3, '{{"description": "the basket is empty"}}', '{{}}');
            "#,
            report(1),
            report(2),
            report(3)
        ))
        .unwrap();

        assert_eq!(migrate(&mut conn).unwrap(), 1);
        assert_eq!(found(&conn, "typeerror"), [PAY]);
        assert_eq!(found(&conn, "frozen"), [PAY]);
        assert_eq!(found(&conn, "basket"), [CART]);
        assert_eq!(found(&conn, "empty"), [CART], "titles too");
        let (pay, cart) = (seq_of(&conn, PAY), seq_of(&conn, CART));
        assert_eq!(doc_of(&conn, &report(2)), (pay, 2));
        assert_eq!(doc_of(&conn, &report(3)), (cart, 1));

        // Later documents continue each defect's numbering, and a moved report follows.
        conn.execute_batch(search::PENDING_TABLE).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute(
            "INSERT INTO reports (id, project_id, defect_id, received_at, payload, enriched)
             VALUES (?1, 1, ?2, 4, '{\"description\": \"wishlist gone\"}', '{}')",
            [report(4).as_str(), CART],
        )
        .unwrap();
        let cart_id = DefectId::parse(CART).unwrap();
        search::index_report(&tx, &ReportId::parse(&report(4)).unwrap(), &cart_id).unwrap();
        tx.execute(
            "UPDATE reports SET defect_id = ?1 WHERE id = ?2",
            [CART, report(1).as_str()],
        )
        .unwrap();
        search::follow_reports(&tx, &cart_id).unwrap();
        search::flush_pending(&tx).unwrap();
        tx.commit().unwrap();
        assert_eq!(doc_of(&conn, &report(4)), (cart, 2));
        assert_eq!(doc_of(&conn, &report(1)), (cart, 3));
        assert_eq!(found(&conn, "wishlist"), [CART]);
        assert_eq!(
            found(&conn, "typeerror"),
            [CART],
            "the old document is gone"
        );
        assert_eq!(found(&conn, "frozen"), [PAY]);
    }
}
