//! Snag's storage: the only crate that runs SQL.
//!
//! [`Store`] speaks domain types; [`SqliteStore`] implements it on one SQLite file in WAL mode,
//! with every write going through one group-committing writer thread ([`writer`]) and reads
//! through a small pool of read-only connections.

mod comments;
mod connection;
mod defect_ops;
mod defects;
mod error;
mod inbox;
mod lifecycle;
mod metrics;
pub mod model;
mod outbox;
mod projects;
mod reports;
pub mod schema;
mod search;
mod users;
mod writer;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

pub use connection::Durability;
pub use defect_ops::{DefectOp, OpOutcome, Touched};
pub use error::StoreError;
pub use inbox::inbox_cursor;
pub use lifecycle::SYSTEM_ACTOR;
pub use model::*;
pub use search::fts_query;
pub use writer::BatchObserver;

use connection::ReadPool;
use snag_core::{DefectId, FoldJob, IdempotencyKey, ProjectKey, ReportId};
use writer::Writer;

pub type StoreFuture<T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send>>;

/// Everything the server asks of storage. Reads block (call them off the async executor);
/// writes return a future that resolves once the write is committed.
pub trait Store: Send + Sync + 'static {
    /// Stores a report in one transaction, folded by `fold` into an existing defect or opening
    /// its own, or answers with the first report stored under the same idempotency key.
    fn insert_report(&self, report: NewReport, fold: Box<dyn FoldJob>) -> StoreFuture<Accepted>;
    /// A staff action on a defect, by `actor`.
    /// A staff action on a defect, by `actor`; `events` are the webhook connectors told about
    /// each defect it changes, in the same transaction.
    fn update_defect(
        &self,
        id: DefectId,
        op: DefectOp,
        actor: String,
        events: Vec<OutboxRequest>,
    ) -> StoreFuture<OpOutcome>;
    /// Claims up to `limit` due outbox rows of `connector` for `lease` milliseconds.
    fn claim_outbox(
        &self,
        connector: String,
        lease: Millis,
        limit: usize,
    ) -> StoreFuture<Vec<OutboxRow>>;
    fn complete_outbox(&self, id: i64, outcome: DeliveryOutcome) -> StoreFuture<()>;
    /// Puts a dead row (or all, with `None`) back in the queue; returns how many.
    fn retry_outbox(&self, id: Option<i64>) -> StoreFuture<u64>;
    fn list_outbox(
        &self,
        state: Option<OutboxState>,
        limit: usize,
    ) -> Result<Vec<OutboxRow>, StoreError>;
    fn ticket(&self, defect: &DefectId, connector: &str) -> Result<Option<Ticket>, StoreError>;
    /// Fold features of the reports that speak for foldable defects (see
    /// `reports::fold_features`), oldest first, and the states of defects not plainly open.
    fn fold_features(
        &self,
        latest: usize,
        done_since: Millis,
    ) -> Result<(Vec<StoredFeatures>, Vec<FoldableDefect>), StoreError>;
    fn find_idempotent(
        &self,
        project: ProjectId,
        key: &IdempotencyKey,
    ) -> Result<Option<Accepted>, StoreError>;
    fn project_by_key(&self, key: &ProjectKey) -> Result<Option<Project>, StoreError>;
    fn list_projects(&self) -> Result<Vec<Project>, StoreError>;
    fn insert_project(&self, project: NewProject) -> Result<Project, StoreError>;
    fn insert_staff_token(&self, name: &str, token_hash: &str) -> Result<StaffToken, StoreError>;
    fn staff_token_by_hash(&self, token_hash: &str) -> Result<Option<StaffToken>, StoreError>;
    fn get_report(&self, id: &ReportId) -> Result<Option<StoredReport>, StoreError>;
    fn report_image(
        &self,
        id: &ReportId,
        kind: ImageKind,
    ) -> Result<Option<StoredImage>, StoreError>;
    fn list_defects(&self, filter: &DefectFilter) -> Result<Vec<Defect>, StoreError>;
    fn get_defect(&self, id: &DefectId) -> Result<Option<DefectDetail>, StoreError>;
    fn count_reports(&self) -> Result<u64, StoreError>;
    /// Commits every queued write and stops the writer.
    fn close(&self);

    // The dashboard's reads and writes.

    /// Defects for the inbox: filters, full-text search, sort, keyset paging.
    fn inbox(&self, filter: &InboxFilter) -> Result<Vec<Defect>, StoreError>;
    /// A defect's reports in full, newest first, continuing before `before`.
    fn defect_reports(
        &self,
        id: &DefectId,
        before: Option<(Millis, ReportId)>,
        limit: usize,
    ) -> Result<Vec<StoredReport>, StoreError>;
    fn comments(&self, id: &DefectId) -> Result<Vec<Comment>, StoreError>;
    /// A staff comment, with its history event, by `author`.
    fn add_comment(&self, id: DefectId, author: String, body: String) -> StoreFuture<Comment>;
    fn metrics_counts(&self, query: &MetricsQuery) -> Result<MetricsCounts, StoreError>;
    fn project(&self, id: ProjectId) -> Result<Option<Project>, StoreError>;
    fn update_project(&self, id: ProjectId, update: ProjectUpdate) -> Result<(), StoreError>;
    fn rotate_project_key(&self, id: ProjectId, key: &ProjectKey) -> Result<(), StoreError>;
    fn insert_user(&self, user: NewUser) -> Result<User, StoreError>;
    fn list_users(&self) -> Result<Vec<User>, StoreError>;
    /// A user and their password hash (`None` until they accepted an invite).
    fn user_by_email(&self, email: &str) -> Result<Option<(User, Option<String>)>, StoreError>;
    fn insert_invite(
        &self,
        user: i64,
        token_hash: &str,
        expires_at: Millis,
    ) -> Result<(), StoreError>;
    /// The user of an unused, unexpired invite.
    fn invite(&self, token_hash: &str) -> Result<Option<User>, StoreError>;
    /// Uses an invite: sets the password; `None` when the invite is unknown, used or expired.
    fn accept_invite(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<Option<User>, StoreError>;
    fn insert_session(
        &self,
        token_hash: String,
        user: i64,
        csrf: String,
        expires_at: Millis,
    ) -> StoreFuture<()>;
    /// The unexpired session with this token hash, and its user as they are now.
    fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError>;
    fn delete_session(&self, token_hash: String) -> StoreFuture<()>;
}

