//! Linear's errors: GraphQL errors whose `extensions.type` says what went wrong (the SDK's
//! `parseLinearError` reads the same field), rate limiting as `RATELIMITED`, in answers
//! that may be `200`, `400` or `429`.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::error::ConnectorError;
use crate::http::{self, parse_epoch_reset};

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct GraphqlError {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub extensions: Extensions,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Extensions {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub user_error: Option<bool>,
    #[serde(default)]
    pub user_presentable_message: Option<String>,
}

impl GraphqlError {
    fn kind(&self) -> &str {
        self.extensions.kind.as_deref().unwrap_or("")
    }

    pub(crate) fn is_rate_limited(&self) -> bool {
        self.kind() == "ratelimited" || self.extensions.code.as_deref() == Some("RATELIMITED")
    }

    /// The request itself was refused (bad input, a taken id): sending it again cannot help.
    pub(crate) fn is_user_error(&self) -> bool {
        !self.is_rate_limited()
            && (self.extensions.user_error == Some(true)
                || matches!(
                    self.kind(),
                    "invalid input" | "user error" | "graphql error"
                ))
    }

    /// A create refused because the id exists.
    pub(crate) fn is_duplicate(&self) -> bool {
        self.is_user_error() && {
            let text = format!(
                "{} {}",
                self.message,
                self.extensions
                    .user_presentable_message
                    .as_deref()
                    .unwrap_or("")
            )
            .to_lowercase();
            text.contains("already exists") || text.contains("duplicate")
        }
    }

    fn is_permanent(&self) -> bool {
        self.is_user_error()
            || matches!(
                self.kind(),
                "authentication error"
                    | "forbidden"
                    | "feature not accessible"
                    | "usage limit exceeded"
                    | "bootstrap error"
            )
    }
}

pub(crate) fn classify(
    status: StatusCode,
    headers: &HeaderMap,
    errors: &[GraphqlError],
) -> ConnectorError {
    let first = &errors[0];
    let text = first
        .extensions
        .user_presentable_message
        .as_deref()
        .unwrap_or(&first.message);
    let message = format!(
        "linear: {}{}",
        first.extensions.kind.as_deref().unwrap_or("error"),
        http::detail_suffix(text)
    );
    if errors.iter().any(GraphqlError::is_rate_limited) || status == StatusCode::TOO_MANY_REQUESTS {
        return ConnectorError::retryable(message, rate_limit_wait(headers));
    }
    if status.is_server_error() || !errors.iter().all(GraphqlError::is_permanent) {
        return ConnectorError::retryable(message, http::retry_after(headers));
    }
    ConnectorError::permanent(message)
}

/// `Retry-After` when sent, else the later of the request and complexity budgets' resets.
fn rate_limit_wait(headers: &HeaderMap) -> Option<Duration> {
    if let Some(wait) = http::retry_after(headers) {
        return Some(wait);
    }
    let now = SystemTime::now();
    ["x-ratelimit-requests-reset", "x-ratelimit-complexity-reset"]
        .iter()
        .filter_map(|name| http::header(headers, name))
        .filter_map(|value| parse_epoch_reset(value, now))
        .max()
}
