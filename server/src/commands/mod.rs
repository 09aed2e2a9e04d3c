//! One module per subcommand.

pub mod outbox;
pub mod project;
pub mod serve;
pub mod token;
pub mod user;

use std::sync::Arc;

use anyhow::Context;
use snag_storage::{SqliteStore, StoreOptions, schema};

use crate::config::Config;

/// Opens the store for a short command-line action.
fn open_store(config: &Config) -> anyhow::Result<Arc<SqliteStore>> {
    let options = StoreOptions {
        durability: config.storage.durability.into(),
        ..StoreOptions::default()
    };
    SqliteStore::open(&config.data_dir, &options, Box::new(|_, _| {}))
        .with_context(|| format!("opening the database in {}", config.data_dir.display()))
}

pub fn migrate(config: &Config) -> anyhow::Result<()> {
    let applied = SqliteStore::migrate(&config.data_dir)
        .with_context(|| format!("migrating the database in {}", config.data_dir.display()))?;
    println!(
        "database {} is at schema version {} ({applied} migration(s) applied)",
        snag_storage::database_path(&config.data_dir).display(),
        schema::latest_version()
    );
    Ok(())
}
