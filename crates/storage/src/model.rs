//! The records the store reads and writes, in domain types.

use serde::Serialize;
use snag_core::scrub::ScrubConfig;
use snag_core::{
    Category, DefectId, Enriched, IdempotencyKey, Priority, ProjectKey, ReportId, ReportPayload,
    RouteRules, Severity, Source, Status, Timestamp,
};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ProjectId(pub i64);

/// Settings a project carries beside its key and origins.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ProjectSettings {
    pub scrub: ScrubConfig,
    pub routes: RouteRules,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: ProjectId,
    pub name: String,
    pub public_key: ProjectKey,
    /// Exact origins (`https://app.example`, scheme + host + port) allowed to post reports.
    pub allowed_origins: Vec<String>,
    /// Whether a request with no `Origin` (a server, a CI job) may post with the key alone.
    pub allow_no_origin: bool,
    pub settings: ProjectSettings,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct NewProject {
    pub name: String,
    pub public_key: ProjectKey,
    pub allowed_origins: Vec<String>,
    pub allow_no_origin: bool,
    pub settings: ProjectSettings,
}

/// An image to store, addressed by the SHA-256 of its bytes.
#[derive(Debug, Clone)]
pub struct NewImage {
    pub sha256: String,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// A validated, scrubbed and enriched report, ready for one transaction.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub id: ReportId,
    pub project_id: ProjectId,
    pub received_at: Millis,
    /// The payload without its screenshot (stored apart, as an image).
    pub payload: ReportPayload,
    pub enriched: Enriched,
    pub screenshot: Option<NewImage>,
    pub thumbnail: Option<NewImage>,
    pub idempotency_key: Option<IdempotencyKey>,
    /// The defect this report opens if it joins none.
    pub new_defect: NewDefect,
}

#[derive(Debug, Clone)]
pub struct NewDefect {
    pub id: DefectId,
    pub title: String,
    pub severity: Option<Severity>,
    pub component: Option<String>,
    pub route: Option<String>,
    pub category: Option<Category>,
    pub environment: Option<String>,
    pub source: Source,
}

/// The answer to an accepted report. `replayed` is true when an earlier request with the same
/// idempotency key already stored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub report_id: ReportId,
    pub defect_id: DefectId,
    pub replayed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredReport {
    pub id: ReportId,
    pub project: String,
    pub defect_id: DefectId,
    pub received_at: Timestamp,
    pub payload: ReportPayload,
    pub enriched: Enriched,
    pub has_screenshot: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportSummary {
    pub id: ReportId,
    pub received_at: Timestamp,
    pub description: String,
    pub reporter_email: Option<String>,
    pub page_url: Option<String>,
    pub has_screenshot: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Defect {
    pub id: DefectId,
    pub project: String,
    pub title: String,
    pub status: Status,
    pub severity: Option<Severity>,
    pub priority: Option<Priority>,
    pub assignee: Option<String>,
    pub component: Option<String>,
    pub route: Option<String>,
    pub category: Option<Category>,
    pub environment: Option<String>,
    pub source: Source,
    pub report_count: i64,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub resolved_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DefectEvent {
    pub at: Timestamp,
    pub actor: String,
    pub kind: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DefectDetail {
    #[serde(flatten)]
    pub defect: Defect,
    pub reports: Vec<ReportSummary>,
    pub history: Vec<DefectEvent>,
}

/// Filters for listing defects; results come newest first, `limit` at a time, continuing
/// after `after` (the last id of the previous page).
#[derive(Debug, Clone, Default)]
pub struct DefectFilter {
    pub status: Option<Status>,
    pub severity: Option<Severity>,
    pub priority: Option<Priority>,
    pub assignee: Option<String>,
    pub query: Option<String>,
    pub after: Option<DefectId>,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// Which of a report's images to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Screenshot,
    Thumbnail,
}

#[derive(Debug, Clone, Serialize)]
pub struct StaffToken {
    pub id: i64,
    pub name: String,
}
