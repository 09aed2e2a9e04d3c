//! How long to wait before trying again.

/// The wait before retry number `attempt` (1 for the first retry), in milliseconds:
/// exponential from one second, capped at five minutes, with "full jitter" (a random point
/// in the window) so that many pages coming back online at once do not arrive together.
/// A server's `Retry-After` is a floor, never shortened by the jitter.
// `f64::clamp`'s NaN assertion formats floats, which would cost the wasm 17 KB.
#[allow(clippy::manual_clamp)]
pub fn delay_ms(attempt: u32, retry_after_ms: Option<f64>, random: f64) -> f64 {
    const BASE_MS: f64 = 1_000.0;
    const CAP_MS: f64 = 300_000.0;
    let doublings = attempt.saturating_sub(1).min(16);
    let window = (BASE_MS * f64::from(1u32 << doublings)).min(CAP_MS);
    let jittered = window / 2.0 + window / 2.0 * random.max(0.0).min(1.0);
    match retry_after_ms {
        Some(floor) => jittered.max(floor.min(CAP_MS)),
        None => jittered,
    }
}

/// `Retry-After` in milliseconds, from its delay-seconds form. The HTTP-date form is
/// ignored (our server sends seconds; a date would need a clock we cannot trust).
pub fn parse_retry_after(value: &str) -> Option<f64> {
    let seconds: u32 = value.trim().parse().ok()?;
    Some(f64::from(seconds) * 1_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn grows_exponentially_within_jitter_and_cap() {
        assert_eq!(delay_ms(1, None, 0.0), 500.0);
        assert_eq!(delay_ms(1, None, 1.0), 1_000.0);
        assert_eq!(delay_ms(3, None, 1.0), 4_000.0);
        assert_eq!(delay_ms(40, None, 1.0), 300_000.0);
        assert!(delay_ms(40, None, 0.0) >= 150_000.0);
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn retry_after_is_a_floor() {
        assert_eq!(delay_ms(1, Some(5_000.0), 0.3), 5_000.0);
        assert_eq!(delay_ms(5, Some(1_000.0), 1.0), 16_000.0);
        assert_eq!(delay_ms(1, Some(1e12), 0.0), 300_000.0);
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn parses_delay_seconds_only() {
        assert_eq!(parse_retry_after(" 5 "), Some(5_000.0));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
