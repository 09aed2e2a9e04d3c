//! Parsing and validating a report payload from raw request bytes.
//!
//! Every refusal names the field it concerns, so a client knows what to fix: malformed JSON,
//! a wrong type, a missing or empty description, a bad enum value, a bad URL, or a field past
//! its [`Limits`].

use alloc::{
    borrow::ToOwned,
    format,
    string::{String, ToString},
};

use serde_json::error::Category as JsonCategory;

use crate::limits::Limits;
use crate::payload::{Page, ReportPayload};
use crate::rejection::{Problem, Refusal, RejectCode, Rejection};

/// Parses `body` as report payload v1 and checks it against `limits`.
pub fn parse_report(body: &[u8], limits: &Limits) -> Result<ReportPayload, Rejection> {
    if body.len() > limits.max_body_bytes {
        return Err(Rejection::whole(
            RejectCode::TooLarge,
            format!(
                "the request body is larger than {} bytes",
                limits.max_body_bytes
            ),
        ));
    }
    let report = deserialize(body)?;
    validate_report(&report, limits)?;
    Ok(report)
}

fn deserialize(body: &[u8]) -> Result<ReportPayload, Rejection> {
    parse_json_object(body)
}

/// Parses a JSON object body into `T`; a refusal names the field, as for reports. Used for
/// every JSON body the API takes.
pub fn parse_json_object<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Rejection> {
    // serde's derived structs also accept a JSON array (fields by position); our bodies are
    // objects, so anything else is refused as a wrong type, if it is JSON at all.
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                Ok(_) => {
                    Rejection::whole(RejectCode::InvalidType, "the body must be a JSON object")
                }
                Err(err) => Rejection::whole(
                    RejectCode::MalformedJson,
                    format!("the body is not valid JSON: {err}"),
                ),
            },
        );
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| json_rejection(&err))?;
    de.end().map_err(|err| {
        Rejection::whole(
            RejectCode::MalformedJson,
            format!("the body is not valid JSON: {err}"),
        )
    })?;
    Ok(value)
}

fn json_rejection(err: &serde_path_to_error::Error<serde_json::Error>) -> Rejection {
    let inner = err.inner();
    let path = err.path().to_string();
    let field = (path != ".").then_some(path);
    match inner.classify() {
        JsonCategory::Syntax | JsonCategory::Eof | JsonCategory::Io => Rejection::whole(
            RejectCode::MalformedJson,
            format!("the body is not valid JSON: {inner}"),
        ),
        JsonCategory::Data => data_rejection(inner, field),
    }
}

/// Sorts serde's data errors into our codes. serde reports them only as text, so the text's
/// stable prefixes (from `serde::de::Error`'s provided constructors) decide.
fn data_rejection(inner: &serde_json::Error, field: Option<String>) -> Rejection {
    let text = inner.to_string();
    let message = strip_position(&text);
    if let Some(name) = backticked_after(message, "missing field ") {
        let field = match field {
            Some(parent) => format!("{parent}.{name}"),
            None => name.to_owned(),
        };
        return Rejection::new(RejectCode::MissingField, field, message.to_owned());
    }
    if let Some(name) = backticked_after(message, "unknown field ") {
        let field = match field {
            Some(parent) if !parent.ends_with(name) => format!("{parent}.{name}"),
            Some(parent) => parent,
            None => name.to_owned(),
        };
        return Rejection::new(RejectCode::InvalidValue, field, message.to_owned());
    }
    let code = if message.starts_with("unknown variant") || message.starts_with("invalid value") {
        RejectCode::InvalidValue
    } else {
        RejectCode::InvalidType
    };
    let field_or_body = match &field {
        Some(f) => f.clone(),
        None => "the body".to_owned(),
    };
    Rejection {
        code,
        message: format!("{field_or_body}: {message}"),
        field,
    }
}

