//! When a service says to come back: `Retry-After` (seconds or an HTTP date), epoch resets
//! (GitHub's `x-ratelimit-reset` in seconds, Linear's `x-ratelimit-requests-reset` in
//! milliseconds) and Jira's ISO 8601 `X-RateLimit-Reset`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` (RFC 9110 §10.2.3).
/// A date in the past means "now": zero.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// An epoch instant, in seconds or, when the number is too large to be seconds (past the
/// year 5000), in milliseconds; the wait until then.
pub fn parse_epoch_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let number: u64 = value.trim().parse().ok()?;
    let at = if number > 100_000_000_000 {
        UNIX_EPOCH + Duration::from_millis(number)
    } else {
        UNIX_EPOCH + Duration::from_secs(number)
    };
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `2025-06-01T12:00:00Z`, `2025-06-01T12:00:00.123+02:00`, `2025-06-01T12:00Z`: the wait
/// until then.
pub fn parse_iso8601_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let at = parse_iso8601(value.trim())?;
    let at = UNIX_EPOCH + Duration::from_millis(u64::try_from(at).ok()?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Milliseconds since the epoch of an ISO 8601 date-time with a zone.
fn parse_iso8601(text: &str) -> Option<i64> {
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: i64 = date_parts.next()?.parse().ok()?;
    let day: i64 = date_parts.next()?.parse().ok()?;
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (time, zone) = rest.split_at(zone_at);
    let mut time_parts = time.splitn(3, ':');
    let hour: i64 = time_parts.next()?.parse().ok()?;
    let minute: i64 = time_parts.next()?.parse().ok()?;
    let seconds: f64 = match time_parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0.0,
    };
    let offset_minutes = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits = zone[1..].replace(':', "");
            if digits.len() != 4 {
                return None;
            }
            let hours: i64 = digits[..2].parse().ok()?;
            let minutes: i64 = digits[2..].parse().ok()?;
            sign * (hours * 60 + minutes)
        }
    };
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..24).contains(&hour)
        && (0..60).contains(&minute)
        && (0.0..61.0).contains(&seconds);
    if !valid {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let minutes = days * 1440 + hour * 60 + minute - offset_minutes;
    Some(minutes * 60_000 + (seconds * 1000.0).round() as i64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm, the
/// inverse of the one `snag_core::Timestamp` formats with).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn retry_after_takes_seconds_and_http_dates() {
        let now = at(1_445_412_400); // Wed, 21 Oct 2015 07:26:40 GMT
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(80))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn epoch_resets_in_seconds_or_milliseconds() {
        let now = at(1_700_000_000);
        assert_eq!(
            parse_epoch_reset("1700000060", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_epoch_reset("1700000001500", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_epoch_reset("1699999999", now), Some(Duration::ZERO));
    }

    #[test]
    fn iso8601_resets_with_zones() {
        let now = at(1_700_000_000); // 2023-11-14T22:13:20Z
        assert_eq!(
            parse_iso8601_reset("2023-11-14T22:14:20Z", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_iso8601_reset("2023-11-15T00:14:20.500+02:00", now),
            Some(Duration::from_millis(60_500))
        );
        assert_eq!(
            parse_iso8601_reset("2023-11-14T22:15Z", now),
            Some(Duration::from_secs(100))
        );
        assert_eq!(parse_iso8601_reset("2023-13-14T22:15Z", now), None);
        assert_eq!(parse_iso8601_reset("yesterday", now), None);
    }
}
