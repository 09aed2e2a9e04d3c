//! Comments, attachments, transitions and the JQL search on the fake's issues.

use serde_json::{Map, Value, json};

use super::issues::{JiraAttachment, JiraIssue, TEXT_LIMIT};
use super::{JiraService, error_collection, jql, json_body};
use crate::server::{Recorded, Reply, lock};
use crate::specs::check_adf;

impl JiraService {
    fn find<'a>(issues: &'a mut [JiraIssue], key: &str) -> Option<&'a mut JiraIssue> {
        issues.iter_mut().find(|i| i.key == key || i.id == key)
    }

    pub(super) fn add_comment(&self, request: &Recorded, key: &str) -> Reply {
        let body = match json_body(request, &self.comment) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let Some(document) = body.get("body") else {
            return error_collection(
                400,
                &[],
                json!({"comment": "Comment body can not be empty!"}),
            );
        };
        if let Err(problem) = check_adf(document) {
            return error_collection(
                400,
                &[&format!(
                    "Comment body is not a valid Atlassian Document: {problem}"
                )],
                json!({}),
            );
        }
        if document.to_string().chars().count() > TEXT_LIMIT {
            return error_collection(
                400,
                &[],
                json!({"comment": "The entered text is too long. It exceeds the allowed limit of 32,767 characters."}),
            );
        }
        let mut issues = lock(&self.issues);
        let Some(issue) = Self::find(&mut issues, key) else {
            return not_found();
        };
        issue.comments.push(document.clone());
        let id = (20_000 + issue.comments.len()).to_string();
        let base = lock(&self.base).clone();
        Reply::json(
            201,
            &json!({
                "id": id,
                "self": format!("{base}/rest/api/3/issue/{}/comment/{id}", issue.id),
                "body": document,
                "author": {"accountId": "5b10a2844c20165700ede21g", "displayName": "Snag", "active": true},
                "created": "2026-01-01T00:00:00.000+0000",
                "updated": "2026-01-01T00:00:00.000+0000",
                "jsdPublic": true,
            }),
        )
    }

    pub(super) fn add_attachment(&self, request: &Recorded, key: &str) -> Reply {
        // Jira's XSRF protection: multipart posts without this header are refused.
        if request.header("x-atlassian-token") != Some("no-check") {
            return Reply::text(403, "XSRF check failed");
        }
        let parts = match crate::multipart::parse(request.header("content-type"), &request.body) {
            Ok(parts) => parts,
            Err(problem) => {
                return error_collection(
                    400,
                    &[&format!("Invalid multipart request: {problem}")],
                    json!({}),
                );
            }
        };
        if parts.is_empty()
            || parts
                .iter()
                .any(|p| p.name != "file" || p.filename.is_none())
        {
            return error_collection(
                400,
                &["Attachments must be sent as multipart parts named 'file' with a file name."],
                json!({}),
            );
        }
        if parts.len() > 60
            || parts.iter().map(|p| p.data.len()).sum::<usize>() > self.setup.max_attachment_bytes
        {
            return error_collection(413, &["The attachments exceed the size limit."], json!({}));
        }
        let mut issues = lock(&self.issues);
        let Some(issue) = Self::find(&mut issues, key) else {
            return not_found();
        };
        let base = lock(&self.base).clone();
        let mut answer = Vec::new();
        for part in parts {
            let id = (30_000 + issue.attachments.len() + 1).to_string();
            let mime_type = part
                .content_type
                .unwrap_or_else(|| "application/octet-stream".into());
            let filename = part.filename.unwrap_or_default();
            answer.push(json!({
                "id": id,
                "self": format!("{base}/rest/api/3/attachment/{id}"),
                "filename": filename,
                "mimeType": mime_type,
                "size": part.data.len(),
                "content": format!("{base}/rest/api/3/attachment/content/{id}"),
                "created": "2026-01-01T00:00:00.000+0000",
            }));
            issue.attachments.push(JiraAttachment {
                id,
                filename,
                mime_type,
                bytes: part.data.to_vec(),
            });
        }
        Reply::json(200, &Value::Array(answer))
    }

    pub(super) fn transitions(&self, request: &Recorded, key: &str) -> Reply {
        const TRANSITIONS: [(&str, &str); 3] =
            [("11", "To Do"), ("21", "In Progress"), ("31", "Done")];
        if request.method == "GET" {
            if Self::find(&mut lock(&self.issues), key).is_none() {
                return not_found();
            }
            let list: Vec<Value> = TRANSITIONS
                .iter()
                .map(|(id, name)| json!({"id": id, "name": name, "to": {"name": name}}))
                .collect();
            return Reply::json(200, &json!({"expand": "transitions", "transitions": list}));
        }
        let body = match json_body(request, &self.transition) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let Some(id) = body["transition"]["id"].as_str() else {
            return error_collection(400, &["Missing transition id."], json!({}));
        };
        if !TRANSITIONS.iter().any(|(t, _)| *t == id) {
            return error_collection(
                400,
                &["Transition id is not valid for this issue."],
                json!({}),
            );
        }
        let mut issues = lock(&self.issues);
        let Some(issue) = Self::find(&mut issues, key) else {
            return not_found();
        };
        issue.transitions.push(id.to_owned());
        Reply::empty(204)
    }

    pub(super) fn search(&self, request: &Recorded) -> Reply {
        let body = match json_body(request, &self.search) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let Some(query) = body["jql"].as_str() else {
            return error_collection(
                400,
                &["The JQL query is required: unbounded queries are not allowed."],
                json!({}),
            );
        };
        let clauses = match jql::parse(query) {
            Ok(clauses) => clauses,
            Err(problem) => {
                return error_collection(
                    400,
                    &[&format!("Error in the JQL Query: {problem}")],
                    json!({}),
                );
            }
        };
        let wanted: Vec<String> = body["fields"]
            .as_array()
            .map(|f| {
                f.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let max = body["maxResults"].as_u64().unwrap_or(50) as usize;
        let base = lock(&self.base).clone();
        let issues = lock(&self.issues);
        let found: Vec<Value> = issues
            .iter()
            .filter(|issue| clauses.iter().all(|c| matches(issue, c, &self.setup.project_key)))
            .take(max)
            .map(|issue| {
                let mut fields = Map::new();
                for name in &wanted {
                    let value = match name.as_str() {
                        "attachment" => Value::Array(
                            issue
                                .attachments
                                .iter()
                                .map(|a| json!({"id": a.id, "filename": a.filename, "mimeType": a.mime_type, "size": a.bytes.len()}))
                                .collect(),
                        ),
                        other => issue.fields.get(other).cloned().unwrap_or(Value::Null),
                    };
                    fields.insert(name.clone(), value);
                }
                json!({
                    "id": issue.id,
                    "key": issue.key,
                    "self": format!("{base}/rest/api/3/issue/{}", issue.id),
                    "fields": fields,
                })
            })
            .collect();
        Reply::json(200, &json!({"issues": found, "isLast": true}))
    }
}

fn matches(issue: &JiraIssue, clause: &jql::Clause, project: &str) -> bool {
    match clause.field.as_str() {
        "project" => clause.value == project,
        "labels" => issue.labels().contains(&clause.value),
        "key" => issue.key == clause.value,
        "issuetype" => issue.fields["issuetype"]["name"].as_str() == Some(clause.value.as_str()),
        _ => false,
    }
}

fn not_found() -> Reply {
    error_collection(
        404,
        &["Issue does not exist or you do not have permission to see it."],
        json!({}),
    )
}