/// serde_json appends " at line L column C"; the position means little to a client once the
/// field is named.
fn strip_position(text: &str) -> &str {
    match text.rfind(" at line ") {
        Some(at) => &text[..at],
        None => text,
    }
}

fn backticked_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split('`').next()
}

/// Checks an already-built report against `limits`: what [`parse_report`] checks after parsing.
pub fn validate_report(report: &ReportPayload, limits: &Limits) -> Result<(), Rejection> {
    check_report(report, limits).map_err(Rejection::from)
}

/// [`validate_report`] without the sentence: the widget runs it to refuse, before sending,
/// exactly what the server would refuse, and tells the user in their language what kind of
/// problem it is and which field (its JSON path).
pub fn check_report(report: &ReportPayload, limits: &Limits) -> Result<(), Refusal> {
    let description = report
        .description
        .as_deref()
        .ok_or_else(|| Refusal::new(RejectCode::MissingField, "description", Problem::Required))?;
    if description.trim().is_empty() {
        return Err(Refusal::new(
            RejectCode::EmptyField,
            "description",
            Problem::Empty,
        ));
    }
    check_len("description", description, limits.max_description_chars)?;
    check_opt("title", &report.title, limits.max_title_chars)?;
    check_opt("steps", &report.steps, limits.max_text_chars)?;
    check_opt("expected", &report.expected, limits.max_text_chars)?;
    check_opt("actual", &report.actual, limits.max_text_chars)?;
    check_opt("release", &report.release, limits.max_short_chars)?;
    check_opt("environment", &report.environment, limits.max_short_chars)?;
    if let Some(reporter) = &report.reporter {
        check_opt("reporter.id", &reporter.id, limits.max_short_chars)?;
        check_opt("reporter.email", &reporter.email, limits.max_short_chars)?;
        check_opt("reporter.name", &reporter.name, limits.max_short_chars)?;
    }
    if let Some(page) = &report.page {
        validate_page(page, limits)?;
    }
    validate_client(report, limits)?;
    validate_lists(report, limits)?;
    validate_screenshot(report.screenshot.as_deref(), limits)?;
    validate_idempotency_key(report.idempotency_key.as_deref(), limits)
}

fn validate_page(page: &Page, limits: &Limits) -> Result<(), Refusal> {
    check_opt("page.title", &page.title, limits.max_short_chars)?;
    if let Some(url) = &page.url {
        check_len("page.url", url, limits.max_url_chars)?;
        if !is_web_url(url) {
            return Err(Refusal::new(
                RejectCode::InvalidUrl,
                "page.url",
                Problem::NotWebUrl,
            ));
        }
    }
    if let Some(referrer) = page.referrer.as_deref().filter(|r| !r.is_empty()) {
        check_len("page.referrer", referrer, limits.max_url_chars)?;
        if !is_absolute_url(referrer) {
            return Err(Refusal::new(
                RejectCode::InvalidUrl,
                "page.referrer",
                Problem::NotAbsoluteUrl,
            ));
        }
    }
    Ok(())
}

#[cfg(feature = "url")]
fn is_web_url(text: &str) -> bool {
    match url::Url::parse(text) {
        Ok(url) => matches!(url.scheme(), "http" | "https") && url.has_host(),
        Err(_) => false,
    }
}

#[cfg(feature = "url")]
fn is_absolute_url(text: &str) -> bool {
    url::Url::parse(text).is_ok()
}

