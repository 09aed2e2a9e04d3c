//! A fake Jira Cloud (REST v3) that accepts what Jira accepts: Basic auth, JSON bodies
//! checked against the OpenAPI subset, descriptions and comments checked against the ADF
//! schema, multipart attachments with `X-Atlassian-Token: no-check`, and the JQL search the
//! connector uses. Errors come as Jira's `ErrorCollection`.

mod issues;
mod jql;
mod operations;

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::{Value, json};

use crate::common::fake_handle;
use crate::openapi::BodySchema;
use crate::server::{Recorded, Reply, Server, Service, lock};

pub use issues::{JiraAttachment, JiraIssue};

/// Who the fake lets in and what its project accepts.
#[derive(Debug, Clone)]
pub struct JiraSetup {
    pub email: String,
    pub api_token: String,
    pub project_key: String,
    pub issue_types: Vec<String>,
    pub priorities: Vec<String>,
    /// `None` accepts any component name.
    pub components: Option<Vec<String>>,
    /// Largest attachment accepted, in bytes.
    pub max_attachment_bytes: usize,
}

impl Default for JiraSetup {
    fn default() -> Self {
        JiraSetup {
            email: FakeJira::EMAIL.into(),
            api_token: FakeJira::API_TOKEN.into(),
            project_key: FakeJira::PROJECT.into(),
            issue_types: vec!["Bug".into(), "Task".into(), "Story".into()],
            priorities: ["Highest", "High", "Medium", "Low", "Lowest"]
                .map(String::from)
                .to_vec(),
            components: None,
            max_attachment_bytes: 10 * 1024 * 1024,
        }
    }
}

pub struct FakeJira {
    server: Server,
    state: Arc<JiraService>,
}

fake_handle!(FakeJira);

impl FakeJira {
    pub const EMAIL: &'static str = "snag-bot@example.com";
    pub const API_TOKEN: &'static str = "jira-api-token";
    pub const PROJECT: &'static str = "SHOP";

    pub fn start() -> FakeJira {
        FakeJira::start_with(JiraSetup::default())
    }

    pub fn start_with(setup: JiraSetup) -> FakeJira {
        let spec = crate::specs::read_json("jira/openapi-subset.json");
        let service = Arc::new(JiraService {
            create: BodySchema::of(&spec, "/rest/api/3/issue", "post"),
            comment: BodySchema::of(&spec, "/rest/api/3/issue/{issueIdOrKey}/comment", "post"),
            search: BodySchema::of(&spec, "/rest/api/3/search/jql", "post"),
            transition: BodySchema::of(
                &spec,
                "/rest/api/3/issue/{issueIdOrKey}/transitions",
                "post",
            ),
            setup,
            issues: Mutex::new(Vec::new()),
            base: Mutex::new(String::new()),
        });
        let server = Server::start(service.clone());
        *lock(&service.base) = server.url();
        FakeJira {
            server,
            state: service,
        }
    }

    /// Every issue created, in order.
    pub fn issues(&self) -> Vec<JiraIssue> {
        lock(&self.state.issues).clone()
    }

    /// Issues of the defect: those with the connector's marker label `snag-<defect id>`.
    pub fn tickets_for_defect(&self, defect_id: &str) -> usize {
        self.tickets_with_label(&format!("snag-{defect_id}"))
    }

    /// How many issues carry the label (the connector's marker is `snag-<defect id>`).
    pub fn tickets_with_label(&self, label: &str) -> usize {
        lock(&self.state.issues)
            .iter()
            .filter(|i| i.labels().iter().any(|l| l == label))
            .count()
    }
}

pub(crate) struct JiraService {
    setup: JiraSetup,
    create: BodySchema,
    comment: BodySchema,
    search: BodySchema,
    transition: BodySchema,
    issues: Mutex<Vec<JiraIssue>>,
    base: Mutex<String>,
}

