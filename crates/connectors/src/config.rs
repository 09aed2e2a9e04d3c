//! A project's connector, as configured: `{ kind = "jira", ... }`.

use serde::Deserialize;

use crate::connector::{Connector, TrackerConnector};
use crate::error::ConfigError;
use crate::github::{GitHubConfig, GitHubConnector};
use crate::jira::{JiraConfig, JiraConnector};
use crate::linear::{LinearConfig, LinearConnector};
use crate::secret::Env;
use crate::slack::{SlackConfig, SlackConnector};
use crate::webhook::{WebhookConfig, WebhookConnector};

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind")]
pub enum ConnectorConfig {
    #[serde(rename = "jira")]
    Jira(JiraConfig),
    #[serde(rename = "linear")]
    Linear(LinearConfig),
    #[serde(rename = "github")]
    GitHub(GitHubConfig),
    #[serde(rename = "slack")]
    Slack(SlackConfig),
    #[serde(rename = "webhook")]
    Webhook(WebhookConfig),
}

impl ConnectorConfig {
    pub fn kind(&self) -> &'static str {
        match self {
            ConnectorConfig::Jira(_) => "jira",
            ConnectorConfig::Linear(_) => "linear",
            ConnectorConfig::GitHub(_) => "github",
            ConnectorConfig::Slack(_) => "slack",
            ConnectorConfig::Webhook(_) => "webhook",
        }
    }

    /// Checks the configuration, reads `*_env` secrets from `env`, builds the HTTP client.
    pub fn build(&self, env: &dyn Env) -> Result<Connector, ConfigError> {
        Ok(match self {
            ConnectorConfig::Jira(c) => {
                Connector::Tracker(TrackerConnector::Jira(JiraConnector::new(c, env)?))
            }
            ConnectorConfig::Linear(c) => {
                Connector::Tracker(TrackerConnector::Linear(LinearConnector::new(c, env)?))
            }
            ConnectorConfig::GitHub(c) => {
                Connector::Tracker(TrackerConnector::GitHub(GitHubConnector::new(c, env)?))
            }
            ConnectorConfig::Slack(c) => Connector::Slack(SlackConnector::new(c, env)?),
            ConnectorConfig::Webhook(c) => Connector::Webhook(WebhookConnector::new(c, env)?),
        })
    }
}

/// An absolute http(s) URL; tests use `http://127.0.0.1`, deployments https.
pub(crate) fn base_url(field: &str, text: &str) -> Result<url::Url, ConfigError> {
    let url = url::Url::parse(text.trim()).map_err(|e| ConfigError::Invalid {
        field: field.into(),
        problem: format!("not a URL: {e}"),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ConfigError::Invalid {
            field: field.into(),
            problem: "must be an http or https URL".into(),
        });
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connectors_read_from_tagged_tables() {
        let config: Vec<ConnectorConfig> = serde_json::from_str(
            r#"[
                {"kind": "jira", "base_url": "https://acme.atlassian.net", "email": "bot@acme.io",
                 "api_token_env": "JIRA_TOKEN", "project_key": "SHOP", "labels": ["web"]},
                {"kind": "linear", "api_key": "lin_api_x", "team_id": "team-1"},
                {"kind": "github", "token": "ghp_x", "owner": "acme", "repo": "shop"},
                {"kind": "slack", "webhook_url": "https://hooks.slack.com/services/T/B/x"},
                {"kind": "webhook", "url": "https://hooks.acme.io/snag", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
            ]"#,
        )
        .unwrap();
        let env = |name: &str| (name == "JIRA_TOKEN").then(|| "t".to_owned());
        let kinds: Vec<&str> = config.iter().map(ConnectorConfig::kind).collect();
        assert_eq!(kinds, ["jira", "linear", "github", "slack", "webhook"]);
        for c in &config {
            c.build(&env)
                .unwrap_or_else(|e| panic!("{}: {e}", c.kind()));
        }
    }

    #[test]
    fn unknown_fields_and_bad_values_are_refused() {
        let typo = serde_json::from_str::<ConnectorConfig>(
            r#"{"kind": "github", "token": "x", "owner": "a", "repo": "b", "lables": []}"#,
        );
        assert!(typo.is_err());
        let no_env = |_: &str| None;
        let bad_key: ConnectorConfig = serde_json::from_str(
            r#"{"kind": "jira", "base_url": "https://a.atlassian.net", "email": "e", "api_token": "t", "project_key": "SH\" OR 1=1"}"#,
        )
        .unwrap();
        assert!(bad_key.build(&no_env).is_err());
        let ftp: ConnectorConfig =
            serde_json::from_str(r#"{"kind": "slack", "webhook_url": "ftp://x/y"}"#).unwrap();
        assert!(ftp.build(&no_env).is_err());
    }

    #[test]
    fn debug_output_shows_no_secret() {
        let config: ConnectorConfig = serde_json::from_str(
            r#"{"kind": "linear", "api_key": "lin_api_topsecret", "team_id": "t"}"#,
        )
        .unwrap();
        assert!(!format!("{config:?}").contains("topsecret"));
        let no_env = |_: &str| None;
        let built = config.build(&no_env).unwrap();
        assert!(!format!("{built:?}").contains("topsecret"));
    }
}
