//! Linear GraphQL: `issueCreate` with a client-chosen id (Linear's own idempotency),
//! `commentCreate`, and the screenshot through `fileUpload` and a `PUT` to the signed URL,
//! embedded in the description.

mod config;
mod documents;
mod errors;
mod render;

pub use config::LinearConfig;

use serde::Deserialize;
use serde_json::{Value, json};
use snag_core::DefectId;

use crate::error::{ConfigError, ConnectorError};
use crate::http;
use crate::input::{Opened, TicketInput, TicketRef};
use crate::secret::Env;
use crate::tracker::Tracker;
use config::LinearSettings;
use errors::{GraphqlError, classify};

const SERVICE: &str = "linear";

pub struct LinearConnector {
    client: reqwest::Client,
    settings: LinearSettings,
}

impl std::fmt::Debug for LinearConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinearConnector")
            .field("api_url", &self.settings.api_url.as_str())
            .field("team_id", &self.settings.team_id)
            .finish_non_exhaustive()
    }
}

/// A GraphQL answer that carried errors.
enum Failure {
    Graphql(Vec<GraphqlError>, ConnectorError),
    Other(ConnectorError),
}

impl From<ConnectorError> for Failure {
    fn from(e: ConnectorError) -> Self {
        Failure::Other(e)
    }
}

impl Failure {
    fn into_error(self) -> ConnectorError {
        match self {
            Failure::Graphql(_, e) | Failure::Other(e) => e,
        }
    }
}

impl LinearConnector {
    pub fn new(config: &LinearConfig, env: &dyn Env) -> Result<Self, ConfigError> {
        Ok(LinearConnector {
            client: http::client(config.timeouts)?,
            settings: config.check(env)?,
        })
    }

    async fn graphql(&self, query: &str, variables: Value) -> Result<Value, Failure> {
        let request = self
            .client
            .post(self.settings.api_url.clone())
            // A personal API key goes bare; only OAuth tokens take `Bearer`.
            .header("Authorization", self.settings.api_key.expose())
            .json(&json!({"query": query, "variables": variables}));
        let http::Answer {
            status,
            headers,
            text,
        } = http::exchange(SERVICE, request).await?;
        let body: Option<GraphqlResponse> = serde_json::from_str(&text).ok();
        match body {
            Some(body) if !body.errors.is_empty() => {
                let error = classify(status, &headers, &body.errors);
                Err(Failure::Graphql(body.errors, error))
            }
            Some(GraphqlResponse {
                data: Some(data), ..
            }) if status.is_success() => Ok(data),
            _ if !status.is_success() => Err(Failure::Other(http::status_error(
                SERVICE, status, &headers, "",
            ))),
            _ => Err(Failure::Other(ConnectorError::permanent(format!(
                "{SERVICE}: an answer without data"
            )))),
        }
    }

    /// `fileUpload`, then the bytes `PUT` to the signed URL with the headers Linear listed.
    /// Returns the asset URL to embed.
    async fn upload(&self, input: &TicketInput) -> Result<Option<String>, ConnectorError> {
        let Some(shot) = &input.report.screenshot else {
            return Ok(None);
        };
        let data = self
            .graphql(
                documents::FILE_UPLOAD,
                json!({
                    "contentType": shot.media_type,
                    "filename": shot.filename,
                    "size": shot.bytes.len(),
                }),
            )
            .await
            .map_err(Failure::into_error)?;
        let upload: UploadPayload = field(&data, "fileUpload")?;
        let Some(file) = upload.upload_file.filter(|_| upload.success) else {
            return Err(ConnectorError::retryable(
                format!("{SERVICE}: the upload could not be prepared"),
                None,
            ));
        };
        let mut request = self
            .client
            .put(&file.upload_url)
            .header("Content-Type", &shot.media_type)
            .body(shot.bytes.clone());
        for header in &file.headers {
            request = request.header(header.key.as_str(), header.value.as_str());
        }
        let response = http::send(SERVICE, request).await?;
        if !response.status().is_success() {
            let status = response.status();
            return Err(http::status_error(
                "linear upload",
                status,
                response.headers(),
                "",
            ));
        }
        Ok(Some(file.asset_url))
    }

