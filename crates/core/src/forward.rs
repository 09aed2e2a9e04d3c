//! Which connectors receive a defect: a project's forwarding rules, tried in order, first
//! match wins. A rule names a project (or `*`) and may narrow by component, severity,
//! category and environment; every condition it names must hold.

use alloc::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::lifecycle::Severity;
use crate::payload::Category;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardRule {
    /// A project name, or `*` for every project.
    #[serde(default = "any_project")]
    pub project: String,
    /// The connectors (by their configured names) that receive matching defects.
    pub connectors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Any of these severities; empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
}

fn any_project() -> String {
    "*".into()
}

/// What forwarding rules look at.
#[derive(Debug, Clone, Copy, Default)]
pub struct ForwardFacts<'a> {
    pub project: &'a str,
    pub component: Option<&'a str>,
    pub severity: Option<Severity>,
    pub category: Option<Category>,
    pub environment: Option<&'a str>,
}

impl ForwardRule {
    pub fn matches(&self, facts: &ForwardFacts<'_>) -> bool {
        (self.project == "*" || self.project == facts.project)
            && self
                .component
                .as_deref()
                .is_none_or(|c| facts.component == Some(c))
            && (self.severity.is_empty()
                || facts.severity.is_some_and(|s| self.severity.contains(&s)))
            && self.category.is_none_or(|c| facts.category == Some(c))
            && self
                .environment
                .as_deref()
                .is_none_or(|e| facts.environment == Some(e))
    }
}

/// The connectors of the first matching rule; none when no rule matches.
pub fn connectors_for<'r>(rules: &'r [ForwardRule], facts: &ForwardFacts<'_>) -> &'r [String] {
    rules
        .iter()
        .find(|rule| rule.matches(facts))
        .map_or(&[], |rule| rule.connectors.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    fn rule(project: &str, connectors: &[&str]) -> ForwardRule {
        ForwardRule {
            project: project.into(),
            connectors: connectors.iter().map(|c| (*c).to_owned()).collect(),
            component: None,
            severity: Vec::new(),
            category: None,
            environment: None,
        }
    }

    #[test]
    fn the_first_matching_rule_wins_and_a_catch_all_comes_last() {
        let mut critical = rule("shop", &["jira", "slack"]);
        critical.severity = vec![Severity::Blocker, Severity::Critical];
        let mut staging = rule("shop", &[]);
        staging.environment = Some("staging".into());
        let rules = vec![
            staging,
            critical,
            rule("shop", &["jira"]),
            rule("*", &["hook"]),
        ];
        let facts = |severity, environment| ForwardFacts {
            project: "shop",
            severity,
            environment,
            ..ForwardFacts::default()
        };
        assert_eq!(
            connectors_for(&rules, &facts(Some(Severity::Critical), Some("production"))),
            ["jira", "slack"]
        );
        assert_eq!(
            connectors_for(&rules, &facts(Some(Severity::Minor), None)),
            ["jira"]
        );
        assert!(
            connectors_for(&rules, &facts(Some(Severity::Critical), Some("staging"))).is_empty(),
            "staging goes nowhere"
        );
        let other = ForwardFacts {
            project: "blog",
            ..ForwardFacts::default()
        };
        assert_eq!(connectors_for(&rules, &other), ["hook"]);
        assert!(connectors_for(&[], &other).is_empty());
    }
}
