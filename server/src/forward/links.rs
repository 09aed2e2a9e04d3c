//! Links Snag puts into tickets: the defect's page, and signed screenshot URLs that work
//! without a staff token (GitHub shows images by URL, it cannot upload them).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use snag_core::{DefectId, ReportId};

type HmacSha256 = Hmac<Sha256>;

pub struct Links {
    base: String,
    key: Vec<u8>,
    /// How long a signed screenshot URL works.
    validity_ms: i64,
}

impl Links {
    pub fn new(public_url: &str, key: Vec<u8>, validity_days: u32) -> Links {
        Links {
            base: public_url.trim_end_matches('/').to_owned(),
            key,
            validity_ms: i64::from(validity_days) * 86_400_000,
        }
    }

    pub fn defect(&self, id: &DefectId) -> String {
        format!("{}/app/defects/{id}", self.base)
    }

    fn signature(&self, report: &ReportId, expires: i64) -> String {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(format!("{report}:{expires}").as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A screenshot URL valid until `now + validity`.
    pub fn screenshot(&self, report: &ReportId, now: i64) -> String {
        let expires = now + self.validity_ms;
        let signature = self.signature(report, expires);
        format!(
            "{}/api/v1/reports/{report}/screenshot?expires={expires}&signature={signature}",
            self.base
        )
    }

    /// Whether a signed screenshot URL's parameters are genuine and unexpired.
    pub fn verify_screenshot(
        &self,
        report: &ReportId,
        expires: i64,
        signature: &str,
        now: i64,
    ) -> bool {
        if expires < now {
            return false;
        }
        let expected = self.signature(report, expires);
        // Constant-time comparison: a timing difference must not reveal a valid prefix.
        expected.len() == signature.len()
            && expected
                .bytes()
                .zip(signature.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_url_verifies_until_it_expires_and_not_for_another_report() {
        let links = Links::new("https://snag.example/", b"secret".to_vec(), 1);
        let report = ReportId::parse("0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a11").expect("id");
        let other = ReportId::parse("0192f0c4-7b1e-7cc2-9a57-3f1f0e0b6a12").expect("id");
        let url = links.screenshot(&report, 1_000);
        let query = url.split_once('?').expect("a query").1;
        let expires: i64 = query
            .split('&')
            .next()
            .and_then(|p| p.strip_prefix("expires="))
            .and_then(|v| v.parse().ok())
            .expect("expires");
        let signature = query.split("signature=").nth(1).expect("signature");
        assert!(url.starts_with("https://snag.example/api/v1/reports/"));
        assert!(links.verify_screenshot(&report, expires, signature, 2_000));
        assert!(
            !links.verify_screenshot(&report, expires, signature, expires + 1),
            "expired"
        );
        assert!(
            !links.verify_screenshot(&other, expires, signature, 2_000),
            "another report"
        );
        assert!(
            !links.verify_screenshot(&report, expires + 1, signature, 2_000),
            "another expiry"
        );
    }
}
