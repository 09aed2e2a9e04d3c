//! What the server adds to a report before storing it.

use alloc::{borrow::ToOwned, format, string::String};

use serde::{Deserialize, Serialize};

use crate::scrub::ScrubSummary;

/// The server's view of a report: parsed client, route and component, what was scrubbed, and
/// the stored screenshot's facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Enriched {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_brand: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_model: Option<String>,
    /// The page URL's route with ids and hashes folded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// From the project's route rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// What the scrubber replaced and how often; never the values.
    pub scrubbed: ScrubSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<ScreenshotFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenshotFacts {
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    /// Stored size in bytes, after re-encoding.
    pub bytes: usize,
    /// Size the client sent, decoded from base64.
    pub received_bytes: usize,
    pub sha256: String,
    /// 64-bit difference hash as 16 hex digits; near-identical screenshots differ in few bits.
    pub perceptual_hash: String,
    pub thumbnail: ThumbnailFacts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThumbnailFacts {
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    pub bytes: usize,
}

/// The title a new defect gets from its first report: the report's title, or the first line
/// of its description, cut at a word boundary near `max_chars`.
pub fn defect_title(title: Option<&str>, description: &str, max_chars: usize) -> String {
    let source = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| description.trim().lines().next().unwrap_or("").trim());
    if source.chars().count() <= max_chars {
        return source.to_owned();
    }
    let cut: String = source.chars().take(max_chars).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(space) if space > max_chars / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end())
}

#[cfg(test)]
mod tests {
    use super::defect_title;
    use crate::test_prelude::*;

    #[test]
    fn a_title_wins_over_the_description() {
        assert_eq!(
            defect_title(Some(" Pay fails "), "long text", 80),
            "Pay fails"
        );
        assert_eq!(
            defect_title(Some("  "), "First line\nsecond", 80),
            "First line"
        );
        assert_eq!(
            defect_title(None, "\n  Checkout broken\nmore", 80),
            "Checkout broken"
        );
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let title = defect_title(None, "the pay button does nothing at all today", 20);
        assert_eq!(title, "the pay button does…");
        assert!(title.chars().count() <= 21);
        let unbroken = defect_title(None, &"x".repeat(50), 10);
        assert_eq!(unbroken, format!("{}…", "x".repeat(10)));
    }
}
