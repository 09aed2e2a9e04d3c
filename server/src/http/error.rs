//! The HTTP error of every endpoint: one `match` gives status, a stable code, a message and
//! the field concerned, as `{"error": {"code", "message", "field"}}`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use snag_core::{ChangeError, OriginRefusal, RejectCode, Rejection, Status};
use snag_storage::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{}", .0.message)]
    Rejected(Rejection),
    #[error("the X-Snag-Key header is missing")]
    MissingKey,
    #[error("the X-Snag-Key header does not name a known project")]
    UnknownKey,
    #[error("{0}")]
    Origin(#[from] OriginRefusal),
    #[error("the content type must be application/json")]
    UnsupportedMediaType,
    #[error("too many reports; retry in {retry_after} seconds")]
    RateLimited { retry_after: u64 },
    #[error("a staff token is required: Authorization: Bearer <token>")]
    Unauthorized,
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("the request body could not be read: {0}")]
    BadBody(String),
    #[error("{message}")]
    BadParameter {
        field: &'static str,
        message: String,
    },
    #[error("storage is unavailable; retry later")]
    Unavailable(#[source] StoreError),
    #[error("the server is shutting down; retry later")]
    ShuttingDown,
    /// The request is valid but the defect's state does not allow it.
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        allowed: Option<Vec<Status>>,
    },
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Rejected(rejection) => rejection.code.as_str(),
            ApiError::MissingKey => "missing_key",
            ApiError::UnknownKey => "unknown_key",
            ApiError::Origin(OriginRefusal::NotAllowed(_)) => "origin_not_allowed",
            ApiError::Origin(OriginRefusal::Required) => "origin_required",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Unauthorized => "unauthorized",
            ApiError::NotFound(_) => "not_found",
            ApiError::BadBody(_) => "bad_body",
            ApiError::BadParameter { .. } => "bad_parameter",
            ApiError::Unavailable(_) | ApiError::ShuttingDown => "unavailable",
            ApiError::Conflict { code, .. } => code,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            ApiError::Rejected(rejection) => rejection.field.as_deref(),
            ApiError::MissingKey | ApiError::UnknownKey => Some("X-Snag-Key"),
            ApiError::Origin(_) => Some("Origin"),
            ApiError::UnsupportedMediaType => Some("Content-Type"),
            ApiError::BadParameter { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<Rejection> for ApiError {
    fn from(rejection: Rejection) -> Self {
        ApiError::Rejected(rejection)
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => ApiError::NotFound(what),
            StoreError::Change(change) => change.into(),
            StoreError::Conflict(message) => ApiError::Conflict {
                code: "conflict",
                message,
                allowed: None,
            },
            other => ApiError::Unavailable(other),
        }
    }
}

impl From<ChangeError> for ApiError {
    fn from(err: ChangeError) -> Self {
        let message = err.to_string();
        match err {
            ChangeError::Transition(t) => ApiError::Conflict {
                code: "illegal_transition",
                message: format!("{message}; allowed: {}", names(t.allowed)),
                allowed: Some(t.allowed.to_vec()),
            },
            ChangeError::Invalid { field, .. } => {
                ApiError::Rejected(Rejection::new(RejectCode::InvalidValue, field, message))
            }
            ChangeError::MergeIntoSelf
            | ChangeError::AlreadyMerged(_)
            | ChangeError::TargetMerged(_) => ApiError::Conflict {
                code: "merge_refused",
                message,
                allowed: None,
            },
            ChangeError::NotMerged => ApiError::Conflict {
                code: "not_merged",
                message,
                allowed: None,
            },
        }
    }
}

fn names(statuses: &[Status]) -> String {
    if statuses.is_empty() {
        return "none".into();
    }
    statuses
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    /// For an illegal transition: the moves that are allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed: Option<&'a [Status]>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Rejected(rejection) => match rejection.code {
                RejectCode::MalformedJson => StatusCode::BAD_REQUEST,
                RejectCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                RejectCode::InvalidType
                | RejectCode::MissingField
                | RejectCode::EmptyField
                | RejectCode::InvalidValue
                | RejectCode::InvalidUrl
                | RejectCode::InvalidImage => StatusCode::UNPROCESSABLE_ENTITY,
            },
            ApiError::MissingKey | ApiError::UnknownKey | ApiError::Unauthorized => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Origin(_) => StatusCode::FORBIDDEN,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadBody(_) | ApiError::BadParameter { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unavailable(_) | ApiError::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let message = match self {
            ApiError::Unavailable(_) => {
                // The cause goes to the log, never to the client.
                tracing::error!(error = %error_chain(self), "request failed");
                self.to_string()
            }
            _ => self.to_string(),
        };
        let mut response = HttpResponse::build(status);
        match self {
            ApiError::RateLimited { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::Unavailable(_) | ApiError::ShuttingDown => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::Unauthorized => {
                response
                    .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            _ => {}
        }
        response.json(ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message,
                field: self.field(),
                allowed: match self {
                    ApiError::Conflict {
                        allowed: Some(allowed),
                        ..
                    } => Some(allowed.as_slice()),
                    _ => None,
                },
            },
        })
    }
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
