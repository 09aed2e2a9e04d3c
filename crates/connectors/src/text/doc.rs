//! A small document model of a ticket, built once from a [`TicketInput`] and rendered as ADF
//! (Jira) or markdown (GitHub, Linear), so that every tracker shows the same sections.
//!
//! All text in a [`Block`] is plain text, untrusted unless it is a link we built; renderers
//! escape it for their format.

use crate::input::TicketInput;
use crate::text::{
    clean, cut_chars, environment_facts, failed_requests, last_clicks, numbered_steps,
};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Heading(String),
    /// Multi-line text, shown as typed.
    Text(String),
    Ordered(Vec<String>),
    Bullets(Vec<String>),
    /// Two columns: label, value.
    Table(Vec<Row>),
    /// Shown verbatim in a code block.
    Code(String),
    /// One line of mixed text, bold text and links.
    Line(Vec<Inline>),
    /// An image by URL (Linear's uploaded asset, Snag's signed screenshot URL).
    Image {
        alt: String,
        url: String,
    },
    Rule,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub label: String,
    pub value: String,
    /// `value` is an http(s) URL to be linked.
    pub link: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Inline {
    Plain(String),
    Strong(String),
    /// `url` is checked http(s).
    Link {
        text: String,
        url: String,
    },
}

/// How much of each untrusted field a document may carry, in characters before escaping.
/// Renderers shrink it until the result fits their tracker's limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Budget {
    pub description: usize,
    pub steps: usize,
    pub expected_actual: usize,
    pub console_entries: usize,
    pub console_chars: usize,
    pub custom_entries: usize,
    pub custom_chars: usize,
    pub breadcrumbs: usize,
}

impl Budget {
    pub(crate) const FULL: Budget = Budget {
        description: 20_000,
        steps: 5_000,
        expected_actual: 3_000,
        console_entries: 20,
        console_chars: 1_000,
        custom_entries: 20,
        custom_chars: 300,
        breadcrumbs: 10,
    };

    /// The budget divided by `divisor` (at least a little of everything stays).
    pub(crate) fn shrunk(self, divisor: usize) -> Budget {
        let d = |v: usize, min: usize| (v / divisor).max(min);
        Budget {
            description: d(self.description, 200),
            steps: d(self.steps, 100),
            expected_actual: d(self.expected_actual, 100),
            console_entries: d(self.console_entries, 1),
            console_chars: d(self.console_chars, 100),
            custom_entries: d(self.custom_entries, 1),
            custom_chars: d(self.custom_chars, 50),
            breadcrumbs: d(self.breadcrumbs, 1),
        }
    }
}

/// The divisors renderers try, in order, until the rendered document fits.
pub(crate) const SHRINK_STEPS: [usize; 6] = [1, 2, 4, 8, 16, 64];

/// What a document is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// The ticket's body, from the defect's first report.
    Issue,
    /// A comment for a later report that joined the defect.
    Comment,
}

