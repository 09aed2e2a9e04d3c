//! A fake GitHub REST API for issues: the headers GitHub requires (a `User-Agent`, a token as
//! `Bearer` or `token`) and those a well-behaved client sends (`Accept`,
//! `X-GitHub-Api-Version`, required here), bodies checked against the OpenAPI subset, GitHub's
//! length limits answered with its `422` validation errors, and the rate-limit headers on
//! every answer.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

mod issues;

use crate::common::fake_handle;
use crate::openapi::BodySchema;
use crate::server::{Recorded, Reply, Server, Service, lock};

const DOCS: &str = "https://docs.github.com/rest";
pub(super) const TITLE_LIMIT: usize = 256;
pub(super) const BODY_LIMIT: usize = 65_536;
pub(super) const LABEL_LIMIT: usize = 50;
const API_VERSIONS: [&str; 2] = ["2022-11-28", "2026-03-10"];

#[derive(Debug, Clone)]
pub struct GitHubIssue {
    pub number: u64,
    pub title: String,
    pub body: Option<String>,
    pub labels: Vec<String>,
    pub state: String,
    pub comments: Vec<String>,
}

pub struct FakeGitHub {
    server: Server,
    state: Arc<GitHubService>,
}

fake_handle!(FakeGitHub);

impl FakeGitHub {
    pub const TOKEN: &'static str = "ghp_fake000000000000000000000000000000";
    pub const OWNER: &'static str = "acme";
    pub const REPO: &'static str = "shop";

    pub fn start() -> FakeGitHub {
        let spec = crate::specs::read_json("github/openapi-subset.json");
        let service = Arc::new(GitHubService {
            create: BodySchema::of(&spec, "/repos/{owner}/{repo}/issues", "post"),
            update: BodySchema::of(
                &spec,
                "/repos/{owner}/{repo}/issues/{issue_number}",
                "patch",
            ),
            comment: BodySchema::of(
                &spec,
                "/repos/{owner}/{repo}/issues/{issue_number}/comments",
                "post",
            ),
            issues: Mutex::new(Vec::new()),
            base: Mutex::new(String::new()),
        });
        let server = Server::start(service.clone());
        *lock(&service.base) = server.url();
        FakeGitHub {
            server,
            state: service,
        }
    }

    pub fn issues(&self) -> Vec<GitHubIssue> {
        lock(&self.state.issues).clone()
    }

    /// Issues of the defect: those with the connector's marker label `snag-<defect id>`.
    pub fn tickets_for_defect(&self, defect_id: &str) -> usize {
        self.tickets_with_label(&format!("snag-{defect_id}"))
    }

    /// Issues carrying the label (the connector's marker is `snag-<defect id>`).
    pub fn tickets_with_label(&self, label: &str) -> usize {
        lock(&self.state.issues)
            .iter()
            .filter(|i| i.labels.iter().any(|l| l == label))
            .count()
    }
}

struct GitHubService {
    create: BodySchema,
    update: BodySchema,
    comment: BodySchema,
    issues: Mutex<Vec<GitHubIssue>>,
    base: Mutex<String>,
}

pub(super) fn basic_error(status: u16, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"message": message, "documentation_url": DOCS, "status": status.to_string()}),
    )
}

pub(super) fn validation_failed(field: &str, message: &str) -> Reply {
    Reply::json(
        422,
        &json!({
            "message": "Validation Failed",
            "errors": [{"resource": "Issue", "code": "custom", "field": field, "message": message}],
            "documentation_url": DOCS,
            "status": "422",
        }),
    )
}

fn rate_headers(reply: Reply, remaining: u64, reset: u64) -> Reply {
    reply
        .with_header("x-ratelimit-limit", "5000")
        .with_header("x-ratelimit-remaining", remaining.to_string())
        .with_header("x-ratelimit-used", (5000 - remaining).to_string())
        .with_header("x-ratelimit-reset", reset.to_string())
        .with_header("x-ratelimit-resource", "core")
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Service for GitHubService {
    fn handle(&self, request: &Recorded) -> Reply {
        rate_headers(self.route(request), 4999, now_secs() + 3600)
    }

    fn server_error(&self, status: u16) -> Reply {
        basic_error(status, "Server Error")
    }

    fn rate_limited(&self, retry_after_secs: u64) -> Reply {
        // A secondary limit: 429 with `retry-after`.
        rate_headers(
            basic_error(429, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."),
            4999,
            now_secs() + 3600,
        )
        .with_header("retry-after", retry_after_secs.to_string())
    }

    fn rate_limit_reset(&self, reset_after_secs: u64) -> Reply {
        // The primary limit: 403, nothing left, wait until the reset.
        rate_headers(
            basic_error(403, "API rate limit exceeded for user ID 1."),
            0,
            now_secs() + reset_after_secs,
        )
    }
}

impl GitHubService {
    fn route(&self, request: &Recorded) -> Reply {
        if request.header("user-agent").is_none_or(str::is_empty) {
            return Reply::text(
                403,
                "Request forbidden by administrative rules. Please make sure your request has a User-Agent header.",
            );
        }
        let token = request.header("authorization").and_then(|a| {
            a.strip_prefix("Bearer ")
                .or_else(|| a.strip_prefix("token "))
        });
        match token {
            None => return basic_error(401, "Requires authentication"),
            Some(t) if t != FakeGitHub::TOKEN => return basic_error(401, "Bad credentials"),
            Some(_) => {}
        }
        match request.header("accept") {
            Some("application/vnd.github+json") | Some("application/json") => {}
            Some(other) => {
                return basic_error(415, &format!("Unsupported 'Accept' header: {other}"));
            }
            None => {
                return basic_error(
                    400,
                    "This fake requires Accept: application/vnd.github+json",
                );
            }
        }
        match request.header("x-github-api-version") {
            Some(v) if API_VERSIONS.contains(&v) => {}
            Some(v) => return basic_error(400, &format!("API version '{v}' is not supported.")),
            None => return basic_error(400, "This fake requires an X-GitHub-Api-Version header"),
        }
        let segments: Vec<&str> = request.path.trim_start_matches('/').split('/').collect();
        let ["repos", owner, repo, rest @ ..] = segments.as_slice() else {
            return basic_error(404, "Not Found");
        };
        if *owner != FakeGitHub::OWNER || *repo != FakeGitHub::REPO {
            return basic_error(404, "Not Found");
        }
        match (request.method.as_str(), rest) {
            ("POST", ["issues"]) => self.create(request),
            ("GET", ["issues"]) => self.list(request),
            ("PATCH", ["issues", number]) => self.update(request, number),
            ("POST", ["issues", number, "comments"]) => self.comment(request, number),
            _ => basic_error(404, "Not Found"),
        }
    }

    pub(super) fn body(&self, request: &Recorded, schema: &BodySchema) -> Result<Value, Reply> {
        let is_json = request
            .header("content-type")
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/json"));
        let body: Value = is_json
            .then(|| request.json())
            .flatten()
            .ok_or_else(|| basic_error(400, "Problems parsing JSON"))?;
        schema
            .check(&body)
            .map_err(|e| basic_error(422, &format!("Invalid request. {e}")))?;
        Ok(body)
    }
}
