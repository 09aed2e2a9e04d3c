//! Snag's duplicate folding: many reports of one problem become one defect.
//!
//! At ingest the server extracts a report's [`ReportFeatures`] (outside the writer: text
//! tokens, MinHash, console error signatures, route, screenshot hash). The store's writer then
//! runs a [`FoldJob`] from the shared [`Folder`]: it finds candidates in the project's
//! [`ProjectIndex`] through buckets, scores them ([`score`]), and either joins the best one
//! above the project's threshold or lets a new defect open; then it remembers the report.
//! Because the writer runs jobs one at a time, two copies of one problem arriving together
//! cannot open two defects.

mod buckets;
mod codec;
pub mod console;
pub mod evidence;
mod features;
mod hash;
mod index;
pub mod lexicon;
pub mod minhash;
mod profile;
pub mod score;
mod tables;
pub mod text;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use snag_core::{DefectId, FoldDecision, FoldJob, FoldSettings, ReportId};

pub use features::{DecodeError, ReportFeatures, features};
pub use index::{DefectIndexState, EXEMPLARS, ProjectIndex};

/// The folding indexes of all projects, shared by the ingest path and staff actions.
#[derive(Default)]
pub struct Folder {
    projects: Mutex<HashMap<i64, ProjectIndex>>,
}

impl Folder {
    pub fn new() -> Arc<Folder> {
        Arc::new(Folder::default())
    }

    /// The job that folds one report into `project`.
    pub fn job(
        self: &Arc<Self>,
        project: i64,
        report: ReportId,
        features: ReportFeatures,
        settings: FoldSettings,
        now: i64,
    ) -> Box<dyn FoldJob> {
        Box::new(Job {
            folder: Arc::clone(self),
            project,
            report,
            features: Some(features),
            settings,
            now,
        })
    }

    fn with_project<T>(&self, project: i64, f: impl FnOnce(&mut ProjectIndex) -> T) -> T {
        let mut projects = self.projects.lock().unwrap_or_else(|e| e.into_inner());
        f(projects.entry(project).or_default())
    }

    /// Loads a stored report into the index (at start-up, oldest first).
    pub fn load(
        &self,
        project: i64,
        defect: &DefectId,
        report: &ReportId,
        features: ReportFeatures,
    ) {
        self.with_project(project, |index| index.add(defect, report, features));
    }

    pub fn set_state(&self, project: i64, defect: &DefectId, state: DefectIndexState) {
        self.with_project(project, |index| index.set_state(defect, state));
    }

    /// A split: the report now speaks for `to`, not for `from`.
    pub fn move_report(&self, project: i64, report: &ReportId, from: &DefectId, to: &DefectId) {
        self.with_project(project, |index| {
            if let Some(features) = index.remove_report(from, report) {
                index.add(to, report, features);
            }
        });
    }

    /// The score `features` would get against `defect` (see [`ProjectIndex::score_against`]).
    pub fn score_against(
        &self,
        project: i64,
        features: &ReportFeatures,
        defect: &DefectId,
    ) -> Option<(f32, Vec<snag_core::Signal>)> {
        self.with_project(project, |index| index.score_against(features, defect))
    }

    pub fn defects(&self, project: i64) -> usize {
        self.with_project(project, |index| index.defects())
    }

    /// An estimate of the heap bytes `project`'s index holds.
    pub fn memory_bytes(&self, project: i64) -> usize {
        self.with_project(project, |index| index.memory_bytes())
    }
}

struct Job {
    folder: Arc<Folder>,
    project: i64,
    report: ReportId,
    features: Option<ReportFeatures>,
    settings: FoldSettings,
    now: i64,
}

impl FoldJob for Job {
    fn decide(&mut self) -> FoldDecision {
        let Some(features) = &self.features else {
            return FoldDecision::New;
        };
        if !self.settings.enabled {
            return FoldDecision::New;
        }
        let best = self.folder.with_project(self.project, |index| {
            index.best_match(features, &self.settings, self.now)
        });
        match best {
            Some(found) => FoldDecision::Join(found),
            None => FoldDecision::New,
        }
    }

    fn remember(&mut self, defect: &DefectId) {
        if let Some(features) = self.features.take() {
            self.folder.with_project(self.project, |index| {
                index.add(defect, &self.report, features)
            });
        }
    }
}
