//! The Block Kit message, within every limit Slack enforces: header 150 characters, section
//! text 3000, fields 10 of 2000, text objects 1..3000, buttons 75 / 3000, 50 blocks, and a
//! plain `text` fallback for notifications.

use serde_json::{Value, json};

use crate::input::{TicketInput, TicketRef};
use crate::text::{clean, cut_chars, escape_mrkdwn, one_line, safe_link};

pub(crate) const HEADER_CHARS: usize = 150;
pub(crate) const FIELD_CHARS: usize = 2_000;
/// A compact notice: the start of the description, the rest is one click away.
pub(crate) const EXCERPT_CHARS: usize = 500;
pub(crate) const BUTTON_TEXT_CHARS: usize = 75;
pub(crate) const BUTTON_URL_CHARS: usize = 3_000;
pub(crate) const FALLBACK_CHARS: usize = 3_000;

pub(crate) fn message(input: &TicketInput, ticket: Option<&TicketRef>) -> Value {
    let defect = &input.defect;
    let report = &input.report;
    let title = one_line(&clean(&defect.title), 1_000);
    let title = if title.is_empty() {
        "Untitled defect".to_owned()
    } else {
        title
    };

    let mut fields = vec![
        plain(&format!(
            "Severity: {}",
            defect.severity.map_or("not set", |s| s.as_str())
        )),
        plain(&format!("Reports: {}", defect.report_count)),
    ];
    if let Some(priority) = defect.priority {
        fields.push(plain(&format!("Priority: {}", priority.as_str())));
    }
    let optional = [
        ("Component", defect.component.as_deref()),
        (
            "Environment",
            report
                .environment
                .as_deref()
                .or(defect.environment.as_deref()),
        ),
        ("Page", report.page_url.as_deref()),
    ];
    for (label, value) in optional {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            fields.push(plain(&format!(
                "{label}: {}",
                one_line(&clean(value), FIELD_CHARS - 20)
            )));
        }
    }

    let mut blocks = vec![
        json!({"type": "header", "text": plain_max(&format!("New defect: {title}"), HEADER_CHARS)}),
        json!({"type": "section", "fields": fields}),
    ];
    let excerpt = cut_chars(clean(&report.description).trim(), EXCERPT_CHARS);
    if !excerpt.is_empty() {
        blocks.push(json!({"type": "section", "text": plain(&excerpt)}));
    }
    let client: Vec<String> = [&report.browser, &report.os, &report.device, &report.release]
        .into_iter()
        .filter_map(|v| v.as_deref().map(str::trim).filter(|v| !v.is_empty()))
        .map(|v| one_line(&clean(v), 200))
        .collect();
    if !client.is_empty() {
        blocks.push(json!({"type": "context", "elements": [plain(&client.join(" · "))]}));
    }
    let mut buttons = Vec::new();
    if let Some(url) = button_url(&input.snag_url) {
        buttons.push(button("Open in Snag", &url, "snag"));
    }
    if let Some(ticket) = ticket
        && let Some(url) = button_url(&ticket.url)
    {
        buttons.push(button(&format!("Open {}", ticket.key), &url, "ticket"));
    }
    if !buttons.is_empty() {
        blocks.push(json!({"type": "actions", "elements": buttons}));
    }

    let severity = defect
        .severity
        .map(|s| format!(" ({})", s.as_str()))
        .unwrap_or_default();
    let fallback = format!("New defect: {}{severity}", escape_mrkdwn(&title));
    let fallback = match safe_link(&input.snag_url) {
        Some(url) => format!("{} {}", cut_chars(&fallback, FALLBACK_CHARS - 200), url),
        None => cut_chars(&fallback, FALLBACK_CHARS),
    };
    json!({"text": fallback, "blocks": blocks})
}

/// A `plain_text` object: Slack shows it as typed, no mentions, no links, no formatting.
fn plain(text: &str) -> Value {
    plain_max(text, FIELD_CHARS)
}

/// A `plain_text` object of at most `max` characters, never empty (Slack refuses that).
/// Slack shows plain text as typed; a joiner after `<` and `@` keeps `<!channel>`,
/// `<@U123>` and `@here` inert even where a client formats it after all.
fn plain_max(text: &str, max: usize) -> Value {
    let text = cut_chars(&neutral(text), max);
    let text = if text.trim().is_empty() {
        "-".to_owned()
    } else {
        text
    };
    json!({"type": "plain_text", "text": text, "emoji": false})
}

fn button(text: &str, url: &str, action_id: &str) -> Value {
    json!({
        "type": "button",
        "text": {"type": "plain_text", "text": cut_chars(text, BUTTON_TEXT_CHARS)},
        "url": url,
        "action_id": action_id,
    })
}

/// Only http(s) URLs that fit a button.
fn button_url(url: &str) -> Option<String> {
    safe_link(url)
        .map(|u| u.to_string())
        .filter(|u| u.chars().count() <= BUTTON_URL_CHARS)
}

fn neutral(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        out.push(c);
        if c == '<' || c == '@' {
            out.push('\u{2060}');
        }
    }
    out
}
