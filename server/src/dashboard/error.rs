//! The dashboard's one error type: each refusal becomes a small HTML page with a status, a
//! sentence saying what happened, and a way back; a missing session becomes a redirect to
//! the sign-in page.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use snag_core::{ChangeError, Denied};
use snag_storage::StoreError;

use crate::http::error::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum DashError {
    /// No session, or it expired: sign in, then come back to `next`.
    #[error("please sign in")]
    SignIn { next: String },
    #[error("your role does not allow this")]
    Forbidden,
    #[error("there is nothing here, or it is not yours to see")]
    NotFound,
    #[error(
        "this form has expired or did not come from this dashboard; reload the page and try again"
    )]
    Csrf,
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("storage is unavailable; try again in a moment")]
    Unavailable(#[source] StoreError),
}

impl From<StoreError> for DashError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(_) => DashError::NotFound,
            StoreError::Change(change) => change.into(),
            StoreError::Conflict(message) => DashError::Conflict(message),
            StoreError::BadCursor => DashError::BadRequest(err.to_string()),
            other => DashError::Unavailable(other),
        }
    }
}

impl From<ChangeError> for DashError {
    fn from(err: ChangeError) -> Self {
        match err {
            ChangeError::Invalid { .. } => DashError::BadRequest(err.to_string()),
            ChangeError::Transition(t) => DashError::Conflict(format!(
                "{t}; allowed: {}",
                if t.allowed.is_empty() {
                    "none".to_owned()
                } else {
                    t.allowed
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )),
            other => DashError::Conflict(other.to_string()),
        }
    }
}

impl From<ApiError> for DashError {
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::NotFound(_) => DashError::NotFound,
            ApiError::Unavailable(store) => DashError::Unavailable(store),
            ApiError::Conflict { message, .. } => DashError::Conflict(message),
            other => DashError::BadRequest(other.to_string()),
        }
    }
}

impl From<Denied> for DashError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::Hidden => DashError::NotFound,
            Denied::Forbidden => DashError::Forbidden,
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    reason: &'a str,
    message: String,
}

impl ResponseError for DashError {
    fn status_code(&self) -> StatusCode {
        match self {
            DashError::SignIn { .. } => StatusCode::SEE_OTHER,
            DashError::Forbidden | DashError::Csrf => StatusCode::FORBIDDEN,
            DashError::NotFound => StatusCode::NOT_FOUND,
            DashError::BadRequest(_) => StatusCode::BAD_REQUEST,
            DashError::Conflict(_) => StatusCode::CONFLICT,
            DashError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let DashError::SignIn { next } = self {
            let location = format!("/app/login?next={}", super::view::query_escape(next));
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .finish();
        }
        if let DashError::Unavailable(err) = self {
            tracing::error!(error = %err, "dashboard request failed");
        }
        let status = self.status_code();
        let page = ErrorPage {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("Error"),
            message: self.to_string(),
        };
        super::view::html(status, &page)
    }
}

pub async fn not_found() -> Result<HttpResponse, DashError> {
    Err(DashError::NotFound)
}
