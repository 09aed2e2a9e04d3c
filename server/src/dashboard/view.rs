//! What every page shares: the navigation bar's facts, rendering a template into a
//! response, and formatting (times, durations, links).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;
use snag_core::{Action, Timestamp};

use super::session::SignedIn;

/// The navigation bar: who is signed in, where they are, the CSRF token of the sign-out form.
pub struct Nav {
    pub email: String,
    pub role: &'static str,
    pub csrf: String,
    pub section: &'static str,
    pub can_triage: bool,
    pub can_configure: bool,
    pub version: &'static str,
}

impl Nav {
    pub fn new(signed: &SignedIn, section: &'static str) -> Nav {
        Nav {
            email: signed.user.email.clone(),
            role: signed.user.role.as_str(),
            csrf: signed.csrf.clone(),
            section,
            can_triage: signed.access.may(Action::Triage),
            can_configure: signed.access.may(Action::Configure),
            version: super::assets::version(),
        }
    }
}

/// One option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The options of a select, the one whose value is `current` selected.
pub fn choices<V: ToString, L: ToString>(
    current: &str,
    options: impl IntoIterator<Item = (V, L)>,
) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| {
            let value = value.to_string();
            Choice {
                selected: value == current,
                label: label.to_string(),
                value,
            }
        })
        .collect()
}

/// Renders `page` as an HTML response.
pub fn html(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(err) => {
            tracing::error!(error = %err, "rendering a dashboard page failed");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("the page could not be rendered")
        }
    }
}

pub fn ok(page: &impl Template) -> HttpResponse {
    html(StatusCode::OK, page)
}

/// A 303 to `location` (after a form post: reloading the result does not post again).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location.to_owned()))
        .finish()
}

/// `2026-11-26 09:17 UTC`.
pub fn time(at: Timestamp) -> String {
    let text = at.to_string();
    format!("{} {} UTC", &text[..10], &text[11..16])
}

/// A duration as a person reads it: `3 d 4 h`, `5 h 12 min`, `42 min`.
pub fn duration(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) if mins == 0 => "< 1 min".to_owned(),
        (0, 0) => format!("{mins} min"),
        (0, _) => format!("{hours} h {mins} min"),
        _ => format!("{days} d {hours} h"),
    }
}

/// A link target for a URL a report carries, or `None` when it is not plain http(s) (a
/// `javascript:` or `data:` URL is shown as text, never as a link).
pub fn safe_href(text: &str) -> Option<String> {
    let url = url::Url::parse(text.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// Only a path inside the dashboard is a place to go back to after a form (never another
/// site, whatever the form or the link said).
pub fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with("/app") && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/app",
    }
}

/// Percent-encodes a query value.
pub fn query_escape(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Builds a query string from pairs, skipping empty values.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            out.append_pair(k, v);
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_links_are_links() {
        assert_eq!(
            safe_href("https://shop.example/a?b=1"),
            Some("https://shop.example/a?b=1".into())
        );
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href(" JaVaScRiPt:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,<script>"), None);
        assert_eq!(safe_href("/relative"), None);
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(0), "< 1 min");
        assert_eq!(duration(42 * 60_000), "42 min");
        assert_eq!(duration((5 * 60 + 12) * 60_000), "5 h 12 min");
        assert_eq!(duration((3 * 1440 + 4 * 60) * 60_000), "3 d 4 h");
        assert_eq!(time(Timestamp(1_795_684_660_123)), "2026-11-26 09:17 UTC");
    }
}
