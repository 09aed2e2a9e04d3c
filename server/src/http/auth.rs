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
pub struct Staff(#[allow(dead_code)] pub StaffToken);

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
