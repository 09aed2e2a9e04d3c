//! `snag outbox list` and `snag outbox retry`.

use anyhow::{Context, bail};
use snag_storage::{OutboxState, Store};

use super::open_store;
use crate::config::Config;

pub fn list(config: &Config, state: Option<&str>, limit: usize, json: bool) -> anyhow::Result<()> {
    let state = match state {
        None => None,
        Some(text) => Some(
            OutboxState::parse(text)
                .with_context(|| format!("--state must be pending, done or dead, not {text:?}"))?,
        ),
    };
    let store = open_store(config)?;
    let rows = store.list_outbox(state, limit);
    store.close();
    let rows = rows?;
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for row in &rows {
        println!(
            "{}\t{}\t{}\t{}\t{}\tattempts {}\t{}",
            row.id,
            row.state.as_str(),
            row.connector,
            row.action.as_str(),
            row.defect,
            row.attempts,
            row.last_error.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

pub fn retry(config: &Config, id: Option<i64>) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let revived = runtime.block_on(store.retry_outbox(id));
    store.close();
    let revived = revived?;
    match (id, revived) {
        (Some(id), 0) => bail!("outbox row {id} is not dead (or does not exist)"),
        _ => println!("{revived} row(s) queued again"),
    }
    Ok(())
}
