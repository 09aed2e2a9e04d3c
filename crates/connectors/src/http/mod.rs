//! The HTTP client every connector shares: timeouts, no redirects, and the mapping of
//! transport failures and status codes to [`ConnectorError`].

mod retry_after;

pub use retry_after::{parse_epoch_reset, parse_iso8601_reset, parse_retry_after};

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{Response, StatusCode};
use serde::Deserialize;

use crate::error::ConnectorError;

/// Request timeouts. Every request has both: a tracker that accepts the connection and then
/// never answers must not hold a worker forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Timeouts {
    pub connect_ms: u64,
    /// The whole request, from connecting to the last byte of the answer.
    pub total_ms: u64,
}

impl Default for Timeouts {
    fn default() -> Self {
        // 30 s is the upper end of what Standard Webhooks recommends receivers be given, and
        // well above the trackers' usual answer times.
        Timeouts {
            connect_ms: 5_000,
            total_ms: 30_000,
        }
    }
}

/// Builds the client. Redirects are not followed: a tracker API answers directly, and a
/// redirect would at best hide a wrong base URL and at worst carry a request elsewhere.
pub(crate) fn client(timeouts: Timeouts) -> Result<reqwest::Client, crate::ConfigError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_millis(timeouts.connect_ms))
        .timeout(Duration::from_millis(timeouts.total_ms))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(USER_AGENT)
        .build()
        .map_err(|e| crate::ConfigError::Invalid {
            field: "timeouts".into(),
            problem: format!("cannot build an HTTP client: {e}"),
        })
}

/// GitHub refuses requests without a User-Agent; the others are told who calls them.
pub(crate) const USER_AGENT: &str = concat!("snag/", env!("CARGO_PKG_VERSION"));

/// Sends a request; a transport failure (connect, timeout, reset) is retryable.
pub(crate) async fn send(
    service: &str,
    request: reqwest::RequestBuilder,
) -> Result<Response, ConnectorError> {
    request
        .send()
        .await
        .map_err(|e| transport_error(service, &e))
}

/// What a service answered, read whole.
pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

/// Sends a request and reads the whole answer; transport failures are retryable.
pub(crate) async fn exchange(
    service: &str,
    request: reqwest::RequestBuilder,
) -> Result<Answer, ConnectorError> {
    let response = send(service, request).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let text = read_text(service, response).await?;
    Ok(Answer {
        status,
        headers,
        text,
    })
}

/// Sends a request and returns the body of a success; any other status becomes the error
/// the service's `classify` makes of it.
pub(crate) async fn call(
    service: &str,
    request: reqwest::RequestBuilder,
    classify: fn(StatusCode, &HeaderMap, &str) -> ConnectorError,
) -> Result<String, ConnectorError> {
    let answer = exchange(service, request).await?;
    if answer.status.is_success() {
        Ok(answer.text)
    } else {
        Err(classify(answer.status, &answer.headers, &answer.text))
    }
}

/// Reads a body; a connection dropped mid-body is retryable like any transport failure.
pub(crate) async fn read_text(service: &str, response: Response) -> Result<String, ConnectorError> {
    response
        .text()
        .await
        .map_err(|e| transport_error(service, &e))
}

fn transport_error(service: &str, error: &reqwest::Error) -> ConnectorError {
    // reqwest's Display includes the URL, which for Slack is the credential itself.
    let detail = causes(error);
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_builder() {
        return ConnectorError::permanent(format!("{service}: invalid request: {detail}"));
    } else {
        "connection failed"
    };
    ConnectorError::retryable(format!("{service}: {what}: {detail}"), None)
}

/// The chain of causes without the error's own text, which names the URL.
fn causes(error: &reqwest::Error) -> String {
    let mut text = String::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(cause) = source {
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    if text.is_empty() {
        "no details".into()
    } else {
        text
    }
}

/// The common mapping of a non-success answer: 408, 429 and 5xx may succeed later (honouring
/// `Retry-After`), any other 4xx will not. Connectors handle their service's special cases
/// (GitHub's 403 rate limits, Linear's errors in a 200) before falling back to this.
pub(crate) fn status_error(
    service: &str,
    status: StatusCode,
    headers: &HeaderMap,
    detail: &str,
) -> ConnectorError {
    let message = format!(
        "{service}: HTTP {}{}",
        status.as_u16(),
        detail_suffix(detail)
    );
    if status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || status.is_server_error()
    {
        ConnectorError::retryable(message, retry_after(headers))
    } else {
        ConnectorError::permanent(message)
    }
}

/// `Retry-After` as seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    header(headers, "retry-after").and_then(|v| parse_retry_after(v, SystemTime::now()))
}

pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// A service's error text, short and on one line, for the message of an error.
pub(crate) fn detail_suffix(detail: &str) -> String {
    let one_line: String = detail
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect();
    let one_line = one_line.trim();
    if one_line.is_empty() {
        String::new()
    } else {
        format!(": {one_line}")
    }
}
