//! Slack incoming webhooks: a compact Block Kit notice per new defect.

mod render;

use serde::Deserialize;

use crate::error::{ConfigError, ConnectorError};
use crate::http::{self, Timeouts};
use crate::input::{TicketInput, TicketRef};
use crate::secret::{Env, Secret, resolve};

const SERVICE: &str = "slack";

/// `kind = "slack"` in a project's connectors.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackConfig {
    /// `https://hooks.slack.com/services/T.../B.../...`: the URL is the credential.
    #[serde(default)]
    pub webhook_url: Option<Secret>,
    #[serde(default)]
    pub webhook_url_env: Option<String>,
    #[serde(default)]
    pub timeouts: Timeouts,
}

pub struct SlackConnector {
    client: reqwest::Client,
    webhook_url: Secret,
}

impl std::fmt::Debug for SlackConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackConnector").finish_non_exhaustive()
    }
}

impl SlackConnector {
    pub fn new(config: &SlackConfig, env: &dyn Env) -> Result<Self, ConfigError> {
        let webhook_url = resolve(
            "webhook_url",
            config.webhook_url.as_ref(),
            config.webhook_url_env.as_deref(),
            env,
        )?;
        crate::config::base_url("webhook_url", webhook_url.expose())?;
        Ok(SlackConnector {
            client: http::client(config.timeouts)?,
            webhook_url,
        })
    }

    /// Posts the notice of a new defect, with a link to its ticket when there is one.
    pub async fn notify(
        &self,
        input: &TicketInput,
        ticket: Option<&TicketRef>,
    ) -> Result<(), ConnectorError> {
        let request = self
            .client
            .post(self.webhook_url.expose())
            .json(&render::message(input, ticket));
        // Slack's errors are short plain-text codes such as `invalid_blocks`.
        http::call(SERVICE, request, |status, headers, text| {
            http::status_error(SERVICE, status, headers, text)
        })
        .await?;
        Ok(())
    }
}