/// Builds the document. `image_url` is where the screenshot can be shown inline, when the
/// tracker shows it by URL.
pub(crate) fn ticket_document(
    input: &TicketInput,
    purpose: Purpose,
    budget: Budget,
    image_url: Option<&str>,
) -> Vec<Block> {
    let report = &input.report;
    let mut blocks = Vec::new();
    if purpose == Purpose::Comment {
        blocks.push(Block::Line(vec![
            Inline::Strong("Another report joined this defect".into()),
            Inline::Plain(format!(" ({} in total).", input.defect.report_count)),
        ]));
        if let Some(title) = report
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            blocks.push(Block::Line(vec![
                Inline::Strong("Title: ".into()),
                Inline::Plain(crate::text::one_line(&clean(title), 300)),
            ]));
        }
    }
    blocks.push(Block::Heading("Description".into()));
    blocks.push(Block::Text(cut_chars(
        &clean(&report.description),
        budget.description,
    )));

    if let Some(steps) = nonempty(report.steps.as_deref()) {
        blocks.push(Block::Heading("Steps to reproduce".into()));
        let steps = cut_chars(&clean(steps), budget.steps);
        match numbered_steps(&steps) {
            Some(items) => blocks.push(Block::Ordered(items)),
            None => blocks.push(Block::Text(steps)),
        }
    }
    for (heading, text) in [("Expected", &report.expected), ("Actual", &report.actual)] {
        if let Some(text) = nonempty(text.as_deref()) {
            blocks.push(Block::Heading(heading.into()));
            blocks.push(Block::Text(cut_chars(&clean(text), budget.expected_actual)));
        }
    }

    let mut rows: Vec<Row> = environment_facts(input)
        .into_iter()
        .map(|f| Row {
            label: f.label.into(),
            value: cut_chars(&f.value, 500),
            link: f.link && f.value.chars().count() <= 500,
        })
        .collect();
    if let Some(who) = reporter(input) {
        rows.push(Row {
            label: "Reported by".into(),
            value: who,
            link: false,
        });
    }
    if !rows.is_empty() {
        blocks.push(Block::Heading("Environment".into()));
        blocks.push(Block::Table(rows));
    }

    let errors: Vec<String> = report
        .console
        .iter()
        .filter(|c| {
            matches!(
                c.level,
                snag_core::ConsoleLevel::Error | snag_core::ConsoleLevel::Warn
            )
        })
        .take(budget.console_entries)
        .map(|c| {
            let level = format!("{:?}", c.level).to_lowercase();
            format!(
                "[{level}] {}",
                cut_chars(&clean(&c.message), budget.console_chars)
            )
        })
        .collect();
    if !errors.is_empty() {
        blocks.push(Block::Heading("Console errors".into()));
        blocks.push(Block::Code(errors.join("\n")));
    }

    let mut before: Vec<String> = failed_requests(input, budget.breadcrumbs)
        .into_iter()
        .map(|r| format!("Failed request: {r}"))
        .collect();
    before.extend(
        last_clicks(input, budget.breadcrumbs.min(5))
            .into_iter()
            .map(|c| format!("Click: {c}")),
    );
    if !before.is_empty() {
        blocks.push(Block::Heading("Before the report".into()));
        blocks.push(Block::Bullets(before));
    }

    if !report.custom.is_empty() {
        let rows = report
            .custom
            .iter()
            .take(budget.custom_entries)
            .map(|(k, v)| Row {
                label: cut_chars(&clean(k), 100),
                value: cut_chars(&clean(v), budget.custom_chars),
                link: false,
            })
            .collect();
        blocks.push(Block::Heading("Custom data".into()));
        blocks.push(Block::Table(rows));
    }

    if let (Some(url), Some(shot)) = (image_url, report.screenshot.as_ref()) {
        blocks.push(Block::Heading("Screenshot".into()));
        blocks.push(Block::Image {
            alt: crate::text::one_line(&clean(&shot.filename), 100),
            url: url.to_owned(),
        });
    }

    if purpose == Purpose::Comment
        && let Some(fold) = &report.fold
    {
        blocks.push(fold_line(fold));
    }

    blocks.push(Block::Rule);
    blocks.push(Block::Line(footer(input)));
    blocks
}

/// Why the report joined the defect, from the signals that counted for it.
fn fold_line(fold: &snag_core::FoldMatch) -> Block {
    let signals: Vec<String> = fold
        .signals
        .iter()
        .filter(|s| s.weight > 0.0)
        .filter_map(|s| serde_json::to_value(s.kind).ok())
        .filter_map(|v| v.as_str().map(|k| k.replace('_', " ")))
        .collect();
    let on = if signals.is_empty() {
        "no positive signal".to_owned()
    } else {
        signals.join(", ")
    };
    Block::Line(vec![Inline::Plain(format!(
        "Matched with score {:.2} (threshold {:.2}) on: {on}.",
        fold.score, fold.threshold
    ))])
}

fn nonempty(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

/// Only what the report itself carries: a name, an email, both, or nothing.
fn reporter(input: &TicketInput) -> Option<String> {
    let name = nonempty(input.report.reporter_name.as_deref())
        .map(|n| crate::text::one_line(&clean(n), 200));
    let email = nonempty(input.report.reporter_email.as_deref())
        .map(|e| crate::text::one_line(&clean(e), 200));
    match (name, email) {
        (Some(n), Some(e)) => Some(format!("{n} ({e})")),
        (Some(n), None) => Some(n),
        (None, Some(e)) => Some(e),
        (None, None) => None,
    }
}

/// The defect's facts and the link back to Snag.
fn footer(input: &TicketInput) -> Vec<Inline> {
    let defect = &input.defect;
    let mut facts = vec![format!("Snag defect {}", defect.id)];
    if let Some(severity) = defect.severity {
        facts.push(format!("severity {}", severity.as_str()));
    }
    if let Some(priority) = defect.priority {
        facts.push(format!("priority {}", priority.as_str()));
    }
    facts.push(format!(
        "{} report{}",
        defect.report_count,
        if defect.report_count == 1 { "" } else { "s" }
    ));
    facts.push(format!("first seen {}", defect.first_seen));
    let mut line = vec![Inline::Plain(format!("{} · ", facts.join(" · ")))];
    match crate::text::safe_link(&input.snag_url) {
        Some(url) => line.push(Inline::Link {
            text: "Open in Snag".into(),
            url: url.to_string(),
        }),
        None => line.push(Inline::Plain(input.snag_url.clone())),
    }
    line
}
