//! Signatures of console errors: the message with its volatile parts folded (numbers, hashes,
//! ids in URLs, long quoted values) plus the top stack frame without line and column, so the
//! same error from two users' sessions gets the same signature and two different errors do
//! not.

use snag_core::{ConsoleEntry, ConsoleLevel, normalize_route};

use crate::hash::fnv1a;

/// The most error signatures taken from one report (and, separately, the most warnings).
pub const MAX_ERRORS: usize = 4;

/// Errors that many unrelated problems produce: they support a match but never decide one.
const GENERIC: &[&str] = &[
    "failed to load resource: net::err_blocked_by_client",
    "refused to load",
    "refused to execute",
    "failed to fetch",
    "typeerror: failed to fetch",
    "networkerror when attempting to fetch resource",
    "typeerror: networkerror when attempting to fetch resource",
    "load failed",
    "typeerror: load failed",
    "script error",
    "resizeobserver loop",
    "the operation was aborted",
    "aborterror",
    "non-error promise rejection",
    "network error",
    "request failed with status code 0",
    // What browsers themselves log on any page, whatever the problem.
    "[deprecation]",
    "[violation]",
    "third-party cookie",
    "devtools failed to load source map",
    "a cookie associated with a cross-site resource",
    "mixed content",
    "download the react devtools",
    "you are running a development build",
];

/// Browser noise recognised anywhere in a message, not only at its start.
const GENERIC_ANYWHERE: &[&str] = &[
    "was preloaded using link preload but not used",
    "net::err_blocked_by_client",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorSignature {
    /// Folded message and top frame (the message alone when there is no frame).
    pub specific: u64,
    /// Folded message only: the same error seen without its stack still matches, less surely.
    pub message: u64,
    /// A generic error says little about which problem it is.
    pub generic: bool,
}

/// Signatures of the report's error-level console lines, in order, without repeats.
pub fn error_signatures(console: &[ConsoleEntry]) -> Vec<ErrorSignature> {
    signatures_at(console, ConsoleLevel::Error)
}

/// Signatures of the report's warnings: apps log what went wrong as warnings too ("no line
/// snapshot, using fallback"), weaker evidence than an error.
pub fn warning_signatures(console: &[ConsoleEntry]) -> Vec<ErrorSignature> {
    signatures_at(console, ConsoleLevel::Warn)
}

fn signatures_at(console: &[ConsoleEntry], level: ConsoleLevel) -> Vec<ErrorSignature> {
    let mut signatures: Vec<ErrorSignature> = Vec::new();
    for entry in console.iter().filter(|e| e.level == level) {
        let signature = signature_of(&entry.message);
        if !signatures.iter().any(|s| s.specific == signature.specific) {
            signatures.push(signature);
        }
        if signatures.len() == MAX_ERRORS {
            break;
        }
    }
    signatures
}

pub fn signature_of(message: &str) -> ErrorSignature {
    let (text, frame) = split_frame(message);
    let folded = same_in_every_browser(&fold_message(text, false));
    let generic = GENERIC.iter().any(|g| folded.starts_with(g))
        || GENERIC_ANYWHERE.iter().any(|g| folded.contains(g));
    let message = fnv1a(folded.as_bytes());
    // The specific form keeps short numbers: they are codes (a status, a chunk id), the same
    // for every user who meets the error, where long ones are ids and durations.
    let with_codes = same_in_every_browser(&fold_message(text, true));
    let specific = match frame.map(fold_frame) {
        Some(frame) => fnv1a(format!("{with_codes}|{frame}").as_bytes()),
        None => fnv1a(with_codes.as_bytes()),
    };
    ErrorSignature {
        specific,
        message,
        generic,
    }
}

/// Chrome, Firefox and Safari word the commonest errors differently; folds them to one form.
/// `Cannot read properties of undefined (reading 'total')`, `can't access property "total",
/// e.basket is undefined` and `undefined is not an object (evaluating 'e.basket.total')` all
/// become `typeerror: cannot read 'total' of undefined`.
fn same_in_every_browser(folded: &str) -> String {
    let between = |text: &str, start: &str, end: char| -> Option<String> {
        let at = text.find(start)? + start.len();
        let rest = &text[at..];
        Some(rest[..rest.find(end)?].to_owned())
    };
    let last_segment =
        |expression: String| expression.rsplit('.').next().unwrap_or_default().to_owned();
    let property = between(folded, "(reading '", '\'')
        .or_else(|| between(folded, "can't access property \"", '"'))
        .or_else(|| between(folded, "cannot read property '", '\''))
        .or_else(|| between(folded, "is not an object (evaluating '", '\'').map(last_segment));
    if let Some(property) = property {
        return format!("typeerror: cannot read '{property}' of undefined");
    }
    if let Some(at) = folded.find(" is not a function") {
        let callee = folded[..at].rsplit([' ', '.']).next().unwrap_or_default();
        return format!("typeerror: {callee} is not a function");
    }
    folded.to_owned()
}

/// Splits "message at fn (file:1:2)" or a message followed by stack lines into the message
/// and its first frame.
fn split_frame(message: &str) -> (&str, Option<&str>) {
    let first_line_end = message.find('\n').unwrap_or(message.len());
    let first_line = &message[..first_line_end];
    if let Some(at) = first_line.find(" at ") {
        return (&first_line[..at], Some(first_line[at + 4..].trim()));
    }
    let frame = message[first_line_end..]
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("at ") || l.contains('@'))
        .map(|l| l.trim_start_matches("at ").trim());
    (first_line, frame)
}

