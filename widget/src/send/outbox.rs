//! Reports not yet delivered, kept in IndexedDB so that a closed tab or a later visit still
//! sends them. Keyed by idempotency key, so saving twice keeps one copy and delivering twice
//! stores one report.

use alloc::vec::Vec;

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

use super::http::Envelope;
use crate::dom::{self, prop_str, set_prop};
use crate::listener::Listener;

const DB: &str = "snag";
const STORE: &str = "outbox";

/// Saves an envelope; `false` when IndexedDB is unavailable (private modes, blocked
/// storage), in which case the caller keeps it in memory for this page's life.
pub async fn save(envelope: &Envelope) -> bool {
    let record = Object::new();
    for (name, value) in [
        ("endpoint", &envelope.endpoint),
        ("key", &envelope.key),
        ("id", &envelope.id),
        ("body", &envelope.body),
    ] {
        set_prop(&record, name, &JsValue::from_str(value));
    }
    write(&envelope.id, Write::Put(&record)).await
}

pub async fn remove(id: &str) -> bool {
    write(id, Write::Delete).await
}

/// What a write does to the record under an id.
enum Write<'a> {
    Put(&'a Object),
    Delete,
}

/// Every saved envelope, oldest first (IndexedDB returns them by key; keys are random, so
/// the order is arbitrary, which is fine: each is delivered on its own).
pub async fn load_all() -> Vec<Envelope> {
    let Some(db) = open().await else {
        return Vec::new();
    };
    let Ok(tx) = db.transaction_with_str(STORE) else {
        return Vec::new();
    };
    let Some(request) = tx.object_store(STORE).ok().and_then(|s| s.get_all().ok()) else {
        return Vec::new();
    };
    let Some(result) = settle(&request).await else {
        return Vec::new();
    };
    db.close();
    Array::from(&result)
        .iter()
        .filter_map(|record| {
            Some(Envelope {
                endpoint: prop_str(&record, "endpoint")?,
                key: prop_str(&record, "key")?,
                id: prop_str(&record, "id")?,
                body: prop_str(&record, "body")?,
            })
        })
        .collect()
}

/// Writes (puts or deletes) the record under `id` and waits until the transaction is
/// committed. One function for both, not a generic one: each instance of an async function
/// is a state machine of its own in the wasm.
async fn write(id: &str, write: Write<'_>) -> bool {
    let Some(db) = open().await else {
        return false;
    };
    let Ok(tx) = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite) else {
        return false;
    };
    let id = JsValue::from_str(id);
    let issued = tx.object_store(STORE).ok().is_some_and(|store| {
        match write {
            Write::Put(record) => store.put_with_key(record, &id),
            Write::Delete => store.delete(&id),
        }
        .is_ok()
    });
    let committed = issued && committed(&tx).await;
    db.close();
    committed
}

async fn open() -> Option<IdbDatabase> {
    let factory = dom::window()?.indexed_db().ok()??;
    let request = factory.open_with_u32(DB, 1).ok()?;
    // The store is created on first use; the listener lives until the open settles, which
    // is after `upgradeneeded` has fired if it fires at all. During that event the request's
    // result is the database being upgraded.
    let upgrade = {
        let opening = request.clone();
        Listener::new(&request, "upgradeneeded", move |_| {
            if let Ok(db) = opening.result() {
                let _ = db
                    .unchecked_into::<IdbDatabase>()
                    .create_object_store(STORE);
            }
        })
    };
    let db = settle(&request).await;
    drop(upgrade);
    // A successful open's result is the database.
    Some(db?.unchecked_into())
}

/// Waits for a request's success (its result) or failure (`None`).
async fn settle(request: &IdbRequest) -> Option<JsValue> {
    let promise = crate::wait::settled_by(request, "onsuccess", &["onerror"]);
    let settled = JsFuture::from(promise).await.is_ok();
    crate::wait::clear_handlers(request, &["onsuccess", "onerror"]);
    if settled { request.result().ok() } else { None }
}

async fn committed(tx: &IdbTransaction) -> bool {
    let promise = crate::wait::settled_by(tx, "oncomplete", &["onerror", "onabort"]);
    JsFuture::from(promise).await.is_ok()
}
