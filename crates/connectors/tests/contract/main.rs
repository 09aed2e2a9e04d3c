//! Contract tests: each connector against a local fake that checks the service's official
//! contract (see `tests/fakes`). One test binary, one module per service.

mod errors;
mod fixtures;
mod github;
mod jira;
mod linear;
mod slack;
mod webhook;

use serde_json::Value;
use snag_connectors::{Connector, ConnectorConfig, TrackerConnector};

/// Builds a connector from its configuration, as the server does.
pub fn build(config: Value) -> Connector {
    let config: ConnectorConfig = serde_json::from_value(config).expect("config parses");
    let no_env = |_: &str| None;
    config.build(&no_env).expect("config builds")
}

pub fn tracker(config: Value) -> TrackerConnector {
    match build(config) {
        Connector::Tracker(t) => t,
        other => panic!("not a tracker: {}", other.kind()),
    }
}

/// A recorded body with the fake's random address replaced, for stable snapshots.
pub fn stable(value: &Value, fake_url: &str) -> Value {
    serde_json::from_str(&value.to_string().replace(fake_url, "http://fake")).expect("json")
}

/// Text a reader sees in a rendered markdown body: the escapes and joiners removed.
pub fn visible_markdown(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(char::is_ascii_punctuation) => {
                out.push(chars.next().expect("peeked"));
            }
            '\u{2060}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Whether `needle` occurs in `markdown` other than right after a backslash (which makes its
/// first character literal text).
/// Fenced code blocks are left out: their content is shown verbatim, never interpreted.
pub fn contains_unescaped(markdown: &str, needle: &str) -> bool {
    let markdown = outside_code(markdown);
    markdown
        .match_indices(needle)
        .any(|(i, _)| !markdown[..i].ends_with('\\'))
}

/// The markdown without the content of fenced code blocks.
fn outside_code(markdown: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in markdown.lines() {
        let ticks: String = line.chars().take_while(|c| *c == '`').collect();
        match &fence {
            Some(open) if line.trim_end() == open => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => out.push(line),
        }
    }
    out.join("\n")
}
