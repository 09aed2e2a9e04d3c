//! Turning untrusted report text into safe text for each tracker: cleaning, escaping,
//! cutting to limits, and the facts every ticket shows.

mod cut;
mod doc;
mod facts;
mod markdown;
mod render_markdown;
mod slack;
mod steps;

pub(crate) use cut::{cut_chars, one_line};
pub(crate) use doc::{Block, Budget, Inline, Purpose, SHRINK_STEPS, ticket_document};
pub(crate) use facts::{environment_facts, failed_requests, last_clicks};
pub(crate) use markdown::{escape_markdown, escape_markdown_inline, markdown_link_url};
pub(crate) use render_markdown::render_markdown;
pub(crate) use slack::escape_mrkdwn;
pub(crate) use steps::numbered_steps;

/// Removes control characters other than newline and tab; CRLF and CR become LF. Trackers
/// choke on NUL and friends, and a stray escape sequence has no place in a ticket.
pub(crate) fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// A URL that may be made a link: absolute `http` or `https` only, so that a report cannot
/// smuggle `javascript:` or `data:` into a clickable link.
pub(crate) fn safe_link(url: &str) -> Option<url::Url> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    matches!(parsed.scheme(), "http" | "https")
        .then_some(parsed)
        .filter(|u| u.host_str().is_some())
}
