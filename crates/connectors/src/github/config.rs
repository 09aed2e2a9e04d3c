//! `kind = "github"` in a project's connectors.

use serde::Deserialize;

use crate::error::ConfigError;
use crate::http::Timeouts;
use crate::secret::{Env, Secret, resolve};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitHubConfig {
    #[serde(default = "default_api_url")]
    pub api_url: String,
    /// A fine-grained or classic token, or an installation token, with issues write access.
    /// Setting labels needs push access; without it GitHub silently drops them, and with them
    /// the marker label that finds the ticket again.
    #[serde(default)]
    pub token: Option<Secret>,
    #[serde(default)]
    pub token_env: Option<String>,
    pub owner: String,
    pub repo: String,
    /// Added to every issue, besides Snag's `snag` and `snag-<defect id>`.
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub timeouts: Timeouts,
}

fn default_api_url() -> String {
    "https://api.github.com".into()
}

#[derive(Debug, Clone)]
pub(crate) struct GitHubSettings {
    pub api_url: url::Url,
    pub token: Secret,
    pub owner: String,
    pub repo: String,
    pub labels: Vec<String>,
}

impl GitHubConfig {
    pub(crate) fn check(&self, env: &dyn Env) -> Result<GitHubSettings, ConfigError> {
        let token = resolve("token", self.token.as_ref(), self.token_env.as_deref(), env)?;
        // Owner and repo go into URL paths.
        let name_ok = |s: &str| {
            !s.is_empty()
                && s.len() <= 100
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && s != "."
                && s != ".."
        };
        if !name_ok(&self.owner) || !name_ok(&self.repo) {
            return Err(ConfigError::Invalid {
                field: "owner".into(),
                problem: "owner and repo must be GitHub names (letters, digits, - _ .)".into(),
            });
        }
        // GitHub label names are at most 50 characters.
        if let Some(bad) = self
            .labels
            .iter()
            .find(|l| l.trim().is_empty() || l.chars().count() > 50)
        {
            return Err(ConfigError::Invalid {
                field: "labels".into(),
                problem: format!("GitHub labels have 1 to 50 characters: {bad:?}"),
            });
        }
        Ok(GitHubSettings {
            api_url: crate::config::base_url("api_url", &self.api_url)?,
            token,
            owner: self.owner.clone(),
            repo: self.repo.clone(),
            labels: self.labels.clone(),
        })
    }
}
