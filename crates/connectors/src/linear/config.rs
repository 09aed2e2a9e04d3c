//! `kind = "linear"` in a project's connectors.

use std::collections::BTreeMap;

use serde::Deserialize;
use snag_core::{Priority, Severity};

use crate::error::ConfigError;
use crate::http::Timeouts;
use crate::secret::{Env, Secret, resolve};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinearConfig {
    #[serde(default = "default_api_url")]
    pub api_url: String,
    /// A personal API key (`lin_api_...`), sent bare in `Authorization` as Linear requires.
    #[serde(default)]
    pub api_key: Option<Secret>,
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// The team's UUID.
    pub team_id: String,
    #[serde(default)]
    pub label_ids: Vec<String>,
    /// Linear priorities (1 urgent, 2 high, 3 medium, 4 low, 0 none) by Snag severity, used
    /// when staff set no priority.
    #[serde(default = "default_severity_priorities")]
    pub severity_priorities: BTreeMap<Severity, u8>,
    /// Linear priorities by Snag priority; wins over the severity's.
    #[serde(default = "default_priority_values")]
    pub priority_values: BTreeMap<Priority, u8>,
    #[serde(default)]
    pub timeouts: Timeouts,
}

fn default_api_url() -> String {
    "https://api.linear.app/graphql".into()
}

fn default_severity_priorities() -> BTreeMap<Severity, u8> {
    BTreeMap::from([
        (Severity::Blocker, 1),
        (Severity::Critical, 2),
        (Severity::Major, 3),
        (Severity::Minor, 4),
    ])
}

fn default_priority_values() -> BTreeMap<Priority, u8> {
    BTreeMap::from([
        (Priority::P0, 1),
        (Priority::P1, 2),
        (Priority::P2, 3),
        (Priority::P3, 4),
    ])
}

#[derive(Debug, Clone)]
pub(crate) struct LinearSettings {
    pub api_url: url::Url,
    pub api_key: Secret,
    pub team_id: String,
    pub label_ids: Vec<String>,
    pub severity_priorities: BTreeMap<Severity, u8>,
    pub priority_values: BTreeMap<Priority, u8>,
}

impl LinearConfig {
    pub(crate) fn check(&self, env: &dyn Env) -> Result<LinearSettings, ConfigError> {
        let api_key = resolve(
            "api_key",
            self.api_key.as_ref(),
            self.api_key_env.as_deref(),
            env,
        )?;
        if api_key.expose().starts_with("Bearer ") {
            return Err(ConfigError::Invalid {
                field: "api_key".into(),
                problem: "give the bare API key; Linear refuses `Bearer` with API keys".into(),
            });
        }
        if self.team_id.trim().is_empty() {
            return Err(ConfigError::Invalid {
                field: "team_id".into(),
                problem: "must not be empty".into(),
            });
        }
        let priorities = self
            .severity_priorities
            .values()
            .chain(self.priority_values.values());
        if let Some(bad) = priorities.into_iter().find(|p| **p > 4) {
            return Err(ConfigError::Invalid {
                field: "severity_priorities".into(),
                problem: format!("Linear priorities are 0 to 4, not {bad}"),
            });
        }
        Ok(LinearSettings {
            api_url: crate::config::base_url("api_url", &self.api_url)?,
            api_key,
            team_id: self.team_id.trim().to_owned(),
            label_ids: self.label_ids.clone(),
            severity_priorities: self.severity_priorities.clone(),
            priority_values: self.priority_values.clone(),
        })
    }
}
