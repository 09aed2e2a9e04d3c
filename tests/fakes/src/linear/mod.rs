//! A fake Linear GraphQL API. Every document is parsed and validated against Linear's
//! official schema and executed by apollo-compiler's executor (so variables are coerced to
//! the schema's input types and results to its output types), with resolvers for the
//! operations a connector uses. Auth follows Linear: a personal API key bare in
//! `Authorization`, an OAuth token after `Bearer`. Client-chosen ids are honoured and a
//! taken id is refused, as Linear does.

mod data;
mod mutations;
mod resolve;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use serde_json::{Value, json};

use crate::common::fake_handle;
use crate::server::{Recorded, Reply, Server, Service, lock};

pub use data::{LinearComment, LinearIssue, LinearUpload};

/// Linear's schema, parsed and validated once per process (1.25 MB of SDL).
fn schema() -> &'static Valid<Schema> {
    static SCHEMA: OnceLock<Valid<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let sdl = crate::specs::read_text("linear/schema.graphql");
        Schema::parse_and_validate(sdl, "schema.graphql").expect("Linear's schema is valid")
    })
}

pub struct FakeLinear {
    server: Server,
    state: Arc<LinearService>,
}

fake_handle!(FakeLinear);

impl FakeLinear {
    pub const API_KEY: &'static str = "lin_api_fake0000000000000000000000000000";
    pub const OAUTH_TOKEN: &'static str = "lin_oauth_fake000000000000000000000000";
    pub const TEAM_ID: &'static str = "8f1c7a52-5b0e-4d5e-9a43-0a8e3c1d2b10";
    pub const TEAM_KEY: &'static str = "ENG";
    pub const LABEL_ID: &'static str = "3b9d2a7e-1c4f-4e8a-b6d5-7f0e9c2a1b34";

    pub fn start() -> FakeLinear {
        let service = Arc::new(LinearService {
            data: Mutex::new(data::LinearData::default()),
            base: Mutex::new(String::new()),
        });
        // Parse the schema before the first request, not inside a client's timeout.
        schema();
        let server = Server::start(service.clone());
        *lock(&service.base) = server.url();
        FakeLinear {
            server,
            state: service,
        }
    }

    /// The GraphQL endpoint to configure as the connector's `api_url`.
    pub fn api_url(&self) -> String {
        format!("{}/graphql", self.url())
    }

    pub fn issues(&self) -> Vec<LinearIssue> {
        lock(&self.state.data).issues.clone()
    }

    pub fn comments(&self) -> Vec<LinearComment> {
        lock(&self.state.data).comments.clone()
    }

    pub fn uploads(&self) -> Vec<LinearUpload> {
        lock(&self.state.data).uploads.clone()
    }

    /// Issues whose description names the defect (Snag's footer carries its id).
    pub fn tickets_for_defect(&self, defect_id: &str) -> usize {
        lock(&self.state.data)
            .issues
            .iter()
            .filter(|i| {
                i.description
                    .as_deref()
                    .is_some_and(|d| d.contains(defect_id))
            })
            .count()
    }
}

pub(crate) struct LinearService {
    data: Mutex<data::LinearData>,
    base: Mutex<String>,
}

/// A GraphQL error answer in Linear's shape.
pub(crate) fn graphql_error(status: u16, message: &str, kind: &str, code: &str) -> Reply {
    Reply::json(
        status,
        &json!({
            "errors": [{
                "message": message,
                "extensions": {
                    "type": kind,
                    "code": code,
                    "userError": true,
                    "userPresentableMessage": message,
                },
            }],
            "data": null,
        }),
    )
}

