//! Token buckets on report submission, per client address and per project key (GCRA through
//! `governor`, which is lock-free and keeps one word of state per key).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::RateLimitConfig;
use crate::http::error::ApiError;

pub struct SubmitLimiter {
    enabled: bool,
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    by_key: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

fn quota(per_minute: u32, burst: u32) -> Quota {
    let per_minute = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(per_minute).allow_burst(burst)
}

impl SubmitLimiter {
    pub fn new(config: &RateLimitConfig) -> Self {
        SubmitLimiter {
            enabled: config.enabled,
            by_ip: RateLimiter::keyed(quota(config.per_ip_per_minute, config.per_ip_burst)),
            by_key: RateLimiter::keyed(quota(config.per_key_per_minute, config.per_key_burst)),
            clock: DefaultClock::default(),
        }
    }

    pub fn check_ip(&self, ip: IpAddr) -> Result<(), ApiError> {
        if !self.enabled {
            return Ok(());
        }
        self.by_ip
            .check_key(&ip)
            .map_err(|not_until| self.refusal(not_until.wait_time_from(self.clock.now())))
    }

    pub fn check_key(&self, key: &str) -> Result<(), ApiError> {
        if !self.enabled {
            return Ok(());
        }
        // The common case finds the key present; `to_owned` only runs for governor's lookup.
        self.by_key
            .check_key(&key.to_owned())
            .map_err(|not_until| self.refusal(not_until.wait_time_from(self.clock.now())))
    }

    fn refusal(&self, wait: std::time::Duration) -> ApiError {
        // Retry-After is whole seconds; round up so a client that obeys it is let in.
        let retry_after = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        ApiError::RateLimited {
            retry_after: retry_after.max(1),
        }
    }

    /// Forgets buckets that have refilled, so memory follows the recent clients only.
    pub fn forget_idle(&self) {
        self.by_ip.retain_recent();
        self.by_key.retain_recent();
        self.by_ip.shrink_to_fit();
        self.by_key.shrink_to_fit();
    }
}
