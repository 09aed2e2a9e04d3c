//! Faults a test asks a fake for: server errors, rate limits, slowness, silence, a cut line.

use std::collections::VecDeque;
use std::time::Duration;

/// What the fake does instead of answering normally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and the service's own error body (500, 502, 503...).
    Status(u16),
    /// Answer the service's rate-limit response (429, or what the service uses) asking to
    /// wait this long (`Retry-After` and the service's reset headers).
    RateLimited { retry_after_secs: u64 },
    /// Answer the service's rate-limit response without `Retry-After`, saying when the
    /// budget resets in the service's own header (GitHub `x-ratelimit-reset` epoch seconds,
    /// Jira `X-RateLimit-Reset` ISO 8601, Linear `x-ratelimit-requests-reset` epoch
    /// milliseconds); services without one answer as for `RateLimited`.
    RateLimitReset { reset_after_secs: u64 },
    /// Read the request and never answer; only the client's timeout ends it.
    Hang,
    /// Read the request and close the connection without a word.
    Drop,
    /// Answer normally after this long.
    Delay(Duration),
    /// Do the work at once (create the issue...), then wait this long before answering: the
    /// client may be gone by then, as when a process dies between the service's answer and
    /// recording it.
    SlowAnswer(Duration),
}

/// The queue of one-off faults and a standing one.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    queue: VecDeque<Fault>,
    pub always: Option<Fault>,
}

impl Faults {
    pub(crate) fn push(&mut self, count: usize, fault: Fault) {
        self.queue.extend(std::iter::repeat_n(fault, count));
    }

    pub(crate) fn next(&mut self) -> Option<Fault> {
        self.queue.pop_front().or_else(|| self.always.clone())
    }
}
