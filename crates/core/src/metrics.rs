//! The quality metrics Snag computes: time to resolve, defect leakage, defect density, and
//! the window they are computed over. Storage counts; the arithmetic and the definitions
//! live here so the dashboard and `GET /api/v1/metrics` cannot disagree.

use alloc::{borrow::ToOwned, format, string::String};

use serde::{Deserialize, Serialize};

use crate::payload::Source;

const DAY_MS: i64 = 86_400_000;

/// The period metrics look back over, ending now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Window {
    #[serde(rename = "7d")]
    Days7,
    #[serde(rename = "30d")]
    #[default]
    Days30,
    #[serde(rename = "90d")]
    Days90,
    #[serde(rename = "365d")]
    Days365,
}

impl Window {
    pub const ALL: [Window; 4] = [
        Window::Days7,
        Window::Days30,
        Window::Days90,
        Window::Days365,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Window::Days7 => "7d",
            Window::Days30 => "30d",
            Window::Days90 => "90d",
            Window::Days365 => "365d",
        }
    }

    pub fn parse(text: &str) -> Option<Window> {
        Window::ALL.into_iter().find(|w| w.as_str() == text)
    }

    pub fn days(self) -> i64 {
        match self {
            Window::Days7 => 7,
            Window::Days30 => 30,
            Window::Days90 => 90,
            Window::Days365 => 365,
        }
    }

    /// The first instant inside the window ending at `now`.
    pub fn start(self, now: i64) -> i64 {
        now - self.days() * DAY_MS
    }

    /// The width of one bar of the volume chart: days for short windows, weeks for a year
    /// (52 bars read better than 365).
    pub fn bucket_ms(self) -> i64 {
        match self {
            Window::Days365 => 7 * DAY_MS,
            _ => DAY_MS,
        }
    }

    /// How many bars the volume chart has: enough to cover the window (the last may reach
    /// past `now`).
    pub fn buckets(self) -> i64 {
        let bucket = self.bucket_ms();
        (self.days() * DAY_MS + bucket - 1) / bucket
    }
}

/// Mean, median and 90th percentile of a set of durations, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DurationStats {
    pub count: u64,
    pub mean_ms: i64,
    pub median_ms: i64,
    pub p90_ms: i64,
}

/// Statistics of `durations` (sorted in place); `None` for an empty set. Percentiles use the
/// nearest-rank method, so each is a duration that actually occurred.
pub fn duration_stats(durations: &mut [i64]) -> Option<DurationStats> {
    if durations.is_empty() {
        return None;
    }
    durations.sort_unstable();
    let count = durations.len();
    let sum: i128 = durations.iter().map(|d| i128::from(*d)).sum();
    Some(DurationStats {
        count: count as u64,
        mean_ms: (sum / count as i128) as i64,
        median_ms: nearest_rank(durations, 50),
        p90_ms: nearest_rank(durations, 90),
    })
}

/// The smallest value with at least `percent`% of the sorted values at or below it.
fn nearest_rank(sorted: &[i64], percent: usize) -> i64 {
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// Where a defect was first found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundIn {
    /// By users of the live product: a widget or API report from the production environment.
    Production,
    /// Before release: QA or CI, or any environment that is not production.
    PreRelease,
    /// A widget or API report that named no environment.
    Unknown,
}

/// Environment names that mean the live product.
fn is_production(environment: &str) -> bool {
    ["production", "prod", "live"]
        .iter()
        .any(|name| environment.trim().eq_ignore_ascii_case(name))
}

/// DESIGN.md's leakage rule: production-found is a widget (or API) report from the
/// production environment; QA and CI reports, and reports from any other named environment,
/// were found before release.
pub fn classify_found(source: Source, environment: Option<&str>) -> FoundIn {
    let environment = environment.map(str::trim).filter(|e| !e.is_empty());
    match (source, environment) {
        (Source::Qa | Source::Ci, _) => FoundIn::PreRelease,
        (_, Some(env)) if is_production(env) => FoundIn::Production,
        (_, Some(_)) => FoundIn::PreRelease,
        (_, None) => FoundIn::Unknown,
    }
}

/// Defect leakage over a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Leakage {
    pub production: u64,
    pub pre_release: u64,
    pub unknown: u64,
    /// Production-found over all classified defects (unknown ones left out); `None` when
    /// nothing was classified.
    pub rate: Option<f64>,
}

impl Leakage {
    /// Adds `count` defects first found as `source` in `environment`.
    pub fn add(&mut self, source: Source, environment: Option<&str>, count: u64) {
        match classify_found(source, environment) {
            FoundIn::Production => self.production += count,
            FoundIn::PreRelease => self.pre_release += count,
            FoundIn::Unknown => self.unknown += count,
        }
        let classified = self.production + self.pre_release;
        self.rate = (classified > 0).then(|| self.production as f64 / classified as f64);
    }
}

