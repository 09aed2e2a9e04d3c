//! Identifiers, made only by parsing so that an unchecked string never passes for one.

use alloc::{borrow::ToOwned, format, string::String};
use core::fmt;

use serde::{Deserialize, Serialize};

/// The form of our ids: a UUID in its hyphenated lowercase text form (the server makes
/// version 7 ones, which sort by creation time and so page well).
fn is_uuid_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
        })
}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Accepts the hyphenated lowercase UUID form only.
            pub fn parse(text: &str) -> Option<Self> {
                is_uuid_text(text).then(|| $name(text.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                if is_uuid_text(&text) {
                    Ok($name(text))
                } else {
                    Err(format!("{text:?} is not a valid {}", stringify!($name)))
                }
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

uuid_id!(
    /// One submission by one person.
    ReportId
);
uuid_id!(
    /// The deduplicated problem that reports attach to.
    DefectId
);

/// A project's public key: sent by the widget in `X-Snag-Key`, visible in host pages, so it
/// identifies a project but grants nothing beyond submitting reports from allowed origins.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProjectKey(String);

impl ProjectKey {
    pub const PREFIX: &'static str = "snag_pk_";

    pub fn parse(text: &str) -> Option<Self> {
        let body = text.strip_prefix(Self::PREFIX)?;
        let valid =
            (16..=64).contains(&body.len()) && body.bytes().all(|b| b.is_ascii_alphanumeric());
        valid.then(|| ProjectKey(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A client-chosen key that makes retries of one report safe: the same key from the same
/// project gets the first answer again and stores nothing twice.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Accepts 1..=`max_chars` printable ASCII characters, as [`crate::validate`] checks.
    pub fn parse(text: &str, max_chars: usize) -> Option<Self> {
        let valid = !text.is_empty()
            && text.len() <= max_chars
            && text.bytes().all(|b| b.is_ascii_graphic());
        valid.then(|| IdempotencyKey(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_accept_only_lowercase_hyphenated_uuids() {
        assert!(ReportId::parse("0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11").is_some());
        assert!(ReportId::parse("0192F0C4-7B1E-7CC2-9A57-3F1F0E0B6A11").is_none());
        assert!(ReportId::parse("0192f0c47b1e7cc29a573f1f0e0b6a11").is_none());
        assert!(DefectId::parse("../../etc/passwd").is_none());
        assert!(DefectId::parse("").is_none());
    }

    #[test]
    fn project_keys_need_prefix_and_length() {
        assert!(ProjectKey::parse("snag_pk_abcdefghijklmnop").is_some());
        assert!(ProjectKey::parse("snag_pk_short").is_none());
        assert!(ProjectKey::parse("pk_abcdefghijklmnopqrst").is_none());
        assert!(ProjectKey::parse("snag_pk_abcdefghijklmnop'--").is_none());
    }

    #[test]
    fn idempotency_keys_are_printable_ascii_within_limit() {
        assert!(IdempotencyKey::parse("a", 4).is_some());
        assert!(IdempotencyKey::parse("abcd", 4).is_some());
        assert!(IdempotencyKey::parse("abcde", 4).is_none());
        assert!(IdempotencyKey::parse("", 4).is_none());
        assert!(IdempotencyKey::parse("a b", 4).is_none());
    }
}
