//! Snag's domain, shared by the server and the widget.
//!
//! This crate does no I/O and builds for `wasm32-unknown-unknown`: the widget validates and
//! scrubs a report with the same code the server runs before storing it.
//!
//! It is `no_std` (with `alloc`): the widget that links it then carries none of the standard
//! library's panic and formatting machinery.

#![no_std]

extern crate alloc;
#[cfg(test)]
extern crate std;

/// What the standard prelude gives ordinary crates, for the tests (which run natively).
#[cfg(test)]
mod test_prelude {
    pub use std::borrow::ToOwned;
    pub use std::boxed::Box;
    pub use std::string::{String, ToString};
    pub use std::vec::Vec;
    pub use std::{format, vec};
}

pub mod access;
pub mod custom;
pub mod decimal;
pub mod defect;
pub mod enriched;
pub mod fold;
pub mod forward;
pub mod ids;
pub mod lifecycle;
pub mod limits;
pub mod metrics;
#[cfg(feature = "url")]
pub mod origin;
pub mod payload;
pub mod rejection;
pub mod route;
pub mod scrub;
pub mod severity;
pub mod time;
pub mod validate;

pub use access::{Access, Action, Denied, Role};
pub use custom::CustomFields;
pub use defect::{Change, ChangeError, DefectPatch, DefectState};
pub use enriched::{Enriched, ScreenshotFacts, ThumbnailFacts, defect_title};
pub use fold::{FoldDecision, FoldJob, FoldMatch, FoldSettings, Signal, SignalKind};
pub use forward::{ForwardFacts, ForwardRule, connectors_for};
pub use ids::{DefectId, IdempotencyKey, ProjectKey, ReportId};
pub use lifecycle::{Priority, Severity, Status, TransitionError};
pub use limits::Limits;
pub use metrics::{DurationStats, FoundIn, Leakage, Window, classify_found, duration_stats};
#[cfg(feature = "url")]
pub use origin::{OriginRefusal, check_origin, normalize_origin, origin_allowed};
pub use payload::{
    Breadcrumb, BreadcrumbKind, Category, Client, ConsoleEntry, ConsoleLevel, Page, ReportPayload,
    Reporter, Size, Source,
};
pub use rejection::{Problem, Refusal, RejectCode, Rejection};
pub use route::{RouteRule, RouteRules, normalize_route};
pub use scrub::{ScrubConfig, ScrubKind, ScrubSummary, Scrubber};
pub use severity::{SeverityFacts, SeverityRule, default_severity_rules, suggest_severity};
pub use time::Timestamp;
pub use validate::{check_report, parse_json_object, parse_report, validate_report};
