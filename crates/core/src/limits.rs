//! Explicit limits on what one report may carry.
//!
//! The defaults are what the widget can produce with room to spare; every limit is
//! configurable (the server's `[limits]` section) and tested at and past its edge.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// The whole request body, before JSON parsing.
    pub max_body_bytes: usize,
    /// `description`, as the contract says: 1..=10,000 characters.
    pub max_description_chars: usize,
    pub max_title_chars: usize,
    /// `steps`, `expected`, `actual`.
    pub max_text_chars: usize,
    /// Reporter fields, page title, release, environment, client strings.
    pub max_short_chars: usize,
    /// Page URL, referrer and breadcrumb URLs.
    pub max_url_chars: usize,
    pub max_console_entries: usize,
    pub max_console_message_chars: usize,
    pub max_breadcrumbs: usize,
    pub max_breadcrumb_chars: usize,
    pub max_custom_entries: usize,
    pub max_custom_key_chars: usize,
    pub max_custom_value_chars: usize,
    /// Decoded screenshot bytes (the base64 text is a third larger).
    pub max_screenshot_bytes: usize,
    /// Width × height of the decoded screenshot.
    pub max_screenshot_pixels: u64,
    /// Either side of the screenshot.
    pub max_screenshot_side: u32,
    pub max_idempotency_key_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 8 * 1024 * 1024,
            max_description_chars: 10_000,
            max_title_chars: 300,
            max_text_chars: 10_000,
            max_short_chars: 1_000,
            max_url_chars: 4_096,
            max_console_entries: 100,
            max_console_message_chars: 8_000,
            max_breadcrumbs: 100,
            max_breadcrumb_chars: 2_000,
            max_custom_entries: 50,
            max_custom_key_chars: 100,
            max_custom_value_chars: 2_000,
            max_screenshot_bytes: 5 * 1024 * 1024,
            max_screenshot_pixels: 5120 * 5120,
            max_screenshot_side: 16_384,
            max_idempotency_key_chars: 128,
        }
    }
}
