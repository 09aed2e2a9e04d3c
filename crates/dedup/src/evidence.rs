//! Computing the [`Evidence`] of a report against a defect, cheaply enough to do it for every
//! candidate of every fold: the report's token weights and norm are computed once per fold
//! ([`Query`]), exemplar norms are kept by the index, words are intersected by merging sorted
//! arrays, and the defect's other evidence is a short list scanned in place.

use crate::console::ErrorSignature;
use crate::features::ReportFeatures;
use crate::profile::{DefectProfile, Kind, kept};
use crate::score::{
    Agreement, ErrorEvidence, Evidence, PROFILE_TEXT_FACTOR, RouteEvidence,
    WIDESPREAD_ERROR_DEFECTS,
};

/// Screenshots this close (in differing bits of 64) look the same.
const SCREENSHOT_BITS: u32 = 6;

/// What the project's index knows about how common things are.
pub trait Commonness {
    /// The weight of a token in a report made on `route`: rarer words say more, and words
    /// that many of the page's defects use say less there.
    fn weight(&self, token: u32, route: Option<u64>) -> f32;
    /// In how many defects an error or warning message occurs (messages compared on the
    /// bits a profile keeps).
    fn spread(&self, message: u64) -> usize;
}

/// A report prepared for scoring against many defects.
pub struct Query<'a> {
    pub report: &'a ReportFeatures,
    /// The weight of each of the report's tokens, in their (sorted) order.
    weights: Vec<f32>,
    norm: f32,
    total: f32,
    errors_widespread: Vec<bool>,
    warnings_widespread: Vec<bool>,
}

impl<'a> Query<'a> {
    pub fn new(report: &'a ReportFeatures, common: &impl Commonness) -> Query<'a> {
        let weights: Vec<f32> = report
            .tokens
            .iter()
            .map(|&t| common.weight(t, report.route))
            .collect();
        let widespread = |lines: &[ErrorSignature]| {
            lines
                .iter()
                .map(|e| e.generic || common.spread(e.message) >= WIDESPREAD_ERROR_DEFECTS)
                .collect()
        };
        Query {
            norm: weights.iter().map(|w| w * w).sum::<f32>().sqrt(),
            total: weights.iter().sum(),
            weights,
            errors_widespread: widespread(&report.errors),
            warnings_widespread: widespread(&report.warnings),
            report,
        }
    }
}

/// One exemplar report's words (sorted), with the norm of their weights.
pub struct Words<'a> {
    pub tokens: &'a [u32],
    pub norm: f32,
}

/// The norm of the weights of a sorted token set written on `route`.
pub fn norm(tokens: &[u32], route: Option<u64>, common: &impl Commonness) -> f32 {
    tokens
        .iter()
        .map(|&t| common.weight(t, route).powi(2))
        .sum::<f32>()
        .sqrt()
}

/// What `query`'s report and a defect (its exemplars' words and its profile) share.
pub fn evidence(
    query: &Query<'_>,
    exemplars: &[Words<'_>],
    profile: &DefectProfile,
    common: &impl Commonness,
) -> Evidence {
    let report = query.report;
    let best = exemplars
        .iter()
        .map(|e| cosine(query, e))
        .fold(0.0f32, f32::max);
    let text = best.max(PROFILE_TEXT_FACTOR * coverage(query, exemplars, profile));
    let (error, telling) = console_match(
        &report.errors,
        &query.errors_widespread,
        profile,
        Kind::Error,
        Kind::ErrorMessage,
    );
    // The defect has errors that say which problem it is.
    let defect_telling = profile
        .values(Kind::TellingError)
        .any(|m| common.spread(m) < WIDESPREAD_ERROR_DEFECTS);
    let (warning, _) = console_match(
        &report.warnings,
        &query.warnings_widespread,
        profile,
        Kind::Warning,
        Kind::WarningMessage,
    );
    Evidence {
        text,
        error,
        other_error: telling && defect_telling && error == ErrorEvidence::None,
        warning: matches!(warning, ErrorEvidence::Specific | ErrorEvidence::Message),
        request: request(report, profile),
        click: match report.last_click {
            Some(c) if profile.has(Kind::Click, c) => Agreement::Same,
            Some(_) if profile.any(Kind::Click) => Agreement::Different,
            _ => Agreement::Unknown,
        },
        route: route(report, profile),
        component: report
            .component
            .is_some_and(|c| profile.has(Kind::Component, c)),
        screenshot: screenshot(report, profile),
        other_category: report
            .category
            .is_some_and(|c| profile.categories_known() && !profile.has_category(c)),
    }
}

fn request(report: &ReportFeatures, profile: &DefectProfile) -> Agreement {
    if report
        .requests
        .iter()
        .any(|&r| profile.has(Kind::Request, r))
    {
        Agreement::Same
    } else if !report.saw_requests || profile.saw_requests == 0 {
        Agreement::Unknown
    } else if !report.requests.is_empty() {
        // It saw a failure the defect's reports, which recorded requests too, did not.
        Agreement::Different
    } else if profile.failing * 2 > profile.saw_requests {
        // Most of the defect's reports saw a request fail; this one saw requests, none failed.
        Agreement::Different
    } else {
        Agreement::Unknown
    }
}

fn route(report: &ReportFeatures, profile: &DefectProfile) -> RouteEvidence {
    let Some(route) = report.route else {
        return RouteEvidence::Unknown;
    };
    if profile.has(Kind::Route, route) {
        RouteEvidence::Same
    } else if report
        .section
        .is_some_and(|s| profile.has(Kind::Section, s))
    {
        RouteEvidence::Section
    } else if profile.values(Kind::Section).nth(1).is_some() {
        RouteEvidence::Anywhere
    } else if profile.any(Kind::Route) {
        RouteEvidence::Other
    } else {
        RouteEvidence::Unknown
    }
}

fn screenshot(report: &ReportFeatures, profile: &DefectProfile) -> Option<f32> {
    let shot = report.screenshot.map(kept).filter(|s| informative(*s))?;
    profile
        .values(Kind::Screenshot)
        .filter(|s| informative(*s))
        .map(|s| (s ^ shot).count_ones())
        .min()
        .filter(|d| *d <= SCREENSHOT_BITS)
        .map(|d| 1.0 - d as f32 / 64.0)
}

/// How a report's console lines (errors or warnings) relate to a defect's, and whether the
/// report has any that say which problem it is.
fn console_match(
    lines: &[ErrorSignature],
    widespread: &[bool],
    profile: &DefectProfile,
    specific: Kind,
    message: Kind,
) -> (ErrorEvidence, bool) {
    let mut found = ErrorEvidence::None;
    let mut telling = false;
    for (e, &common) in lines.iter().zip(widespread) {
        telling |= !common;
        let shared = if profile.has(specific, e.specific) {
            ErrorEvidence::Specific
        } else if profile.has(message, e.message) {
            ErrorEvidence::Message
        } else {
            continue;
        };
        found = found.max(if common {
            ErrorEvidence::Generic
        } else {
            shared
        });
    }
    (found, telling)
}

/// Weighted cosine of the report's words and an exemplar's.
fn cosine(query: &Query<'_>, exemplar: &Words<'_>) -> f32 {
    let (a, b) = (&query.report.tokens, exemplar.tokens);
    if a.is_empty() || b.is_empty() || exemplar.norm == 0.0 {
        return 0.0;
    }
    let (mut i, mut j) = (0, 0);
    let mut shared = 0.0f32;
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += query.weights[i] * query.weights[i];
                i += 1;
                j += 1;
            }
        }
    }
    (shared / (query.norm * exemplar.norm)).min(1.0)
}

