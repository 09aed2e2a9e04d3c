//! The JSON bodies the Jira connector sends.

use serde_json::{Value, json};

use super::adf;
use super::config::JiraSettings;
use crate::input::TicketInput;
use crate::text::{Budget, Purpose, SHRINK_STEPS, one_line, ticket_document};
use crate::tracker::defect_marker;

/// Jira's summary limit.
pub(crate) const SUMMARY_CHARS: usize = 255;
/// Jira text fields hold 32,767 characters. The serialized ADF is kept under that, with room
/// to spare, which also keeps its text under the limit however Jira counts it.
pub(crate) const DOCUMENT_CHARS: usize = 32_000;

/// `POST /rest/api/3/issue`.
pub(crate) fn create_issue(settings: &JiraSettings, input: &TicketInput) -> Value {
    let defect = &input.defect;
    let mut labels = vec!["snag".to_owned(), defect_marker(&defect.id)];
    labels.extend(settings.labels.iter().cloned());
    labels.dedup();
    let mut fields = json!({
        "project": {"key": settings.project_key},
        "issuetype": {"name": settings.issue_type},
        "summary": summary(input),
        "description": fitted_document(input, Purpose::Issue),
        "labels": labels,
    });
    let priority = defect
        .priority
        .and_then(|p| settings.priority_names.get(&p))
        .or_else(|| {
            defect
                .severity
                .and_then(|s| settings.severity_priorities.get(&s))
        });
    if let Some(name) = priority {
        fields["priority"] = json!({"name": name});
    }
    if settings.use_component
        && let Some(component) = defect.component.as_deref().filter(|c| !c.trim().is_empty())
    {
        fields["components"] = json!([{"name": one_line(component, 255)}]);
    }
    json!({"fields": fields})
}

/// `POST /rest/api/3/issue/{key}/comment`.
pub(crate) fn comment(input: &TicketInput) -> Value {
    json!({"body": fitted_document(input, Purpose::Comment)})
}

/// `POST /rest/api/3/search/jql`: the defect's ticket by its marker label, with the file
/// names already attached so a retry knows whether the screenshot went up.
pub(crate) fn search(settings: &JiraSettings, defect: &snag_core::DefectId) -> Value {
    json!({
        "jql": format!(
            "project = \"{}\" AND labels = \"{}\" ORDER BY created ASC",
            settings.project_key,
            defect_marker(defect)
        ),
        "fields": ["attachment"],
        "maxResults": 5,
    })
}

fn summary(input: &TicketInput) -> String {
    let title = crate::text::clean(&input.defect.title);
    let summary = one_line(&title, SUMMARY_CHARS);
    if summary.is_empty() {
        format!("Snag defect {}", input.defect.id)
    } else {
        summary
    }
}

/// The largest document that fits Jira's limit.
fn fitted_document(input: &TicketInput, purpose: Purpose) -> Value {
    let mut last = Value::Null;
    for divisor in SHRINK_STEPS {
        let doc = adf::document(&ticket_document(
            input,
            purpose,
            Budget::FULL.shrunk(divisor),
            None,
        ));
        let size = doc.to_string().chars().count();
        last = doc;
        if size <= DOCUMENT_CHARS {
            break;
        }
    }
    last
}
