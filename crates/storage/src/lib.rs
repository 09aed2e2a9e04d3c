//! Snag's storage: the only crate that runs SQL.
//!
//! [`Store`] speaks domain types; [`SqliteStore`] implements it on one SQLite file in WAL mode,
//! with every write going through one group-committing writer thread ([`writer`]) and reads
//! through a small pool of read-only connections.

mod connection;
mod defect_ops;
mod defects;
mod error;
mod lifecycle;
pub mod model;
mod outbox;
mod projects;
mod reports;
pub mod schema;
mod writer;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

pub use connection::Durability;
pub use defect_ops::{DefectOp, OpOutcome, Touched};
pub use error::StoreError;
pub use lifecycle::SYSTEM_ACTOR;
pub use model::*;
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
