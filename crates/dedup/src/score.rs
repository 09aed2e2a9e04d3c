//! The score of a report against one defect: a sum of weighted signals, each kept so staff
//! can see why a report joined.
//!
//! [`Evidence`] is what a report and a defect share, or where they differ, before weighting
//! (computed in [`crate::evidence`]). Each kind of evidence has one weight in [`WEIGHTS`] and
//! becomes one [`Signal`] when present. The weights split in two:
//!
//! - *What broke* (text, console errors and warnings, failed requests, category) was fitted
//!   on the `dev` half of the labelled set by `examples/calibrate.rs`: a conditional logit
//!   over the folder's own choice (join one of the candidates, or open a new defect), so the
//!   weights are log-odds in the folder's units.
//! - *Where* (route, section, component, last click, screenshot) is set by design and not
//!   fitted: different problems on one page share all of it, so together it stays below the
//!   threshold and can only support what the report says. Fitted on `dev`, the last click
//!   and the screenshot got weights close to the text's (0.72 and 0.53 against 0.87), and
//!   those weights folded siblings together as soon as the two halves of the set were mixed
//!   (precision 0.73 on all reports).

use snag_core::{Signal, SignalKind};

/// An error already seen in this many defects says little about which one a report belongs
/// to, like a common word.
pub const WIDESPREAD_ERROR_DEFECTS: usize = 3;

/// How much a report's words count when they are found across a defect's reports rather
/// than in one of them: less than a match with one report, which is the stronger evidence.
/// Chosen on `dev` among 0.6, 0.8 and 1.0, which came within 0.02 of each other: at 0.8
/// precision was 0.974 at recall 0.903 (0.958 at 0.903 for 0.6), and fitted on half of
/// `dev` and replayed on all of it 0.973 at 0.880, the best of the three.
pub const PROFILE_TEXT_FACTOR: f32 = 0.8;

/// What the console errors (or warnings) of a report and a defect say about each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum ErrorEvidence {
    /// No error is shared.
    #[default]
    None,
    /// A shared error that many problems produce.
    Generic,
    /// The same message, one side without a stack.
    Message,
    /// The same message and top frame.
    Specific,
}

/// Where the report was made, against where the defect's reports were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RouteEvidence {
    #[default]
    Unknown,
    Same,
    /// Another page of the same area (`/account/security` and `/account/password`).
    Section,
    /// Another area of the app, and the defect's reports all come from one area.
    Other,
    /// Another area, but the defect is reported from several areas already (a cookie
    /// banner, a header or a footer): the page says nothing.
    Anywhere,
}

/// Shared evidence of one kind, or the same kind of evidence that differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Agreement {
    /// One side has none.
    #[default]
    Unknown,
    Same,
    /// Both have some, and they disagree.
    Different,
}

/// Everything a report and a defect have in common (or not), before weighting.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Evidence {
    /// Text similarity, 0..=1: the cosine of the report's words with the closest of the
    /// defect's exemplar reports, or [`PROFILE_TEXT_FACTOR`] times the weighted share of its
    /// words that the defect's reports use, whichever is higher.
    pub text: f32,
    pub error: ErrorEvidence,
    /// Both sides have errors that say which problem they are, and none is shared.
    pub other_error: bool,
    /// A shared warning that few defects have.
    pub warning: bool,
    /// The same failed request; or a failure only one side saw although both recorded
    /// requests.
    pub request: Agreement,
    pub click: Agreement,
    pub route: RouteEvidence,
    pub component: bool,
    /// Similarity of the closest informative screenshot, when close enough to count.
    pub screenshot: Option<f32>,
    pub other_category: bool,
}

/// The number of weighted features of [`Evidence`].
pub const FEATURES: usize = 17;

/// Feature names, in [`Evidence::vector`] order (for the calibration tool and its printout).
pub const NAMES: [&str; FEATURES] = [
    "text",
    "specific_error",
    "same_error_message",
    "generic_error",
    "other_error",
    "warning",
    "failed_request",
    "other_request",
    "last_click",
    "other_click",
    "same_route",
    "same_section",
    "other_route",
    "route_anywhere",
    "component",
    "screenshot",
    "other_category",
];