/// Jira's error body.
pub(crate) fn error_collection(status: u16, messages: &[&str], errors: Value) -> Reply {
    Reply::json(
        status,
        &json!({"errorMessages": messages, "errors": errors}),
    )
}

impl JiraService {
    fn authorized(&self, request: &Recorded) -> bool {
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", self.setup.email, self.setup.api_token))
        );
        request.header("authorization") == Some(expected.as_str())
    }
}

impl Service for JiraService {
    fn handle(&self, request: &Recorded) -> Reply {
        let segments: Vec<&str> = request.path.trim_start_matches('/').split('/').collect();
        let route = match segments.as_slice() {
            ["rest", "api", "3", "issue"] => Some(("POST", Route::Create)),
            ["rest", "api", "3", "issue", key, "comment"] => Some(("POST", Route::Comment(key))),
            ["rest", "api", "3", "issue", key, "attachments"] => Some(("POST", Route::Attach(key))),
            ["rest", "api", "3", "issue", key, "transitions"] => {
                let method = if request.method == "GET" {
                    "GET"
                } else {
                    "POST"
                };
                Some((method, Route::Transitions(key)))
            }
            ["rest", "api", "3", "search", "jql"] => Some(("POST", Route::Search)),
            _ => None,
        };
        let Some((method, route)) = route else {
            return error_collection(404, &["No resource found for this path."], json!({}));
        };
        if request.method != method {
            return error_collection(405, &["Method not allowed."], json!({}));
        }
        if !self.authorized(request) {
            return error_collection(
                401,
                &["You are not authenticated. Authentication required to perform this operation."],
                json!({}),
            );
        }
        match route {
            Route::Create => self.create_issue(request),
            Route::Comment(key) => self.add_comment(request, key),
            Route::Attach(key) => self.add_attachment(request, key),
            Route::Transitions(key) => self.transitions(request, key),
            Route::Search => self.search(request),
        }
    }

    fn server_error(&self, status: u16) -> Reply {
        error_collection(status, &["Internal server error"], json!({}))
    }

    fn rate_limited(&self, retry_after_secs: u64) -> Reply {
        error_collection(429, &["Rate limit exceeded."], json!({}))
            .with_header("retry-after", retry_after_secs.to_string())
            .with_header("x-ratelimit-remaining", "0")
            .with_header("ratelimit-reason", "jira-quota-global-based")
    }

    fn rate_limit_reset(&self, reset_after_secs: u64) -> Reply {
        let at = std::time::SystemTime::now() + std::time::Duration::from_secs(reset_after_secs);
        error_collection(429, &["Rate limit exceeded."], json!({}))
            .with_header("x-ratelimit-reset", iso8601(at))
            .with_header("x-ratelimit-remaining", "0")
            .with_header("ratelimit-reason", "jira-quota-global-based")
    }
}

enum Route<'a> {
    Create,
    Comment(&'a str),
    Attach(&'a str),
    Transitions(&'a str),
    Search,
}

/// The JSON body of a request, or Jira's answer to a bad one.
pub(crate) fn json_body(request: &Recorded, schema: &BodySchema) -> Result<Value, Reply> {
    let json_type = request
        .header("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/json"));
    if !json_type {
        return Err(error_collection(
            415,
            &["Unsupported Media Type: send application/json."],
            json!({}),
        ));
    }
    let body: Value = serde_json::from_slice(&request.body).map_err(|e| {
        error_collection(
            400,
            &[&format!("Unexpected character in the JSON body: {e}")],
            json!({}),
        )
    })?;
    schema.check(&body).map_err(|e| {
        error_collection(
            400,
            &[&format!("The request body does not match the schema: {e}")],
            json!({}),
        )
    })?;
    Ok(body)
}

/// `2026-01-01T12:00:00Z`: how Jira writes `X-RateLimit-Reset`.
fn iso8601(at: std::time::SystemTime) -> String {
    let secs = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
