//! The dashboard's style sheet and script, compiled into the binary (no CDN, nothing to
//! deploy beside it). Their URLs carry a hash of their content, so they are cached for good.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::error::DashError;
use crate::keys::sha256_hex;

const CSS: &str = include_str!("../../assets/app.css");
const JS: &str = include_str!("../../assets/app.js");

static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut both = String::from(CSS);
    both.push_str(JS);
    sha256_hex(both.as_bytes())[..12].to_owned()
});

/// `?v=…` for the assets' URLs in pages.
pub fn version() -> &'static str {
    &VERSION
}

pub async fn file(path: web::Path<String>) -> Result<HttpResponse, DashError> {
    let (body, content_type) = match path.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return Err(DashError::NotFound),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(body))
}