/// The weighted share of a report's words that the defect's reports also use, each counted
/// by how many of them use it (a word in half or more of them counts fully).
fn coverage(query: &Query<'_>, exemplars: &[Words<'_>], profile: &DefectProfile) -> f32 {
    if query.total == 0.0 {
        return 0.0;
    }
    let mut covered = 0.0f32;
    for (token, w) in query.report.tokens.iter().zip(&query.weights) {
        let share = profile.share_or_exemplars(*token, exemplars.iter().map(|e| e.tokens));
        covered += w * (2.0 * share).min(1.0);
    }
    covered / query.total
}

/// A nearly blank page hashes to few set bits, and all nearly blank pages look alike: such a
/// hash says nothing (of the 60 bits a profile keeps).
fn informative(hash: u64) -> bool {
    (8..=52).contains(&hash.count_ones())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Flat;
    impl Commonness for Flat {
        fn weight(&self, _: u32, _: Option<u64>) -> f32 {
            1.0
        }
        fn spread(&self, _: u64) -> usize {
            0
        }
    }

    fn report(tokens: &[u32]) -> ReportFeatures {
        ReportFeatures {
            tokens: tokens.to_vec(),
            ..ReportFeatures::empty()
        }
    }

    fn text(a: &[u32], b: &[u32]) -> f32 {
        let report = report(a);
        let query = Query::new(&report, &Flat);
        let words = Words {
            tokens: b,
            norm: norm(b, None, &Flat),
        };
        cosine(&query, &words)
    }

    #[test]
    fn cosine_of_sets() {
        assert_eq!(text(&[1, 2, 3], &[1, 2, 3]), 1.0);
        assert_eq!(text(&[1, 2], &[3, 4]), 0.0);
        assert!((text(&[1, 2], &[2, 3]) - 0.5).abs() < 1e-6);
        assert_eq!(text(&[], &[1]), 0.0);
        assert_eq!(text(&[1], &[]), 0.0);
    }

    #[test]
    fn a_one_report_defect_is_covered_by_its_exemplar() {
        let first = report(&[1, 2, 3, 4]);
        let mut profile = DefectProfile::default();
        profile.add(&first, std::iter::empty());
        let exemplars = [Words {
            tokens: &first.tokens,
            norm: norm(&first.tokens, None, &Flat),
        }];
        let other = report(&[1, 2, 9, 10]);
        let query = Query::new(&other, &Flat);
        let evidence = evidence(&query, &exemplars, &profile, &Flat);
        // Cosine 0.5; coverage 0.5 scaled by the profile factor is less.
        assert!((evidence.text - 0.5).abs() < 1e-6);
        assert_eq!(evidence.route, RouteEvidence::Unknown);
        assert_eq!(evidence.request, Agreement::Unknown);
    }

    #[test]
    fn blank_screenshots_are_not_evidence() {
        assert!(!informative(0));
        assert!(!informative(kept(u64::MAX)));
        assert!(informative(kept(0x0f0f_0f0f_0f0f_0f0f)));
    }
}
