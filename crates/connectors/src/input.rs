//! What a connector is given: a defect and the report that prompted the delivery, already
//! loaded from the store. Everything a report carries is untrusted text.

use serde::Serialize;
use snag_core::{
    Category, ConsoleLevel, CustomFields, DefectId, FoldMatch, Priority, ReportId, Severity,
    Status, Timestamp,
};

/// Everything a ticket needs; each connector renders it in its tracker's format.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketInput {
    pub defect: DefectInfo,
    /// The report this delivery is about: the first one for a new ticket, the new one for a
    /// comment.
    pub report: ReportInfo,
    /// The defect's page in Snag; trusted (built by the server from its own configuration).
    pub snag_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DefectInfo {
    pub id: DefectId,
    pub title: String,
    pub status: Status,
    pub severity: Option<Severity>,
    pub priority: Option<Priority>,
    pub component: Option<String>,
    /// The normalised route (`/checkout/:id/pay`).
    pub route: Option<String>,
    pub category: Option<Category>,
    pub environment: Option<String>,
    pub report_count: u32,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportInfo {
    pub id: ReportId,
    pub title: Option<String>,
    pub description: String,
    pub steps: Option<String>,
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub page_url: Option<String>,
    pub page_title: Option<String>,
    /// Only what the report itself carries; connectors show nothing else about the person.
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    /// From `snag_core::Enriched`, e.g. "Firefox 128", "Windows 11", "Desktop".
    pub browser: Option<String>,
    pub os: Option<String>,
    pub device: Option<String>,
    pub console: Vec<ConsoleLine>,
    pub breadcrumbs: Vec<BreadcrumbLine>,
    pub custom: CustomFields,
    pub release: Option<String>,
    pub environment: Option<String>,
    pub screenshot: Option<Screenshot>,
    /// Why the report joined its defect, for comments on later reports.
    pub fold: Option<FoldMatch>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleLine {
    pub level: ConsoleLevel,
    pub message: String,
}

/// One recent event before the report; connectors show failed requests and clicks.
#[derive(Debug, Clone, PartialEq)]
pub enum BreadcrumbLine {
    /// A request that failed (status 0 when it never got an answer).
    FailedRequest {
        method: String,
        url: String,
        status: u16,
    },
    Click {
        target: String,
    },
    Navigation {
        url: String,
    },
}

#[derive(Clone, PartialEq)]
pub struct Screenshot {
    pub bytes: Vec<u8>,
    pub media_type: String,
    pub filename: String,
    /// Snag's signed URL of the image, for trackers that link rather than upload (GitHub).
    pub url: Option<String>,
}

impl std::fmt::Debug for Screenshot {
    // The bytes would flood any log or test failure that prints an input.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screenshot")
            .field("bytes", &self.bytes.len())
            .field("media_type", &self.media_type)
            .field("filename", &self.filename)
            .field("url", &self.url)
            .finish()
    }
}

/// A ticket in an external tracker, as Snag stores it on the defect.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct TicketRef {
    /// The tracker's own id: Jira's numeric issue id, Linear's UUID, GitHub's issue number.
    pub external_id: String,
    /// What people call it: `SHOP-12`, `ENG-5`, `#34`.
    pub key: String,
    pub url: String,
}

/// What [`crate::Tracker::open`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub ticket: TicketRef,
    /// False when the ticket already existed (a retry after the tracker had answered).
    pub created: bool,
    /// A step after the ticket existed that failed (Jira's screenshot upload). The ticket is
    /// there and must be recorded; [`crate::Tracker::attach`] can be retried later.
    pub attachment_error: Option<crate::ConnectorError>,
}

impl From<&snag_core::ConsoleEntry> for ConsoleLine {
    fn from(entry: &snag_core::ConsoleEntry) -> Self {
        ConsoleLine {
            level: entry.level,
            message: entry.message.clone(),
        }
    }
}

impl BreadcrumbLine {
    /// The breadcrumbs a ticket shows: failed requests (no answer, or 4xx/5xx), clicks (by
    /// their message, the element) and navigations. Others give `None`.
    pub fn from_breadcrumb(crumb: &snag_core::Breadcrumb) -> Option<BreadcrumbLine> {
        use snag_core::BreadcrumbKind;
        match crumb.kind {
            BreadcrumbKind::Request => {
                let status = crumb.status?;
                (status == 0 || status >= 400).then(|| BreadcrumbLine::FailedRequest {
                    method: crumb.method.clone().unwrap_or_else(|| "GET".into()),
                    url: crumb.url.clone().unwrap_or_default(),
                    status,
                })
            }
            BreadcrumbKind::Click => Some(BreadcrumbLine::Click {
                target: crumb.message.clone()?,
            }),
            BreadcrumbKind::Navigation => Some(BreadcrumbLine::Navigation {
                url: crumb.url.clone()?,
            }),
            BreadcrumbKind::Input | BreadcrumbKind::Custom => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use snag_core::{Breadcrumb, BreadcrumbKind};

    use super::BreadcrumbLine;

    fn crumb(kind: BreadcrumbKind, status: Option<u16>) -> Breadcrumb {
        Breadcrumb {
            kind,
            message: Some("button#pay".into()),
            url: Some("/api/pay".into()),
            method: Some("POST".into()),
            status,
            ts: None,
        }
    }

    #[test]
    fn only_failed_requests_clicks_and_navigations_are_kept() {
        assert!(matches!(
            BreadcrumbLine::from_breadcrumb(&crumb(BreadcrumbKind::Request, Some(502))),
            Some(BreadcrumbLine::FailedRequest { status: 502, .. })
        ));
        assert!(matches!(
            BreadcrumbLine::from_breadcrumb(&crumb(BreadcrumbKind::Request, Some(0))),
            Some(BreadcrumbLine::FailedRequest { status: 0, .. })
        ));
        assert_eq!(
            BreadcrumbLine::from_breadcrumb(&crumb(BreadcrumbKind::Request, Some(200))),
            None
        );
        assert!(matches!(
            BreadcrumbLine::from_breadcrumb(&crumb(BreadcrumbKind::Click, None)),
            Some(BreadcrumbLine::Click { .. })
        ));
        assert_eq!(
            BreadcrumbLine::from_breadcrumb(&crumb(BreadcrumbKind::Input, None)),
            None
        );
    }
}