const KINDS: [SignalKind; FEATURES] = [
    SignalKind::Text,
    SignalKind::ConsoleError,
    SignalKind::ConsoleError,
    SignalKind::ConsoleError,
    SignalKind::ConsoleError,
    SignalKind::ConsoleError,
    SignalKind::FailedRequest,
    SignalKind::FailedRequest,
    SignalKind::LastClick,
    SignalKind::LastClick,
    SignalKind::Route,
    SignalKind::Route,
    SignalKind::OtherRoute,
    SignalKind::OtherRoute,
    SignalKind::Component,
    SignalKind::Screenshot,
    SignalKind::OtherCategory,
];

/// The weight of each feature, in [`NAMES`] order, for the threshold
/// `snag_core::fold::DEFAULT_THRESHOLD`: the array `examples/calibrate.rs` prints.
pub const WEIGHTS: [f32; FEATURES] = [
    1.02, 0.28, 0.01, 0.04, 0.00, 0.19, 0.22, -0.40, 0.10, -0.22, 0.15, 0.00, -0.20, 0.00, 0.05,
    0.07, -0.30,
];

impl Evidence {
    /// The features as numbers, in [`NAMES`] order.
    pub fn vector(&self) -> [f32; FEATURES] {
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        [
            self.text,
            flag(self.error == ErrorEvidence::Specific),
            flag(self.error == ErrorEvidence::Message),
            flag(self.error == ErrorEvidence::Generic),
            flag(self.other_error),
            flag(self.warning),
            flag(self.request == Agreement::Same),
            flag(self.request == Agreement::Different),
            flag(self.click == Agreement::Same),
            flag(self.click == Agreement::Different),
            flag(self.route == RouteEvidence::Same),
            flag(self.route == RouteEvidence::Section),
            flag(self.route == RouteEvidence::Other),
            flag(self.route == RouteEvidence::Anywhere),
            flag(self.component),
            flag(self.screenshot.is_some()),
            flag(self.other_category),
        ]
    }

    /// The total with `weights` (normally [`WEIGHTS`]), without building the signals.
    pub fn total(&self, weights: &[f32; FEATURES]) -> f32 {
        self.vector().iter().zip(weights).map(|(x, w)| x * w).sum()
    }

    /// The total and the signals that make it, with `weights` (normally [`WEIGHTS`]).
    pub fn weigh(&self, weights: &[f32; FEATURES]) -> (f32, Vec<Signal>) {
        let mut signals = Vec::new();
        for (i, x) in self.vector().into_iter().enumerate() {
            if x == 0.0 || weights[i] == 0.0 {
                continue;
            }
            let similarity = match KINDS[i] {
                SignalKind::Text => Some(self.text),
                SignalKind::Screenshot => self.screenshot,
                _ => None,
            };
            signals.push(Signal {
                kind: KINDS[i],
                weight: weights[i] * x,
                similarity,
            });
        }
        let total = signals.iter().map(|s| s.weight).sum();
        (total, signals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_present_feature_is_one_signal_and_they_sum_to_the_total() {
        let evidence = Evidence {
            text: 0.5,
            error: ErrorEvidence::Specific,
            request: Agreement::Different,
            click: Agreement::Same,
            route: RouteEvidence::Same,
            screenshot: Some(0.95),
            ..Evidence::default()
        };
        let (total, signals) = evidence.weigh(&WEIGHTS);
        assert_eq!(signals.len(), 6);
        let sum: f32 = signals.iter().map(|s| s.weight).sum();
        assert!((total - sum).abs() < 1e-6);
        assert!((total - evidence.total(&WEIGHTS)).abs() < 1e-6);
        let text = &signals[0];
        assert_eq!(text.kind, SignalKind::Text);
        assert_eq!(text.similarity, Some(0.5));
        assert!(
            signals
                .iter()
                .any(|s| s.kind == SignalKind::FailedRequest && s.weight < 0.0),
            "a disagreement counts against"
        );
        assert_eq!(Evidence::default().weigh(&WEIGHTS), (0.0, Vec::new()));
    }

    #[test]
    fn where_alone_never_reaches_the_threshold() {
        let place = Evidence {
            click: Agreement::Same,
            route: RouteEvidence::Same,
            component: true,
            screenshot: Some(1.0),
            ..Evidence::default()
        };
        assert!(place.total(&WEIGHTS) < snag_core::fold::DEFAULT_THRESHOLD);
    }
}
