//! Why a report was refused, in terms a client can act on.

use alloc::{format, string::String};
use core::fmt;

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
}

/// A refusal of a built report ([`crate::check_report`]) before it is put in words: the
/// code and the field, which is all the widget shows (in the user's language), and what
/// exactly is wrong. [`Rejection::from`] writes the server's sentence, so the widget, which
/// never shows one, carries no formatting code for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: RejectCode,
    /// A JSON path such as `console[3].message`.
    pub field: String,
    pub problem: Problem,
}

/// What is wrong with a field; the numbers are the limits passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    Empty,
    TooLong(usize),
    TooMany(usize),
    KeyTooLong(usize),
    NotWebUrl,
    NotAbsoluteUrl,
    PixelRatioOutOfRange,
    NotDataUrl,
    /// The media type given.
    ImageType(String),
    ImageTooLarge(usize),
    IdempotencyKeyInvalid(usize),
}

impl Refusal {
    pub(crate) fn new(code: RejectCode, field: impl Into<String>, problem: Problem) -> Self {
        Refusal {
            code,
            field: field.into(),
            problem,
        }
    }

    pub(crate) fn too_long(field: impl Into<String>, limit: usize) -> Self {
        Refusal::new(RejectCode::TooLarge, field, Problem::TooLong(limit))
    }

    pub(crate) fn too_many(field: impl Into<String>, limit: usize) -> Self {
        Refusal::new(RejectCode::TooLarge, field, Problem::TooMany(limit))
    }
}

impl From<Refusal> for Rejection {
    fn from(refusal: Refusal) -> Rejection {
        let field = refusal.field;
        let message = match refusal.problem {
            Problem::Required => format!("{field} is required"),
            Problem::Empty => format!("{field} must not be empty"),
            Problem::TooLong(limit) => format!("{field} is longer than {limit} characters"),
            Problem::TooMany(limit) => format!("{field} has more than {limit} entries"),
            Problem::KeyTooLong(limit) => {
                format!("a custom key is longer than {limit} characters")
            }
            Problem::NotWebUrl => format!("{field} must be an absolute http or https URL"),
            Problem::NotAbsoluteUrl => format!("{field} must be empty or an absolute URL"),
            Problem::PixelRatioOutOfRange => format!("{field} must be above 0 and at most 16"),
            Problem::NotDataUrl => format!(
                "{field} must be a data URL: data:image/png;base64,... (or image/jpeg, image/webp)"
            ),
            Problem::ImageType(media_type) => {
                format!("{field} type {media_type} is not one of PNG, JPEG or WebP")
            }
            Problem::ImageTooLarge(limit) => format!("{field} is larger than {limit} bytes"),
            Problem::IdempotencyKeyInvalid(limit) => {
                format!("{field} must be 1 to {limit} printable ASCII characters")
            }
        };
        Rejection {
            code: refusal.code,
            field: Some(field),
            message,
        }
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

impl core::error::Error for Rejection {}
