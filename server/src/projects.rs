//! Projects in memory: every submission needs its project, and projects change rarely (the
//! CLI may add one while the server runs), so the whole list is cached and reloaded after a
//! short time; an unknown key is looked up on its own.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use snag_core::ProjectKey;
use snag_core::origin_allowed;
use snag_core::scrub::Scrubber;
use snag_storage::{Project, Store, StoreError};

/// A project with what serving it needs, built once per load.
pub struct ProjectEntry {
    pub project: Project,
    pub scrubber: Scrubber,
}

struct Snapshot {
    by_key: HashMap<String, Arc<ProjectEntry>>,
    loaded_at: Instant,
}

pub struct ProjectCache {
    store: Arc<dyn Store>,
    snapshot: RwLock<Snapshot>,
    max_age: Duration,
    min_reload_interval: Duration,
}

impl ProjectCache {
    pub fn load(store: Arc<dyn Store>) -> Result<Self, StoreError> {
        let snapshot = read_snapshot(store.as_ref())?;
        Ok(ProjectCache {
            store,
            snapshot: RwLock::new(snapshot),
            max_age: Duration::from_secs(10),
            min_reload_interval: Duration::from_secs(1),
        })
    }

    /// The project owning `key`, if any. A key not in the cache is looked up on its own (an
    /// indexed read; submissions are rate-limited per address before they get here), so a
    /// project created with the CLI works at once.
    pub fn by_key(&self, key: &ProjectKey) -> Result<Option<Arc<ProjectEntry>>, StoreError> {
        let (found, age) = {
            let snapshot = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
            (
                snapshot.by_key.get(key.as_str()).cloned(),
                snapshot.loaded_at.elapsed(),
            )
        };
        if age > self.max_age {
            self.reload()?;
            let snapshot = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
            return Ok(snapshot.by_key.get(key.as_str()).cloned());
        }
        if found.is_some() {
            return Ok(found);
        }
        let Some(project) = self.store.project_by_key(key)? else {
            return Ok(None);
        };
        let entry = Arc::new(entry_for(project));
        let mut snapshot = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
        snapshot
            .by_key
            .insert(key.as_str().to_owned(), Arc::clone(&entry));
        Ok(Some(entry))
    }

    /// Whether any project accepts reports from `origin`: decides CORS preflights, which
    /// carry no key. A miss reloads like an unknown key does.
    pub fn any_allows_origin(&self, origin: &str) -> bool {
        let allows = |snapshot: &Snapshot| {
            snapshot
                .by_key
                .values()
                .any(|entry| origin_allowed(&entry.project.allowed_origins, origin))
        };
        let (found, age) = {
            let snapshot = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
            (allows(&snapshot), snapshot.loaded_at.elapsed())
        };
        if found && age <= self.max_age || !found && age <= self.min_reload_interval {
            return found;
        }
        if let Err(err) = self.reload() {
            tracing::warn!(error = %err, "reloading projects failed; answering from the cached list");
        }
        allows(&self.snapshot.read().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn reload(&self) -> Result<(), StoreError> {
        let fresh = read_snapshot(self.store.as_ref())?;
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }
}

fn entry_for(project: Project) -> ProjectEntry {
    let scrubber = Scrubber::new(&project.settings.scrub);
    ProjectEntry { project, scrubber }
}

fn read_snapshot(store: &dyn Store) -> Result<Snapshot, StoreError> {
    let by_key = store
        .list_projects()?
        .into_iter()
        .map(|project| {
            (
                project.public_key.as_str().to_owned(),
                Arc::new(entry_for(project)),
            )
        })
        .collect();
    Ok(Snapshot {
        by_key,
        loaded_at: Instant::now(),
    })
}
