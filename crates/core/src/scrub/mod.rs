//! PII scrubbing: e-mail addresses, card numbers, IBANs, tokens and secrets in a report are
//! replaced by placeholders before the report is stored (server) or sent (widget).
//!
//! The scanners are hand-written rather than regular expressions: the widget ships this code
//! to browsers, where a regex engine would cost more than the rest of the crate, and the
//! server runs it on every field of every report, where one pass over the bytes with cheap
//! triggers (`@`, digits, the first letter of a word, `:` and `=`) keeps a kilobyte of text
//! with nothing to find at about 2 µs (prose) to 2.5 µs (JSON console lines) in a release
//! build, without allocating. Every scan is linear, adversarial input included.
//!
//! Placeholders: `[email]`, `[card]`, `[iban]`, `[jwt]`, `[api_key]`, `[redacted]` for the
//! value of a secret, and `[token]` after a kept `Bearer `/`Basic ` keyword. A placeholder is
//! never matched again and a scrub repeats its pass until it finds nothing, so scrubbing
//! scrubbed text changes nothing.

mod detect;
mod email;
mod keys;
mod numbers;
mod report;
mod secrets;
mod tokens;

#[cfg(test)]
mod tests;

use alloc::collections::BTreeMap;
use alloc::{string::String, vec::Vec};
use core::fmt;

use serde::{Deserialize, Serialize};

use detect::{Mode, Rules};

/// What a replacement stood for. Counted in a [`ScrubSummary`]; the values are never kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScrubKind {
    Email,
    CardNumber,
    Iban,
    BearerToken,
    Jwt,
    ApiKey,
    /// A secret in a URL: a query or fragment parameter such as `token=`, or the password in
    /// `https://user:password@host`.
    UrlSecret,
    /// A secret in text: `password=...`, `"api_key": "..."`, `authorization: ...`, or a custom
    /// value whose key names a secret.
    SecretAssignment,
}

impl ScrubKind {
    pub const ALL: [ScrubKind; 8] = [
        ScrubKind::Email,
        ScrubKind::CardNumber,
        ScrubKind::Iban,
        ScrubKind::BearerToken,
        ScrubKind::Jwt,
        ScrubKind::ApiKey,
        ScrubKind::UrlSecret,
        ScrubKind::SecretAssignment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ScrubKind::Email => "email",
            ScrubKind::CardNumber => "card_number",
            ScrubKind::Iban => "iban",
            ScrubKind::BearerToken => "bearer_token",
            ScrubKind::Jwt => "jwt",
            ScrubKind::ApiKey => "api_key",
            ScrubKind::UrlSecret => "url_secret",
            ScrubKind::SecretAssignment => "secret_assignment",
        }
    }

    /// The text that replaces a match of this kind.
    pub fn placeholder(self) -> &'static str {
        match self {
            ScrubKind::Email => "[email]",
            ScrubKind::CardNumber => "[card]",
            ScrubKind::Iban => "[iban]",
            ScrubKind::BearerToken => "[token]",
            ScrubKind::Jwt => "[jwt]",
            ScrubKind::ApiKey => "[api_key]",
            ScrubKind::UrlSecret | ScrubKind::SecretAssignment => "[redacted]",
        }
    }
}

/// Per-project scrubbing settings: on by default, each family can be switched off, and a
/// project can name more secret keys than the built-in list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScrubConfig {
    /// Off means reports are stored exactly as sent.
    pub enabled: bool,
    pub emails: bool,
    pub card_numbers: bool,
    pub ibans: bool,
    /// Bearer and Basic credentials, JWTs and API keys with well-known prefixes.
    pub tokens: bool,
    /// Secret URL parameters, URL passwords and `key=value` secrets in text.
    pub secrets: bool,
    /// Key names treated like `password`, compared without case and without `_`, `-`, `.`
    /// (so `x-tenant-secret` also covers `xTenantSecret`).
    pub extra_secret_keys: Vec<String>,
}

impl Default for ScrubConfig {
    fn default() -> Self {
        ScrubConfig {
            enabled: true,
            emails: true,
            card_numbers: true,
            ibans: true,
            tokens: true,
            secrets: true,
            extra_secret_keys: Vec::new(),
        }
    }
}

