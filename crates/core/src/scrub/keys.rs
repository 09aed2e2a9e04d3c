//! Which keys name a secret. A key matches when, without case and without `_`, `-` and `.`,
//! it is one of the names below, or ends with an unambiguous one at a word boundary
//! (`db_password`, `X-Auth-Token`, `clientSecret`), so `monkey`, `tokenizer` and `error_code`
//! do not. The project's extra names count as unambiguous.

use super::detect::Rules;

/// Keys longer than this (after normalizing) are not secret names; it also bounds the look
/// back from every `:` and `=`.
pub(super) const MAX_KEY: usize = 64;

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

    pub fn as_bytes(&self) -> &[u8] {
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
pub(super) enum Strength {
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

pub(super) fn classify(key: &NormalKey, extra: &[NormalKey]) -> Option<Strength> {
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

/// The last two letters or digits of every secret key name, built-in or extra: a test at
/// every `:` and `=` that rules out most keys (`status`, `url`, `12` in `12:30`) before the
/// key is normalized and compared.
#[derive(Clone)]
pub(super) struct KeyEndings {
    /// Indexed by the last byte; bit [`slot`] of the byte before it.
    table: [u64; 256],
}

/// `a`-`z` are bits 0-25, `0`-`9` bits 26-35, and a key of one character bit 36.
fn slot(b: Option<u8>) -> u32 {
    match b {
        Some(b @ b'a'..=b'z') => u32::from(b - b'a'),
        Some(b @ b'0'..=b'9') => 26 + u32::from(b - b'0'),
        _ => 36,
    }
}

impl KeyEndings {
    pub fn new(extra: &[NormalKey]) -> Self {
        let mut table = [0u64; 256];
        let names = KEYS
            .iter()
            .map(|(name, _)| *name)
            .chain(extra.iter().map(NormalKey::as_bytes));
        for name in names {
            if let [.., prev, last] = name {
                table[usize::from(*last)] |= 1 << slot(Some(*prev));
            } else if let [last] = name {
                // A one-character name also ends longer keys (`x_p` for `p`).
                table[usize::from(*last)] = u64::MAX;
            }
        }
        KeyEndings { table }
    }

    pub fn may_match(&self, raw_key: &[u8]) -> bool {
        let mut alnum = raw_key.iter().rev().filter(|b| b.is_ascii_alphanumeric());
        let Some(last) = alnum.next() else {
            return false;
        };
        let prev = alnum.next().map(u8::to_ascii_lowercase);
        self.table[usize::from(last.to_ascii_lowercase())] >> slot(prev) & 1 == 1
    }
}

/// Whether a custom field's key names a secret (its whole value is then redacted).
pub(super) fn is_secret_key(rules: &Rules, key: &str) -> bool {
    NormalKey::new(key.as_bytes()).is_some_and(|key| classify(&key, &rules.extra_keys).is_some())
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
    fn key_endings_let_every_secret_key_through() {
        let extra = [
            NormalKey::new(b"pin").unwrap(),
            NormalKey::new(b"q").unwrap(),
        ];
        let endings = KeyEndings::new(&extra);
        for key in [
            "password",
            "DB_PASSWORD",
            "apiKey",
            "x-api-key",
            "sid",
            "pin",
            "user_q",
            "Code_",
        ] {
            assert!(endings.may_match(key.as_bytes()), "{key}");
        }
        for key in ["status", "url", "12", "level", "", "_"] {
            assert!(!endings.may_match(key.as_bytes()), "{key}");
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
}
