//! Reading a request body with a hard size limit, before anything parses it.

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::{self, Bytes, BytesMut};
use futures_util::StreamExt;
use snag_core::{RejectCode, Rejection};

use super::error::ApiError;

fn too_large(limit: usize) -> ApiError {
    ApiError::Rejected(Rejection::whole(
        RejectCode::TooLarge,
        format!("the request body is larger than {limit} bytes"),
    ))
}

/// Reads the whole body, refusing at once when `Content-Length` already says it is too large
/// and as soon as the streamed bytes pass `limit` otherwise.
pub async fn read_limited(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(too_large(limit));
    }
    let mut body = BytesMut::with_capacity(declared.unwrap_or(16 * 1024).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|err| ApiError::BadBody(err.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// `application/json`, with or without parameters such as `charset=utf-8`.
pub fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}
