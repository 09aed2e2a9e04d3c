//! `kind = "jira"` in a project's connectors.

use std::collections::BTreeMap;

use serde::Deserialize;
use snag_core::{Priority, Severity};

use crate::error::ConfigError;
use crate::http::Timeouts;
use crate::secret::{Env, Secret, resolve};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JiraConfig {
    /// The site, e.g. `https://acme.atlassian.net`.
    pub base_url: String,
    /// The account the API token belongs to (Basic auth is `email:api_token`).
    pub email: String,
    #[serde(default)]
    pub api_token: Option<Secret>,
    #[serde(default)]
    pub api_token_env: Option<String>,
    pub project_key: String,
    #[serde(default = "default_issue_type")]
    pub issue_type: String,
    /// Added to every ticket, besides Snag's own `snag` and `snag-<defect id>`.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Jira priority names by Snag severity, used when staff set no priority. An empty table
    /// sends no priority (for projects whose create screen lacks the field).
    #[serde(default = "default_severity_priorities")]
    pub severity_priorities: BTreeMap<Severity, String>,
    /// Jira priority names by Snag priority; wins over the severity's.
    #[serde(default = "default_priority_names")]
    pub priority_names: BTreeMap<Priority, String>,
    /// Send the defect's component as a Jira component. Off by default: Jira refuses names
    /// that are not components of the project.
    #[serde(default)]
    pub use_component: bool,
    #[serde(default)]
    pub timeouts: Timeouts,
}

fn default_issue_type() -> String {
    "Bug".into()
}

/// Jira's default priority scheme: Highest, High, Medium, Low, Lowest.
fn default_severity_priorities() -> BTreeMap<Severity, String> {
    BTreeMap::from([
        (Severity::Blocker, "Highest".into()),
        (Severity::Critical, "High".into()),
        (Severity::Major, "Medium".into()),
        (Severity::Minor, "Low".into()),
    ])
}

fn default_priority_names() -> BTreeMap<Priority, String> {
    BTreeMap::from([
        (Priority::P0, "Highest".into()),
        (Priority::P1, "High".into()),
        (Priority::P2, "Medium".into()),
        (Priority::P3, "Low".into()),
    ])
}

/// The checked configuration a connector runs with.
#[derive(Debug, Clone)]
pub(crate) struct JiraSettings {
    pub base_url: url::Url,
    pub email: String,
    pub api_token: Secret,
    pub project_key: String,
    pub issue_type: String,
    pub labels: Vec<String>,
    pub severity_priorities: BTreeMap<Severity, String>,
    pub priority_names: BTreeMap<Priority, String>,
    pub use_component: bool,
}

impl JiraConfig {
    pub(crate) fn check(&self, env: &dyn Env) -> Result<JiraSettings, ConfigError> {
        let api_token = resolve(
            "api_token",
            self.api_token.as_ref(),
            self.api_token_env.as_deref(),
            env,
        )?;
        let base_url = crate::config::base_url("base_url", &self.base_url)?;
        // The key goes into JQL; Jira keys are a letter then letters, digits, underscores.
        let key_ok = self
            .project_key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && self.project_key.len() <= 255
            && self
                .project_key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !key_ok {
            return Err(ConfigError::Invalid {
                field: "project_key".into(),
                problem: "must be a Jira project key such as SHOP".into(),
            });
        }
        for label in &self.labels {
            if label.is_empty() || label.chars().any(char::is_whitespace) || label.len() > 255 {
                return Err(ConfigError::Invalid {
                    field: "labels".into(),
                    problem: format!(
                        "Jira labels have no spaces and at most 255 characters: {label:?}"
                    ),
                });
            }
        }
        if self.email.trim().is_empty() || self.issue_type.trim().is_empty() {
            return Err(ConfigError::Invalid {
                field: "email".into(),
                problem: "email and issue_type must not be empty".into(),
            });
        }
        Ok(JiraSettings {
            base_url,
            email: self.email.trim().to_owned(),
            api_token,
            project_key: self.project_key.clone(),
            issue_type: self.issue_type.trim().to_owned(),
            labels: self.labels.clone(),
            severity_priorities: self.severity_priorities.clone(),
            priority_names: self.priority_names.clone(),
            use_component: self.use_component,
        })
    }
}