/// Without the `url` feature (the widget, checking what the browser itself produced): an
/// `http(s)://` prefix and a non-empty host, nothing the server would parse differently for
/// such URLs. The server re-checks with the `url` crate.
///
/// Written over bytes (every delimiter is ASCII): the same steps with `str`'s pattern
/// methods cost the widget 1 KB gzipped.
#[cfg(not(feature = "url"))]
fn is_web_url(text: &str) -> bool {
    let text = trim_controls_and_spaces(text.as_bytes());
    let rest = [b"http://".as_slice(), b"https://"]
        .into_iter()
        .find_map(|scheme| {
            let head = text.get(..scheme.len())?;
            head.eq_ignore_ascii_case(scheme)
                .then(|| text.get(scheme.len()..))
                .flatten()
        });
    let Some(rest) = rest else { return false };
    let authority = until(rest, |b| matches!(b, b'/' | b'?' | b'#' | b'\\'));
    let host_port = match authority.iter().rposition(|&b| b == b'@') {
        Some(at) => authority.get(at + 1..).unwrap_or_default(),
        None => authority,
    };
    let host = if host_port.first() == Some(&b'[') {
        let bracketed = until(host_port, |b| b == b']');
        let open = bracketed.iter().take_while(|&&b| b == b'[').count();
        bracketed.get(open..).unwrap_or_default()
    } else {
        until(host_port, |b| b == b':')
    };
    // A space, an ASCII control, or a C1 control (U+0080..U+009F, UTF-8 `C2 80`..`C2 9F`).
    let bad = |pair: &[u8]| {
        pair[0] == b' '
            || pair[0].is_ascii_control()
            || (pair[0] == 0xc2 && pair.get(1).is_some_and(|b| (0x80..=0x9f).contains(b)))
    };
    !host.is_empty() && !(0..host.len()).any(|i| bad(host.get(i..).unwrap_or_default()))
}