/// What was scrubbed and how many times, never the values. Serializes as
/// `{"email": 2, "card_number": 1}` (kinds with a count, in [`ScrubKind::ALL`] order).
///
/// A count per kind in an array rather than a map: the widget scrubs too, and a map's code
/// for this key type cost it 1.9 KB gzipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScrubSummary {
    counts: [u32; ScrubKind::ALL.len()],
}

impl ScrubSummary {
    /// A summary with these counts (a kind listed twice adds up).
    pub fn from_counts(counts: impl IntoIterator<Item = (ScrubKind, u32)>) -> Self {
        let mut summary = ScrubSummary::default();
        for (kind, n) in counts {
            summary.add_many(kind, n);
        }
        summary
    }

    /// The kinds with a count, and their counts, in [`ScrubKind::ALL`] order.
    pub fn counts(&self) -> impl Iterator<Item = (ScrubKind, u32)> + '_ {
        ScrubKind::ALL
            .into_iter()
            .zip(self.counts)
            .filter(|(_, n)| *n > 0)
    }

    /// Replacements of every kind together.
    pub fn total(&self) -> u32 {
        self.counts.iter().fold(0, |sum, n| sum.saturating_add(*n))
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    pub fn get(&self, kind: ScrubKind) -> u32 {
        self.counts[kind as usize]
    }

    pub fn add(&mut self, kind: ScrubKind) {
        self.add_many(kind, 1);
    }

    fn add_many(&mut self, kind: ScrubKind, n: u32) {
        let count = &mut self.counts[kind as usize];
        *count = count.saturating_add(n);
    }

    /// Adds another summary's counts to this one.
    pub fn merge(&mut self, other: &ScrubSummary) {
        for (kind, n) in other.counts() {
            self.add_many(kind, n);
        }
    }
}

impl Serialize for ScrubSummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.counts())
    }
}

impl<'de> Deserialize<'de> for ScrubSummary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let counts = BTreeMap::<ScrubKind, u32>::deserialize(deserializer)?;
        Ok(ScrubSummary::from_counts(counts))
    }
}

/// A project's scrubber, built once from its [`ScrubConfig`] and shared between threads.
#[derive(Clone)]
pub struct Scrubber {
    config: ScrubConfig,
    rules: Rules,
}

/// A replacement can change what its neighbours look like (a card number glued to an e-mail
/// domain stops the domain from parsing until the number is gone), so a scrub repeats its pass
/// until a pass finds nothing. Two passes settle every case we know of; the bound only keeps a
/// pathological input from looping.
const MAX_PASSES: usize = 8;

impl Scrubber {
    pub fn new(config: &ScrubConfig) -> Self {
        Scrubber {
            config: config.clone(),
            rules: Rules::new(config),
        }
    }

    pub fn config(&self) -> &ScrubConfig {
        &self.config
    }

    /// Scrubs free text (descriptions, console messages, custom values). Returns `None` when
    /// nothing was found, without allocating; otherwise the scrubbed text, with every
    /// replacement counted in `summary`.
    pub fn scrub_text(&self, text: &str, summary: &mut ScrubSummary) -> Option<String> {
        self.scrub(text, Mode::Text, summary)
    }

    /// Scrubs a URL: the password in `scheme://user:password@host` and the values of
    /// secret-looking query and fragment parameters (`?token=`, `#access_token=`, the
    /// built-in key list plus the project's extra keys, without case) become `[redacted]`;
    /// then the text rules run on the path, query and fragment. The host is left alone, so
    /// `https://user@example.com/` keeps its host and its route.
    pub fn scrub_url(&self, url: &str, summary: &mut ScrubSummary) -> Option<String> {
        self.scrub(url, Mode::Url, summary)
    }

    fn scrub(&self, text: &str, mode: Mode, summary: &mut ScrubSummary) -> Option<String> {
        if !self.config.enabled {
            return None;
        }
        let mut current = self.rules.pass(text, mode, summary)?;
        for _ in 1..MAX_PASSES {
            match self.rules.pass(&current, mode, summary) {
                Some(next) => current = next,
                None => break,
            }
        }
        Some(current)
    }
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scrubber")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}
