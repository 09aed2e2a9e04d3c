//! Credentials that announce themselves: `Bearer`/`Basic` values, JWTs, and API keys with a
//! vendor prefix. Each starts at the beginning of a word.

use super::ScrubKind;
use super::detect::Hit;

/// A token-shaped match starting at `i`, which begins a word; otherwise where the next
/// token may start (at least `i + 1`).
pub(super) fn find(bytes: &[u8], i: usize) -> Result<Hit, usize> {
    let hit = |end, kind| Hit {
        start: i,
        end,
        kind,
    };
    match bytes[i] {
        b'e' => jwt(bytes, i).map(|end| hit(end, ScrubKind::Jwt)),
        b'b' | b'B' => auth_scheme(bytes, i).ok_or(i + 1),
        b's' | b'p' | b'r' | b'g' | b'x' | b'A' | b'l' => api_key(bytes, i)
            .map(|end| hit(end, ScrubKind::ApiKey))
            .ok_or(i + 1),
        _ => Err(i + 1),
    }
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn run(bytes: &[u8], from: usize, accept: impl Fn(u8) -> bool) -> usize {
    bytes.get(from..).map_or(0, |rest| {
        rest.iter().position(|&b| !accept(b)).unwrap_or(rest.len())
    })
}

/// `header.payload.signature`, base64url, the header starting `eyJ` (`{"`). The signature may
/// be empty (`alg: none`), the claims are personal data all the same. When the header is not
/// followed by a payload, no JWT starts anywhere in its run either: the scan may skip it,
/// which keeps `eyJa-eyJa-eyJa-...` linear.
fn jwt(bytes: &[u8], i: usize) -> Result<usize, usize> {
    if !bytes[i..].starts_with(b"eyJ") {
        return Err(i + 1);
    }
    let header_end = i + run(bytes, i, is_base64url);
    if header_end - i < 10 || bytes.get(header_end) != Some(&b'.') {
        return Err(header_end);
    }
    let payload_len = run(bytes, header_end + 1, is_base64url);
    let payload_end = header_end + 1 + payload_len;
    if payload_len < 2 || bytes.get(payload_end) != Some(&b'.') {
        return Err(header_end);
    }
    Ok(payload_end + 1 + run(bytes, payload_end + 1, is_base64url))
}

/// `Bearer <token>` or `Basic <base64 of user:password>`, any case; the keyword stays and
/// only the credential becomes `[token]`.
fn auth_scheme(bytes: &[u8], i: usize) -> Option<Hit> {
    let rest = &bytes[i..];
    let (keyword, basic) = if starts_with_ignore_case(rest, b"bearer") {
        (6, false)
    } else if starts_with_ignore_case(rest, b"basic") {
        (5, true)
    } else {
        return None;
    };
    let gap = run(bytes, i + keyword, |b| b == b' ' || b == b'\t');
    if !(1..=4).contains(&gap) {
        return None;
    }
    let start = i + keyword + gap;
    let end = if basic {
        basic_credentials(bytes, start)?
    } else {
        bearer_token(bytes, start)?
    };
    Some(Hit {
        start,
        end,
        kind: ScrubKind::BearerToken,
    })
}

/// Whether `Bearer`/`Basic` credentials start at `at` (a secret assignment leaves them to
/// this rule, so `Authorization: Bearer x` keeps its scheme).
pub(super) fn scheme_at(bytes: &[u8], at: usize) -> bool {
    matches!(bytes.get(at), Some(b'b' | b'B')) && auth_scheme(bytes, at).is_some()
}

fn starts_with_ignore_case(bytes: &[u8], word: &[u8]) -> bool {
    bytes.len() >= word.len() && bytes[..word.len()].eq_ignore_ascii_case(word)
}

fn is_token68(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
}

/// An RFC 6750 token of 8+ characters that looks generated: `Bearer undefined`, `Bearer
/// null` and "the bearer described it" are not credentials.
fn bearer_token(bytes: &[u8], start: usize) -> Option<usize> {
    let len = run(bytes, start, is_token68);
    let token = &bytes[start..start + len];
    let generated = token.iter().any(|b| !b.is_ascii_alphabetic())
        || (len >= 16
            && token.iter().any(u8::is_ascii_uppercase)
            && token.iter().any(u8::is_ascii_lowercase));
    if len < 8 || !generated {
        return None;
    }
    Some(start + len + run(bytes, start + len, |b| b == b'='))
}

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// Base64 that decodes to printable `user:password`, which "Basic information" does not.
fn basic_credentials(bytes: &[u8], start: usize) -> Option<usize> {
    let len = run(bytes, start, is_base64);
    let padding = run(bytes, start + len, |b| b == b'=').min(2);
    if len < 4 || len % 4 == 1 || !decodes_to_credentials(&bytes[start..start + len]) {
        return None;
    }
    Some(start + len + padding)
}

fn decodes_to_credentials(base64: &[u8]) -> bool {
    let mut acc = 0u32;
    let mut bits = 0;
    let mut colon = false;
    for &c in base64 {
        let sextet = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            _ => 63,
        };
        acc = (acc << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            let byte = (acc >> bits) & 0xff;
            acc &= (1 << bits) - 1;
            if byte < 0x20 || byte == 0x7f {
                return false;
            }
            colon |= byte == u32::from(b':');
        }
    }
    colon
}

struct KeyPrefix {
    prefix: &'static [u8],
    min: usize,
    max: usize,
    /// AWS access key ids are uppercase letters and digits only.
    upper: bool,
}

const fn key(prefix: &'static [u8], min: usize) -> KeyPrefix {
    KeyPrefix {
        prefix,
        min,
        max: usize::MAX,
        upper: false,
    }
}

