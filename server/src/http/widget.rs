//! `GET /widget.js` and `GET /widget/{file}`: the widget's loader and files, embedded in the
//! binary so one file still deploys Snag.
//!
//! `rust-embed` because it gives both halves we need: release builds carry the files inside
//! the binary, and debug builds read them from `widget/dist` at request time, so a rebuilt
//! widget shows up without rebuilding the server. With `allow_missing`, a clone where the
//! widget was never built still compiles, and these routes answer a 404 that says why.
//!
//! Caching: the loader's URL is what host pages embed, so it is cached briefly; every other
//! file is named by its content hash (the loader names them) and cached for a year. Files
//! are pre-compressed at build time (`name.gz`) and sent gzipped when the browser accepts it.
//! Pages on any origin load the widget, so the files allow every origin (`import()` and the
//! wasm `fetch` are CORS requests).

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use rust_embed::RustEmbed;

use super::error::ApiError;

#[derive(RustEmbed)]
#[folder = "../widget/dist/"]
#[allow_missing = true]
struct Dist;

const LOADER: &str = "widget.js";

pub async fn loader(req: HttpRequest) -> HttpResponse {
    serve(&req, LOADER)
}

pub async fn file(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let name = name.into_inner();
    // Only plain file names of dist; the loader has its own URL.
    if name.starts_with('.') || name.contains(['/', '\\']) || name == LOADER {
        return ApiError::NotFound("widget file").error_response();
    }
    serve(&req, &name)
}

fn serve(req: &HttpRequest, name: &str) -> HttpResponse {
    let Some(content_type) = content_type(name) else {
        return ApiError::NotFound("widget file").error_response();
    };
    let gzip_name = [name, ".gz"].concat();
    let gzipped = accepts_gzip(req).then(|| Dist::get(&gzip_name)).flatten();
    let is_gzip = gzipped.is_some();
    let Some(file) = gzipped.or_else(|| Dist::get(name)) else {
        return if Dist::get(LOADER).is_none() {
            ApiError::NotFound("widget file: the widget is not built (cargo xtask build-widget)")
                .error_response()
        } else {
            ApiError::NotFound("widget file").error_response()
        };
    };
    let etag = etag(&file.metadata.sha256_hash(), is_gzip);
    let cache = if name == LOADER {
        "public, max-age=300"
    } else {
        "public, max-age=31536000, immutable"
    };
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, etag))
        .insert_header((header::VARY, "Accept-Encoding"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header(("Cross-Origin-Resource-Policy", "cross-origin"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if is_gzip {
        response.insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")));
    }
    if not_modified {
        return response.finish();
    }
    response.body(file.data.into_owned())
}

fn content_type(name: &str) -> Option<&'static str> {
    let extension = name.rsplit_once('.')?.1;
    Some(match extension {
        "js" => "application/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "ts" => "application/typescript; charset=utf-8",
        _ => return None,
    })
}

fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|coding| {
                let mut parts = coding.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused = parts.any(|p| p.trim().replace(' ', "") == "q=0");
                name.eq_ignore_ascii_case("gzip") && !refused
            })
        })
}

fn etag(hash: &[u8; 32], gzip: bool) -> String {
    let mut tag = String::with_capacity(24);
    tag.push('"');
    for byte in &hash[..8] {
        tag.push_str(&format!("{byte:02x}"));
    }
    if gzip {
        tag.push_str("-gz");
    }
    tag.push('"');
    tag
}