#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub durability: Durability,
    /// The most writes one commit carries.
    pub max_batch: usize,
    pub max_idle_readers: usize,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            durability: Durability::Full,
            max_batch: 256,
            max_idle_readers: 8,
        }
    }
}

/// The database file inside a data directory.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join("snag.db")
}

pub struct SqliteStore {
    writer: Writer,
    readers: ReadPool,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the database in `data_dir`, applies pending migrations and
    /// starts the writer.
    pub fn open(
        data_dir: &Path,
        options: &StoreOptions,
        observer: BatchObserver,
    ) -> Result<Arc<Self>, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let path = database_path(data_dir);
        let mut conn = connection::open_writer(&path, options.durability)?;
        let applied = schema::migrate(&mut conn)?;
        if applied > 0 {
            tracing::info!(
                applied,
                version = schema::latest_version(),
                "applied migrations"
            );
        }
        Ok(Arc::new(SqliteStore {
            writer: Writer::spawn(conn, options.max_batch, observer),
            readers: ReadPool::new(path.clone(), options.max_idle_readers),
            path,
        }))
    }

    /// Applies pending migrations and returns how many ran, without starting a writer.
    pub fn migrate(data_dir: &Path) -> Result<u32, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let mut conn = connection::open_writer(&database_path(data_dir), Durability::Full)?;
        schema::migrate(&mut conn)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Admin writes (projects, tokens) are rare and may come from the CLI while the server runs,
/// so they use their own short-lived connection; SQLite's lock and `busy_timeout` order them
/// with the writer's batches.
fn admin_write<T>(
    path: &Path,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let conn = connection::open_writer(path, Durability::Full)?;
    f(&conn)
}

