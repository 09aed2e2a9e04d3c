//! The variables the Linear connector sends.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::config::LinearSettings;
use crate::input::TicketInput;
use crate::text::{
    Budget, Purpose, SHRINK_STEPS, clean, one_line, render_markdown, ticket_document,
};

/// Linear shows titles on one line; 255 keeps them readable and within any database column.
pub(crate) const TITLE_CHARS: usize = 255;
/// Linear documents no description limit; this keeps a ticket readable and its request small.
pub(crate) const DESCRIPTION_CHARS: usize = 50_000;

/// The issue id for a defect in a team: a UUID in version 4 form (which is what
/// `IssueCreateInput.id` asks for) derived from both, so that every retry proposes the same
/// id and Linear refuses a second issue.
pub(crate) fn issue_id(team_id: &str, defect: &snag_core::DefectId) -> String {
    derived_uuid(&format!("snag/linear/issue/{team_id}/{defect}"))
}

/// The comment id for a report on an issue, for the same reason.
pub(crate) fn comment_id(issue_id: &str, report: &str) -> String {
    derived_uuid(&format!("snag/linear/comment/{issue_id}/{report}"))
}

fn derived_uuid(seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

pub(crate) fn issue_input(
    settings: &LinearSettings,
    input: &TicketInput,
    image_url: Option<&str>,
) -> Value {
    let defect = &input.defect;
    let title = one_line(&clean(&defect.title), TITLE_CHARS);
    let mut fields = json!({
        "id": issue_id(&settings.team_id, &defect.id),
        "teamId": settings.team_id,
        "title": if title.is_empty() { format!("Snag defect {}", defect.id) } else { title },
        "description": fitted_markdown(input, Purpose::Issue, image_url),
    });
    let priority = defect
        .priority
        .and_then(|p| settings.priority_values.get(&p))
        .or_else(|| {
            defect
                .severity
                .and_then(|s| settings.severity_priorities.get(&s))
        });
    if let Some(priority) = priority {
        fields["priority"] = json!(priority);
    }
    if !settings.label_ids.is_empty() {
        fields["labelIds"] = json!(settings.label_ids);
    }
    fields
}

pub(crate) fn comment_input(issue_id: &str, input: &TicketInput) -> Value {
    json!({
        "id": comment_id(issue_id, input.report.id.as_str()),
        "issueId": issue_id,
        "body": fitted_markdown(input, Purpose::Comment, None),
    })
}

fn fitted_markdown(input: &TicketInput, purpose: Purpose, image_url: Option<&str>) -> String {
    let mut last = String::new();
    for divisor in SHRINK_STEPS {
        let doc = ticket_document(input, purpose, Budget::FULL.shrunk(divisor), image_url);
        last = render_markdown(&doc);
        if last.chars().count() <= DESCRIPTION_CHARS {
            return last;
        }
    }
    crate::text::cut_chars(&last, DESCRIPTION_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_v4_uuids() {
        let defect = snag_core::DefectId::parse("0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11").unwrap();
        let a = issue_id("team", &defect);
        assert_eq!(a, issue_id("team", &defect));
        assert_ne!(a, issue_id("other-team", &defect));
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
    }
}
