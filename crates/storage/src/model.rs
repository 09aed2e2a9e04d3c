//! The records the store reads and writes, in domain types.

use std::collections::BTreeMap;

use serde::Serialize;
use snag_core::scrub::ScrubConfig;
use snag_core::{
    Category, Change, DefectId, Enriched, FoldMatch, FoldSettings, IdempotencyKey, Priority,
    ProjectKey, ReportId, ReportPayload, Role, RouteRules, Severity, SeverityRule, Source, Status,
    Timestamp,
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
    pub fold: FoldSettings,
    /// Rules for the suggested severity; none means the server's configured defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_rules: Option<Vec<SeverityRule>>,
    /// Component sizes in thousands of lines of code, for defect density.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub component_sizes: BTreeMap<String, f64>,
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
    /// Folding features (`snag_dedup::ReportFeatures::encode`), kept to rebuild the index.
    pub features: Option<Vec<u8>>,
    /// Whether joining a resolved, verified or closed defect reopens it.
    pub reopen_on_new_report: bool,
    /// What the project's routing forwards, written in the same transaction.
    pub outbox: Vec<OutboxRequest>,
}

#[derive(Debug, Clone)]
pub struct NewDefect {
    pub id: DefectId,
    pub title: String,
    /// The suggested severity from the project's rules; staff may change it.
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
    /// For access checks; the API shows the project's name.
    #[serde(skip)]
    pub project_id: ProjectId,
    pub project: String,
    pub defect_id: DefectId,
    pub received_at: Timestamp,
    pub payload: ReportPayload,
    pub enriched: Enriched,
    pub has_screenshot: bool,
    /// Why the report joined its defect; absent when it opened it.
    pub fold: Option<FoldMatch>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportSummary {
    pub id: ReportId,
    pub received_at: Timestamp,
    pub description: String,
    pub reporter_email: Option<String>,
    pub page_url: Option<String>,
    pub has_screenshot: bool,
    /// Why the report joined this defect; absent for the report that opened it.
    pub fold: Option<FoldMatch>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Defect {
    pub id: DefectId,
    /// For access checks; the API shows the project's name.
    #[serde(skip)]
    pub project_id: ProjectId,
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
    /// Set when this defect was merged into another (its status is then `duplicate`).
    pub merged_into: Option<DefectId>,
    /// What the project's rules suggested at creation; `severity` is what staff set.
    pub suggested_severity: Option<Severity>,
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
    /// The full change, from which the defect's state can be replayed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DefectDetail {
    #[serde(flatten)]
    pub defect: Defect,
    pub reports: Vec<ReportSummary>,
    pub history: Vec<DefectEvent>,
    /// Its tickets in external trackers.
    pub tickets: Vec<Ticket>,
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

/// One stored report's fold features, for rebuilding the index at start-up.
#[derive(Debug, Clone)]
pub struct StoredFeatures {
    pub project: ProjectId,
    /// The defect the report first belonged to (before any merge moved it).
    pub defect: DefectId,
    pub report: ReportId,
    pub features: Vec<u8>,
}

/// A foldable defect's state, for the index.
#[derive(Debug, Clone)]
pub struct FoldableDefect {
    pub project: ProjectId,
    pub id: DefectId,
    pub status: Status,
    pub merged_into: Option<DefectId>,
    /// When it was resolved (or last changed), for the resolved window.
    pub done_at: Millis,
}

/// What an outbox row asks a connector to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxAction {
    /// Create the defect's ticket, or comment on it when it exists.
    Ticket,
    /// A notice about a new defect (Slack); written only when the report opened its defect.
    NotifyNew,
    /// A webhook event about the defect.
    Event,
}

impl OutboxAction {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxAction::Ticket => "ticket",
            OutboxAction::NotifyNew => "notify_new",
            OutboxAction::Event => "event",
        }
    }

    pub fn parse(text: &str) -> Option<OutboxAction> {
        [
            OutboxAction::Ticket,
            OutboxAction::NotifyNew,
            OutboxAction::Event,
        ]
        .into_iter()
        .find(|a| a.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Done,
    /// Gave up after the configured attempts; staff can retry it.
    Dead,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Done => "done",
            OutboxState::Dead => "dead",
        }
    }

