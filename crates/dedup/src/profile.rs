//! What a defect's reports have in common, gathered as they join: their words (with how many
//! reports use each), and every route, error, failed request, last click, screenshot and
//! category seen. A report is compared with the whole defect, not with one report of it, so
//! a problem that users describe in many ways matches each way.
//!
//! Kept compact because the index holds one per defect: words as a sorted array with counts
//! beside it (looked up by binary search), and the other evidence as one short list of
//! tagged hashes rather than a list per kind.

use snag_core::Category;

use crate::features::ReportFeatures;

/// The most distinct values kept per kind of evidence; past that the oldest go.
const MAX_VALUES: usize = 16;

/// The most distinct words kept per defect.
const MAX_TOKENS: usize = 512;

/// The kinds of evidence a profile lists (at most 16: the tag has four bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Route,
    Section,
    Component,
    Error,
    ErrorMessage,
    /// The message of an error that is not generic browser noise.
    TellingError,
    Warning,
    WarningMessage,
    Request,
    Click,
    Screenshot,
    Environment,
}

#[derive(Debug, Default)]
pub struct DefectProfile {
    pub reports: u32,
    /// Reports that recorded requests, and how many of them saw one fail.
    pub saw_requests: u32,
    pub failing: u32,
    /// Sorted token hashes, and beside each the number of reports using it. Empty while the
    /// defect has one report: its exemplar holds the same words (see [`Self::share`]).
    tokens: Vec<u32>,
    counts: Vec<u16>,
    /// Tagged values: the kind in the top four bits, 60 bits of the value's hash below.
    values: Vec<u64>,
    /// A bit per [`Category`].
    categories: u8,
}

const VALUE_BITS: u32 = 60;
const VALUE_MASK: u64 = (1 << VALUE_BITS) - 1;

/// A value as the profile keeps it: its low 60 bits.
pub fn kept(value: u64) -> u64 {
    value & VALUE_MASK
}

fn tagged(kind: Kind, value: u64) -> u64 {
    (u64::from(kind as u8) << VALUE_BITS) | (value & VALUE_MASK)
}

fn kind_of(tagged: u64) -> u8 {
    (tagged >> VALUE_BITS) as u8
}

fn category_bit(category: Category) -> u8 {
    match category {
        Category::Bug => 1,
        Category::Idea => 2,
        Category::Question => 4,
        Category::Other => 8,
    }
}