impl Store for SqliteStore {
    fn insert_report(
        &self,
        report: NewReport,
        mut fold: Box<dyn FoldJob>,
    ) -> StoreFuture<Accepted> {
        let write = self
            .writer
            .write(move |conn| reports::insert(conn, &report, fold.as_mut()));
        Box::pin(write)
    }

    fn update_defect(
        &self,
        id: DefectId,
        op: DefectOp,
        actor: String,
        events: Vec<OutboxRequest>,
    ) -> StoreFuture<OpOutcome> {
        let write = self.writer.write(move |conn| {
            defect_ops::run_and_announce(conn, &id, op, &actor, &events, now_millis())
        });
        Box::pin(write)
    }

    fn claim_outbox(
        &self,
        connector: String,
        lease: Millis,
        limit: usize,
    ) -> StoreFuture<Vec<OutboxRow>> {
        Box::pin(
            self.writer
                .write(move |conn| outbox::claim(conn, &connector, now_millis(), lease, limit)),
        )
    }

    fn complete_outbox(&self, id: i64, outcome: DeliveryOutcome) -> StoreFuture<()> {
        Box::pin(
            self.writer
                .write(move |conn| outbox::complete(conn, id, &outcome, now_millis())),
        )
    }

    fn retry_outbox(&self, id: Option<i64>) -> StoreFuture<u64> {
        Box::pin(
            self.writer
                .write(move |conn| outbox::retry_dead(conn, id, now_millis())),
        )
    }

    fn list_outbox(
        &self,
        state: Option<OutboxState>,
        limit: usize,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        self.readers.with(|conn| outbox::list(conn, state, limit))
    }

    fn ticket(&self, defect: &DefectId, connector: &str) -> Result<Option<Ticket>, StoreError> {
        self.readers
            .with(|conn| outbox::ticket(conn, defect, connector))
    }

    fn fold_features(
        &self,
        latest: usize,
        done_since: Millis,
    ) -> Result<(Vec<StoredFeatures>, Vec<FoldableDefect>), StoreError> {
        self.readers.with(|conn| {
            Ok((
                reports::fold_features(conn, latest, done_since)?,
                reports::foldable_states(conn)?,
            ))
        })
    }

    fn find_idempotent(
        &self,
        project: ProjectId,
        key: &IdempotencyKey,
    ) -> Result<Option<Accepted>, StoreError> {
        self.readers
            .with(|conn| reports::find_idempotent(conn, project, key))
    }

    fn project_by_key(&self, key: &ProjectKey) -> Result<Option<Project>, StoreError> {
        self.readers.with(|conn| projects::by_key(conn, key))
    }

    fn list_projects(&self) -> Result<Vec<Project>, StoreError> {
        self.readers.with(projects::list)
    }

    fn insert_project(&self, project: NewProject) -> Result<Project, StoreError> {
        admin_write(&self.path, |conn| {
            projects::insert(conn, &project, now_millis())
        })
    }

    fn insert_staff_token(&self, name: &str, token_hash: &str) -> Result<StaffToken, StoreError> {
        admin_write(&self.path, |conn| {
            projects::insert_token(conn, name, token_hash, now_millis())
        })
    }

    fn staff_token_by_hash(&self, token_hash: &str) -> Result<Option<StaffToken>, StoreError> {
        self.readers
            .with(|conn| projects::token_by_hash(conn, token_hash))
    }

    fn get_report(&self, id: &ReportId) -> Result<Option<StoredReport>, StoreError> {
        self.readers.with(|conn| reports::get(conn, id))
    }

    fn report_image(
        &self,
        id: &ReportId,
        kind: ImageKind,
    ) -> Result<Option<StoredImage>, StoreError> {
        self.readers.with(|conn| reports::image(conn, id, kind))
    }

    fn list_defects(&self, filter: &DefectFilter) -> Result<Vec<Defect>, StoreError> {
        self.readers.with(|conn| defects::list(conn, filter))
    }

    fn get_defect(&self, id: &DefectId) -> Result<Option<DefectDetail>, StoreError> {
        self.readers.with(|conn| defects::get(conn, id))
    }

