//! The issue operations of the fake GitHub.

use serde_json::{Value, json};

use super::{
    BODY_LIMIT, FakeGitHub, GitHubIssue, GitHubService, LABEL_LIMIT, TITLE_LIMIT, basic_error,
    validation_failed,
};
use crate::server::{Recorded, Reply, lock};

impl GitHubService {
    pub(super) fn issue_json(&self, issue: &GitHubIssue) -> Value {
        let base = lock(&self.base).clone();
        let api = format!("{base}/repos/{}/{}", FakeGitHub::OWNER, FakeGitHub::REPO);
        let labels: Vec<Value> = issue
            .labels
            .iter()
            .enumerate()
            .map(|(i, name)| json!({"id": i + 1, "node_id": "LA_fake", "url": format!("{api}/labels/{name}"), "name": name, "color": "ededed", "default": false, "description": null}))
            .collect();
        json!({
            "id": 1_000_000 + issue.number,
            "node_id": format!("I_fake{}", issue.number),
            "url": format!("{api}/issues/{}", issue.number),
            "repository_url": api,
            "labels_url": format!("{api}/issues/{}/labels{{/name}}", issue.number),
            "comments_url": format!("{api}/issues/{}/comments", issue.number),
            "events_url": format!("{api}/issues/{}/events", issue.number),
            "html_url": format!("{base}/{}/{}/issues/{}", FakeGitHub::OWNER, FakeGitHub::REPO, issue.number),
            "number": issue.number,
            "state": issue.state,
            "title": issue.title,
            "body": issue.body,
            "user": {"login": "snag-bot", "id": 1, "type": "Bot"},
            "labels": labels,
            "assignee": null,
            "milestone": null,
            "locked": false,
            "comments": issue.comments.len(),
            "closed_at": null,
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
        })
    }

    pub(super) fn checked_text(
        title: Option<&str>,
        body: Option<&str>,
        labels: &[String],
    ) -> Option<Reply> {
        if let Some(title) = title {
            if title.trim().is_empty() {
                return Some(validation_failed("title", "title can't be blank"));
            }
            if title.chars().count() > TITLE_LIMIT {
                return Some(validation_failed(
                    "title",
                    "title is too long (maximum is 256 characters)",
                ));
            }
        }
        if body.is_some_and(|b| b.chars().count() > BODY_LIMIT) {
            return Some(validation_failed(
                "body",
                "body is too long (maximum is 65536 characters)",
            ));
        }
        if labels
            .iter()
            .any(|l| l.trim().is_empty() || l.chars().count() > LABEL_LIMIT)
        {
            return Some(validation_failed(
                "labels",
                "name is too long (maximum is 50 characters)",
            ));
        }
        None
    }

    pub(super) fn labels_of(body: &Value) -> Vec<String> {
        body["labels"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| l.as_str().or_else(|| l["name"].as_str()).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn create(&self, request: &Recorded) -> Reply {
        let body = match self.body(request, &self.create) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let title = match &body["title"] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        let labels = Self::labels_of(&body);
        if let Some(reply) = Self::checked_text(Some(&title), body["body"].as_str(), &labels) {
            return reply;
        }
        let mut issues = lock(&self.issues);
        let issue = GitHubIssue {
            number: issues.len() as u64 + 1,
            title,
            body: body["body"].as_str().map(str::to_owned),
            labels,
            state: "open".into(),
            comments: Vec::new(),
        };
        let answer = self.issue_json(&issue);
        issues.push(issue);
        let location = answer["url"].as_str().unwrap_or_default().to_owned();
        Reply::json(201, &answer).with_header("location", location)
    }

    pub(super) fn list(&self, request: &Recorded) -> Reply {
        let mut state = "open".to_owned();
        let mut wanted: Vec<String> = Vec::new();
        let mut per_page = 30usize;
        for (name, value) in request.query_pairs() {
            match name.as_str() {
                "state" if ["open", "closed", "all"].contains(&value.as_str()) => state = value,
                "labels" => {
                    wanted = value
                        .split(',')
                        .map(|l| l.trim().to_owned())
                        .filter(|l| !l.is_empty())
                        .collect()
                }
                "per_page" => match value.parse::<usize>() {
                    Ok(n) if (1..=100).contains(&n) => per_page = n,
                    _ => {
                        return validation_failed("per_page", "per_page must be between 1 and 100");
                    }
                },
                "sort" if ["created", "updated", "comments"].contains(&value.as_str()) => {}
                "direction" if ["asc", "desc"].contains(&value.as_str()) => {}
                "page" | "since" | "milestone" | "assignee" | "creator" | "mentioned" | "type" => {}
                _ => {
                    return validation_failed(
                        &name,
                        &format!("{value:?} is not a valid value for {name}"),
                    );
                }
            }
        }
        let issues = lock(&self.issues);
        let found: Vec<Value> = issues
            .iter()
            .filter(|i| state == "all" || i.state == state)
            .filter(|i| wanted.iter().all(|w| i.labels.contains(w)))
            .take(per_page)
            .map(|i| self.issue_json(i))
            .collect();
        Reply::json(200, &Value::Array(found))
    }

    pub(super) fn update(&self, request: &Recorded, number: &str) -> Reply {
        let body = match self.body(request, &self.update) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let labels = Self::labels_of(&body);
        if let Some(reply) =
            Self::checked_text(body["title"].as_str(), body["body"].as_str(), &labels)
        {
            return reply;
        }
        let mut issues = lock(&self.issues);
        let Some(issue) = issues.iter_mut().find(|i| i.number.to_string() == number) else {
            return basic_error(404, "Not Found");
        };
        if let Some(title) = body["title"].as_str() {
            issue.title = title.to_owned();
        }
        if let Some(text) = body["body"].as_str() {
            issue.body = Some(text.to_owned());
        }
        if let Some(state) = body["state"].as_str() {
            issue.state = state.to_owned();
        }
        if body.get("labels").is_some() {
            issue.labels = labels;
        }
        let answer = self.issue_json(issue);
        Reply::json(200, &answer)
    }

    pub(super) fn comment(&self, request: &Recorded, number: &str) -> Reply {
        let body = match self.body(request, &self.comment) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let text = body["body"].as_str().unwrap_or_default().to_owned();
        if text.trim().is_empty() {
            return validation_failed("body", "body can't be blank");
        }
        if text.chars().count() > BODY_LIMIT {
            return validation_failed("body", "body is too long (maximum is 65536 characters)");
        }
        let mut issues = lock(&self.issues);
        let Some(issue) = issues.iter_mut().find(|i| i.number.to_string() == number) else {
            return basic_error(404, "Not Found");
        };
        issue.comments.push(text.clone());
        let id = issue.number * 1000 + issue.comments.len() as u64;
        let base = lock(&self.base).clone();
        Reply::json(
            201,
            &json!({
                "id": id,
                "node_id": format!("IC_fake{id}"),
                "url": format!("{base}/repos/{}/{}/issues/comments/{id}", FakeGitHub::OWNER, FakeGitHub::REPO),
                "html_url": format!("{base}/{}/{}/issues/{}#issuecomment-{id}", FakeGitHub::OWNER, FakeGitHub::REPO, issue.number),
                "body": text,
                "user": {"login": "snag-bot", "id": 1, "type": "Bot"},
                "created_at": "2026-01-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z",
                "issue_url": format!("{base}/repos/{}/{}/issues/{}", FakeGitHub::OWNER, FakeGitHub::REPO, issue.number),
                "author_association": "NONE",
            }),
        )
    }
}
