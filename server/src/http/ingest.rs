//! `POST /api/v1/reports` and its CORS preflight.

use std::net::IpAddr;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use serde::Serialize;
use snag_core::{ProjectKey, check_origin};
use snag_storage::Accepted;

use super::body::{is_json, read_limited};
use super::error::ApiError;
use crate::ingest::Caller;
use crate::state::AppState;

pub const KEY_HEADER: &str = "x-snag-key";

#[derive(Serialize)]
struct AcceptedBody<'a> {
    id: &'a str,
    defect_id: &'a str,
}

pub async fn submit(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let origin = header_text(&req, header::ORIGIN.as_str());
    let result = accept(&req, payload, &state, origin.as_deref()).await;
    let mut response = match result {
        Ok(accepted) => accepted_response(&state, &accepted),
        Err(err) => {
            state
                .metrics
                .reports_rejected
                .with_label_values(&[err.code()])
                .inc();
            err.error_response()
        }
    };
    if let Some(origin) = origin.filter(|o| state.projects.any_allows_origin(o)) {
        allow_origin(&mut response, &origin);
    }
    response
}

async fn accept(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
    origin: Option<&str>,
) -> Result<Accepted, ApiError> {
    state
        .limiter
        .check_ip(client_ip(req, state.trust_forwarded_for))?;
    if !is_json(req) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let key_text = header_text(req, KEY_HEADER).ok_or(ApiError::MissingKey)?;
    let key = ProjectKey::parse(key_text.trim()).ok_or(ApiError::UnknownKey)?;
    let project = state.projects.by_key(&key)?.ok_or(ApiError::UnknownKey)?;
    check_origin(
        &project.project.allowed_origins,
        project.project.allow_no_origin,
        origin,
    )?;
    state.limiter.check_key(key.as_str())?;
    let body = read_limited(req, payload, state.limits.max_body_bytes).await?;
    let caller = if origin.is_some() {
        Caller::Browser
    } else {
        Caller::Server
    };
    state.pipeline.submit(project, body, caller).await
}

fn accepted_response(state: &AppState, accepted: &Accepted) -> HttpResponse {
    let mut response = HttpResponse::Accepted();
    if accepted.replayed {
        state.metrics.reports_replayed.inc();
        response.insert_header(("Idempotent-Replayed", "true"));
    } else {
        state.metrics.reports_accepted.inc();
    }
    response.json(AcceptedBody {
        id: accepted.report_id.as_str(),
        defect_id: accepted.defect_id.as_str(),
    })
}

/// The browser asks before a cross-origin JSON POST. The preflight carries no key, so it is
/// answered for origins that some project allows; the POST itself checks the key's project.
pub async fn preflight(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let Some(origin) = header_text(&req, header::ORIGIN.as_str()) else {
        return HttpResponse::NoContent().finish();
    };
    if !state.projects.any_allows_origin(&origin) {
        return ApiError::Origin(snag_core::OriginRefusal::NotAllowed(origin)).error_response();
    }
    let mut response = HttpResponse::NoContent()
        .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "POST"))
        .insert_header((
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            "content-type, x-snag-key",
        ))
        .insert_header((header::ACCESS_CONTROL_MAX_AGE, "7200"))
        .finish();
    allow_origin(&mut response, &origin);
    response
}

fn allow_origin(response: &mut HttpResponse, origin: &str) {
    let Ok(value) = HeaderValue::from_str(origin) else {
        return;
    };
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After, Idempotent-Replayed"),
    );
}

fn header_text(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The address rate limits count against: the peer, or the first `X-Forwarded-For` hop when
/// the operator said a proxy in front sets it.
pub(crate) fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> IpAddr {
    if trust_forwarded_for {
        let forwarded = header_text(req, "x-forwarded-for").and_then(|v| {
            v.split(',')
                .next()
                .and_then(|first| first.trim().parse().ok())
        });
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    req.peer_addr()
        .map(|a| a.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
}