    fn ticket(issue: FoundIssue) -> TicketRef {
        TicketRef {
            external_id: issue.id,
            key: issue.identifier,
            url: issue.url,
        }
    }
}

impl Tracker for LinearConnector {
    async fn find(&self, defect: &DefectId) -> Result<Option<TicketRef>, ConnectorError> {
        let id = render::issue_id(&self.settings.team_id, defect);
        let data = self
            .graphql(documents::ISSUE_FIND, json!({"id": id}))
            .await
            .map_err(Failure::into_error)?;
        let found: IssueConnection = field(&data, "issues")?;
        Ok(found.nodes.into_iter().next().map(Self::ticket))
    }

    async fn create(&self, input: &TicketInput) -> Result<Opened, ConnectorError> {
        let image_url = self.upload(input).await?;
        let variables =
            json!({"input": render::issue_input(&self.settings, input, image_url.as_deref())});
        match self.graphql(documents::ISSUE_CREATE, variables).await {
            Ok(data) => {
                let payload: IssuePayload = field(&data, "issueCreate")?;
                match payload.issue.filter(|_| payload.success) {
                    Some(issue) => Ok(Opened {
                        ticket: Self::ticket(issue),
                        created: true,
                        attachment_error: None,
                    }),
                    None => Err(ConnectorError::retryable(
                        format!("{SERVICE}: issueCreate did not succeed"),
                        None,
                    )),
                }
            }
            // Our id is already taken: an earlier attempt created the issue and its answer
            // was lost. That issue is the defect's ticket.
            Err(Failure::Graphql(errors, error))
                if errors.iter().any(GraphqlError::is_user_error) =>
            {
                match self.find(&input.defect.id).await? {
                    Some(ticket) => Ok(Opened {
                        ticket,
                        created: false,
                        attachment_error: None,
                    }),
                    None => Err(error),
                }
            }
            Err(failure) => Err(failure.into_error()),
        }
    }

    async fn comment(&self, ticket: &TicketRef, input: &TicketInput) -> Result<(), ConnectorError> {
        let variables = json!({"input": render::comment_input(&ticket.external_id, input)});
        match self.graphql(documents::COMMENT_CREATE, variables).await {
            Ok(_) => Ok(()),
            // The comment's derived id exists: an earlier attempt made it.
            Err(Failure::Graphql(errors, _)) if errors.iter().any(GraphqlError::is_duplicate) => {
                Ok(())
            }
            Err(failure) => Err(failure.into_error()),
        }
    }

    async fn attach(
        &self,
        _ticket: &TicketRef,
        _input: &TicketInput,
    ) -> Result<(), ConnectorError> {
        // The screenshot is uploaded before the issue exists and embedded in its description.
        Ok(())
    }
}

fn field<T: for<'de> Deserialize<'de>>(data: &Value, name: &str) -> Result<T, ConnectorError> {
    serde_json::from_value(data.get(name).cloned().unwrap_or(Value::Null)).map_err(|e| {
        ConnectorError::permanent(format!("{SERVICE}: unexpected answer to {name}: {e}"))
    })
}

#[derive(Deserialize)]
struct GraphqlResponse {
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    errors: Vec<GraphqlError>,
}

#[derive(Deserialize)]
struct FoundIssue {
    id: String,
    identifier: String,
    url: String,
}

#[derive(Deserialize)]
struct IssueConnection {
    nodes: Vec<FoundIssue>,
}

#[derive(Deserialize)]
struct IssuePayload {
    success: bool,
    issue: Option<FoundIssue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UploadPayload {
    success: bool,
    upload_file: Option<UploadFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UploadFile {
    upload_url: String,
    asset_url: String,
    #[serde(default)]
    headers: Vec<UploadHeader>,
}

#[derive(Deserialize)]
struct UploadHeader {
    key: String,
    value: String,
}
