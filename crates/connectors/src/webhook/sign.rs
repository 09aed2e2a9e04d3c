//! Standard Webhooks signatures: `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")),
//! with the key the base64 secret after its `whsec_` prefix.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::ConfigError;

/// A webhook signing key, decoded from its `whsec_...` form.
#[derive(Clone)]
pub struct WebhookSecret(Vec<u8>);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret([redacted])")
    }
}

impl WebhookSecret {
    /// Takes `whsec_<base64>` or the bare base64, as the reference libraries do.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let encoded = text.trim().strip_prefix("whsec_").unwrap_or(text.trim());
        let key = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| ConfigError::Invalid {
                field: "secret".into(),
                problem: "must be whsec_ followed by base64".into(),
            })?;
        if key.is_empty() {
            return Err(ConfigError::Invalid {
                field: "secret".into(),
                problem: "must not be empty".into(),
            });
        }
        Ok(WebhookSecret(key))
    }

    /// The `webhook-signature` header value for one delivery.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        let signature = mac.finalize().into_bytes();
        format!(
            "v1,{}",
            base64::engine::general_purpose::STANDARD.encode(signature)
        )
    }
}
