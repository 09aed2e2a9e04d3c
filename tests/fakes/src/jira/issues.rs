//! The operations on the fake's issues.

use serde_json::{Map, Value, json};

use super::{JiraService, error_collection, json_body};
use crate::server::{Recorded, Reply, lock};
use crate::specs::check_adf;

/// Jira text fields hold at most 32,767 characters.
pub(super) const TEXT_LIMIT: usize = 32_767;
const SUMMARY_LIMIT: usize = 255;

#[derive(Debug, Clone)]
pub struct JiraIssue {
    pub id: String,
    pub key: String,
    /// `fields` as the client sent them.
    pub fields: Value,
    /// Comment bodies (ADF), in order.
    pub comments: Vec<Value>,
    pub attachments: Vec<JiraAttachment>,
    pub transitions: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct JiraAttachment {
    pub id: String,
    pub filename: String,
    pub mime_type: String,
    pub bytes: Vec<u8>,
}

impl JiraIssue {
    pub fn labels(&self) -> Vec<String> {
        self.fields["labels"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| l.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn summary(&self) -> &str {
        self.fields["summary"].as_str().unwrap_or_default()
    }

    pub fn description(&self) -> &Value {
        &self.fields["description"]
    }
}

impl JiraService {
    pub(super) fn create_issue(&self, request: &Recorded) -> Reply {
        let body = match json_body(request, &self.create) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let Some(fields) = body.get("fields").and_then(Value::as_object) else {
            return error_collection(400, &["The request must contain fields."], json!({}));
        };
        let errors = self.field_errors(fields);
        if !errors.is_empty() {
            return error_collection(400, &[], Value::Object(errors));
        }
        let mut issues = lock(&self.issues);
        let number = issues.len() + 1;
        let id = (10_000 + number).to_string();
        let key = format!("{}-{number}", self.setup.project_key);
        issues.push(JiraIssue {
            id: id.clone(),
            key: key.clone(),
            fields: Value::Object(fields.clone()),
            comments: Vec::new(),
            attachments: Vec::new(),
            transitions: Vec::new(),
        });
        let base = lock(&self.base).clone();
        Reply::json(
            201,
            &json!({"id": id, "key": key, "self": format!("{base}/rest/api/3/issue/{id}")}),
        )
    }

    /// Jira's per-field checks, answered as `errors: {field: message}`.
    fn field_errors(&self, fields: &Map<String, Value>) -> Map<String, Value> {
        let mut errors = Map::new();
        let mut error = |field: &str, message: &str| {
            errors.insert(field.into(), json!(message));
        };
        let project = &fields.get("project").cloned().unwrap_or(Value::Null);
        if project["key"].as_str() != Some(self.setup.project_key.as_str())
            && project["id"].as_str().is_none()
        {
            error("project", "Specify a valid project ID or key");
        }
        let issue_type = fields.get("issuetype").and_then(|t| t["name"].as_str());
        if !issue_type.is_some_and(|t| self.setup.issue_types.iter().any(|k| k == t)) {
            error("issuetype", "Specify an issue type");
        }
        match fields.get("summary").and_then(Value::as_str) {
            None => error("summary", "You must specify a summary of the issue."),
            Some(s) if s.trim().is_empty() => {
                error("summary", "You must specify a summary of the issue.")
            }
            Some(s) if s.chars().count() > SUMMARY_LIMIT => {
                error("summary", "Summary must be less than 255 characters.")
            }
            Some(s) if s.contains('\n') || s.contains('\r') => error(
                "summary",
                "The summary is invalid because it contains newline characters.",
            ),
            Some(_) => {}
        }
        if let Some(description) = fields.get("description") {
            if let Err(problem) = check_adf(description) {
                error(
                    "description",
                    &format!(
                        "Operation value must be an Atlassian Document (see the Atlassian Document Format): {problem}"
                    ),
                );
            } else if description.to_string().chars().count() > TEXT_LIMIT {
                error(
                    "description",
                    "The entered text is too long. It exceeds the allowed limit of 32,767 characters.",
                );
            }
        }
        if let Some(labels) = fields.get("labels") {
            let bad = labels.as_array().is_none_or(|a| {
                a.iter().any(|l| {
                    l.as_str().is_none_or(|s| {
                        s.is_empty() || s.contains(char::is_whitespace) || s.chars().count() > 255
                    })
                })
            });
            if bad {
                error(
                    "labels",
                    "The label can't contain spaces and must be at most 255 characters.",
                );
            }
        }
        if let Some(priority) = fields.get("priority") {
            let known = priority["name"]
                .as_str()
                .is_some_and(|n| self.setup.priorities.iter().any(|p| p == n))
                || priority["id"].is_string();
            if !known {
                error(
                    "priority",
                    "Specify the Priority (id or name) in the string format",
                );
            }
        }
        if let Some(components) = fields.get("components") {
            let ok = components.as_array().is_some_and(|list| {
                list.iter()
                    .all(|c| match (&self.setup.components, c["name"].as_str()) {
                        (_, None) => c["id"].is_string(),
                        (None, Some(_)) => true,
                        (Some(allowed), Some(name)) => allowed.iter().any(|a| a == name),
                    })
            });
            if !ok {
                error("components", "Component name is not valid");
            }
        }
        let settable = [
            "project",
            "issuetype",
            "summary",
            "description",
            "labels",
            "priority",
            "components",
        ];
        for name in fields.keys().filter(|k| !settable.contains(&k.as_str())) {
            error(
                name,
                &format!(
                    "Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
                ),
            );
        }
        errors
    }
}
