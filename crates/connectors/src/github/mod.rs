//! GitHub Issues REST: issues with markdown bodies and Snag's screenshot link, comments, and
//! a lookup by the defect's marker label before creating.

mod config;
mod render;

pub use config::GitHubConfig;

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use snag_core::DefectId;

use crate::error::{ConfigError, ConnectorError};
use crate::http::{self, parse_epoch_reset};
use crate::input::{Opened, TicketInput, TicketRef};
use crate::secret::Env;
use crate::tracker::{Tracker, defect_marker};
use config::GitHubSettings;

const SERVICE: &str = "github";
/// The REST API version this connector was written against.
const API_VERSION: &str = "2022-11-28";
/// GitHub's advice for a secondary rate limit without `retry-after`: wait at least a minute.
const SECONDARY_LIMIT_WAIT: Duration = Duration::from_secs(60);

pub struct GitHubConnector {
    client: reqwest::Client,
    settings: GitHubSettings,
}

impl std::fmt::Debug for GitHubConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHubConnector")
            .field("api_url", &self.settings.api_url.as_str())
            .field(
                "repo",
                &format!("{}/{}", self.settings.owner, self.settings.repo),
            )
            .finish_non_exhaustive()
    }
}

impl GitHubConnector {
    pub fn new(config: &GitHubConfig, env: &dyn Env) -> Result<Self, ConfigError> {
        Ok(GitHubConnector {
            client: http::client(config.timeouts)?,
            settings: config.check(env)?,
        })
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let url = format!(
            "{}/repos/{}/{}{path}",
            self.settings.api_url.as_str().trim_end_matches('/'),
            self.settings.owner,
            self.settings.repo
        );
        self.client
            .request(method, url)
            .header(
                "Authorization",
                format!("Bearer {}", self.settings.token.expose()),
            )
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", API_VERSION)
    }

    async fn call(&self, request: reqwest::RequestBuilder) -> Result<String, ConnectorError> {
        http::call(SERVICE, request, error).await
    }
}

impl Tracker for GitHubConnector {
    async fn find(&self, defect: &DefectId) -> Result<Option<TicketRef>, ConnectorError> {
        let marker = defect_marker(defect);
        let request = self.request(reqwest::Method::GET, "/issues").query(&[
            ("labels", marker.as_str()),
            ("state", "all"),
            ("sort", "created"),
            ("direction", "asc"),
            ("per_page", "10"),
        ]);
        let text = self.call(request).await?;
        let issues: Vec<Issue> = parse(&text)?;
        // Pull requests are issues too in this API; only a real issue is a ticket.
        Ok(issues
            .into_iter()
            .find(|i| i.pull_request.is_none())
            .map(Issue::into_ticket))
    }

    async fn create(&self, input: &TicketInput) -> Result<Opened, ConnectorError> {
        let request = self
            .request(reqwest::Method::POST, "/issues")
            .json(&render::create_issue(&self.settings, input));
        let issue: Issue = parse(&self.call(request).await?)?;
        Ok(Opened {
            ticket: issue.into_ticket(),
            created: true,
            attachment_error: None,
        })
    }

    async fn comment(&self, ticket: &TicketRef, input: &TicketInput) -> Result<(), ConnectorError> {
        let number: u64 = ticket.external_id.parse().map_err(|_| {
            ConnectorError::permanent(format!(
                "{SERVICE}: {} is no issue number",
                ticket.external_id
            ))
        })?;
        let request = self
            .request(reqwest::Method::POST, &format!("/issues/{number}/comments"))
            .json(&render::comment(input));
        self.call(request).await?;
        Ok(())
    }

    async fn attach(
        &self,
        _ticket: &TicketRef,
        _input: &TicketInput,
    ) -> Result<(), ConnectorError> {
        // The screenshot is linked through Snag's signed URL in the body.
        Ok(())
    }
}

/// GitHub's rate limits come as `403` or `429`: the primary one with
/// `x-ratelimit-remaining: 0` (wait until `x-ratelimit-reset`), a secondary one with
/// `retry-after` or a message saying so (wait at least a minute).
fn error(status: StatusCode, headers: &HeaderMap, body: &str) -> ConnectorError {
    let detail = serde_json::from_str::<BasicError>(body)
        .map(|e| e.message)
        .unwrap_or_default();
    let limited = status == StatusCode::FORBIDDEN || status == StatusCode::TOO_MANY_REQUESTS;
    if limited {
        let message = format!(
            "{SERVICE}: HTTP {} (rate limited){}",
            status.as_u16(),
            http::detail_suffix(&detail)
        );
        if let Some(wait) = http::retry_after(headers) {
            return ConnectorError::retryable(message, Some(wait));
        }
        if http::header(headers, "x-ratelimit-remaining") == Some("0") {
            let wait = http::header(headers, "x-ratelimit-reset")
                .and_then(|v| parse_epoch_reset(v, SystemTime::now()));
            return ConnectorError::retryable(message, wait);
        }
        if detail.to_lowercase().contains("rate limit") || status == StatusCode::TOO_MANY_REQUESTS {
            return ConnectorError::retryable(message, Some(SECONDARY_LIMIT_WAIT));
        }
    }
    http::status_error(SERVICE, status, headers, &detail)
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, ConnectorError> {
    serde_json::from_str(text)
        .map_err(|e| ConnectorError::permanent(format!("{SERVICE}: unexpected answer: {e}")))
}

#[derive(Deserialize)]
struct Issue {
    number: u64,
    html_url: String,
    #[serde(default)]
    pull_request: Option<serde_json::Value>,
}

impl Issue {
    fn into_ticket(self) -> TicketRef {
        TicketRef {
            external_id: self.number.to_string(),
            key: format!("#{}", self.number),
            url: self.html_url,
        }
    }
}

#[derive(Deserialize)]
struct BasicError {
    #[serde(default)]
    message: String,
}
