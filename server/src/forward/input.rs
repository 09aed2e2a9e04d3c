//! Loading what a delivery needs from the store and shaping it for the connectors.

use snag_connectors::{
    BreadcrumbLine, ConsoleLine, DefectInfo, ReportInfo, Screenshot, TicketInput, TicketRef,
};
use snag_core::{BreadcrumbKind, DefectId, ReportId};
use snag_storage::{Defect, ImageKind, Store, StoreError, StoredReport, now_millis};

use super::links::Links;

pub fn defect_info(defect: &Defect) -> DefectInfo {
    DefectInfo {
        id: defect.id.clone(),
        title: defect.title.clone(),
        status: defect.status,
        severity: defect.severity,
        priority: defect.priority,
        component: defect.component.clone(),
        route: defect.route.clone(),
        category: defect.category,
        environment: defect.environment.clone(),
        report_count: u32::try_from(defect.report_count).unwrap_or(u32::MAX),
        first_seen: defect.first_seen,
        last_seen: defect.last_seen,
    }
}

fn joined(name: Option<&str>, version: Option<&str>) -> Option<String> {
    match (name, version) {
        (Some(name), Some(version)) => Some(format!("{name} {version}")),
        (Some(name), None) => Some(name.to_owned()),
        _ => None,
    }
}

pub fn report_info(report: &StoredReport, screenshot: Option<Screenshot>) -> ReportInfo {
    let payload = &report.payload;
    let enriched = &report.enriched;
    ReportInfo {
        id: report.id.clone(),
        title: payload.title.clone(),
        description: payload.description.clone().unwrap_or_default(),
        steps: payload.steps.clone(),
        expected: payload.expected.clone(),
        actual: payload.actual.clone(),
        page_url: payload.page.as_ref().and_then(|p| p.url.clone()),
        page_title: payload.page.as_ref().and_then(|p| p.title.clone()),
        reporter_name: payload.reporter.as_ref().and_then(|r| r.name.clone()),
        reporter_email: payload.reporter.as_ref().and_then(|r| r.email.clone()),
        browser: joined(
            enriched.browser.as_deref(),
            enriched.browser_version.as_deref(),
        ),
        os: joined(enriched.os.as_deref(), enriched.os_version.as_deref()),
        device: enriched.device.clone(),
        console: payload
            .console
            .iter()
            .map(|c| ConsoleLine {
                level: c.level,
                message: c.message.clone(),
            })
            .collect(),
        breadcrumbs: payload
            .breadcrumbs
            .iter()
            .filter_map(|b| match b.kind {
                BreadcrumbKind::Request => match (b.status, &b.url) {
                    (Some(status), Some(url)) if !(200..400).contains(&status) => {
                        Some(BreadcrumbLine::FailedRequest {
                            method: b.method.clone().unwrap_or_else(|| "GET".into()),
                            url: url.clone(),
                            status,
                        })
                    }
                    _ => None,
                },
                BreadcrumbKind::Click => b
                    .message
                    .clone()
                    .map(|target| BreadcrumbLine::Click { target }),
                BreadcrumbKind::Navigation => {
                    b.url.clone().map(|url| BreadcrumbLine::Navigation { url })
                }
                BreadcrumbKind::Input | BreadcrumbKind::Custom => None,
            })
            .collect(),
        custom: payload.custom.clone(),
        release: payload.release.clone(),
        environment: payload.environment.clone(),
        screenshot,
        fold: report.fold.clone(),
    }
}

/// Everything a ticket delivery needs. The defect is followed to its survivor when it was
/// merged since the row was written: the report lives there now.
pub fn load_ticket_input(
    store: &dyn Store,
    links: &Links,
    defect: &DefectId,
    report: Option<&ReportId>,
) -> Result<Option<TicketInput>, StoreError> {
    let Some(mut detail) = store.get_defect(defect)? else {
        return Ok(None);
    };
    if let Some(survivor) = detail.defect.merged_into.clone()
        && let Some(found) = store.get_defect(&survivor)?
    {
        detail = found;
    }
    let report_id = match report {
        Some(id) => id.clone(),
        None => match detail.reports.first() {
            Some(first) => first.id.clone(),
            None => return Ok(None),
        },
    };
    let Some(stored) = store.get_report(&report_id)? else {
        return Ok(None);
    };
    let screenshot = match store.report_image(&report_id, ImageKind::Screenshot)? {
        Some(image) => Some(Screenshot {
            filename: format!(
                "snag-{report_id}.{}",
                if image.media_type == "image/jpeg" {
                    "jpg"
                } else {
                    "png"
                }
            ),
            media_type: image.media_type,
            bytes: image.bytes,
            url: Some(links.screenshot(&report_id, now_millis())),
        }),
        None => None,
    };
    Ok(Some(TicketInput {
        snag_url: links.defect(&detail.defect.id),
        defect: defect_info(&detail.defect),
        report: report_info(&stored, screenshot),
    }))
}

pub fn ticket_ref(ticket: &snag_storage::Ticket) -> TicketRef {
    TicketRef {
        external_id: ticket.external_id.clone(),
        key: ticket.key.clone(),
        url: ticket.url.clone(),
    }
}
