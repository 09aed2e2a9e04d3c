//! Which web origins may post a project's reports.

use alloc::string::String;

/// Normalises an origin (`Origin` header or configured value) to `scheme://host[:port]`,
/// lowercase, without a default port or trailing slash. Returns `None` for anything that is
/// not an http(s) origin, including the opaque `null` origin.
pub fn normalize_origin(text: &str) -> Option<String> {
    let url = url::Url::parse(text.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    match url.origin() {
        url::Origin::Tuple(..) => Some(url.origin().ascii_serialization()),
        url::Origin::Opaque(_) => None,
    }
}

/// Whether `origin` (from a request) is one of `allowed` (a project's list, already
/// normalised). `*` in the list allows every http(s) origin, for development only.
pub fn origin_allowed(allowed: &[String], origin: &str) -> bool {
    let Some(origin) = normalize_origin(origin) else {
        return false;
    };
    allowed.iter().any(|a| a == "*" || *a == origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    #[test]
    fn origins_normalise() {
        assert_eq!(
            normalize_origin("https://App.Example:443/").as_deref(),
            Some("https://app.example")
        );
        assert_eq!(
            normalize_origin("http://localhost:8080").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(normalize_origin("null"), None);
        assert_eq!(normalize_origin("file:///x"), None);
        assert_eq!(normalize_origin("javascript:alert(1)"), None);
    }

    #[test]
    fn only_listed_origins_pass() {
        let allowed = vec!["https://app.example".to_owned()];
        assert!(origin_allowed(&allowed, "https://app.example"));
        assert!(!origin_allowed(&allowed, "https://app.example.evil.test"));
        assert!(!origin_allowed(&allowed, "http://app.example"));
        assert!(origin_allowed(&["*".to_owned()], "https://any.example"));
        assert!(!origin_allowed(&["*".to_owned()], "null"));
    }
}

/// Why a request's origin was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginRefusal {
    #[error("origin {0} is not among the project's allowed origins")]
    NotAllowed(String),
    #[error("the project does not accept requests without an Origin")]
    Required,
}

/// The project rule for submissions: a browser request needs an allowed `Origin`; a request
/// without one (a server, a CI job) passes on the key alone only if the project says so.
pub fn check_origin(
    allowed: &[String],
    allow_no_origin: bool,
    origin: Option<&str>,
) -> Result<(), OriginRefusal> {
    match origin {
        Some(origin) if origin_allowed(allowed, origin) => Ok(()),
        Some(origin) => Err(OriginRefusal::NotAllowed(
            origin.chars().take(200).collect(),
        )),
        None if allow_no_origin => Ok(()),
        None => Err(OriginRefusal::Required),
    }
}

#[cfg(test)]
mod check_tests {
    use super::*;
    use crate::test_prelude::*;

    #[test]
    fn a_missing_origin_passes_only_when_the_project_allows_it() {
        let allowed = vec!["https://app.example".to_owned()];
        assert_eq!(
            check_origin(&allowed, false, Some("https://app.example")),
            Ok(())
        );
        assert_eq!(
            check_origin(&allowed, false, None),
            Err(OriginRefusal::Required)
        );
        assert_eq!(check_origin(&allowed, true, None), Ok(()));
        assert!(matches!(
            check_origin(&allowed, true, Some("https://evil.example")),
            Err(OriginRefusal::NotAllowed(_))
        ));
    }
}
