//! The facts every ticket shows, in one order, so that Jira, Linear, GitHub and Slack agree.

use crate::input::{BreadcrumbLine, TicketInput};

/// One row of the environment table: a fixed label and an untrusted value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fact {
    pub label: &'static str,
    pub value: String,
    /// The value is a URL that may be linked (already checked to be http or https).
    pub link: bool,
}

/// Browser, OS, device, page, release, environment, component, route: the ones known.
pub(crate) fn environment_facts(input: &TicketInput) -> Vec<Fact> {
    let report = &input.report;
    let defect = &input.defect;
    let mut facts = Vec::new();
    let mut push = |label, value: Option<&str>, link: bool| {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            let link = link && super::safe_link(value).is_some();
            facts.push(Fact {
                label,
                value: super::clean(value),
                link,
            });
        }
    };
    push("Browser", report.browser.as_deref(), false);
    push("OS", report.os.as_deref(), false);
    push("Device", report.device.as_deref(), false);
    push("Page", report.page_url.as_deref(), true);
    push("Page title", report.page_title.as_deref(), false);
    push("Release", report.release.as_deref(), false);
    push(
        "Environment",
        report
            .environment
            .as_deref()
            .or(defect.environment.as_deref()),
        false,
    );
    push("Component", defect.component.as_deref(), false);
    push("Route", defect.route.as_deref(), false);
    facts
}

/// The report's failed requests as `GET /api/cart → 500`, at most `max`.
pub(crate) fn failed_requests(input: &TicketInput, max: usize) -> Vec<String> {
    input
        .report
        .breadcrumbs
        .iter()
        .filter_map(|b| match b {
            BreadcrumbLine::FailedRequest {
                method,
                url,
                status,
            } => Some(format!(
                "{} {} → {}",
                super::one_line(method, 10),
                super::one_line(url, 300),
                if *status == 0 {
                    "no answer".to_owned()
                } else {
                    status.to_string()
                }
            )),
            _ => None,
        })
        .take(max)
        .collect()
}

/// The last clicks before the report, oldest first, at most `max`.
pub(crate) fn last_clicks(input: &TicketInput, max: usize) -> Vec<String> {
    let clicks: Vec<String> = input
        .report
        .breadcrumbs
        .iter()
        .filter_map(|b| match b {
            BreadcrumbLine::Click { target } => Some(super::one_line(target, 200)),
            _ => None,
        })
        .collect();
    let skip = clicks.len().saturating_sub(max);
    clicks.into_iter().skip(skip).collect()
}
