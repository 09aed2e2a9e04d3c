//! Staff authentication: `Authorization: Bearer <token>`, checked against stored hashes.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use snag_storage::StaffToken;

use super::error::ApiError;
use crate::keys::token_hash;
use crate::state::AppState;

/// Proof that the request carries a valid staff token.
pub struct Staff(pub StaffToken);

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Ready<Result<Staff, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<Staff, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or(ApiError::Unauthorized)?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized)?;
    // One indexed point read on a pooled connection: microseconds, so it runs inline.
    let found = state.store.staff_token_by_hash(&token_hash(token))?;
    found.map(Staff).ok_or(ApiError::Unauthorized)
}

/// Access to one report's screenshot: a staff token, or a signed link from a ticket
/// (`?expires=…&signature=…`, made by `forward::Links`).
pub struct ScreenshotAccess;

impl FromRequest for ScreenshotAccess {
    type Error = ApiError;
    type Future = Ready<Result<ScreenshotAccess, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if signed_link_is_valid(req) {
            return ready(Ok(ScreenshotAccess));
        }
        ready(authenticate(req).map(|_| ScreenshotAccess))
    }
}

fn signed_link_is_valid(req: &HttpRequest) -> bool {
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return false;
    };
    let Some(report) = req
        .match_info()
        .get("id")
        .and_then(snag_core::ReportId::parse)
    else {
        return false;
    };
    let query = web::Query::<SignedLink>::from_query(req.query_string());
    let Ok(link) = query else { return false };
    state.links.verify_screenshot(
        &report,
        link.expires,
        &link.signature,
        snag_storage::now_millis(),
    )
}

#[derive(serde::Deserialize)]
struct SignedLink {
    expires: i64,
    signature: String,
}
