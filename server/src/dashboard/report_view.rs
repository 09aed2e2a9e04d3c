//! One report as the defect page shows it: every field a person may need, as text (the
//! template escapes it), with a link only for an http(s) page URL.

use snag_core::{BreadcrumbKind, ConsoleLevel};
use snag_storage::StoredReport;

use super::view;

pub struct ReportView {
    pub id: String,
    pub received: String,
    pub title: String,
    pub description: String,
    pub steps: String,
    pub expected: String,
    pub actual: String,
    pub category: &'static str,
    pub reporter: String,
    pub page_url: String,
    pub page_href: Option<String>,
    pub page_title: String,
    pub referrer: String,
    pub client: Vec<(&'static str, String)>,
    pub console: Vec<(&'static str, String)>,
    pub breadcrumbs: Vec<(&'static str, String)>,
    pub custom: Vec<(String, String)>,
    pub fold: Option<FoldView>,
    pub scrubbed: String,
    pub has_screenshot: bool,
}

pub struct FoldView {
    pub score: String,
    pub threshold: String,
    pub signals: Vec<(String, String, String)>,
}

pub fn opt(text: &Option<String>) -> String {
    text.clone().unwrap_or_default()
}

pub fn report_view(report: StoredReport) -> ReportView {
    let p = report.payload;
    let e = report.enriched;
    let reporter = p.reporter.map(|r| {
        [
            r.name,
            r.email.map(|e| format!("<{e}>")),
            r.id.map(|i| format!("(id {i})")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
    });
    let page = p.page.unwrap_or_default();
    let client = p.client.unwrap_or_default();
    // "Mac" and "Mac" say it once; "Safari" and "17.5" say both.
    let join = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) if b.starts_with(a.as_str()) => b.clone(),
        _ => [a.clone(), b.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
    };
    let mut facts: Vec<(&'static str, String)> = vec![
        ("browser", join(&e.browser, &e.browser_version)),
        ("OS", join(&e.os, &e.os_version)),
        ("device", join(&e.device, &e.device_model)),
        ("route", opt(&e.route)),
        ("component", opt(&e.component)),
        (
            "viewport",
            client
                .viewport
                .map(|s| format!("{}×{}", s.width, s.height))
                .unwrap_or_default(),
        ),
        (
            "screen",
            client
                .screen
                .map(|s| format!("{}×{}", s.width, s.height))
                .unwrap_or_default(),
        ),
        ("language", opt(&client.language)),
        ("time zone", opt(&client.timezone)),
        ("release", opt(&p.release)),
        ("environment", opt(&p.environment)),
        (
            "source",
            p.source.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        ),
        ("user agent", opt(&client.user_agent)),
    ];
    facts.retain(|(_, v)| !v.is_empty());
    ReportView {
        id: report.id.to_string(),
        received: view::time(report.received_at),
        title: opt(&p.title),
        description: opt(&p.description),
        steps: opt(&p.steps),
        expected: opt(&p.expected),
        actual: opt(&p.actual),
        category: p.category.map_or("", |c| c.as_str()),
        reporter: reporter.unwrap_or_default(),
        page_href: page.url.as_deref().and_then(view::safe_href),
        page_url: opt(&page.url),
        page_title: opt(&page.title),
        referrer: opt(&page.referrer),
        client: facts,
        console: p
            .console
            .iter()
            .map(|c| {
                let level = match c.level {
                    ConsoleLevel::Error => "error",
                    ConsoleLevel::Warn => "warn",
                    ConsoleLevel::Info => "info",
                    ConsoleLevel::Log => "log",
                    ConsoleLevel::Debug => "debug",
                };
                (level, c.message.clone())
            })
            .collect(),
        breadcrumbs: p
            .breadcrumbs
            .iter()
            .map(|b| {
                let kind = match b.kind {
                    BreadcrumbKind::Click => "click",
                    BreadcrumbKind::Input => "input",
                    BreadcrumbKind::Navigation => "navigation",
                    BreadcrumbKind::Request => "request",
                    BreadcrumbKind::Custom => "custom",
                };
                let text = [
                    b.method.clone(),
                    b.url.clone(),
                    b.status.map(|s| format!("→ {s}")),
                    b.message.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
                (kind, text)
            })
            .collect(),
        custom: p.custom.into_iter().collect(),
        fold: report.fold.map(|f| FoldView {
            score: format!("{:.2}", f.score),
            threshold: format!("{:.2}", f.threshold),
            signals: f
                .signals
                .iter()
                .map(|s| {
                    (
                        serde_json::to_value(s.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        format!("{:+.2}", s.weight),
                        s.similarity.map(|v| format!("{v:.2}")).unwrap_or_default(),
                    )
                })
                .collect(),
        }),
        scrubbed: serde_json::to_value(&e.scrubbed)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{v} {k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        has_screenshot: report.has_screenshot,
    }
}
