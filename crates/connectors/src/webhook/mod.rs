//! A generic outgoing webhook: a JSON event per defect change, signed per Standard Webhooks.

mod event;
mod sign;

pub use event::{DefectEvent, EventKind};
pub use sign::WebhookSecret;

use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use serde::Deserialize;

use crate::error::{ConfigError, ConnectorError};
use crate::http::{self, Timeouts};
use crate::secret::{Env, Secret, resolve};

const SERVICE: &str = "webhook";

/// `kind = "webhook"` in a project's connectors.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    pub url: String,
    /// `whsec_` + base64, shared with the receiver.
    #[serde(default)]
    pub secret: Option<Secret>,
    #[serde(default)]
    pub secret_env: Option<String>,
    #[serde(default)]
    pub timeouts: Timeouts,
}

pub struct WebhookConnector {
    client: reqwest::Client,
    url: url::Url,
    secret: WebhookSecret,
}

impl std::fmt::Debug for WebhookConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookConnector")
            .field("url", &self.url.as_str())
            .finish_non_exhaustive()
    }
}

impl WebhookConnector {
    pub fn new(config: &WebhookConfig, env: &dyn Env) -> Result<Self, ConfigError> {
        let secret = resolve(
            "secret",
            config.secret.as_ref(),
            config.secret_env.as_deref(),
            env,
        )?;
        Ok(WebhookConnector {
            client: http::client(config.timeouts)?,
            url: crate::config::base_url("url", &config.url)?,
            secret: WebhookSecret::parse(secret.expose())?,
        })
    }

    /// Sends one event. Every attempt is signed afresh with the current time (receivers
    /// refuse stale timestamps) under the event's stable id.
    pub async fn send(&self, event: &DefectEvent) -> Result<(), ConnectorError> {
        let valid_id = !event.id.is_empty()
            && event.id.len() <= 256
            && event.id.bytes().all(|b| b.is_ascii_graphic());
        if !valid_id {
            return Err(ConnectorError::permanent(format!(
                "{SERVICE}: an event id must be 1 to 256 printable ASCII characters"
            )));
        }
        let body = serde_json::to_vec(&event::Payload::of(event)).map_err(|e| {
            ConnectorError::permanent(format!("{SERVICE}: cannot encode the event: {e}"))
        })?;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let signature = self.secret.sign(&event.id, timestamp, &body);
        let request = self
            .client
            .post(self.url.clone())
            .header("content-type", "application/json")
            .header("webhook-id", &event.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body);
        let response = http::send(SERVICE, request).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        // Standard Webhooks: 410 means the receiver wants no more; any other failure is
        // retried, honouring `retry-after`.
        let message = format!("{SERVICE}: HTTP {}", status.as_u16());
        if status == StatusCode::GONE {
            Err(ConnectorError::permanent(format!(
                "{message} (the receiver is gone)"
            )))
        } else {
            Err(ConnectorError::retryable(
                message,
                http::retry_after(response.headers()),
            ))
        }
    }
}
