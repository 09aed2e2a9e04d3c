//! Which fields of a report are scrubbed, and how.
//!
//! Left alone on purpose: `reporter` (the person identified themselves so staff can answer),
//! `client.user_agent` (no personal data, and enrichment parses it), `release`,
//! `environment`, breadcrumb methods and statuses, the screenshot (redacted in the widget
//! before sending) and the idempotency key.

use alloc::{borrow::ToOwned, string::String};

use super::{ScrubKind, ScrubSummary, Scrubber, keys};
use crate::payload::ReportPayload;

impl Scrubber {
    /// Scrubs a whole report in place and says what was replaced. With scrubbing disabled
    /// nothing changes and the summary is empty.
    pub fn scrub_report(&self, report: &mut ReportPayload) -> ScrubSummary {
        let mut summary = ScrubSummary::default();
        if !self.config.enabled {
            return summary;
        }
        let s = &mut summary;
        for field in [
            &mut report.description,
            &mut report.title,
            &mut report.steps,
            &mut report.expected,
            &mut report.actual,
        ] {
            self.text_field(field.as_mut(), s);
        }
        if let Some(page) = &mut report.page {
            self.text_field(page.title.as_mut(), s);
            self.url_field(page.url.as_mut(), s);
            self.url_field(page.referrer.as_mut(), s);
        }
        for entry in &mut report.console {
            self.text_field(Some(&mut entry.message), s);
        }
        for crumb in &mut report.breadcrumbs {
            self.text_field(crumb.message.as_mut(), s);
            self.url_field(crumb.url.as_mut(), s);
        }
        for (key, value) in &mut report.custom {
            if self.config.secrets && keys::is_secret_key(&self.rules, key) {
                let placeholder = ScrubKind::SecretAssignment.placeholder();
                if !value.is_empty() && value != placeholder {
                    placeholder.clone_into(value);
                    s.add(ScrubKind::SecretAssignment);
                }
            } else {
                self.text_field(Some(value), s);
            }
        }
        summary
    }

    fn text_field(&self, field: Option<&mut String>, summary: &mut ScrubSummary) {
        if let Some(text) = field
            && let Some(scrubbed) = self.scrub_text(text, summary)
        {
            *text = scrubbed;
        }
    }

    fn url_field(&self, field: Option<&mut String>, summary: &mut ScrubSummary) {
        if let Some(url) = field
            && let Some(scrubbed) = self.scrub_url(url, summary)
        {
            *url = scrubbed;
        }
    }
}
