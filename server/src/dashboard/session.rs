//! Sessions: a random token in an `HttpOnly`, `SameSite=Lax` cookie (`Secure` over https),
//! stored hashed with the user it signs in and a CSRF token. [`SignedIn`] is what a page
//! needs; [`Posted`] is what every form post needs: a session and, in the body, that
//! session's CSRF token (a synchronizer token: a page of ours put it there, another site
//! cannot read it).

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use snag_core::{Access, Action};
use snag_storage::User;

use super::error::DashError;
use super::forms::Form;
use crate::keys::token_hash;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "snag_session";
/// The login form's CSRF token, before there is a session (double-submit: the cookie and
/// the form field must match).
pub const LOGIN_COOKIE: &str = "snag_login";

/// A signed-in staff user, as they are now (role and projects read with the session).
pub struct SignedIn {
    pub user: User,
    pub access: Access,
    pub csrf: String,
    pub token_hash: String,
}

impl SignedIn {
    /// Refuses unless the role allows `action` (anywhere).
    pub fn require(&self, action: Action) -> Result<(), DashError> {
        if self.access.may(action) {
            Ok(())
        } else {
            Err(DashError::Forbidden)
        }
    }

    /// Refuses unless the user may do `action` in `project` (404 for a hidden project).
    pub fn check(&self, action: Action, project: i64) -> Result<(), DashError> {
        Ok(self.access.check(action, project)?)
    }
}

impl FromRequest for SignedIn {
    type Error = DashError;
    type Future = Ready<Result<SignedIn, DashError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

/// The value of cookie `name` in the request.
pub fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Whether cookies for this request get `Secure`: it came over TLS, or the configured
/// public address is https (TLS ended at a proxy).
pub fn secure(req: &HttpRequest, state: &AppState) -> bool {
    state.dashboard.public_https || req.connection_info().scheme() == "https"
}

/// A `Set-Cookie` value. Values are ours (URL-safe base64), never user input.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/app; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

fn authenticate(req: &HttpRequest) -> Result<SignedIn, DashError> {
    let next = || DashError::SignIn {
        next: match req.method() == actix_web::http::Method::GET {
            true => req
                .uri()
                .path_and_query()
                .map_or("/app", |p| p.as_str())
                .to_owned(),
            false => "/app".to_owned(),
        },
    };
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(next)?;
    let token = cookie(req, SESSION_COOKIE).ok_or_else(next)?;
    let hash = token_hash(&token);
    // One indexed point read (plus the user's projects) on a pooled reader: inline.
    let session = state.store.session(&hash)?.ok_or_else(next)?;
    let projects = session.user.projects.iter().map(|p| p.0).collect();
    Ok(SignedIn {
        access: Access::new(session.user.role, projects),
        user: session.user,
        csrf: session.csrf,
        token_hash: hash,
    })
}

/// Compares in time independent of where the strings differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A form post: the session and the form, whose `csrf` field matched the session's.
pub struct Posted {
    pub signed: SignedIn,
    pub form: Form,
}

impl FromRequest for Posted {
    type Error = DashError;
    type Future = LocalBoxFuture<'static, Result<Posted, DashError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed = authenticate(req);
        let body = Bytes::from_request(req, payload);
        Box::pin(async move {
            let signed = signed?;
            let body = body
                .await
                .map_err(|_| DashError::BadRequest("the form could not be read".into()))?;
            let form = Form::parse(&body);
            let valid = form
                .get("csrf")
                .is_some_and(|token| same_secret(token, &signed.csrf));
            if !valid {
                return Err(DashError::Csrf);
            }
            Ok(Posted { signed, form })
        })
    }
}
