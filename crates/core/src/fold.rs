//! Folding a new report into an existing defect: the decision, and why.
//!
//! The matching itself lives in `snag-dedup`; storage only runs a [`FoldJob`] inside its
//! writer, so that deciding, storing and remembering a report happen in one serial step and
//! two copies of one problem arriving together cannot open two defects.

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::ids::DefectId;

/// Which evidence contributed to a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// The words of title, description and steps overlap.
    Text,
    /// The same normalised page route.
    Route,
    /// The same component from the project's route rules.
    Component,
    /// The same console error (message with volatile parts folded, plus top frame).
    ConsoleError,
    /// The same failed request (method, route, status) before the report.
    FailedRequest,
    /// The same element clicked last before the report.
    LastClick,
    /// Near-identical screenshots (supporting evidence only).
    Screenshot,
    /// A different route than the defect's.
    OtherRoute,
    /// A different category (bug, idea, question).
    OtherCategory,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub kind: SignalKind,
    /// What this signal added to (or, when negative, took from) the score.
    pub weight: f32,
    /// The similarity it measured, 0..=1, where that means something (text, screenshot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
}

/// Why a report joined its defect: stored with the report and shown to staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldMatch {
    pub defect: DefectId,
    pub score: f32,
    pub threshold: f32,
    pub signals: Vec<Signal>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FoldDecision {
    /// Open a new defect.
    New,
    Join(FoldMatch),
}

/// One report's folding, run by the store's writer: first `decide`, then, once the report is
/// stored, `remember` which defect it went to so that the next report can match it.
pub trait FoldJob: Send {
    fn decide(&mut self) -> FoldDecision;
    fn remember(&mut self, defect: &DefectId);
}

/// A project's folding settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FoldSettings {
    /// Off: every report opens its own defect.
    pub enabled: bool,
    /// The score a report needs to join a defect.
    pub threshold: f32,
    /// Never fold a report into a defect from another environment (production vs staging).
    pub separate_environments: bool,
    /// A new report on a resolved, verified or closed defect reopens it.
    pub reopen_on_new_report: bool,
    /// How long a resolved or closed defect still attracts new reports (and reopens).
    pub resolved_window_days: u32,
}

impl Default for FoldSettings {
    fn default() -> Self {
        FoldSettings {
            enabled: true,
            threshold: DEFAULT_THRESHOLD,
            separate_environments: false,
            reopen_on_new_report: true,
            resolved_window_days: 30,
        }
    }
}

/// The default join threshold, chosen on the development half of the labelled evaluation set
/// in `tests/fixtures/dedup/` (see its README).
pub const DEFAULT_THRESHOLD: f32 = 0.5;
