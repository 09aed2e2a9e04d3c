//! Report payload v1: what the widget (or any client) sends to `POST /api/v1/reports`.
//!
//! Every field but `description` is optional; unknown fields are ignored so that older servers
//! accept reports from newer widgets. Length and count limits are checked by
//! [`crate::validate`], not by the types, so that a rejection can name the field.

use alloc::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::CustomFields;

/// One submission by one person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportPayload {
    /// Required, 1..=10,000 characters; `Option` only so a missing value can be named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter: Option<Reporter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<Page>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<Client>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub console: Vec<ConsoleEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breadcrumbs: Vec<Breadcrumb>,
    #[serde(skip_serializing_if = "CustomFields::is_empty")]
    pub custom: CustomFields,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// A `data:image/png;base64,...` (or JPEG/WebP) URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Bug,
    Idea,
    Question,
    Other,
}

/// Where a report came from; drives defect leakage (production vs QA/CI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Widget,
    Qa,
    Ci,
    Api,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Widget => "widget",
            Source::Qa => "qa",
            Source::Ci => "ci",
            Source::Api => "api",
        }
    }
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Bug => "bug",
            Category::Idea => "idea",
            Category::Question => "question",
            Category::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reporter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Page {
    /// Absolute `http(s)` URL of the page the user was on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Client {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub viewport: Option<Size>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screen: Option<Size>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pixel_ratio: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsoleEntry {
    pub level: ConsoleLevel,
    pub message: String,
    /// Milliseconds since the Unix epoch, as the browser's `Date.now()` gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsoleLevel {
    Error,
    Warn,
    Info,
    Log,
    Debug,
}

impl ConsoleLevel {
    pub const ALL: [ConsoleLevel; 5] = [
        ConsoleLevel::Error,
        ConsoleLevel::Warn,
        ConsoleLevel::Info,
        ConsoleLevel::Log,
        ConsoleLevel::Debug,
    ];

    /// The name in the payload's JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsoleLevel::Error => "error",
            ConsoleLevel::Warn => "warn",
            ConsoleLevel::Info => "info",
            ConsoleLevel::Log => "log",
            ConsoleLevel::Debug => "debug",
        }
    }
}

/// One recent user action or event before the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breadcrumb {
    pub kind: BreadcrumbKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For navigations and requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// For requests: `GET`, `POST`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// For requests: the HTTP status, `0` when the request never got an answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreadcrumbKind {
    Click,
    Input,
    Navigation,
    Request,
    Custom,
}

impl BreadcrumbKind {
    pub const ALL: [BreadcrumbKind; 5] = [
        BreadcrumbKind::Click,
        BreadcrumbKind::Input,
        BreadcrumbKind::Navigation,
        BreadcrumbKind::Request,
        BreadcrumbKind::Custom,
    ];

    /// The name in the payload's JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            BreadcrumbKind::Click => "click",
            BreadcrumbKind::Input => "input",
            BreadcrumbKind::Navigation => "navigation",
            BreadcrumbKind::Request => "request",
            BreadcrumbKind::Custom => "custom",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_name(value: impl Serialize) -> String {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(name)) => name,
            other => panic!("not a name: {other:?}"),
        }
    }

    #[test]
    fn names_are_those_of_the_json() {
        for level in ConsoleLevel::ALL {
            assert_eq!(level.as_str(), serde_name(level));
        }
        for kind in BreadcrumbKind::ALL {
            assert_eq!(kind.as_str(), serde_name(kind));
        }
        for category in [
            Category::Bug,
            Category::Idea,
            Category::Question,
            Category::Other,
        ] {
            assert_eq!(category.as_str(), serde_name(category));
        }
        for source in [Source::Widget, Source::Qa, Source::Ci, Source::Api] {
            assert_eq!(source.as_str(), serde_name(source));
        }
    }
}