    pub fn parse(text: &str) -> Option<OutboxState> {
        [OutboxState::Pending, OutboxState::Done, OutboxState::Dead]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// One row a report's (or change's) routing asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRequest {
    pub connector: String,
    pub action: OutboxAction,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutboxRow {
    pub id: i64,
    #[serde(skip)]
    pub project: ProjectId,
    pub defect: DefectId,
    pub report: Option<ReportId>,
    pub connector: String,
    pub action: OutboxAction,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<serde_json::Value>,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub done_at: Option<Timestamp>,
}

/// A defect's twin in an external tracker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ticket {
    #[serde(skip)]
    pub defect: DefectId,
    pub connector: String,
    pub external_id: String,
    pub key: String,
    pub url: String,
    pub created_at: Timestamp,
}

/// How a delivery attempt ended.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryOutcome {
    /// Sent; for a created ticket, the ticket to remember.
    Delivered { ticket: Option<Ticket> },
    /// Try again at this time.
    Retry { at: Millis, error: String },
    /// Give up (dead letter).
    Dead { error: String },
}

/// A staff account of the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// The projects the user was given (admins see all whatever this says).
    pub projects: Vec<ProjectId>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub role: Role,
    /// An argon2id PHC string; `None` until the user sets one through an invite.
    pub password_hash: Option<String>,
    pub projects: Vec<ProjectId>,
}

/// A dashboard session: the user it signs in and the CSRF token its forms carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub expires_at: Millis,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub id: i64,
    pub at: Timestamp,
    pub author: String,
    pub body: String,
}

/// What a project's settings page may change.
#[derive(Debug, Clone)]
pub struct ProjectUpdate {
    pub allowed_origins: Vec<String>,
    pub allow_no_origin: bool,
    pub settings: ProjectSettings,
}

/// Which statuses the inbox lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Someone still has work to do (`Status::is_open`).
    #[default]
    Open,
    All,
    Only(Status),
}

/// A field filter that can also ask for "not set".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldFilter<T> {
    Is(T),
    Unset,
}

/// The inbox's orders, each with its natural direction: most recent, most reports or most
/// severe first; ties newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InboxSort {
    #[default]
    LastSeen,
    Newest,
    Reports,
    Severity,
    Priority,
}

impl InboxSort {
    pub const ALL: [InboxSort; 5] = [
        InboxSort::LastSeen,
        InboxSort::Newest,
        InboxSort::Reports,
        InboxSort::Severity,
        InboxSort::Priority,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InboxSort::LastSeen => "last_seen",
            InboxSort::Newest => "newest",
            InboxSort::Reports => "reports",
            InboxSort::Severity => "severity",
            InboxSort::Priority => "priority",
        }
    }

    pub fn parse(text: &str) -> Option<InboxSort> {
        InboxSort::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The inbox's filters; results come `limit` at a time, continuing after `after` (the
/// [`crate::inbox_cursor`] of the previous page's last defect).
#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    /// `None`: every project; otherwise only these (an empty list finds nothing).
    pub projects: Option<Vec<ProjectId>>,
    pub status: StatusFilter,
    pub severity: Option<FieldFilter<Severity>>,
    pub priority: Option<FieldFilter<Priority>>,
    pub assignee: Option<FieldFilter<String>>,
    pub component: Option<FieldFilter<String>>,
    /// Words to find in titles and report texts (see `search::fts_query`).
    pub search: Option<String>,
    pub sort: InboxSort,
    pub after: Option<String>,
    pub limit: usize,
}

/// What the metrics are computed from, counted by storage over a window.
#[derive(Debug, Clone, Default)]
pub struct MetricsQuery {
    pub projects: Option<Vec<ProjectId>>,
    /// The window's first instant.
    pub since: Millis,
    /// The width of one volume bucket.
    pub bucket_ms: Millis,
    /// How many volume buckets the window holds.
    pub buckets: i64,
}

#[derive(Debug, Clone, Default)]
pub struct MetricsCounts {
    /// Defects resolved in the window: severity, component, time from first report to
    /// resolution.
    pub resolved: Vec<(Option<Severity>, Option<String>, Millis)>,
    /// Defects first seen in the window, by source and environment of their first report.
    pub found: Vec<(Source, Option<String>, u64)>,
    /// Defects first seen in the window by project and component: defects, reports.
    pub components: Vec<(ProjectId, Option<String>, u64, u64)>,
    /// Defects seen in the window by route: defects, reports (the most reports first).
    pub routes: Vec<(String, u64, u64)>,
    /// Per bucket index from `since`: reports received, defects first seen.
    pub volume: Vec<(i64, u64, u64)>,
}
