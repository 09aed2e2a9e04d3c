//! What folding knows about a report, computed once at ingest (outside the writer) and kept
//! with the report so the index can be rebuilt at start-up.

use snag_core::{Breadcrumb, BreadcrumbKind, Category, Enriched, ReportPayload, normalize_route};

use crate::codec::{Reader, Writer};
use crate::console::{ErrorSignature, error_signatures, warning_signatures};
use crate::hash::fnv1a;
use crate::minhash::{HASHES, Signature, signature};
use crate::text::tokens;

#[derive(Debug, Clone, PartialEq)]
pub struct ReportFeatures {
    /// Token hashes of title, description, steps, expected and actual, sorted and without
    /// repeats (scoring intersects them by merging).
    pub tokens: Vec<u32>,
    pub minhash: Signature,
    /// Hash of the normalised route.
    pub route: Option<u64>,
    /// Hash of the route's first segment (`/account` of `/account/security`): the area of
    /// the app.
    pub section: Option<u64>,
    pub component: Option<u64>,
    pub errors: Vec<ErrorSignature>,
    pub warnings: Vec<ErrorSignature>,
    /// Failed requests before the report (method, route, status), from breadcrumbs.
    pub requests: Vec<u64>,
    /// Whether the report recorded any request at all: then a failure it does not show did
    /// not happen.
    pub saw_requests: bool,
    /// What the user clicked last before reporting.
    pub last_click: Option<u64>,
    /// Perceptual hash of the screenshot.
    pub screenshot: Option<u64>,
    pub environment: Option<u64>,
    pub category: Option<Category>,
}

/// Extracts the features of a scrubbed, enriched report.
pub fn features(report: &ReportPayload, enriched: &Enriched) -> ReportFeatures {
    let mut text = String::new();
    for part in [
        &report.title,
        &report.description,
        &report.steps,
        &report.expected,
        &report.actual,
    ]
    .into_iter()
    .flatten()
    {
        text.push_str(part);
        text.push('\n');
    }
    let mut tokens = tokens(&text);
    // Sorted, so two reports' tokens intersect in one merge pass.
    tokens.sort_unstable();
    let route = enriched.route.as_deref().map(without_locale);
    ReportFeatures {
        minhash: signature(&tokens),
        tokens,
        route: route.map(|r| fnv1a(r.as_bytes())),
        section: route.map(|r| fnv1a(section_of(r).as_bytes())),
        component: enriched.component.as_deref().map(|c| fnv1a(c.as_bytes())),
        errors: error_signatures(&report.console),
        warnings: warning_signatures(&report.console),
        requests: failed_requests(&report.breadcrumbs),
        saw_requests: report
            .breadcrumbs
            .iter()
            .any(|b| b.kind == BreadcrumbKind::Request),
        last_click: last_click(&report.breadcrumbs),
        screenshot: enriched
            .screenshot
            .as_ref()
            .and_then(|s| u64::from_str_radix(&s.perceptual_hash, 16).ok()),
        environment: report
            .environment
            .as_deref()
            .map(|e| fnv1a(e.trim().to_lowercase().as_bytes())),
        category: report.category,
    }
}

/// Language codes that sites put first in their paths (`/de/checkout`); the page is the same
/// page in another language.
const LOCALES: &[&str] = &[
    "ar", "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "he", "hr", "hu", "it", "ja",
    "ko", "lt", "lv", "nb", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "th", "tr", "uk",
    "vi", "zh",
];