fn fold_message(text: &str, keep_codes: bool) -> String {
    let text = text.trim();
    let text = text.strip_prefix("Uncaught ").unwrap_or(text);
    let text = text.strip_prefix("(in promise) ").unwrap_or(text);
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for word in lower.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&fold_word(word, keep_codes));
    }
    out
}

/// Folds what varies between occurrences of one error: URLs to their route, any run of
/// letters and digits that holds a digit (numbers, ids, hashes, request ids) to `0`, long quoted
/// values to `'?'`. Short quoted identifiers stay: "(reading 'total')" and "(reading 'items')"
/// are different bugs. With `keep_codes`, a number of at most three digits stays.
fn fold_word(word: &str, keep_codes: bool) -> String {
    if word.contains("://") {
        return normalize_route(word.trim_matches(|c: char| "()'\",;".contains(c)));
    }
    let quoted = word.len() > 2
        && (word.starts_with('\'') || word.starts_with('"'))
        && word[1..].trim_end_matches([')', ',', '.', ';']).len() > 32;
    if quoted {
        return "'?'".into();
    }
    let mut out = String::with_capacity(word.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let code = keep_codes && run.len() <= 3 && run.bytes().all(|b| b.is_ascii_digit());
        if !code && run.bytes().any(|b| b.is_ascii_digit()) {
            out.push('0');
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in word.chars() {
        if c.is_ascii_alphanumeric() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// `PaymentForm.submit (https://x/checkout.8f2a1b.js:1:48213)` → `paymentform.submit checkout.js`.
fn fold_frame(frame: &str) -> String {
    let (function, location) = match frame.split_once(" (") {
        Some((function, location)) => (function.trim(), location.trim_end_matches(')')),
        None => match frame.split_once('@') {
            Some((function, location)) => (function.trim(), location),
            None => ("", frame),
        },
    };
    let file = location.rsplit('/').next().unwrap_or(location);
    let file = file.split(':').next().unwrap_or(file);
    let file: Vec<&str> = file
        .split('.')
        .filter(|part| !(part.len() >= 6 && part.bytes().all(|b| b.is_ascii_hexdigit())))
        .collect();
    // Browsers name the same function differently (`PaymentForm.submit` in Chrome, `submit`
    // in Safari): the last name is the one they share.
    let function = function.rsplit('.').next().unwrap_or(function);
    format!(
        "{} {}",
        function.to_lowercase(),
        file.join(".").to_lowercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volatile_parts_fold() {
        let a = signature_of(
            "TypeError: Cannot read properties of undefined (reading 'total') at PaymentForm.submit (https://shop.example/static/checkout.8f2a1b.js:1:48213)",
        );
        let b = signature_of(
            "Uncaught TypeError: Cannot read properties of undefined (reading 'total') at PaymentForm.submit (https://shop.example/static/checkout.77c3d9.js:1:50002)",
        );
        assert_eq!(a.specific, b.specific);
        assert!(!a.generic);
    }

    #[test]
    fn a_different_property_or_frame_is_a_different_error() {
        let total = signature_of(
            "TypeError: Cannot read properties of undefined (reading 'total') at PaymentForm.submit (checkout.js:1:2)",
        );
        let items = signature_of(
            "TypeError: Cannot read properties of undefined (reading 'items') at PaymentForm.submit (checkout.js:1:2)",
        );
        let other_frame = signature_of(
            "TypeError: Cannot read properties of undefined (reading 'total') at CartSummary.render (cart.js:1:2)",
        );
        assert_ne!(total.specific, items.specific);
        assert_ne!(total.specific, other_frame.specific);
    }

    #[test]
    fn ids_in_urls_and_numbers_fold() {
        let a = signature_of(
            "POST https://shop.example/api/orders/81234/pay?x=1 500 (Internal Server Error)",
        );
        let b =
            signature_of("POST https://shop.example/api/orders/99/pay 500 (Internal Server Error)");
        assert_eq!(a.specific, b.specific);
        let c = signature_of("ChunkLoadError: Loading chunk 712 failed.");
        let d = signature_of("ChunkLoadError: Loading chunk 98 failed.");
        assert_eq!(c.message, d.message);
        assert_ne!(c.specific, d.specific, "a chunk id is a code, not an id");
        let e = signature_of("[intercom] widget boot took 2768ms");
        let f = signature_of("[intercom] widget boot took 312ms");
        assert_eq!(e.specific, f.specific);
    }

    #[test]
    fn browsers_agree() {
        let chrome = signature_of(
            "Uncaught TypeError: Cannot read properties of undefined (reading 'total')\n    at PaymentForm.submit (https://a/checkout.8f2a1b.js:1:48213)",
        );
        let safari = signature_of(
            "TypeError: undefined is not an object (evaluating 'e.basket.total')\nsubmit@https://a/checkout.77aa01.js:1:9",
        );
        let firefox =
            signature_of("TypeError: can't access property \"total\", e.basket is undefined");
        assert_eq!(chrome.specific, safari.specific);
        assert_eq!(chrome.message, firefox.message);
        assert_ne!(
            chrome.specific, firefox.specific,
            "no frame, so only the message matches"
        );
    }

    #[test]
    fn request_ids_fold() {
        let a = signature_of(
            r#"[payments] POST /api/payments failed: 504 {"error":"upstream_timeout","request_id":"req_4a8e"}"#,
        );
        let b = signature_of(
            r#"[payments] POST /api/payments failed: 504 {"error":"upstream_timeout","request_id":"req_91bc3d"}"#,
        );
        assert_eq!(a.specific, b.specific);
    }

    #[test]
    fn generic_errors_are_marked() {
        assert!(signature_of("TypeError: Failed to fetch").generic);
        assert!(signature_of("Uncaught (in promise) TypeError: Failed to fetch").generic);
        assert!(!signature_of("RangeError: Invalid time value").generic);
        assert!(signature_of("[Deprecation] Listener added for a 'DOMNodeInserted' event").generic);
        assert!(
            signature_of(
                "The resource https://a.example/f.woff2 was preloaded using link preload but not used within a few seconds"
            )
            .generic
        );
    }

    #[test]
    fn warnings_are_read_apart_from_errors() {
        let line = |level, message: &str| ConsoleEntry {
            level,
            message: message.into(),
            ts: None,
        };
        let console = [
            line(
                ConsoleLevel::Warn,
                "[orders] order 81668 has no line snapshot",
            ),
            line(ConsoleLevel::Error, "TypeError: x is not a function"),
            line(ConsoleLevel::Info, "[analytics] page_view sent"),
            line(
                ConsoleLevel::Warn,
                "[orders] order 90668 has no line snapshot",
            ),
        ];
        assert_eq!(error_signatures(&console).len(), 1);
        let warnings = warning_signatures(&console);
        assert_eq!(warnings.len(), 1, "the same warning with another id is one");
        assert!(!warnings[0].generic);
    }

    #[test]
    fn stack_lines_give_the_frame() {
        let a = signature_of(
            "Error: boom\n    at render (https://a/app.123abc.js:10:5)\n    at x (y.js:1:1)",
        );
        let b = signature_of("Error: boom\n    at render (https://a/app.fed987.js:11:9)");
        assert_eq!(a.specific, b.specific);
        let firefox = signature_of("Error: boom\nrender@https://a/app.123abc.js:10:5");
        assert_eq!(firefox.specific, a.specific);
    }
}
