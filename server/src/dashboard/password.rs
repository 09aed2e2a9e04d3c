//! Password hashing with argon2id (RustCrypto's `argon2`, default parameters: 19 MiB, two
//! passes, one lane, as OWASP recommends). Hashes are PHC strings, so the parameters travel
//! with each hash and can be raised later without breaking old ones.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| anyhow::anyhow!("encoding the salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches `stored`. With no stored hash (unknown user, or an invite not
/// yet accepted) a dummy hash is checked, so the answer takes as long as a real one and
/// timing does not tell which e-mail addresses have accounts.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c25hZ2R1bW15c2FsdA$kq/B6YBG9Yo2V9l9O/ZrVbN3jcyGQ6gYb8DM4CbPq7Q";
    let parsed = PasswordHash::new(stored.unwrap_or(DUMMY));
    let matches = match parsed {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    };
    matches && stored.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&stored)));
        assert!(!verify("wrong horse battery", Some(&stored)));
        assert!(!verify("correct horse battery", None));
        assert!(!verify("anything", Some("not a phc string")));
    }
}
