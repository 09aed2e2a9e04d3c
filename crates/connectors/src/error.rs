//! The one error of this crate's boundary: a delivery either may succeed later or will not.

use std::time::Duration;

/// Why a delivery failed. Messages never contain a secret or report content: they name the
/// service, the HTTP status and the service's own short error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectorError {
    /// 5xx, 429, rate limits, timeouts, connection errors: try again, not before
    /// `retry_after` when the service said when.
    #[error("{message}")]
    Retryable {
        message: String,
        retry_after: Option<Duration>,
    },
    /// 4xx other than 429 and rate limits: bad configuration, bad credentials, a refused
    /// payload. Retrying the same request cannot help.
    #[error("{message}")]
    Permanent { message: String },
}

impl ConnectorError {
    pub fn retryable(message: impl Into<String>, retry_after: Option<Duration>) -> Self {
        ConnectorError::Retryable {
            message: message.into(),
            retry_after,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        ConnectorError::Permanent {
            message: message.into(),
        }
    }

    pub fn is_retryable(&self) -> bool {
        matches!(self, ConnectorError::Retryable { .. })
    }

    /// The wait the service asked for, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ConnectorError::Retryable { retry_after, .. } => *retry_after,
            ConnectorError::Permanent { .. } => None,
        }
    }
}

/// A connector's configuration cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{field}: environment variable {var} is not set")]
    MissingEnv { field: String, var: String },
    #[error("{field}: give either the value or `{field}_env`, not both")]
    BothGiven { field: String },
    #[error("{field} is required (or `{field}_env` naming an environment variable)")]
    Missing { field: String },
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },
}