/// Without the `url` feature: a scheme (`letter *(letter / digit / + - .)`) and a colon.
#[cfg(not(feature = "url"))]
fn is_absolute_url(text: &str) -> bool {
    let text = trim_controls_and_spaces(text.as_bytes());
    let scheme = until(text, |b| b == b':');
    scheme.len() < text.len()
        && scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// `text` without the characters up to U+0020 at either end (all of them single bytes).
#[cfg(not(feature = "url"))]
fn trim_controls_and_spaces(text: &[u8]) -> &[u8] {
    let start = text.iter().take_while(|&&b| b <= b' ').count();
    let rest = text.get(start..).unwrap_or_default();
    let trailing = rest.iter().rev().take_while(|&&b| b <= b' ').count();
    rest.get(..rest.len() - trailing).unwrap_or_default()
}

/// The bytes before the first one matching `stop` (all of them if none does).
#[cfg(not(feature = "url"))]
fn until(bytes: &[u8], stop: impl Fn(u8) -> bool) -> &[u8] {
    let end = bytes.iter().position(|&b| stop(b)).unwrap_or(bytes.len());
    bytes.get(..end).unwrap_or_default()
}

fn validate_client(report: &ReportPayload, limits: &Limits) -> Result<(), Refusal> {
    let Some(client) = &report.client else {
        return Ok(());
    };
    check_opt(
        "client.user_agent",
        &client.user_agent,
        limits.max_short_chars,
    )?;
    check_opt("client.language", &client.language, limits.max_short_chars)?;
    check_opt("client.timezone", &client.timezone, limits.max_short_chars)?;
    if client
        .pixel_ratio
        .is_some_and(|ratio| !(ratio > 0.0 && ratio <= 16.0))
    {
        return Err(Refusal::new(
            RejectCode::InvalidValue,
            "client.pixel_ratio",
            Problem::PixelRatioOutOfRange,
        ));
    }
    Ok(())
}

fn validate_lists(report: &ReportPayload, limits: &Limits) -> Result<(), Refusal> {
    if report.console.len() > limits.max_console_entries {
        return Err(Refusal::too_many("console", limits.max_console_entries));
    }
    for (i, entry) in report.console.iter().enumerate() {
        if too_long(&entry.message, limits.max_console_message_chars) {
            let field = list_field("console", i, "message");
            return Err(Refusal::too_long(field, limits.max_console_message_chars));
        }
    }
    if report.breadcrumbs.len() > limits.max_breadcrumbs {
        return Err(Refusal::too_many("breadcrumbs", limits.max_breadcrumbs));
    }
    for (i, crumb) in report.breadcrumbs.iter().enumerate() {
        let parts = [
            ("message", &crumb.message, limits.max_breadcrumb_chars),
            ("url", &crumb.url, limits.max_url_chars),
            ("method", &crumb.method, 16),
        ];
        for (name, value, max) in parts {
            if value.as_deref().is_some_and(|v| too_long(v, max)) {
                return Err(Refusal::too_long(list_field("breadcrumbs", i, name), max));
            }
        }
    }
    if report.custom.len() > limits.max_custom_entries {
        return Err(Refusal::too_many("custom", limits.max_custom_entries));
    }
    for (key, value) in &report.custom {
        if too_long(key, limits.max_custom_key_chars) {
            return Err(Refusal::new(
                RejectCode::TooLarge,
                "custom",
                Problem::KeyTooLong(limits.max_custom_key_chars),
            ));
        }
        if too_long(value, limits.max_custom_value_chars) {
            let mut field = String::from("custom.");
            field.push_str(key);
            return Err(Refusal::too_long(field, limits.max_custom_value_chars));
        }
    }
    Ok(())
}

/// Formats accepted as screenshot data URLs, with their media types.
pub const SCREENSHOT_MEDIA_TYPES: [&str; 3] = ["image/png", "image/jpeg", "image/webp"];

/// Checks the data URL's form and its decoded size, which is known from the base64 length
/// without decoding. The image itself is decoded (with pixel limits) during enrichment.
fn validate_screenshot(screenshot: Option<&str>, limits: &Limits) -> Result<(), Refusal> {
    let Some(data_url) = screenshot else {
        return Ok(());
    };
    let Some((media_type, base64)) = split_data_url(data_url) else {
        return Err(Refusal::new(
            RejectCode::InvalidImage,
            "screenshot",
            Problem::NotDataUrl,
        ));
    };
    if !SCREENSHOT_MEDIA_TYPES.contains(&media_type) {
        return Err(Refusal::new(
            RejectCode::InvalidImage,
            "screenshot",
            Problem::ImageType(media_type.to_owned()),
        ));
    }
    let decoded_len = base64.len() / 4 * 3;
    if decoded_len > limits.max_screenshot_bytes + 2 {
        return Err(Refusal::new(
            RejectCode::TooLarge,
            "screenshot",
            Problem::ImageTooLarge(limits.max_screenshot_bytes),
        ));
    }
    Ok(())
}

/// Splits `data:<media type>;base64,<data>` into its media type and base64 text.
pub fn split_data_url(data_url: &str) -> Option<(&str, &str)> {
    let rest = data_url.strip_prefix("data:")?;
    // A byte search, not `split_once(',')`: the widget runs this, and a char pattern is a
    // searcher of its own in its code.
    let comma = rest.bytes().position(|b| b == b',')?;
    let (header, data) = (rest.get(..comma)?, rest.get(comma + 1..)?);
    let media_type = header.strip_suffix(";base64")?;
    Some((media_type, data))
}

fn validate_idempotency_key(key: Option<&str>, limits: &Limits) -> Result<(), Refusal> {
    let Some(key) = key else { return Ok(()) };
    let valid = !key.is_empty()
        && key.len() <= limits.max_idempotency_key_chars
        && key.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(())
    } else {
        Err(Refusal::new(
            RejectCode::InvalidValue,
            "idempotency_key",
            Problem::IdempotencyKeyInvalid(limits.max_idempotency_key_chars),
        ))
    }
}

fn check_opt(field: &str, value: &Option<String>, max: usize) -> Result<(), Refusal> {
    match value {
        Some(value) => check_len(field, value, max),
        None => Ok(()),
    }
}

fn check_len(field: &str, value: &str, max: usize) -> Result<(), Refusal> {
    if too_long(value, max) {
        Err(Refusal::too_long(field, max))
    } else {
        Ok(())
    }
}

