//! Fresh project keys and staff tokens.

use rand::Rng;
use rand::distr::Alphanumeric;
use sha2::{Digest, Sha256};
use snag_core::ProjectKey;

fn random_text(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

pub fn new_project_key() -> ProjectKey {
    let text = format!("{}{}", ProjectKey::PREFIX, random_text(24));
    ProjectKey::parse(&text).expect("a generated key has the key form")
}

/// A staff token is shown once; only its hash is stored.
pub const STAFF_TOKEN_PREFIX: &str = "snag_st_";

pub fn new_staff_token() -> String {
    format!("{STAFF_TOKEN_PREFIX}{}", random_text(40))
}

/// A secret for a session, a CSRF token or an invite: 43 alphanumeric characters (about
/// 256 bits), safe in a cookie or a URL as they are.
pub fn new_secret() -> String {
    random_text(43)
}

pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    hex
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().hyphenated().to_string()
}
