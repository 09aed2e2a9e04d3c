//! Signing in and out, and accepting an invite.

use actix_web::http::{StatusCode, header};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use snag_core::access::check_password;
use snag_core::access::normalize_email;
use snag_storage::{User, now_millis};

use super::error::DashError;
use super::forms::Form;
use super::password;
use super::session::{
    LOGIN_COOKIE, Posted, SESSION_COOKIE, cookie, same_secret, secure, set_cookie,
};
use super::view::{self, html, see_other};
use crate::http::client_ip;
use crate::keys::{new_secret, token_hash};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    csrf: &'a str,
    next: &'a str,
    email: &'a str,
    message: Option<String>,
    version: &'static str,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn login_form(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    next: &str,
    email: &str,
    message: Option<String>,
) -> HttpResponse {
    let token = new_secret();
    let page = LoginPage {
        csrf: &token,
        next,
        email,
        message,
        version: super::assets::version(),
    };
    let mut response = html(status, &page);
    if let Ok(value) = set_cookie(LOGIN_COOKIE, &token, 3600, secure(req, state)).parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

pub async fn login_page(
    req: HttpRequest,
    query: web::Query<NextQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let next = view::local_path(query.next.as_deref());
    let signed_in = cookie(&req, SESSION_COOKIE)
        .is_some_and(|token| matches!(state.store.session(&token_hash(&token)), Ok(Some(_))));
    if signed_in {
        return see_other(next);
    }
    login_form(&req, &state, StatusCode::OK, next, "", None)
}

pub async fn login(
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    let form = Form::parse(&body);
    let next = view::local_path(form.get("next")).to_owned();
    let expected = cookie(&req, LOGIN_COOKIE).unwrap_or_default();
    let sent = form.get("csrf").unwrap_or_default();
    if expected.is_empty() || !same_secret(sent, &expected) {
        return Err(DashError::Csrf);
    }
    let email_text = form.get("email").unwrap_or_default().to_owned();
    let email = normalize_email(&email_text).unwrap_or_else(|| email_text.trim().to_lowercase());
    let ip = client_ip(&req, state.trust_forwarded_for);
    if let Err(wait) = state.dashboard.login_attempt(ip, &email) {
        let message = format!("Too many sign-in attempts. Wait {wait} seconds, then try again.");
        let mut response = login_form(
            &req,
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            &email,
            Some(message),
        );
        if let Ok(value) = wait.to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return Ok(response);
    }
    let password_text = form.get("password").unwrap_or_default().to_owned();
    let store = state.store.clone();
    let lookup = email.clone();
    // Argon2 takes tens of milliseconds of CPU by design: off the async workers.
    let user: Option<User> = web::block(move || {
        let found = store.user_by_email(&lookup)?;
        let (user, hash) = match found {
            Some((user, hash)) => (Some(user), hash),
            None => (None, None),
        };
        let valid = password::verify(&password_text, hash.as_deref());
        Ok::<_, snag_storage::StoreError>(user.filter(|_| valid))
    })
    .await
    .map_err(|_| DashError::BadRequest("the server is shutting down".into()))??;
    let Some(user) = user else {
        return Ok(login_form(
            &req,
            &state,
            StatusCode::UNAUTHORIZED,
            &next,
            &email,
            Some("The e-mail address or the password is wrong.".into()),
        ));
    };
    start_session(&req, &state, &user, &next).await
}

async fn start_session(
    req: &HttpRequest,
    state: &AppState,
    user: &User,
    next: &str,
) -> Result<HttpResponse, DashError> {
    let token = new_secret();
    let expires_at = now_millis() + state.dashboard.session_ms;
    state
        .store
        .insert_session(token_hash(&token), user.id, new_secret(), expires_at)
        .await?;
    let secure = secure(req, state);
    let mut response = see_other(next);
    let cookies = [
        set_cookie(
            SESSION_COOKIE,
            &token,
            state.dashboard.session_ms / 1000,
            secure,
        ),
        set_cookie(LOGIN_COOKIE, "", 0, secure),
    ];
    for value in cookies {
        if let Ok(value) = value.parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

pub async fn logout(
    req: HttpRequest,
    posted: Posted,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    state
        .store
        .delete_session(posted.signed.token_hash.clone())
        .await?;
    let mut response = see_other("/app/login");
    if let Ok(value) = set_cookie(SESSION_COOKIE, "", 0, secure(&req, &state)).parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage<'a> {
    email: &'a str,
    message: Option<String>,
    version: &'static str,
}

pub async fn invite_page(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    let hash = token_hash(&path);
    let store = state.store.clone();
    let user = web::block(move || store.invite(&hash))
        .await
        .map_err(|_| DashError::NotFound)??
        .ok_or(DashError::NotFound)?;
    Ok(view::ok(&InvitePage {
        email: &user.email,
        message: None,
        version: super::assets::version(),
    }))
}

/// An invite link is itself the secret (sent to one person), so its form needs no other
/// CSRF token: a forged post would have to know the link.
pub async fn accept_invite(
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, DashError> {
    let form = Form::parse(&body);
    let hash = token_hash(&path);
    let password_text = form.get("password").unwrap_or_default().to_owned();
    let again = form.get("again").unwrap_or_default();
    let store = state.store.clone();
    let lookup = hash.clone();
    let user = web::block(move || store.invite(&lookup))
        .await
        .map_err(|_| DashError::NotFound)??
        .ok_or(DashError::NotFound)?;
    let problem = check_password(&password_text)
        .err()
        .or_else(|| (password_text != again).then(|| "the two passwords differ".to_owned()));
    if let Some(problem) = problem {
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            &InvitePage {
                email: &user.email,
                message: Some(problem),
                version: super::assets::version(),
            },
        ));
    }
    let store = state.store.clone();
    let accepted = web::block(move || {
        let hashed = password::hash(&password_text)
            .map_err(|e| snag_storage::StoreError::Conflict(e.to_string()))?;
        store.accept_invite(&hash, &hashed)
    })
    .await
    .map_err(|_| DashError::NotFound)??
    .ok_or(DashError::NotFound)?;
    start_session(&req, &state, &accepted, "/app").await
}