/// `list[index].name`, written without the formatting machinery (the widget names fields
/// with this, and `format!` would be its only use of it).
fn list_field(list: &str, index: usize, name: &str) -> String {
    let mut field = String::with_capacity(list.len() + name.len() + 8);
    field.push_str(list);
    field.push('[');
    crate::decimal::push_decimal(&mut field, index as u64);
    field.push_str("].");
    field.push_str(name);
    field
}

/// Whether `value` has more than `max` characters. Fields named by their place in a list are
/// only spelled out when one is (the server checks up to 200 of them per report).
fn too_long(value: &str, max: usize) -> bool {
    // A string never has more characters than bytes, so most values skip the count.
    value.len() > max && char_count(value) > max
}

/// What `value.chars().count()` gives: the bytes that start a character (all but UTF-8's
/// continuation bytes, `0b10xx_xxxx`). The widget runs this; core's word-at-a-time count is
/// 0.8 KB of wasm.
fn char_count(value: &str) -> usize {
    value.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;
    use crate::{Breadcrumb, BreadcrumbKind, ConsoleEntry, ConsoleLevel};

    #[test]
    fn char_count_counts_characters() {
        for text in [
            "",
            "plain",
            "é",
            "日本語",
            "a😀b",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}",
        ] {
            assert_eq!(char_count(text), text.chars().count(), "{text:?}");
        }
    }

    fn report() -> ReportPayload {
        ReportPayload {
            description: Some("x".into()),
            ..ReportPayload::default()
        }
    }

    fn crumb() -> Breadcrumb {
        Breadcrumb {
            kind: BreadcrumbKind::Request,
            message: None,
            url: None,
            method: None,
            status: None,
            ts: None,
        }
    }

    /// The field a refusal names, or `None` when the report passes.
    fn refused(report: &ReportPayload, limits: &Limits) -> Option<String> {
        validate_report(report, limits).err().and_then(|r| r.field)
    }

    /// The server's sentences, as they were written before refusals were put in words
    /// separately (clients may show them).
    #[test]
    fn refusals_read_as_the_server_always_wrote_them() {
        let limits = Limits::default();
        let sentence = |mutate: &dyn Fn(&mut ReportPayload)| {
            let mut r = report();
            mutate(&mut r);
            let rejection = validate_report(&r, &limits).unwrap_err();
            let refusal = check_report(&r, &limits).unwrap_err();
            assert_eq!(Some(refusal.field.clone()), rejection.field);
            assert_eq!(refusal.code, rejection.code);
            rejection.message
        };
        fn long(n: usize) -> String {
            "x".repeat(n + 1)
        }
        type Mutate = Box<dyn Fn(&mut ReportPayload)>;
        let cases: Vec<(Mutate, String)> = vec![
            (Box::new(|r: &mut ReportPayload| r.description = None), "description is required".into()),
            (Box::new(|r: &mut ReportPayload| r.description = Some(" ".into())), "description must not be empty".into()),
            (
                Box::new(|r: &mut ReportPayload| r.title = Some(long(Limits::default().max_title_chars))),
                format!("title is longer than {} characters", limits.max_title_chars),
            ),
            (
                Box::new(|r: &mut ReportPayload| {
                    r.page = Some(Page {
                        url: Some("ftp://x".into()),
                        ..Page::default()
                    })
                }),
                "page.url must be an absolute http or https URL".into(),
            ),
            (
                Box::new(|r: &mut ReportPayload| {
                    r.page = Some(Page {
                        referrer: Some("nope".into()),
                        ..Page::default()
                    })
                }),
                "page.referrer must be empty or an absolute URL".into(),
            ),
            (
                Box::new(|r: &mut ReportPayload| {
                    r.client = Some(crate::Client {
                        pixel_ratio: Some(0.0),
                        ..crate::Client::default()
                    })
                }),
                "client.pixel_ratio must be above 0 and at most 16".into(),
            ),
            (
                Box::new(|r: &mut ReportPayload| {
                    r.console = (0..=Limits::default().max_console_entries)
                        .map(|_| ConsoleEntry {
                            level: ConsoleLevel::Error,
                            message: String::new(),
                            ts: None,
                        })
                        .collect()
                }),
                format!("console has more than {} entries", limits.max_console_entries),
            ),
            (
                Box::new(|r: &mut ReportPayload| {
                    r.custom
                        .insert(long(Limits::default().max_custom_key_chars), String::new());
                }),
                format!(
                    "a custom key is longer than {} characters",
                    limits.max_custom_key_chars
                ),
            ),
            (
                Box::new(|r: &mut ReportPayload| r.screenshot = Some("png".into())),
                "screenshot must be a data URL: data:image/png;base64,... (or image/jpeg, image/webp)"
                    .into(),
            ),
            (
                Box::new(|r: &mut ReportPayload| r.screenshot = Some("data:image/gif;base64,R0lG".into())),
                "screenshot type image/gif is not one of PNG, JPEG or WebP".into(),
            ),
            (
                Box::new(|r: &mut ReportPayload| {
                    let len = (Limits::default().max_screenshot_bytes + 3) / 3 * 4 + 8;
                    r.screenshot = Some(["data:image/png;base64,", &"A".repeat(len)].concat());
                }),
                format!(
                    "screenshot is larger than {} bytes",
                    limits.max_screenshot_bytes
                ),
            ),
            (
                Box::new(|r: &mut ReportPayload| r.idempotency_key = Some("has space".into())),
                format!(
                    "idempotency_key must be 1 to {} printable ASCII characters",
                    limits.max_idempotency_key_chars
                ),
            ),
        ];
        for (mutate, expected) in cases {
            assert_eq!(sentence(&*mutate), expected);
        }
    }

    #[test]
    fn list_fields_are_named_by_place() {
        assert_eq!(list_field("console", 0, "message"), "console[0].message");
        assert_eq!(
            list_field("breadcrumbs", 1_207, "url"),
            "breadcrumbs[1207].url"
        );
    }

    #[test]
    fn list_items_are_checked_at_and_past_their_limits_and_named_by_place() {
        let limits = Limits {
            max_url_chars: 20,
            max_breadcrumb_chars: 10,
            max_console_message_chars: 12,
            max_custom_value_chars: 5,
            ..Limits::default()
        };
        // Multi-byte characters: the limits count characters, not bytes.
        let chars = |n: usize| "é".repeat(n);
        let mut ok = report();
        ok.breadcrumbs = vec![crumb(), crumb()];
        ok.breadcrumbs[1].url = Some(chars(20));
        ok.breadcrumbs[1].message = Some(chars(10));
        ok.breadcrumbs[1].method = Some("M".repeat(16));
        ok.console = vec![ConsoleEntry {
            level: ConsoleLevel::Error,
            message: chars(12),
            ts: None,
        }];
        ok.custom.insert("plan".into(), chars(5));
        assert_eq!(refused(&ok, &limits), None);

        let past = |change: &dyn Fn(&mut ReportPayload)| {
            let mut report = ok.clone();
            change(&mut report);
            refused(&report, &limits)
        };
        let field = |name: &str| Some(name.to_owned());
        assert_eq!(
            past(&|r| r.breadcrumbs[1].url = Some(chars(21))),
            field("breadcrumbs[1].url")
        );
        assert_eq!(
            past(&|r| r.breadcrumbs[1].message = Some(chars(11))),
            field("breadcrumbs[1].message")
        );
        assert_eq!(
            past(&|r| r.breadcrumbs[1].method = Some("M".repeat(17))),
            field("breadcrumbs[1].method")
        );
        assert_eq!(
            past(&|r| r.console[0].message = chars(13)),
            field("console[0].message")
        );
        assert_eq!(
            past(&|r| {
                r.custom.insert("plan".into(), chars(6));
            }),
            field("custom.plan")
        );
    }
}
