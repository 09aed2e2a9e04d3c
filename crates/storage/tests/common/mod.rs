//! What the storage tests share: a fold decision chosen by the test, and a fresh store with
//! one project in a temporary directory.

// Each test crate uses its own part of this module.
#![allow(dead_code)]

use std::sync::Arc;

use snag_core::{DefectId, FoldDecision, FoldJob, FoldMatch, ProjectKey};
use snag_storage::{Durability, NewProject, ProjectSettings, SqliteStore, Store, StoreOptions};

/// Sends each report where the test says: a new defect, or a given one. This stands in for
/// the dedup crate's decision, which is not what is under test here.
pub struct Decided(pub Option<DefectId>);

impl FoldJob for Decided {
    fn decide(&mut self) -> FoldDecision {
        match self.0.take() {
            Some(defect) => FoldDecision::Join(FoldMatch {
                defect,
                score: 1.0,
                threshold: 0.5,
                signals: Vec::new(),
            }),
            None => FoldDecision::New,
        }
    }

    fn remember(&mut self, _: &DefectId) {}
}

pub struct Fixture {
    pub store: Arc<SqliteStore>,
    pub runtime: tokio::runtime::Runtime,
    pub project: snag_storage::ProjectId,
    pub counter: u64,
    _dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("dir");
        let options = StoreOptions {
            durability: Durability::Normal,
            ..StoreOptions::default()
        };
        let store = SqliteStore::open(dir.path(), &options, Box::new(|_, _| {})).expect("store");
        let project = store
            .insert_project(NewProject {
                name: "p".into(),
                public_key: ProjectKey::parse("snag_pk_aaaaaaaaaaaaaaaaaaaa").expect("key"),
                allowed_origins: vec![],
                allow_no_origin: true,
                settings: ProjectSettings::default(),
            })
            .expect("project")
            .id;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        Fixture {
            store,
            runtime,
            project,
            counter: 0,
            _dir: dir,
        }
    }

    pub fn id(&mut self) -> String {
        self.counter += 1;
        format!("00000000-0000-7000-8000-{:012x}", self.counter)
    }
}
