//! The webhook's events and their JSON payload; `docs/webhooks.md` documents the schema.

use serde::Serialize;
use snag_core::{Change, ConsoleLevel, CustomFields, Timestamp};

use crate::input::{DefectInfo, ReportInfo, TicketRef};

/// One change of a defect, sent to the webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct DefectEvent {
    /// Stable for the event (the outbox row's id): sent as `webhook-id`, the same on every
    /// retry, so receivers can drop repeats.
    pub id: String,
    pub kind: EventKind,
    pub occurred_at: Timestamp,
    pub defect: DefectInfo,
    /// The report that caused the event (`defect.created`, `defect.report_added`).
    pub report: Option<ReportInfo>,
    /// What staff changed (`defect.changed`).
    pub change: Option<Change>,
    pub tickets: Vec<TicketRef>,
    /// The defect's page in Snag.
    pub snag_url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EventKind {
    /// The first report opened a new defect.
    #[serde(rename = "defect.created")]
    Created,
    /// A later report joined the defect.
    #[serde(rename = "defect.report_added")]
    ReportAdded,
    /// Staff changed the defect (status, severity, priority, assignee, merge...).
    #[serde(rename = "defect.changed")]
    Changed,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "defect.created",
            EventKind::ReportAdded => "defect.report_added",
            EventKind::Changed => "defect.changed",
        }
    }
}

/// The JSON body: Standard Webhooks' recommended `type`, `timestamp`, `data`.
#[derive(Serialize)]
pub(crate) struct Payload<'a> {
    #[serde(rename = "type")]
    kind: EventKind,
    timestamp: Timestamp,
    data: Data<'a>,
}

#[derive(Serialize)]
struct Data<'a> {
    defect: &'a DefectInfo,
    report: Option<ReportPayload<'a>>,
    change: Option<&'a Change>,
    tickets: &'a [TicketRef],
    url: &'a str,
}

/// The report without its screenshot bytes (a URL instead, when Snag gave one).
#[derive(Serialize)]
struct ReportPayload<'a> {
    id: &'a str,
    title: Option<&'a str>,
    description: &'a str,
    steps: Option<&'a str>,
    expected: Option<&'a str>,
    actual: Option<&'a str>,
    page_url: Option<&'a str>,
    page_title: Option<&'a str>,
    reporter: Option<Reporter<'a>>,
    browser: Option<&'a str>,
    os: Option<&'a str>,
    device: Option<&'a str>,
    release: Option<&'a str>,
    environment: Option<&'a str>,
    console: Vec<Console<'a>>,
    custom: &'a CustomFields,
    screenshot_url: Option<&'a str>,
}

#[derive(Serialize)]
struct Reporter<'a> {
    name: Option<&'a str>,
    email: Option<&'a str>,
}

#[derive(Serialize)]
struct Console<'a> {
    level: ConsoleLevel,
    message: &'a str,
}

impl<'a> Payload<'a> {
    pub(crate) fn of(event: &'a DefectEvent) -> Self {
        Payload {
            kind: event.kind,
            timestamp: event.occurred_at,
            data: Data {
                defect: &event.defect,
                report: event.report.as_ref().map(report),
                change: event.change.as_ref(),
                tickets: &event.tickets,
                url: &event.snag_url,
            },
        }
    }
}

fn report(r: &ReportInfo) -> ReportPayload<'_> {
    let reporter = (r.reporter_name.is_some() || r.reporter_email.is_some()).then_some(Reporter {
        name: r.reporter_name.as_deref(),
        email: r.reporter_email.as_deref(),
    });
    ReportPayload {
        id: r.id.as_str(),
        title: r.title.as_deref(),
        description: &r.description,
        steps: r.steps.as_deref(),
        expected: r.expected.as_deref(),
        actual: r.actual.as_deref(),
        page_url: r.page_url.as_deref(),
        page_title: r.page_title.as_deref(),
        reporter,
        browser: r.browser.as_deref(),
        os: r.os.as_deref(),
        device: r.device.as_deref(),
        release: r.release.as_deref(),
        environment: r.environment.as_deref(),
        console: r
            .console
            .iter()
            .map(|c| Console {
                level: c.level,
                message: &c.message,
            })
            .collect(),
        custom: &r.custom,
        screenshot_url: r.screenshot.as_ref().and_then(|s| s.url.as_deref()),
    }
}