/// Defects per thousand lines of code; `None` when the size is unknown or not positive.
pub fn density(defects: u64, kloc: f64) -> Option<f64> {
    (kloc.is_finite() && kloc > 0.0).then(|| defects as f64 / kloc)
}

/// Checks a component size as given in settings: a positive, finite number of KLOC.
pub fn check_kloc(kloc: f64) -> Result<f64, String> {
    if kloc.is_finite() && kloc > 0.0 && kloc < 1.0e7 {
        Ok(kloc)
    } else {
        Err(format!(
            "a component size is a positive number of thousands of lines, not {kloc}"
        ))
    }
}

/// Parses `COMPONENT=KLOC` as given on the command line or the settings page.
pub fn parse_component_size(text: &str) -> Result<(String, f64), String> {
    let (name, size) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not COMPONENT=KLOC, such as checkout=12.5"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("{text:?} names no component"));
    }
    let kloc: f64 = size
        .trim()
        .parse()
        .map_err(|_| format!("{:?} is not a number of thousands of lines", size.trim()))?;
    Ok((name.to_owned(), check_kloc(kloc)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    #[test]
    fn the_volume_chart_has_a_bar_per_day_or_per_week_of_a_year() {
        assert_eq!(Window::Days7.buckets(), 7);
        assert_eq!(Window::Days30.buckets(), 30);
        assert_eq!(Window::Days90.buckets(), 90);
        assert_eq!(Window::Days365.buckets(), 53, "52 weeks and a day");
        for window in Window::ALL {
            assert!(window.buckets() * window.bucket_ms() >= window.days() * DAY_MS);
        }
    }

    #[test]
    fn component_sizes_parse() {
        assert_eq!(
            parse_component_size(" checkout = 12.5 "),
            Ok(("checkout".into(), 12.5))
        );
        assert!(parse_component_size("checkout").is_err());
        assert!(parse_component_size("=3").is_err());
        assert!(parse_component_size("a=-3").is_err());
        assert!(parse_component_size("a=lots").is_err());
    }

    #[test]
    fn stats_use_nearest_rank() {
        assert_eq!(duration_stats(&mut []), None);
        let mut one = [5];
        let stats = duration_stats(&mut one).unwrap();
        assert_eq!((stats.mean_ms, stats.median_ms, stats.p90_ms), (5, 5, 5));
        let mut ten: Vec<i64> = (1..=10).rev().collect();
        let stats = duration_stats(&mut ten).unwrap();
        assert_eq!(stats.count, 10);
        assert_eq!(stats.mean_ms, 5);
        assert_eq!(stats.median_ms, 5);
        assert_eq!(stats.p90_ms, 9);
        let mut skewed = [1, 1, 1, 1, 1000];
        let stats = duration_stats(&mut skewed).unwrap();
        assert_eq!(stats.mean_ms, 200);
        assert_eq!(stats.median_ms, 1);
        assert_eq!(stats.p90_ms, 1000);
    }

    #[test]
    fn leakage_follows_the_design() {
        assert_eq!(
            classify_found(Source::Widget, Some("production")),
            FoundIn::Production
        );
        assert_eq!(
            classify_found(Source::Api, Some(" Prod ")),
            FoundIn::Production
        );
        assert_eq!(
            classify_found(Source::Widget, Some("staging")),
            FoundIn::PreRelease
        );
        assert_eq!(
            classify_found(Source::Qa, Some("production")),
            FoundIn::PreRelease
        );
        assert_eq!(classify_found(Source::Ci, None), FoundIn::PreRelease);
        assert_eq!(classify_found(Source::Widget, None), FoundIn::Unknown);
        assert_eq!(classify_found(Source::Widget, Some(" ")), FoundIn::Unknown);

        let mut leakage = Leakage::default();
        assert_eq!(leakage.rate, None);
        leakage.add(Source::Widget, Some("production"), 3);
        leakage.add(Source::Ci, None, 1);
        leakage.add(Source::Widget, None, 10);
        assert_eq!(
            (leakage.production, leakage.pre_release, leakage.unknown),
            (3, 1, 10)
        );
        assert_eq!(leakage.rate, Some(0.75));
    }

    #[test]
    fn density_needs_a_size() {
        assert_eq!(density(10, 2.5), Some(4.0));
        assert_eq!(density(10, 0.0), None);
        assert_eq!(density(10, f64::NAN), None);
        assert!(check_kloc(12.5).is_ok());
        assert!(check_kloc(-1.0).is_err());
        assert!(check_kloc(f64::INFINITY).is_err());
    }

    #[test]
    fn windows_round_trip() {
        for window in Window::ALL {
            assert_eq!(Window::parse(window.as_str()), Some(window));
        }
        assert_eq!(Window::Days7.start(8 * DAY_MS), DAY_MS);
        assert_eq!(Window::Days365.bucket_ms(), 7 * DAY_MS);
    }
}
