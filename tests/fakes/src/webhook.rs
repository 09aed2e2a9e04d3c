//! A webhook receiver that verifies Standard Webhooks signatures as the reference libraries
//! do: all three headers required, the timestamp within five minutes either way, the
//! signature header a space-separated list of which any `v1,` entry may match (compared in
//! constant time), the secret with or without its `whsec_` prefix.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::common::fake_handle;
use crate::server::{Recorded, Reply, Server, Service, lock};

/// The reference libraries' tolerance.
const TOLERANCE_SECS: i64 = 5 * 60;

#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: String,
    pub timestamp: i64,
    pub body: Value,
}

pub struct FakeWebhook {
    server: Server,
    state: Arc<WebhookService>,
}

fake_handle!(FakeWebhook);

impl FakeWebhook {
    /// The secret shared with the sender (the official test vectors' one).
    pub const SECRET: &'static str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    pub fn start() -> FakeWebhook {
        FakeWebhook::start_with_secret(FakeWebhook::SECRET)
    }

    pub fn start_with_secret(secret: &str) -> FakeWebhook {
        let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
        let key = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .expect("the secret is base64");
        let service = Arc::new(WebhookService {
            key,
            deliveries: Mutex::new(Vec::new()),
        });
        FakeWebhook {
            server: Server::start(service.clone()),
            state: service,
        }
    }

    /// Verified deliveries, retries included.
    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.state.deliveries).clone()
    }

    /// Distinct `webhook-id`s received: what a receiver that drops repeats processed.
    pub fn unique_events(&self) -> usize {
        let mut ids: Vec<String> = self.deliveries().into_iter().map(|d| d.id).collect();
        ids.sort();
        ids.dedup();
        ids.len()
    }
}

struct WebhookService {
    key: Vec<u8>,
    deliveries: Mutex<Vec<Delivery>>,
}

impl Service for WebhookService {
    fn handle(&self, request: &Recorded) -> Reply {
        if request.method != "POST" {
            return Reply::text(405, "method not allowed");
        }
        let (Some(id), Some(timestamp), Some(signatures)) = (
            request.header("webhook-id"),
            request.header("webhook-timestamp"),
            request.header("webhook-signature"),
        ) else {
            return Reply::text(
                400,
                "missing webhook-id, webhook-timestamp or webhook-signature",
            );
        };
        let Ok(timestamp) = timestamp.parse::<i64>() else {
            return Reply::text(400, "invalid webhook-timestamp");
        };
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        if (now - timestamp).abs() > TOLERANCE_SECS {
            return Reply::text(400, "webhook-timestamp outside the tolerance");
        }
        let expected = signature(&self.key, id, timestamp, &request.body);
        let verified = signatures
            .split(' ')
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .any(|candidate| constant_time_eq(candidate.as_bytes(), expected.as_bytes()));
        if !verified {
            return Reply::text(401, "no matching signature");
        }
        let Some(body) = request.json() else {
            return Reply::text(400, "the payload is not JSON");
        };
        lock(&self.deliveries).push(Delivery {
            id: id.to_owned(),
            timestamp,
            body,
        });
        Reply::empty(204)
    }

    fn server_error(&self, status: u16) -> Reply {
        Reply::text(status, "receiver error")
    }

    fn rate_limited(&self, retry_after_secs: u64) -> Reply {
        Reply::text(429, "slow down").with_header("retry-after", retry_after_secs.to_string())
    }
}

fn signature(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_vectors_verify() {
        let vectors = crate::specs::read_json("webhooks/test-vectors.json");
        for v in vectors["vectors"].as_array().expect("vectors") {
            let secret = v["secret"].as_str().expect("secret");
            let key = base64::engine::general_purpose::STANDARD
                .decode(secret.trim_start_matches("whsec_"))
                .expect("base64");
            let sig = signature(
                &key,
                v["webhook-id"].as_str().expect("id"),
                v["webhook-timestamp"].as_i64().expect("ts"),
                v["payload"].as_str().expect("payload").as_bytes(),
            );
            assert_eq!(
                format!("v1,{sig}"),
                v["webhook-signature"].as_str().expect("sig")
            );
        }
    }
}
