//! Why a report was refused, in terms a client can act on.

use std::fmt;

use serde::Serialize;

/// A stable, machine-readable reason. The server maps each to one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// The body is not JSON at all (400).
    MalformedJson,
    /// A field has the wrong JSON type (422).
    InvalidType,
    /// A required field is absent (422).
    MissingField,
    /// A required text field is empty or only whitespace (422).
    EmptyField,
    /// An enum field has a value outside its set, or a value is out of range (422).
    InvalidValue,
    /// A URL field is not an absolute http(s) URL (422).
    InvalidUrl,
    /// The screenshot is not a decodable PNG, JPEG or WebP image (422).
    InvalidImage,
    /// A field or the whole body is past its configured limit (413).
    TooLarge,
}

impl RejectCode {
    pub fn as_str(self) -> &'static str {
        match self {
            RejectCode::MalformedJson => "malformed_json",
            RejectCode::InvalidType => "invalid_type",
            RejectCode::MissingField => "missing_field",
            RejectCode::EmptyField => "empty_field",
            RejectCode::InvalidValue => "invalid_value",
            RejectCode::InvalidUrl => "invalid_url",
            RejectCode::InvalidImage => "invalid_image",
            RejectCode::TooLarge => "too_large",
        }
    }
}

/// A refused report: the reason, the field it concerns (a JSON path such as
/// `console[3].level`) and a sentence for a human.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: RejectCode,
    pub field: Option<String>,
    pub message: String,
}

impl Rejection {
    pub fn new(code: RejectCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Rejection {
            code,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn whole(code: RejectCode, message: impl Into<String>) -> Self {
        Rejection {
            code,
            field: None,
            message: message.into(),
        }
    }

    pub(crate) fn too_long(field: impl Into<String>, limit: usize) -> Self {
        let field = field.into();
        let message = format!("{field} is longer than {limit} characters");
        Rejection::new(RejectCode::TooLarge, field, message)
    }

    pub(crate) fn too_many(field: impl Into<String>, limit: usize) -> Self {
        let field = field.into();
        let message = format!("{field} has more than {limit} entries");
        Rejection::new(RejectCode::TooLarge, field, message)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} ({}): {}", self.code.as_str(), field, self.message),
            None => write!(f, "{}: {}", self.code.as_str(), self.message),
        }
    }
}

impl std::error::Error for Rejection {}
