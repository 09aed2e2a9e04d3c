//! A page URL's route, with ids and hashes folded, and the component a project's route rules
//! give it: `/orders/8123/items` → `/orders/:id/items` → `orders`.

use alloc::{borrow::ToOwned, string::String, vec::Vec};

use serde::{Deserialize, Serialize};

/// The route of a page URL (or of a bare path): the path only, with segments that look like
/// ids or hashes replaced by `:id` or `:hash`, and no trailing slash.
pub fn normalize_route(url_or_path: &str) -> String {
    let path = path_of(url_or_path);
    let mut route = String::with_capacity(path.len());
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        route.push('/');
        route.push_str(fold_segment(segment));
    }
    if route.is_empty() {
        route.push('/');
    }
    route
}

/// The path part: after scheme and host, before query and fragment.
fn path_of(text: &str) -> &str {
    let without_scheme = match text.find("://") {
        Some(at) => {
            let after = &text[at + 3..];
            match after.find('/') {
                Some(slash) => &after[slash..],
                None => "/",
            }
        }
        None => text,
    };
    let end = without_scheme
        .find(['?', '#'])
        .unwrap_or(without_scheme.len());
    &without_scheme[..end]
}

fn fold_segment(segment: &str) -> &str {
    if segment.bytes().all(|b| b.is_ascii_digit()) {
        return ":id";
    }
    if is_uuid_like(segment) {
        return ":id";
    }
    if is_hex_hash(segment) {
        return ":hash";
    }
    if is_opaque_token(segment) {
        return ":id";
    }
    segment
}

fn is_uuid_like(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Seven or more hex digits with at least one digit: commit hashes, content hashes.
fn is_hex_hash(segment: &str) -> bool {
    segment.len() >= 7
        && segment.bytes().all(|b| b.is_ascii_hexdigit())
        && segment.bytes().any(|b| b.is_ascii_digit())
}

/// Long mixes of letters and digits (ULIDs, base62 ids, slugs with an id glued on are not
/// folded: they have separators). Words never mix more than a few digits in.
fn is_opaque_token(segment: &str) -> bool {
    let digits = segment.bytes().filter(u8::is_ascii_digit).count();
    segment.len() >= 16
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && digits >= 3
}

/// One project route rule: a route pattern and the component it belongs to.
///
/// Patterns are matched against the normalised route, segment by segment: `*` matches one
/// segment, a trailing `**` matches the rest (also nothing), anything else matches literally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteRule {
    pub pattern: String,
    pub component: String,
}

impl RouteRule {
    /// Parses `PATTERN=COMPONENT`, as given on the command line.
    pub fn parse(text: &str) -> Option<RouteRule> {
        let (pattern, component) = text.split_once('=')?;
        let (pattern, component) = (pattern.trim(), component.trim());
        (pattern.starts_with('/') && !component.is_empty()).then(|| RouteRule {
            pattern: pattern.to_owned(),
            component: component.to_owned(),
        })
    }

    pub fn matches(&self, route: &str) -> bool {
        let mut pattern = self.pattern.split('/').filter(|s| !s.is_empty());
        let mut segments = route.split('/').filter(|s| !s.is_empty());
        loop {
            match (pattern.next(), segments.next()) {
                (Some("**"), _) => return true,
                (None, None) => return true,
                (Some("*"), Some(_)) => {}
                (Some(want), Some(got)) if want == got => {}
                _ => return false,
            }
        }
    }
}

/// A project's route rules, tried in order; the first match gives the component.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RouteRules(pub Vec<RouteRule>);

impl RouteRules {
    pub fn component_for(&self, route: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|rule| rule.matches(route))
            .map(|rule| rule.component.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    #[test]
    fn ids_and_hashes_fold() {
        assert_eq!(
            normalize_route("https://shop.example/orders/8123/items"),
            "/orders/:id/items"
        );
        assert_eq!(normalize_route("/orders/8123/items/"), "/orders/:id/items");
        assert_eq!(
            normalize_route("https://a.example/u/0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11/edit?x=1#y"),
            "/u/:id/edit"
        );
        assert_eq!(
            normalize_route("/commit/9fceb02d0ae598e95dc970b74767f19372d61af8"),
            "/commit/:hash"
        );
        assert_eq!(normalize_route("/f/01HGW2N7Q8X3K9ZB5Y4T6M1C0D"), "/f/:id");
        assert_eq!(normalize_route("https://a.example"), "/");
        assert_eq!(normalize_route("https://a.example/?q=1"), "/");
    }

    #[test]
    fn words_do_not_fold() {
        assert_eq!(normalize_route("/settings/profile"), "/settings/profile");
        assert_eq!(
            normalize_route("/blog/deadbeef-recipes"),
            "/blog/deadbeef-recipes"
        );
        assert_eq!(normalize_route("/cafe"), "/cafe");
        assert_eq!(normalize_route("/v2/checkout"), "/v2/checkout");
    }

    #[test]
    fn the_first_matching_rule_names_the_component() {
        let rules = RouteRules(vec![
            RouteRule::parse("/checkout/**=checkout").unwrap(),
            RouteRule::parse("/orders/*/items=orders").unwrap(),
            RouteRule::parse("/**=web").unwrap(),
        ]);
        assert_eq!(rules.component_for("/checkout"), Some("checkout"));
        assert_eq!(rules.component_for("/checkout/pay/:id"), Some("checkout"));
        assert_eq!(rules.component_for("/orders/:id/items"), Some("orders"));
        assert_eq!(rules.component_for("/orders/:id"), Some("web"));
        assert_eq!(RouteRules::default().component_for("/x"), None);
    }

    #[test]
    fn rule_parsing_needs_a_path_and_a_name() {
        assert!(RouteRule::parse("checkout=x").is_none());
        assert!(RouteRule::parse("/checkout=").is_none());
        assert!(RouteRule::parse("/checkout").is_none());
    }
}
