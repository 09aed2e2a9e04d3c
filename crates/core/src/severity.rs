//! Suggested severity: rules from configuration, tried in order, first match wins.
//!
//! A rule lists conditions; every condition it names must hold. Staff can always override the
//! suggestion.

use alloc::{borrow::ToOwned, string::String, vec, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::lifecycle::Severity;
use crate::payload::{Category, Source};
use crate::route::RouteRule;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityRule {
    /// A route pattern, as in route rules: `/checkout/**`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Whether the report carries a console error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console_error: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    pub severity: Severity,
}

/// What the rules look at in a report.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeverityFacts<'a> {
    pub route: Option<&'a str>,
    pub component: Option<&'a str>,
    pub category: Option<Category>,
    pub console_error: bool,
    pub environment: Option<&'a str>,
    pub source: Option<Source>,
}

impl SeverityRule {
    pub fn matches(&self, facts: &SeverityFacts<'_>) -> bool {
        let route_ok = match (&self.route, facts.route) {
            (None, _) => true,
            (Some(pattern), Some(route)) => RouteRule {
                pattern: pattern.clone(),
                component: String::new(),
            }
            .matches(route),
            (Some(_), None) => false,
        };
        route_ok
            && self
                .component
                .as_deref()
                .is_none_or(|c| facts.component == Some(c))
            && self.category.is_none_or(|c| facts.category == Some(c))
            && self.console_error.is_none_or(|e| facts.console_error == e)
            && self
                .environment
                .as_deref()
                .is_none_or(|e| facts.environment == Some(e))
            && self.source.is_none_or(|s| facts.source == Some(s))
    }
}

/// The first matching rule's severity.
pub fn suggest_severity(rules: &[SeverityRule], facts: &SeverityFacts<'_>) -> Option<Severity> {
    rules
        .iter()
        .find(|rule| rule.matches(facts))
        .map(|rule| rule.severity)
}

/// Sensible defaults for a web app, used where configuration gives no rules: an error while
/// paying is critical, a bug with a console error major, a bug otherwise minor, ideas and
/// questions get none.
pub fn default_severity_rules() -> Vec<SeverityRule> {
    let rule = |route: Option<&str>,
                category: Option<Category>,
                console_error: Option<bool>,
                severity| SeverityRule {
        route: route.map(str::to_owned),
        component: None,
        category,
        console_error,
        environment: None,
        source: None,
        severity,
    };
    vec![
        rule(Some("/checkout/**"), None, Some(true), Severity::Critical),
        rule(Some("/cart/**"), None, Some(true), Severity::Critical),
        rule(None, Some(Category::Bug), Some(true), Severity::Major),
        rule(None, None, Some(true), Severity::Major),
        rule(None, Some(Category::Bug), None, Severity::Minor),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkout_error_is_critical_and_an_idea_gets_none() {
        let rules = default_severity_rules();
        let checkout = SeverityFacts {
            route: Some("/checkout/:id/pay"),
            console_error: true,
            ..Default::default()
        };
        assert_eq!(
            suggest_severity(&rules, &checkout),
            Some(Severity::Critical)
        );
        let idea = SeverityFacts {
            route: Some("/account/settings"),
            category: Some(Category::Idea),
            ..Default::default()
        };
        assert_eq!(suggest_severity(&rules, &idea), None);
        let bug = SeverityFacts {
            category: Some(Category::Bug),
            ..Default::default()
        };
        assert_eq!(suggest_severity(&rules, &bug), Some(Severity::Minor));
        let bug_with_error = SeverityFacts {
            category: Some(Category::Bug),
            console_error: true,
            ..Default::default()
        };
        assert_eq!(
            suggest_severity(&rules, &bug_with_error),
            Some(Severity::Major)
        );
    }

    #[test]
    fn rules_read_from_toml_like_json() {
        let rules: Vec<SeverityRule> = serde_json::from_str(
            r#"[{"component": "billing", "severity": "blocker"}, {"environment": "staging", "severity": "minor"}]"#,
        )
        .expect("rules");
        let billing = SeverityFacts {
            component: Some("billing"),
            ..Default::default()
        };
        assert_eq!(suggest_severity(&rules, &billing), Some(Severity::Blocker));
        assert!(
            serde_json::from_str::<Vec<SeverityRule>>(
                r#"[{"colour": "red", "severity": "minor"}]"#
            )
            .is_err()
        );
    }
}