    fn count_reports(&self) -> Result<u64, StoreError> {
        self.readers.with(reports::count)
    }

    fn close(&self) {
        self.writer.stop();
    }

    fn inbox(&self, filter: &InboxFilter) -> Result<Vec<Defect>, StoreError> {
        self.readers.with(|conn| inbox::list(conn, filter))
    }

    fn defect_reports(
        &self,
        id: &DefectId,
        before: Option<(Millis, ReportId)>,
        limit: usize,
    ) -> Result<Vec<StoredReport>, StoreError> {
        self.readers.with(|conn| {
            reports::of_defect(conn, id, before.as_ref().map(|(at, r)| (*at, r)), limit)
        })
    }

    fn comments(&self, id: &DefectId) -> Result<Vec<Comment>, StoreError> {
        self.readers.with(|conn| comments::of_defect(conn, id))
    }

    fn add_comment(&self, id: DefectId, author: String, body: String) -> StoreFuture<Comment> {
        Box::pin(
            self.writer
                .write(move |conn| comments::add(conn, &id, &author, &body, now_millis())),
        )
    }

    fn metrics_counts(&self, query: &MetricsQuery) -> Result<MetricsCounts, StoreError> {
        self.readers.with(|conn| metrics::counts(conn, query))
    }

    fn project(&self, id: ProjectId) -> Result<Option<Project>, StoreError> {
        self.readers.with(|conn| projects::by_id(conn, id))
    }

    fn update_project(&self, id: ProjectId, update: ProjectUpdate) -> Result<(), StoreError> {
        admin_write(&self.path, |conn| projects::update(conn, id, &update))
    }

    fn rotate_project_key(&self, id: ProjectId, key: &ProjectKey) -> Result<(), StoreError> {
        admin_write(&self.path, |conn| projects::rotate_key(conn, id, key))
    }

    fn insert_user(&self, user: NewUser) -> Result<User, StoreError> {
        admin_write(&self.path, |conn| {
            let tx = conn.unchecked_transaction()?;
            let user = users::insert(&tx, &user, now_millis())?;
            tx.commit()?;
            Ok(user)
        })
    }

    fn list_users(&self) -> Result<Vec<User>, StoreError> {
        self.readers.with(users::list)
    }

    fn user_by_email(&self, email: &str) -> Result<Option<(User, Option<String>)>, StoreError> {
        self.readers.with(|conn| users::by_email(conn, email))
    }

    fn insert_invite(
        &self,
        user: i64,
        token_hash: &str,
        expires_at: Millis,
    ) -> Result<(), StoreError> {
        admin_write(&self.path, |conn| {
            users::insert_invite(conn, user, token_hash, expires_at)
        })
    }

    fn invite(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        self.readers
            .with(|conn| users::invite(conn, token_hash, now_millis()))
    }

    fn accept_invite(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<Option<User>, StoreError> {
        admin_write(&self.path, |conn| {
            let tx = conn.unchecked_transaction()?;
            let user = users::accept_invite(&tx, token_hash, password_hash, now_millis())?;
            tx.commit()?;
            Ok(user)
        })
    }

    fn insert_session(
        &self,
        token_hash: String,
        user: i64,
        csrf: String,
        expires_at: Millis,
    ) -> StoreFuture<()> {
        Box::pin(self.writer.write(move |conn| {
            users::insert_session(conn, &token_hash, user, &csrf, now_millis(), expires_at)
        }))
    }

    fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        self.readers
            .with(|conn| users::session(conn, token_hash, now_millis()))
    }

    fn delete_session(&self, token_hash: String) -> StoreFuture<()> {
        Box::pin(
            self.writer
                .write(move |conn| users::delete_session(conn, &token_hash)),
        )
    }
}

pub fn now_millis() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Reads an id column back into its type; a malformed stored id is corruption, not a panic.
pub(crate) fn parse_id<T: TryFrom<String>>(
    column: &'static str,
    text: String,
) -> Result<T, StoreError> {
    T::try_from(text.clone()).map_err(|_| StoreError::Corrupt {
        column,
        value: text,
    })
}
