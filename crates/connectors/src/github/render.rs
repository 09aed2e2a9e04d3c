//! The JSON bodies the GitHub connector sends.

use serde_json::{Value, json};

use super::config::GitHubSettings;
use crate::input::TicketInput;
use crate::text::{
    Budget, Purpose, SHRINK_STEPS, clean, cut_chars, one_line, render_markdown, ticket_document,
};
use crate::tracker::defect_marker;

/// GitHub's title limit.
pub(crate) const TITLE_CHARS: usize = 256;
/// GitHub refuses bodies over 65,536 characters; the margin covers the marker line.
pub(crate) const BODY_CHARS: usize = 65_000;

/// The hidden line that ties an issue to its defect, for people and for searches.
pub(crate) fn body_marker(defect: &snag_core::DefectId) -> String {
    format!("<!-- snag:defect:{defect} -->")
}

/// `POST /repos/{owner}/{repo}/issues`.
pub(crate) fn create_issue(settings: &GitHubSettings, input: &TicketInput) -> Value {
    let defect = &input.defect;
    let mut labels = vec!["snag".to_owned(), defect_marker(&defect.id)];
    labels.extend(settings.labels.iter().cloned());
    labels.dedup();
    let title = one_line(&clean(&defect.title), TITLE_CHARS);
    let image = input
        .report
        .screenshot
        .as_ref()
        .and_then(|s| s.url.as_deref());
    let body = format!(
        "{}\n\n{}",
        fitted_markdown(input, Purpose::Issue, image),
        body_marker(&defect.id)
    );
    json!({
        "title": if title.is_empty() { format!("Snag defect {}", defect.id) } else { title },
        "body": body,
        "labels": labels,
    })
}

/// `POST /repos/{owner}/{repo}/issues/{number}/comments`.
pub(crate) fn comment(input: &TicketInput) -> Value {
    let image = input
        .report
        .screenshot
        .as_ref()
        .and_then(|s| s.url.as_deref());
    json!({"body": fitted_markdown(input, Purpose::Comment, image)})
}

fn fitted_markdown(input: &TicketInput, purpose: Purpose, image_url: Option<&str>) -> String {
    let mut last = String::new();
    for divisor in SHRINK_STEPS {
        let doc = ticket_document(input, purpose, Budget::FULL.shrunk(divisor), image_url);
        last = render_markdown(&doc);
        if last.chars().count() <= BODY_CHARS {
            return last;
        }
    }
    cut_chars(&last, BODY_CHARS)
}
