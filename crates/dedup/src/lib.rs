//! Snag's duplicate folding: many reports of one problem become one defect.
//!
//! At ingest the server extracts a report's [`ReportFeatures`] (outside the writer: text
//! tokens, MinHash, console error and warning signatures, route, failed requests, last click,
//! screenshot hash). The store's writer then runs a [`FoldJob`] from the shared [`Folder`]: it
//! finds candidates in the project's [`ProjectIndex`] through buckets, scores them, and either
//! joins the best one at or above the project's threshold or lets a new defect open; then it
//! remembers the report. Because the writer runs jobs one at a time, two copies of one problem
//! arriving together cannot open two defects.
//!
//! # How a report is compared with a defect
//!
//! - **Words** ([`text`], [`lexicon`]): text is lowercased, accents folded, French elisions
//!   split ("l'achat"), numbers dropped except HTTP status codes, stopwords of English,
//!   German, French, Spanish, Portuguese and Dutch removed. Words and phrases map to 195
//!   concepts written from general web-shop vocabulary in those six languages ("bezahlen",
//!   "payer", "pagar" → `pay`), by the longest matching stem; German and Dutch compounds give
//!   their parts ("Sendungsverfolgung" → parcel, tracking); a doubled or dropped letter still
//!   matches ("errror"). Other words are cut to a six-letter stem. Words are weighted by
//!   rarity in the project (IDF), plain words at half the weight of concepts: they carry what
//!   differs between users' stories (products, order details), concepts what the problem is.
//!   On a page, a word also counts less by the share of the page's defects that use it (half
//!   as much when all do, once a page has three defects): words that siblings on one page
//!   share ("pay" and "button" on the pay page) say which page, not which problem.
//! - **Console** ([`console`]): errors and (as weaker evidence) warnings, with volatile parts
//!   folded (ids, hashes, URLs; short numbers such as a chunk id are kept in the specific
//!   form), browser wordings unified, top frame added; browser noise (deprecations,
//!   ad-blocked requests, "Failed to fetch") and errors seen in three or more defects only
//!   support.
//! - **Evidence** ([`score::Evidence`], computed in [`evidence`]): text similarity (the best
//!   cosine with one of the defect's exemplar reports, or 0.8 times the weighted share of
//!   the report's words used across all its reports); shared or differing errors, warnings,
//!   failed requests (a 5xx is one class; a failure one side saw while the other recorded
//!   requests without it counts against) and last clicks; same page, same area, or another
//!   area (no penalty once a defect is reported from several areas); component; screenshot;
//!   category. Each kind is one [`snag_core::Signal`] with its weight, as staff see it.
//! - **Weights** ([`score::WEIGHTS`]): *what broke* (words, console, requests, category) is
//!   fitted by `examples/calibrate.rs` on the `dev` half of the labelled set, as a
//!   conditional logit over the folder's own choice (join a candidate or open a defect);
//!   *where* (page, area, button, screenshot, component) is set by design at 0.37 of the
//!   threshold in total, because siblings on one page share all of it. The threshold is the
//!   one with the best recall at precision 0.98 on `dev` (0.95 and 0.97 chose thresholds
//!   that, fitted on half of `dev`, let precision fall to 0.81–0.86 on all of it), and the
//!   weights are scaled so that it is `snag_core::fold::DEFAULT_THRESHOLD` (0.5).
//!
//! # Quality
//!
//! Pairwise precision / recall / F1 of "same defect" on `tests/fixtures/dedup/` at the
//! default threshold (`cargo run --release -p snag-dedup --example eval -- --split ...`):
//!
//! | split | precision | recall | F1 | before this work |
//! | --- | --- | --- | --- | --- |
//! | dev (205 reports, tuned on) | 0.989 | 0.887 | 0.935 | 1.000 / 0.688 |
//! | test (190 reports) | 0.999 | 0.858 | 0.923 | 0.998 / 0.494 |
//! | all (395 reports) | 0.952 | 0.860 | 0.904 | 0.983 / 0.593 |
//!
//! The bar (precision 0.95 at recall 0.85) is met on every split, with little to
//! spare on `test`: one early decision (the first report of the largest group, 0.02 below
//! the threshold against a sibling) moves its precision between 0.94 and 1.0. See the
//! fixture's README for how it was chosen and what fails.
//!
//! # Cost
//!
//! `cargo bench -p snag-dedup --bench fold`: 100,000 open defects (125,000 reports), then
//! 10,000 reports folded one at a time (decide and remember) on one core of a 2-core AMD
//! EPYC VM (load average about 1): p50 0.17–0.24 ms, p99 0.43–0.69 ms, max 0.8–3.5 ms;
//! memory ~1,290 bytes per defect estimated, ~1,430 resident (~143 MB for 100,000), of
//! which ~240 bytes are the pages' word counts (p99 0.46 ms and ~1,050 bytes without them,
//! measured alternately on the same machine).
//! Candidates come from buckets capped at the 48 most recent defects each; the 128 sharing
//! the most keys with the report are scored.

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