impl Service for LinearService {
    fn handle(&self, request: &Recorded) -> Reply {
        if let Some(token) = request.path.strip_prefix("/uploads/") {
            return self.upload(request, token);
        }
        if request.path != "/graphql" {
            return Reply::text(404, "Not Found");
        }
        if request.method != "POST" {
            return graphql_error(
                405,
                "GraphQL requests are POSTed here.",
                "graphql error",
                "METHOD_NOT_ALLOWED",
            );
        }
        let authorization = request.header("authorization").unwrap_or_default();
        let authorized = authorization == FakeLinear::API_KEY
            || authorization == format!("Bearer {}", FakeLinear::OAUTH_TOKEN);
        if !authorized {
            return graphql_error(
                400,
                "Authentication required, not authenticated",
                "authentication error",
                "AUTHENTICATION_ERROR",
            );
        }
        let json_type = request
            .header("content-type")
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/json"));
        let body: Option<Value> = json_type.then(|| request.json()).flatten();
        let Some(query) = body.as_ref().and_then(|b| b["query"].as_str()) else {
            return graphql_error(
                400,
                "Must provide a query string.",
                "graphql error",
                "BAD_REQUEST",
            );
        };
        let body = body.as_ref().expect("checked above");
        let document =
            match ExecutableDocument::parse_and_validate(schema(), query, "request.graphql") {
                Ok(document) => document,
                Err(with_errors) => {
                    return graphql_error(
                        400,
                        &format!("GraphQL validation failed: {}", with_errors.errors),
                        "graphql error",
                        "GRAPHQL_VALIDATION_FAILED",
                    );
                }
            };
        let variables = match &body["variables"] {
            Value::Object(map) => Value::Object(map.clone()),
            Value::Null => json!({}),
            _ => {
                return graphql_error(
                    400,
                    "Variables must be an object.",
                    "graphql error",
                    "BAD_REQUEST",
                );
            }
        };
        let base = lock(&self.base).clone();
        let mut data = lock(&self.data);
        resolve::execute(
            schema(),
            &document,
            body["operationName"].as_str(),
            variables,
            &mut data,
            &base,
        )
    }

    fn server_error(&self, status: u16) -> Reply {
        graphql_error(
            status,
            "Internal server error",
            "internal error",
            "INTERNAL_SERVER_ERROR",
        )
    }

    fn rate_limit_reset(&self, reset_after_secs: u64) -> Reply {
        let reset_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
            + reset_after_secs * 1000;
        graphql_error(400, "Rate limit exceeded", "ratelimited", "RATELIMITED")
            .with_header("x-ratelimit-requests-remaining", "0")
            .with_header("x-ratelimit-requests-reset", reset_ms.to_string())
    }

    fn rate_limited(&self, retry_after_secs: u64) -> Reply {
        let reset_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
            + retry_after_secs * 1000;
        // Linear reports rate limiting as a RATELIMITED GraphQL error in a 400; its SDK reads
        // `retry-after` first.
        graphql_error(400, "Rate limit exceeded", "ratelimited", "RATELIMITED")
            .with_header("retry-after", retry_after_secs.to_string())
            .with_header("x-ratelimit-requests-remaining", "0")
            .with_header("x-ratelimit-requests-reset", reset_ms.to_string())
    }
}

impl LinearService {
    /// The `PUT` to a signed upload URL: the declared content type, size and headers.
    fn upload(&self, request: &Recorded, token: &str) -> Reply {
        if request.method != "PUT" {
            return Reply::text(405, "Method Not Allowed");
        }
        let mut data = lock(&self.data);
        let Some(upload) = data.uploads.iter_mut().find(|u| u.token == token) else {
            return Reply::text(404, "NoSuchUpload");
        };
        let headers_ok = upload
            .required_headers
            .iter()
            .all(|(k, v)| request.header(k) == Some(v.as_str()));
        let type_ok = request.header("content-type") == Some(upload.content_type.as_str());
        if !headers_ok || !type_ok || request.body.len() != upload.size {
            return Reply::text(403, "SignatureDoesNotMatch");
        }
        upload.bytes = Some(request.body.to_vec());
        Reply::empty(200)
    }
}