/// Vendors' secret key prefixes, with the shortest body a real key has (shorter ones are
/// documentation like `sk_live_...` or variable names like `sk_live_key`).
const API_KEYS: [KeyPrefix; 23] = [
    key(b"sk_live_", 16),
    key(b"sk_test_", 16),
    key(b"pk_live_", 16),
    key(b"rk_live_", 16),
    key(b"rk_test_", 16),
    key(b"sk-proj-", 20),
    key(b"sk-ant-", 20),
    key(b"snag_st_", 16),
    key(b"ghp_", 30),
    key(b"gho_", 30),
    key(b"ghu_", 30),
    key(b"ghs_", 30),
    key(b"ghr_", 30),
    key(b"github_pat_", 30),
    key(b"glpat-", 20),
    key(b"xoxb-", 10),
    key(b"xoxp-", 10),
    key(b"xoxa-", 10),
    key(b"xoxs-", 10),
    key(b"lin_api_", 30),
    KeyPrefix {
        prefix: b"AKIA",
        min: 16,
        max: 16,
        upper: true,
    },
    KeyPrefix {
        prefix: b"ASIA",
        min: 16,
        max: 16,
        upper: true,
    },
    KeyPrefix {
        prefix: b"AIza",
        min: 35,
        max: 35,
        upper: false,
    },
];

fn api_key(bytes: &[u8], i: usize) -> Option<usize> {
    let rest = &bytes[i..];
    // Two bytes rule out nearly every ordinary word before the table is walked.
    if !is_key_start(rest.get(..2)?) {
        return None;
    }
    API_KEYS.iter().find_map(|k| {
        if !rest.starts_with(k.prefix) {
            return None;
        }
        let body_start = i + k.prefix.len();
        // Looking one byte past the longest body is enough to reject a longer one, and keeps
        // `AIza-AIza-AIza-...` from scanning to the end from every prefix.
        let limit = bytes
            .len()
            .min(body_start.saturating_add(k.max).saturating_add(1));
        let window = &bytes[..limit];
        let body = if k.upper {
            run(window, body_start, |b| {
                b.is_ascii_uppercase() || b.is_ascii_digit()
            })
        } else {
            run(window, body_start, is_base64url)
        };
        let end = body_start + body;
        let glued = bytes.get(end).is_some_and(|&b| is_base64url(b));
        (k.min..=k.max)
            .contains(&body)
            .then_some(end)
            .filter(|_| !glued)
    })
}

/// The first two bytes of every prefix in [`API_KEYS`].
fn is_key_start(first_two: &[u8]) -> bool {
    matches!(
        first_two,
        b"sk"
            | b"pk"
            | b"rk"
            | b"sn"
            | b"gh"
            | b"gi"
            | b"gl"
            | b"xo"
            | b"li"
            | b"AK"
            | b"AS"
            | b"AI"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<(&str, ScrubKind)> {
        find(text.as_bytes(), 0)
            .ok()
            .map(|h| (&text[h.start..h.end], h.kind))
    }

    #[test]
    fn jwts_need_three_segments_and_a_json_header() {
        let jwt =
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(found(jwt), Some((jwt, ScrubKind::Jwt)));
        let unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.";
        assert_eq!(found(unsigned), Some((unsigned, ScrubKind::Jwt)));
        assert_eq!(found("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0"), None);
        assert_eq!(found("eyJust.a.word"), None);
        assert_eq!(found("example.com.au"), None);
    }

    #[test]
    fn bearer_and_basic_keep_the_keyword() {
        let text = "Bearer abc123DEF456ghi789";
        assert_eq!(
            found(text),
            Some(("abc123DEF456ghi789", ScrubKind::BearerToken))
        );
        assert_eq!(
            found("bearer  mF_9.B5f-4.1JqM=="),
            Some(("mF_9.B5f-4.1JqM==", ScrubKind::BearerToken))
        );
        assert_eq!(
            found("Basic dXNlcjpwYXNzd29yZA=="),
            Some(("dXNlcjpwYXNzd29yZA==", ScrubKind::BearerToken))
        );
        assert_eq!(found("Bearer undefined"), None);
        assert_eq!(found("Bearer null"), None);
        assert_eq!(found("bearer described it"), None);
        assert_eq!(found("Bearer [token]"), None);
        assert_eq!(found("Basic information"), None);
        assert_eq!(found("Basic [token]"), None);
        assert_eq!(found("Bearer"), None);
    }

    #[test]
    fn the_prefilter_lets_every_prefix_through() {
        assert!(API_KEYS.iter().all(|k| is_key_start(&k.prefix[..2])));
    }

    #[test]
    fn api_keys_need_their_prefix_and_length() {
        for key in [
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
            "glpat-xxxxxxxxxxxxxxxxxxxx",
            "xoxb-123456789012-1234567890123-AbCdEf",
            "AKIAIOSFODNN7EXAMPLE",
            "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
            "lin_api_abcdefghijklmnopqrstuvwxyz0123456789",
            "snag_st_abcdefghijklmnopqrstuvwxyz0123456789ABCD",
        ] {
            assert_eq!(found(key), Some((key, ScrubKind::ApiKey)), "{key}");
        }
        assert_eq!(found("sk_live_..."), None);
        assert_eq!(found("sk_live_key"), None);
        assert_eq!(found("AKIAIOSFODNN7EXAMPLEX"), None, "17 characters");
        assert_eq!(found("AKIAIOSFODNN7EXAMPLEx"), None, "glued to a word");
        assert_eq!(
            found("snag_pk_abcdefghijklmnopqrstuvwx"),
            None,
            "project keys are public"
        );
        assert_eq!(found("github_pat_"), None);
    }
}
