//! Jira Cloud REST v3: issues with ADF descriptions, comments, screenshot attachments, and a
//! search by the defect's marker label before creating.

mod adf;
mod config;
mod render;

pub use config::JiraConfig;

use base64::Engine as _;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use snag_core::DefectId;

use crate::error::{ConfigError, ConnectorError};
use crate::http::{self, parse_iso8601_reset};
use crate::input::{Opened, TicketInput, TicketRef};
use crate::secret::{Env, Secret};
use crate::tracker::Tracker;
use config::JiraSettings;

const SERVICE: &str = "jira";

pub struct JiraConnector {
    client: reqwest::Client,
    settings: JiraSettings,
    /// `Basic base64(email:token)`, built once.
    authorization: Secret,
}

impl std::fmt::Debug for JiraConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JiraConnector")
            .field("base_url", &self.settings.base_url.as_str())
            .field("project_key", &self.settings.project_key)
            .finish_non_exhaustive()
    }
}

impl JiraConnector {
    pub fn new(config: &JiraConfig, env: &dyn Env) -> Result<Self, ConfigError> {
        let settings = config.check(env)?;
        let credentials = format!("{}:{}", settings.email, settings.api_token.expose());
        let authorization = Secret::new(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials)
        ));
        Ok(JiraConnector {
            client: http::client(config.timeouts)?,
            settings,
            authorization,
        })
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}{path}",
            self.settings.base_url.as_str().trim_end_matches('/')
        )
    }

    fn ticket(&self, id: String, key: String) -> TicketRef {
        TicketRef {
            url: self.url(&format!("/browse/{key}")),
            external_id: id,
            key,
        }
    }

    async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<String, ConnectorError> {
        let request = self
            .client
            .post(self.url(path))
            .header("Authorization", self.authorization.expose())
            .header("Accept", "application/json")
            .json(body);
        http::call(SERVICE, request, error).await
    }

    /// The ticket and the names of the files attached to it.
    async fn search(
        &self,
        defect: &DefectId,
    ) -> Result<Option<(TicketRef, Vec<String>)>, ConnectorError> {
        let text = self
            .post_json(
                "/rest/api/3/search/jql",
                &render::search(&self.settings, defect),
            )
            .await?;
        let found: SearchResults = parse(&text)?;
        Ok(found.issues.into_iter().next().map(|issue| {
            let files = issue
                .fields
                .map(|f| f.attachment.into_iter().map(|a| a.filename).collect())
                .unwrap_or_default();
            (self.ticket(issue.id, issue.key), files)
        }))
    }

    async fn upload(&self, ticket: &TicketRef, input: &TicketInput) -> Result<(), ConnectorError> {
        let Some(shot) = &input.report.screenshot else {
            return Ok(());
        };
        let part = reqwest::multipart::Part::bytes(shot.bytes.clone())
            .file_name(shot.filename.clone())
            .mime_str(&shot.media_type)
            .map_err(|_| {
                ConnectorError::permanent(format!("{SERVICE}: bad screenshot media type"))
            })?;
        let form = reqwest::multipart::Form::new().part("file", part);
        let request = self
            .client
            .post(self.url(&format!("/rest/api/3/issue/{}/attachments", ticket.key)))
            .header("Authorization", self.authorization.expose())
            .header("Accept", "application/json")
            // Jira blocks multipart posts without it (its XSRF protection).
            .header("X-Atlassian-Token", "no-check")
            .multipart(form);
        http::call(SERVICE, request, error).await?;
        Ok(())
    }
}

impl Tracker for JiraConnector {
    async fn find(&self, defect: &DefectId) -> Result<Option<TicketRef>, ConnectorError> {
        Ok(self.search(defect).await?.map(|(ticket, _)| ticket))
    }

    async fn create(&self, input: &TicketInput) -> Result<Opened, ConnectorError> {
        let text = self
            .post_json(
                "/rest/api/3/issue",
                &render::create_issue(&self.settings, input),
            )
            .await?;
        let created: CreatedIssue = parse(&text)?;
        let ticket = self.ticket(created.id, created.key);
        // The ticket exists from here on: a failed upload must not hide it from the caller.
        let attachment_error = self.upload(&ticket, input).await.err();
        Ok(Opened {
            ticket,
            created: true,
            attachment_error,
        })
    }

    async fn open(&self, input: &TicketInput) -> Result<Opened, ConnectorError> {
        match self.search(&input.defect.id).await? {
            Some((ticket, files)) => {
                let missing = input
                    .report
                    .screenshot
                    .as_ref()
                    .is_some_and(|s| !files.contains(&s.filename));
                let attachment_error = if missing {
                    self.upload(&ticket, input).await.err()
                } else {
                    None
                };
                Ok(Opened {
                    ticket,
                    created: false,
                    attachment_error,
                })
            }
            None => self.create(input).await,
        }
    }

    async fn comment(&self, ticket: &TicketRef, input: &TicketInput) -> Result<(), ConnectorError> {
        self.post_json(
            &format!("/rest/api/3/issue/{}/comment", ticket.key),
            &render::comment(input),
        )
        .await?;
        Ok(())
    }

    async fn attach(&self, ticket: &TicketRef, input: &TicketInput) -> Result<(), ConnectorError> {
        self.upload(ticket, input).await
    }
}

/// Jira's answers: `ErrorCollection` bodies, `Retry-After` or `X-RateLimit-Reset` on 429
/// and some 503s.
fn error(status: StatusCode, headers: &HeaderMap, body: &str) -> ConnectorError {
    let detail = serde_json::from_str::<ErrorCollection>(body)
        .map(|e| {
            let mut parts = e.error_messages;
            parts.extend(
                e.errors
                    .into_iter()
                    .map(|(field, message)| format!("{field}: {message}")),
            );
            parts.join("; ")
        })
        .unwrap_or_default();
    let mut err = http::status_error(SERVICE, status, headers, &detail);
    if let ConnectorError::Retryable { retry_after, .. } = &mut err
        && retry_after.is_none()
    {
        *retry_after = http::header(headers, "x-ratelimit-reset")
            .and_then(|v| parse_iso8601_reset(v, std::time::SystemTime::now()));
    }
    err
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, ConnectorError> {
    serde_json::from_str(text)
        .map_err(|e| ConnectorError::permanent(format!("{SERVICE}: unexpected answer: {e}")))
}

#[derive(Deserialize)]
struct CreatedIssue {
    id: String,
    key: String,
}

#[derive(Deserialize)]
struct SearchResults {
    #[serde(default)]
    issues: Vec<FoundIssue>,
}

#[derive(Deserialize)]
struct FoundIssue {
    id: String,
    key: String,
    #[serde(default)]
    fields: Option<FoundFields>,
}

#[derive(Deserialize)]
struct FoundFields {
    #[serde(default)]
    attachment: Vec<FoundAttachment>,
}

#[derive(Deserialize)]
struct FoundAttachment {
    filename: String,
}

#[derive(Deserialize)]
struct ErrorCollection {
    #[serde(default, rename = "errorMessages")]
    error_messages: Vec<String>,
    #[serde(default)]
    errors: std::collections::BTreeMap<String, String>,
}