impl DefectProfile {
    /// Adds a report. `first` gives the words of the defect's exemplars when the profile
    /// does not hold words yet (it holds none while the defect has one report).
    pub fn add<'a>(&mut self, report: &ReportFeatures, first: impl Iterator<Item = &'a [u32]>) {
        if self.reports == 1 && self.tokens.is_empty() {
            for tokens in first {
                self.add_tokens(tokens);
            }
        }
        self.reports += 1;
        if self.reports > 1 {
            self.add_tokens(&report.tokens);
        }
        let mut remember = |kind: Kind, value: Option<u64>| {
            if let Some(value) = value {
                self.remember(kind, value);
            }
        };
        remember(Kind::Route, report.route);
        remember(Kind::Section, report.section);
        remember(Kind::Component, report.component);
        remember(Kind::Click, report.last_click);
        remember(Kind::Screenshot, report.screenshot);
        remember(Kind::Environment, report.environment);
        for error in &report.errors {
            self.remember(Kind::Error, error.specific);
            self.remember(Kind::ErrorMessage, error.message);
            if !error.generic {
                self.remember(Kind::TellingError, error.message);
            }
        }
        for warning in &report.warnings {
            self.remember(Kind::Warning, warning.specific);
            self.remember(Kind::WarningMessage, warning.message);
        }
        for &request in &report.requests {
            self.remember(Kind::Request, request);
        }
        if report.saw_requests {
            self.saw_requests += 1;
            if !report.requests.is_empty() {
                self.failing += 1;
            }
        }
        if let Some(category) = report.category {
            self.categories |= category_bit(category);
        }
    }

    fn add_tokens(&mut self, tokens: &[u32]) {
        for &token in tokens {
            match self.tokens.binary_search(&token) {
                Ok(at) => self.counts[at] = self.counts[at].saturating_add(1),
                Err(at) if self.tokens.len() < MAX_TOKENS => {
                    self.tokens.insert(at, token);
                    self.counts.insert(at, 1);
                }
                Err(_) => {}
            }
        }
    }

    fn remember(&mut self, kind: Kind, value: u64) {
        let value = tagged(kind, value);
        let kind = kind as u8;
        if let Some(at) = self.values.iter().position(|v| *v == value) {
            self.values.remove(at);
        } else if self.values.iter().filter(|v| kind_of(**v) == kind).count() == MAX_VALUES {
            let oldest = self.values.iter().position(|v| kind_of(*v) == kind);
            if let Some(oldest) = oldest {
                self.values.remove(oldest);
            }
        }
        self.values.push(value);
    }

    /// Whether any of the defect's reports had `value` as evidence of `kind` (compared on
    /// the value's low 60 bits).
    pub fn has(&self, kind: Kind, value: u64) -> bool {
        self.values.contains(&tagged(kind, value))
    }

    /// The values of one kind (their low 60 bits), oldest first.
    pub fn values(&self, kind: Kind) -> impl Iterator<Item = u64> + '_ {
        self.values
            .iter()
            .filter(move |v| kind_of(**v) == kind as u8)
            .map(|v| v & VALUE_MASK)
    }

    pub fn any(&self, kind: Kind) -> bool {
        self.values.iter().any(|v| kind_of(*v) == kind as u8)
    }

    pub fn has_category(&self, category: Category) -> bool {
        self.categories & category_bit(category) != 0
    }

    pub fn categories_known(&self) -> bool {
        self.categories != 0
    }

    /// Takes a report's words back out (when it is split off).
    pub fn remove_tokens(&mut self, report: &[u32]) {
        self.reports = self.reports.saturating_sub(1);
        for token in report {
            if let Ok(at) = self.tokens.binary_search(token) {
                self.counts[at] -= 1;
                if self.counts[at] == 0 {
                    self.tokens.remove(at);
                    self.counts.remove(at);
                }
            }
        }
    }

    /// The share of the defect's reports that use `token`, or `None` while the profile holds
    /// no words (one report: the caller asks its exemplar).
    pub fn share(&self, token: u32) -> Option<f32> {
        if self.tokens.is_empty() || self.reports == 0 {
            return None;
        }
        Some(match self.tokens.binary_search(&token) {
            Ok(at) => f32::from(self.counts[at]) / self.reports as f32,
            Err(_) => 0.0,
        })
    }

    /// The share of the defect's reports that use `token`, from the words of its exemplar
    /// reports (`exemplars`) while the profile holds none (one report).
    pub fn share_or_exemplars<'a>(
        &self,
        token: u32,
        mut exemplars: impl Iterator<Item = &'a [u32]>,
    ) -> f32 {
        self.share(token).unwrap_or_else(|| {
            let used = exemplars.any(|words| words.binary_search(&token).is_ok());
            if used { 1.0 } else { 0.0 }
        })
    }

    /// Heap bytes held.
    pub fn memory_bytes(&self) -> usize {
        self.tokens.capacity() * 4 + self.counts.capacity() * 2 + self.values.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(tokens: &[u32], route: u64) -> ReportFeatures {
        ReportFeatures {
            tokens: tokens.to_vec(),
            route: Some(route),
            category: Some(Category::Bug),
            ..ReportFeatures::empty()
        }
    }

    #[test]
    fn words_are_counted_from_the_second_report_on() {
        let mut profile = DefectProfile::default();
        let first = report(&[1, 2, 3], 10);
        profile.add(&first, std::iter::empty());
        assert_eq!(profile.share(1), None, "one report: its exemplar speaks");
        let exemplar = || [first.tokens.as_slice()].into_iter();
        assert_eq!(profile.share_or_exemplars(1, exemplar()), 1.0);
        assert_eq!(profile.share_or_exemplars(9, exemplar()), 0.0);
        let second = report(&[2, 3, 4], 11);
        profile.add(&second, [first.tokens.as_slice()].into_iter());
        assert_eq!(profile.share(1), Some(0.5));
        assert_eq!(profile.share(2), Some(1.0));
        assert_eq!(profile.share_or_exemplars(1, std::iter::empty()), 0.5);
        assert_eq!(profile.share(9), Some(0.0));
        assert!(profile.has(Kind::Route, 10) && profile.has(Kind::Route, 11));
        assert!(!profile.has(Kind::Section, 10));
        assert!(profile.has_category(Category::Bug));
        assert!(!profile.has_category(Category::Idea));
        profile.remove_tokens(&second.tokens);
        assert_eq!(profile.share(4), Some(0.0));
        assert_eq!(profile.share(1), Some(1.0));
    }

    #[test]
    fn values_per_kind_are_capped_oldest_first() {
        let mut profile = DefectProfile::default();
        for route in 0..40 {
            profile.add(&report(&[], route), std::iter::empty());
        }
        let routes: Vec<u64> = profile.values(Kind::Route).collect();
        assert_eq!(routes.len(), MAX_VALUES);
        assert_eq!(routes[0], 40 - MAX_VALUES as u64);
        assert!(profile.any(Kind::Route));
        assert!(!profile.any(Kind::Click));
    }
}