/// The route without a leading locale segment such as `/de` or `/pt-br`.
fn without_locale(route: &str) -> &str {
    let rest = route.strip_prefix('/').unwrap_or(route);
    let (first, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let language = first
        .split(['-', '_'])
        .next()
        .unwrap_or(first)
        .to_ascii_lowercase();
    let is_locale = first.len() <= 5 && LOCALES.contains(&language.as_str());
    if is_locale {
        if tail.is_empty() {
            "/"
        } else {
            &route[first.len() + 1..]
        }
    } else {
        route
    }
}

/// The first segment of a route: `/account/security` → `/account`, `/` → `/`.
fn section_of(route: &str) -> &str {
    let rest = route.strip_prefix('/').unwrap_or(route);
    match rest.find('/') {
        Some(end) => &route[..end + usize::from(route.starts_with('/'))],
        None => route,
    }
}

/// The most failed requests taken from one report.
const MAX_REQUESTS: usize = 4;

fn failed_requests(breadcrumbs: &[Breadcrumb]) -> Vec<u64> {
    let mut found: Vec<u64> = Vec::new();
    for crumb in breadcrumbs
        .iter()
        .filter(|b| b.kind == BreadcrumbKind::Request)
    {
        let (Some(status), Some(url)) = (crumb.status, crumb.url.as_deref()) else {
            continue;
        };
        if (200..400).contains(&status) {
            continue;
        }
        let method = crumb
            .method
            .as_deref()
            .unwrap_or("GET")
            .to_ascii_uppercase();
        // Which 5xx a failing backend answers depends on the proxy in front of it (500 from
        // the app, 502 or 504 from the gateway): one class. A 4xx says what was wrong.
        let status = if status >= 500 {
            "5xx".to_owned()
        } else {
            status.to_string()
        };
        let signature = fnv1a(
            format!(
                "{method} {} {status}",
                without_locale(&normalize_route(url))
            )
            .as_bytes(),
        );
        if !found.contains(&signature) && found.len() < MAX_REQUESTS {
            found.push(signature);
        }
    }
    found
}

/// The last click's target, as the widget records it (`button#pay-now "Pay now"`): the
/// selector part, without the visible text, which varies with the language.
fn last_click(breadcrumbs: &[Breadcrumb]) -> Option<u64> {
    let crumb = breadcrumbs
        .iter()
        .rev()
        .find(|b| b.kind == BreadcrumbKind::Click)?;
    let selector = crumb
        .message
        .as_deref()?
        .split_whitespace()
        .next()?
        .to_ascii_lowercase();
    Some(fnv1a(selector.as_bytes()))
}

/// Version of the stored form; a stored blob of another version is ignored at load (that
/// report then no longer attracts duplicates). 2: concept tokens carry a flag bit and come
/// from the six-language lexicon; warnings, the route's section and whether the report
/// recorded requests are kept; failed requests fold 5xx statuses into one class.
const VERSION: u8 = 2;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored fold features are not readable: {0}")]
pub struct DecodeError(pub &'static str);

impl ReportFeatures {
    /// The features of a report that says nothing: no words, no route, no console.
    pub fn empty() -> ReportFeatures {
        ReportFeatures {
            tokens: Vec::new(),
            minhash: [u32::MAX; HASHES],
            route: None,
            section: None,
            component: None,
            errors: Vec::new(),
            warnings: Vec::new(),
            requests: Vec::new(),
            saw_requests: false,
            last_click: None,
            screenshot: None,
            environment: None,
            category: None,
        }
    }

    /// A compact binary form (a few hundred bytes) for the report row.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(16 + self.tokens.len() * 4 + HASHES * 4 + 64);
        w.u8(VERSION);
        w.u32s(&self.tokens);
        for slot in self.minhash {
            w.u32(slot);
        }
        self.write_context(&mut w);
        w.finish()
    }

    pub fn decode(bytes: &[u8]) -> Result<ReportFeatures, DecodeError> {
        let mut r = Reader::new(bytes);
        if r.u8()? != VERSION {
            return Err(DecodeError("unknown version"));
        }
        let tokens = r.u32s()?;
        let mut minhash = [0u32; HASHES];
        for slot in &mut minhash {
            *slot = r.u32()?;
        }
        let mut features = Self::read_context(&mut r, tokens)?;
        features.minhash = minhash;
        r.end()?;
        Ok(features)
    }

    /// Everything but the words and their MinHash, in the stored form: what the index keeps
    /// of an exemplar beside its words, to hand the report to another defect on a split.
    pub(crate) fn encode_context(&self) -> Box<[u8]> {
        let mut w = Writer::with_capacity(64);
        self.write_context(&mut w);
        w.finish().into_boxed_slice()
    }

    /// The features of [`Self::encode_context`]'s bytes with these words.
    pub(crate) fn with_context(tokens: Vec<u32>, context: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(context);
        let mut features = Self::read_context(&mut r, tokens)?;
        features.minhash = signature(&features.tokens);
        r.end()?;
        Ok(features)
    }

    /// Lists are written with a one-byte length: features built by [`features`] hold at most
    /// a handful of errors, warnings and requests, and longer lists are cut.
    fn write_context(&self, w: &mut Writer) {
        w.opt_u64(self.route);
        w.opt_u64(self.section);
        w.opt_u64(self.component);
        for list in [&self.errors, &self.warnings] {
            w.u8(list.len().min(255) as u8);
            for error in list.iter().take(255) {
                w.u64(error.specific);
                w.u64(error.message);
                w.u8(u8::from(error.generic));
            }
        }
        w.u8(self.requests.len().min(255) as u8);
        for &request in self.requests.iter().take(255) {
            w.u64(request);
        }
        w.u8(u8::from(self.saw_requests));
        w.opt_u64(self.last_click);
        w.opt_u64(self.screenshot);
        w.opt_u64(self.environment);
        w.u8(match self.category {
            None => 0,
            Some(Category::Bug) => 1,
            Some(Category::Idea) => 2,
            Some(Category::Question) => 3,
            Some(Category::Other) => 4,
        });
    }

    fn read_context(r: &mut Reader<'_>, tokens: Vec<u32>) -> Result<Self, DecodeError> {
        let route = r.opt_u64()?;
        let section = r.opt_u64()?;
        let component = r.opt_u64()?;
        let errors = signatures(r)?;
        let warnings = signatures(r)?;
        let count = r.u8()?;
        let requests = (0..count).map(|_| r.u64()).collect::<Result<Vec<_>, _>>()?;
        let saw_requests = match r.u8()? {
            0 => false,
            1 => true,
            _ => return Err(DecodeError("bad flag")),
        };
        let last_click = r.opt_u64()?;
        let screenshot = r.opt_u64()?;
        let environment = r.opt_u64()?;
        let category = match r.u8()? {
            0 => None,
            1 => Some(Category::Bug),
            2 => Some(Category::Idea),
            3 => Some(Category::Question),
            4 => Some(Category::Other),
            _ => return Err(DecodeError("unknown category")),
        };
        Ok(ReportFeatures {
            tokens,
            minhash: [u32::MAX; HASHES],
            route,
            section,
            component,
            errors,
            warnings,
            requests,
            saw_requests,
            last_click,
            screenshot,
            environment,
            category,
        })
    }
}

fn signatures(r: &mut Reader<'_>) -> Result<Vec<ErrorSignature>, DecodeError> {
    let count = r.u8()?;
    let mut found = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        found.push(ErrorSignature {
            specific: r.u64()?,
            message: r.u64()?,
            generic: match r.u8()? {
                0 => false,
                1 => true,
                _ => return Err(DecodeError("bad flag")),
            },
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_first_segments() {
        assert_eq!(section_of("/account/security"), "/account");
        assert_eq!(section_of("/cart"), "/cart");
        assert_eq!(section_of("/"), "/");
        assert_eq!(section_of("/checkout/:id/pay"), "/checkout");
    }

    #[test]
    fn locales_fold_out_of_routes() {
        assert_eq!(without_locale("/de/checkout/:id/pay"), "/checkout/:id/pay");
        assert_eq!(without_locale("/pt-br/cart"), "/cart");
        assert_eq!(without_locale("/de"), "/");
        assert_eq!(without_locale("/checkout/:id"), "/checkout/:id");
        assert_eq!(without_locale("/go/home"), "/go/home");
        assert_eq!(without_locale("/"), "/");
    }

    #[test]
    fn the_stored_form_round_trips_and_refuses_garbage() {
        let report: ReportPayload = serde_json::from_value(serde_json::json!({
            "description": "Pay button dead",
            "category": "bug",
            "environment": "production",
            "console": [
                {"level": "error", "message": "TypeError: x is not a function"},
                {"level": "warn", "message": "[orders] no line snapshot, using fallback"}
            ],
            "breadcrumbs": [
                {"kind": "click", "message": "button#pay \"Pay\""},
                {"kind": "request", "method": "POST", "url": "https://a.example/api/pay/1", "status": 500}
            ]
        }))
        .expect("a payload");
        let enriched = Enriched {
            route: Some("/de/checkout/:id".into()),
            ..Enriched::default()
        };
        let features = features(&report, &enriched);
        assert_eq!(features.requests.len(), 1);
        assert!(features.saw_requests);
        assert!(features.last_click.is_some());
        assert_eq!((features.errors.len(), features.warnings.len()), (1, 1));
        assert_eq!(features.section, Some(fnv1a(b"/checkout")));

        // A gateway's 502 is the same failure as the app's 500; a 404 is not.
        let mut gateway = report.clone();
        gateway.breadcrumbs[1].status = Some(502);
        assert_eq!(
            super::features(&gateway, &enriched).requests,
            features.requests
        );
        gateway.breadcrumbs[1].status = Some(404);
        assert_ne!(
            super::features(&gateway, &enriched).requests,
            features.requests
        );
        gateway.breadcrumbs[1].status = Some(200);
        let fine = super::features(&gateway, &enriched);
        assert!(fine.requests.is_empty() && fine.saw_requests);
        let bytes = features.encode();
        assert_eq!(ReportFeatures::decode(&bytes), Ok(features));
        for cut in 0..bytes.len() {
            assert!(ReportFeatures::decode(&bytes[..cut]).is_err());
        }
        assert!(ReportFeatures::decode(&[1, 255, 255, 255, 255]).is_err());
    }
}
