//! Secrets named by their key: `password=hunter2`, `"api_key": "..."`, `?token=...`,
//! `Authorization: Token ...`, and the password in `scheme://user:password@host`.
//!
//! The scan triggers on `:` and `=`, looks back for the key and forward for the value, so it
//! costs nothing on text without those bytes. A key matches when, without case and without
//! `_`, `-` and `.`, it is one of the names below, or ends with an unambiguous one at a word
//! boundary (`db_password`, `X-Auth-Token`, `clientSecret`). Ambiguous names (`key`, `code`,
//! `session`, ...) only match whole, and in text their value must look generated (six or more
//! characters with a digit), so "Error code: 500" and "key: Enter" stay; after `?`, `&` or `#`
//! they are URL parameters and always match.

use super::ScrubKind;
use super::detect::{Hit, Rules};
use super::tokens;

/// Keys longer than this (after normalizing) are not secret names; it also bounds the look
/// back from every `:` and `=`.
const MAX_KEY: usize = 64;

/// A key lowercased with separators dropped, remembering where its words began.
#[derive(Clone)]
pub(super) struct NormalKey {
    bytes: [u8; MAX_KEY],
    len: usize,
    /// Bit `n` is set when a word starts at normalized position `n`.
    word_starts: u64,
}

impl NormalKey {
    /// `None` for keys too long to be a secret name. Bytes other than ASCII letters and
    /// digits separate words; so does a lowercase-to-uppercase step (`apiKey`).
    pub fn new(raw: &[u8]) -> Option<Self> {
        let mut key = NormalKey {
            bytes: [0; MAX_KEY],
            len: 0,
            word_starts: 0,
        };
        let mut boundary = true;
        let mut after_lower = false;
        for &b in raw {
            if !b.is_ascii_alphanumeric() {
                boundary = true;
                after_lower = false;
                continue;
            }
            if key.len == MAX_KEY {
                return None;
            }
            if boundary || (after_lower && b.is_ascii_uppercase()) {
                key.word_starts |= 1 << key.len;
                boundary = false;
            }
            after_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
            key.bytes[key.len] = b.to_ascii_lowercase();
            key.len += 1;
        }
        Some(key)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn matches(&self, name: &[u8], as_suffix: bool) -> bool {
        let key = self.as_bytes();
        // Comparing the last bytes first keeps most misses away from a full comparison.
        if key.len() < name.len() || key.last() != name.last() {
            return false;
        }
        let at = key.len() - name.len();
        (at == 0 || (as_suffix && self.word_starts >> at & 1 == 1)) && key[at..] == *name
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// Only ever a secret: matches as a suffix too, any value.
    Strong,
    /// Also an ordinary word: matches whole, and in text only with a generated-looking value.
    Weak,
}

/// Normalized secret key names. Strong names come first so `session_token` is a token.
const KEYS: [(&[u8], Strength); 26] = [
    (b"password", Strength::Strong),
    (b"passwd", Strength::Strong),
    (b"pwd", Strength::Strong),
    (b"secret", Strength::Strong),
    (b"clientsecret", Strength::Strong),
    (b"token", Strength::Strong),
    (b"accesstoken", Strength::Strong),
    (b"refreshtoken", Strength::Strong),
    (b"idtoken", Strength::Strong),
    (b"apikey", Strength::Strong),
    (b"authorization", Strength::Strong),
    (b"credential", Strength::Strong),
    (b"credentials", Strength::Strong),
    (b"privatekey", Strength::Strong),
    (b"signature", Strength::Strong),
    (b"jsessionid", Strength::Strong),
    (b"phpsessid", Strength::Strong),
    (b"key", Strength::Weak),
    (b"auth", Strength::Weak),
    (b"session", Strength::Weak),
    (b"sessionid", Strength::Weak),
    (b"sessid", Strength::Weak),
    (b"connectsid", Strength::Weak),
    (b"sid", Strength::Weak),
    (b"sig", Strength::Weak),
    (b"code", Strength::Weak),
];

fn classify(key: &NormalKey, extra: &[NormalKey]) -> Option<Strength> {
    if let Some((_, strength)) = KEYS
        .iter()
        .find(|(name, strength)| key.matches(name, *strength == Strength::Strong))
    {
        return Some(*strength);
    }
    extra
        .iter()
        .any(|name| key.matches(name.as_bytes(), true))
        .then_some(Strength::Strong)
}

/// Which last bytes a normalized secret key can have, built-in or extra.
pub(super) fn key_endings(extra: &[NormalKey]) -> [bool; 256] {
    let mut endings = [false; 256];
    let names = KEYS
        .iter()
        .map(|(name, _)| *name)
        .chain(extra.iter().map(NormalKey::as_bytes));
    for name in names {
        if let Some(&last) = name.last() {
            endings[usize::from(last)] = true;
        }
    }
    endings
}

/// Whether a custom field's key names a secret (its whole value is then redacted).
pub(super) fn is_secret_key(rules: &Rules, key: &str) -> bool {
    NormalKey::new(key.as_bytes()).is_some_and(|key| classify(&key, &rules.extra_keys).is_some())
}

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
    // Most keys (`status`, `url`, `12` in `12:30`) are ruled out by their last letter alone.
    let last = bytes[key_start..key_end]
        .iter()
        .rev()
        .find(|b| b.is_ascii_alphanumeric())?;
    if !rules.key_endings[usize::from(last.to_ascii_lowercase())] {
        return None;
    }
    let key = NormalKey::new(&bytes[key_start..key_end])?;
    let strength = classify(&key, &rules.extra_keys)?;
    let in_url = key_start > 0 && matches!(bytes[key_start - 1], b'?' | b'&' | b'#');
    let value = value_after(bytes, i + 1, in_url)?;
    let (start, mut end) = (value.start, value.end);
    let text = &bytes[start..end];
    if is_placeholder(&bytes[start..])
        || (!value.quoted && is_not_a_secret(text))
        || (rules.tokens() && tokens::scheme_at(bytes, start))
    {
        return None;
    }
    // `Authorization: Token abc` and other schemes: the credential follows the scheme word.
    if key.as_bytes().ends_with(b"authorization")
        && !value.quoted
        && text.iter().all(u8::is_ascii_alphabetic)
        && bytes.get(end) == Some(&b' ')
    {
        let credential = &bytes[end + 1..end + 1 + unquoted_len(bytes, end + 1, in_url)];
        // With the token rules on, `Bearer` and `Basic` are theirs, found or not.
        let theirs = rules.tokens()
            && (text.eq_ignore_ascii_case(b"bearer") || text.eq_ignore_ascii_case(b"basic"));
        if theirs || is_placeholder(credential) || is_not_a_secret(credential) {
            return None;
        }
        end += 1 + credential.len();
    }
    if strength == Strength::Weak && !in_url && !looks_generated(text) {
        return None;
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

struct Value {
    start: usize,
    end: usize,
    quoted: bool,
}

fn value_after(bytes: &[u8], from: usize, in_url: bool) -> Option<Value> {
    let blanks = bytes[from..].iter().take_while(|&&b| is_blank(b)).count();
    if blanks > 4 {
        return None;
    }
    let at = from + blanks;
    let value = match *bytes.get(at)? {
        q @ (b'"' | b'\'' | b'`') => Value {
            start: at + 1,
            end: quoted_end(bytes, at + 1, q, false),
            quoted: true,
        },
        b'\\' if matches!(bytes.get(at + 1), Some(b'"' | b'\'')) => {
            let q = bytes[at + 1];
            Value {
                start: at + 2,
                end: quoted_end(bytes, at + 2, q, true),
                quoted: true,
            }
        }
        _ => {
            let mut end = at + unquoted_len(bytes, at, in_url);
            // Numbers written in groups ("pin: 1234 5678") are one value.
            while end > at
                && bytes[end - 1].is_ascii_digit()
                && bytes.get(end) == Some(&b' ')
                && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
            {
                end += 1 + unquoted_len(bytes, end + 1, in_url);
            }
            // A full stop ends the sentence, not the value.
            while end > at && bytes[end - 1] == b'.' {
                end -= 1;
            }
            Value {
                start: at,
                end,
                quoted: false,
            }
        }
    };
    (value.end > value.start).then_some(value)
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

fn unquoted_len(bytes: &[u8], from: usize, in_url: bool) -> usize {
    let stop = |b: u8| {
        b.is_ascii_whitespace()
            || matches!(b, b'&' | b'"' | b'\'' | b'`' | b'<' | b'>')
            || if in_url {
                b == b'#'
            } else {
                matches!(b, b',' | b';' | b')' | b']' | b'}')
            }
    };
    bytes.get(from..).map_or(0, |rest| {
        rest.iter().position(|&b| stop(b)).unwrap_or(rest.len())
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

fn looks_generated(value: &[u8]) -> bool {
    value.len() >= 6 && value.iter().any(u8::is_ascii_digit)
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

    fn strength(key: &str) -> Option<Strength> {
        classify(&NormalKey::new(key.as_bytes()).unwrap(), &[])
    }

    #[test]
    fn keys_match_whole_or_as_a_final_word() {
        for key in [
            "password",
            "PASSWORD",
            "api_key",
            "apiKey",
            "API-KEY",
            "access_token",
            "db_password",
            "clientSecret",
            "X-Auth-Token",
            "spring.datasource.password",
            "X-Amz-Signature",
            "private_key",
            "Authorization",
            "--password",
        ] {
            assert_eq!(strength(key), Some(Strength::Strong), "{key}");
        }
        for key in [
            "key",
            "code",
            "session",
            "sid",
            "SessionId",
            "connect.sid",
            "auth",
        ] {
            assert_eq!(strength(key), Some(Strength::Weak), "{key}");
        }
        for key in [
            "monkey",
            "keyboard",
            "tokenizer",
            "max_tokens",
            "mypassword",
            "error_code",
            "primary_key",
            "public_key",
            "passwordless",
            "description",
            "",
        ] {
            assert_eq!(strength(key), None, "{key}");
        }
    }

    #[test]
    fn extra_keys_are_strong() {
        let extra = [
            NormalKey::new(b"tenant-secret").unwrap(),
            NormalKey::new(b"pin").unwrap(),
        ];
        let classify = |key: &str| classify(&NormalKey::new(key.as_bytes()).unwrap(), &extra);
        assert_eq!(classify("tenantSecret"), Some(Strength::Strong));
        assert_eq!(classify("card_pin"), Some(Strength::Strong));
        assert_eq!(classify("spinner"), None);
    }

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
