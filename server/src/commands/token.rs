//! `snag token create`.

use anyhow::bail;
use snag_storage::Store;

use super::open_store;
use crate::config::Config;
use crate::keys::{new_staff_token, token_hash};

pub fn create(config: &Config, name: &str) -> anyhow::Result<()> {
    if name.trim().is_empty() {
        bail!("--name must not be empty");
    }
    let store = open_store(config)?;
    let token = new_staff_token();
    store.insert_staff_token(name.trim(), &token_hash(&token))?;
    store.close();
    eprintln!("staff token {name:?} created; it is shown only now:");
    println!("{token}");
    Ok(())
}
