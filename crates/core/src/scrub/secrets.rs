//! Secret values found by their key: `password=hunter2`, `"api_key": "..."`, `?token=...`,
//! `Authorization: Token ...`, and the password in `scheme://user:password@host`.
//!
//! The scan triggers on `:` and `=`, looks back for the key (see [`super::keys`] for which
//! names count) and forward for the value, so it costs nothing on text without those bytes.
//! Ambiguous names (`key`, `code`, `session`, ...) need a value that looks generated in text
//! (six or more characters with a digit), so "Error code: 500" and "key: Enter" stay; after
//! `?`, `&` or `#` they are URL parameters and always match.

use super::ScrubKind;
use super::detect::{Hit, Rules};
use super::keys::{MAX_KEY, NormalKey, Strength, classify};
use super::tokens;

/// Weak keys need a digit within this many bytes of their value's start (a random base-62
/// id goes this long without one about once in 80,000). The bound keeps a rejection cheap:
/// a rejected value is scanned again from every `:` and `=` inside it, so a rejection that
/// cost the value's length would make `code:code:code:...` quadratic.
const DIGIT_WINDOW: usize = 64;

/// A secret value after the `:` or `=` at `i`.
pub(super) fn find(rules: &Rules, bytes: &[u8], i: usize, floor: usize) -> Option<Hit> {
    if bytes[i] == b':' && bytes[i + 1..].starts_with(b"//") {
        let (start, end) = userinfo_password(bytes, i)?;
        return Some(Hit {
            start,
            end,
            kind: ScrubKind::UrlSecret,
        });
    }
    // `==`, `!=`, `::`, `=>`, `:=` are operators, not assignments of a value.
    if matches!(bytes.get(i + 1), Some(b'=' | b':' | b'>'))
        || (i > 0 && matches!(bytes[i - 1], b'=' | b'!' | b'<' | b'>' | b':'))
    {
        return None;
    }
    let (key_start, key_end) = key_before(bytes, i, floor)?;
    if !rules.key_endings.may_match(&bytes[key_start..key_end]) {
        return None;
    }
    let key = NormalKey::new(&bytes[key_start..key_end])?;
    let strength = classify(&key, &rules.extra_keys)?;
    let in_url = key_start > 0 && matches!(bytes[key_start - 1], b'?' | b'&' | b'#');
    let (start, quote) = value_start(bytes, i + 1)?;
    // Every rejection below looks at a bounded stretch of the value (see DIGIT_WINDOW);
    // accepted values are replaced and never scanned again.
    let weak = strength == Strength::Weak && !in_url;
    if is_placeholder(&bytes[start..])
        || (rules.tokens() && tokens::scheme_at(bytes, start))
        || (weak && !digit_soon(bytes, start, quote, in_url))
    {
        return None;
    }
    let mut end = value_end(bytes, start, quote, in_url);
    let text = &bytes[start..end];
    if text.is_empty() || (weak && text.len() < 6) || (quote.is_none() && is_not_a_secret(text)) {
        return None;
    }
    // `Authorization: Token abc` and other schemes: the credential follows the scheme word.
    if key.as_bytes().ends_with(b"authorization")
        && quote.is_none()
        && text.iter().all(u8::is_ascii_alphabetic)
        && bytes.get(end) == Some(&b' ')
    {
        // With the token rules on, `Bearer` and `Basic` are theirs, found or not.
        let theirs = rules.tokens()
            && (text.eq_ignore_ascii_case(b"bearer") || text.eq_ignore_ascii_case(b"basic"));
        let credential = &bytes[end + 1..end + 1 + unquoted_len(bytes, end + 1, in_url)];
        if theirs || is_placeholder(credential) || is_not_a_secret(credential) {
            return None;
        }
        end += 1 + credential.len();
    }
    let kind = if in_url {
        ScrubKind::UrlSecret
    } else {
        ScrubKind::SecretAssignment
    };
    Some(Hit { start, end, kind })
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The key before the separator at `i`: optional blanks, an optional closing quote (maybe
/// escaped, for JSON inside a JSON string), then the key's bytes.
fn key_before(bytes: &[u8], i: usize, floor: usize) -> Option<(usize, usize)> {
    let mut end = i;
    while end > floor && is_blank(bytes[end - 1]) {
        end -= 1;
        if i - end > 4 {
            return None;
        }
    }
    if end > floor && matches!(bytes[end - 1], b'"' | b'\'') {
        end -= 1;
        if end > floor && bytes[end - 1] == b'\\' {
            end -= 1;
        }
    }
    let mut start = end;
    while start > floor && is_key_byte(bytes[start - 1]) {
        start -= 1;
        if end - start > MAX_KEY {
            return None;
        }
    }
    // A key glued to an earlier replacement was cut by it; its name is unknown.
    let cut = start == floor && floor > 0 && is_key_byte(bytes[floor - 1]);
    (start < end && !cut).then_some((start, end))
}

/// How a value is quoted: by `"`, `'` or a backtick, by an escaped `\"` (JSON inside a JSON
/// string), or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    Plain(u8),
    Escaped(u8),
}

/// Where the value after a separator starts (past up to four blanks and its opening quote).
fn value_start(bytes: &[u8], from: usize) -> Option<(usize, Option<Quote>)> {
    let blanks = bytes[from..]
        .iter()
        .take(5)
        .take_while(|&&b| is_blank(b))
        .count();
    if blanks > 4 {
        return None;
    }
    let at = from + blanks;
    Some(match *bytes.get(at)? {
        q @ (b'"' | b'\'' | b'`') => (at + 1, Some(Quote::Plain(q))),
        b'\\' if matches!(bytes.get(at + 1), Some(b'"' | b'\'')) => {
            (at + 2, Some(Quote::Escaped(bytes[at + 1])))
        }
        _ => (at, None),
    })
}

fn value_end(bytes: &[u8], start: usize, quote: Option<Quote>, in_url: bool) -> usize {
    match quote {
        Some(Quote::Plain(q)) => quoted_end(bytes, start, q, false),
        Some(Quote::Escaped(q)) => quoted_end(bytes, start, q, true),
        None => {
            let mut end = start + unquoted_len(bytes, start, in_url);
            // Numbers written in groups ("pin: 1234 5678") are one value.
            while end > start
                && bytes[end - 1].is_ascii_digit()
                && bytes.get(end) == Some(&b' ')
                && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
            {
                end += 1 + unquoted_len(bytes, end + 1, in_url);
            }
            // A full stop ends the sentence, not the value.
            while end > start && bytes[end - 1] == b'.' {
                end -= 1;
            }
            end
        }
    }
}

/// Whether a digit comes within [`DIGIT_WINDOW`] bytes of the value's start, before it ends.
fn digit_soon(bytes: &[u8], start: usize, quote: Option<Quote>, in_url: bool) -> bool {
    let ends = |b: u8| match quote {
        Some(Quote::Plain(q) | Quote::Escaped(q)) => b == q || b == b'\n' || b == b'\r',
        None => is_unquoted_stop(b, in_url),
    };
    bytes[start..]
        .iter()
        .take(DIGIT_WINDOW)
        .take_while(|&&b| !ends(b))
        .any(u8::is_ascii_digit)
}

/// The end of a quoted value: its closing quote (`\"` for an escaped one), or the end of the
/// line when it has none, since a cut-off secret is still a secret.
fn quoted_end(bytes: &[u8], start: usize, quote: u8, escaped: bool) -> usize {
    let mut j = start;
    while j < bytes.len() {
        match bytes[j] {
            b'\n' | b'\r' => break,
            b'\\' if escaped && bytes.get(j + 1) == Some(&quote) => break,
            b'\\' => j += 2,
            b if b == quote && !escaped => break,
            _ => j += 1,
        }
    }
    j.min(bytes.len())
}

fn is_unquoted_stop(b: u8, in_url: bool) -> bool {
    b.is_ascii_whitespace()
        || matches!(b, b'&' | b'"' | b'\'' | b'`' | b'<' | b'>')
        || if in_url {
            b == b'#'
        } else {
            matches!(b, b',' | b';' | b')' | b']' | b'}')
        }
}

fn unquoted_len(bytes: &[u8], from: usize, in_url: bool) -> usize {
    bytes.get(from..).map_or(0, |rest| {
        rest.iter()
            .position(|&b| is_unquoted_stop(b, in_url))
            .unwrap_or(rest.len())
    })
}

/// Values that say there is no secret: `password: null`, `token=undefined`, `pwd=****`.
fn is_not_a_secret(value: &[u8]) -> bool {
    value.iter().all(|&b| b == b'*')
        || [
            &b"null"[..],
            b"undefined",
            b"true",
            b"false",
            b"none",
            b"nil",
        ]
        .iter()
        .any(|word| value.eq_ignore_ascii_case(word))
}

/// Whether `text` starts with a placeholder: an earlier pass already replaced this value.
fn is_placeholder(text: &[u8]) -> bool {
    ScrubKind::ALL
        .iter()
        .any(|kind| text.starts_with(kind.placeholder().as_bytes()))
}

/// The password in `scheme://user:password@host`, the `:` at `colon` ending the scheme.
fn userinfo_password(bytes: &[u8], colon: usize) -> Option<(usize, usize)> {
    if colon == 0 || !bytes[colon - 1].is_ascii_alphanumeric() {
        return None;
    }
    let authority = colon + 3;
    let mut at = None;
    for (j, &b) in bytes.iter().enumerate().skip(authority) {
        match b {
            b'@' => at = Some(j),
            b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>' => break,
            b if b.is_ascii_whitespace() => break,
            _ => {}
        }
    }
    let at = at?;
    let start = authority + bytes[authority..at].iter().position(|&b| b == b':')? + 1;
    let redacted = bytes[start..].starts_with(ScrubKind::UrlSecret.placeholder().as_bytes());
    (start < at && !redacted).then_some((start, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_passwords_are_found() {
        fn range(s: &str) -> Option<&str> {
            let colon = s.find("://").unwrap();
            userinfo_password(s.as_bytes(), colon).map(|(a, b)| &s[a..b])
        }
        assert_eq!(
            range("postgres://app:s3cr@t@db.internal:5432/app"),
            Some("s3cr@t")
        );
        assert_eq!(range("https://user@example.com/"), None);
        assert_eq!(range("https://example.com/a:b@c"), None);
        assert_eq!(range("https://u:[redacted]@example.com/"), None);
        assert_eq!(range("https://u:@example.com/"), None);
    }
}
