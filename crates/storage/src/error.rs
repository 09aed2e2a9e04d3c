use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored JSON does not parse: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the database has schema version {found}, newer than this build's {supported}")]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("cannot open the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("a project named {0:?} already exists")]
    ProjectExists(String),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error(transparent)]
    Change(#[from] snag_core::ChangeError),
    #[error("{0}")]
    Conflict(String),
    #[error("the batch could not be committed: {0}")]
    Commit(String),
    #[error("the writer has stopped")]
    WriterStopped,
    #[error("the page cursor is not one this list made")]
    BadCursor,
    #[error("stored value {value:?} in {column} is not valid")]
    Corrupt { column: &'static str, value: String },
}
