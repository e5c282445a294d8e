//! When a failed attempt is tried again, and after how long.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

/// How a request is retried after a rate limit (HTTP 429) or a transient failure
/// (connection error, HTTP 502/503/504, timeout).
///
/// Waits grow exponentially with full jitter (a random time between zero and
/// `initial_backoff × 2^(retry − 1)`, at most `max_backoff`); a `Retry-After`
/// header (seconds or an HTTP date) is honoured instead, unless it asks for
/// more than `max_retry_after`, in which case the error is returned at once.
///
/// A request that may have reached the server is re-sent only when that is
/// safe: always after a 429 (Twilio did not process it) or a failed connection
/// (nothing was sent), but after a 5xx, a timeout or a broken connection only for
/// idempotent methods (GET, PUT, DELETE), unless
/// [`retry_non_idempotent`](RetryPolicy::retry_non_idempotent) is set.
///
/// Set it per client ([`ClientBuilder::retry`](crate::ClientBuilder::retry)) and
/// override it per request (`.retry(…)` on every request builder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, waits from 250 ms up to 10 s, `Retry-After` up to 60 s,
    /// POST and PATCH not re-sent once they may have reached the server.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// The default policy (see [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// One attempt: nothing is ever retried.
    pub fn disabled() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts in all, the first included (`1` disables retries; `0` is taken as `1`).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The upper bound of the first wait; each retry doubles it.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The most a computed wait can be.
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest `Retry-After` that is waited for; a longer one ends the retries
    /// and the 429 or 503 error is returned.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Also re-send POST and PATCH requests after a 5xx, a timeout or a broken
    /// connection, although the server may already have acted on them. Only for
    /// operations you know to be idempotent.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// Attempts in all, the first included.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 for the second attempt) when the
    /// server gave no `Retry-After`: full jitter over the exponential bound.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let bound = self
            .initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        bound.mul_f64(random_unit())
    }

    /// What to do after a failed attempt number `attempt` (1-based).
    pub(crate) fn decide(&self, attempt: u32, failure: Failure, idempotent: bool) -> Decision {
        if attempt >= self.max_attempts {
            return Decision::GiveUp("attempts exhausted");
        }
        let resend_ok = idempotent || self.retry_non_idempotent;
        let retry_after = match failure {
            // Twilio refused the request before acting on it: safe for every method.
            Failure::Status(429, retry_after) => retry_after,
            Failure::Status(502..=504, retry_after) if resend_ok => retry_after,
            Failure::Status(502..=504, _) => {
                return Decision::GiveUp("the request may have been processed")
            }
            Failure::Status(..) => return Decision::GiveUp("not a transient status"),
            // No connection was made, so nothing was sent.
            Failure::Connect => None,
            Failure::Sent if resend_ok => None,
            Failure::Sent => return Decision::GiveUp("the request may have been processed"),
        };
        match retry_after {
            Some(RetryAfter::Wait(wait)) if wait > self.max_retry_after => {
                Decision::GiveUp("Retry-After is longer than the policy allows")
            }
            Some(RetryAfter::Wait(wait)) => Decision::Retry(wait),
            Some(RetryAfter::Invalid) | None => Decision::Retry(self.backoff(attempt)),
        }
    }
}

/// How an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Failure {
    /// An error status, with the response's `Retry-After` if it had one.
    Status(u16, Option<RetryAfter>),
    /// The connection could not be made: the request was never sent.
    Connect,
    /// The request may have been sent (timeout, reset, broken body).
    Sent,
}

/// A `Retry-After` header as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryAfter {
    Wait(Duration),
    /// Neither seconds nor an HTTP date: the computed backoff is used (and logged).
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Retry(Duration),
    /// Why not.
    GiveUp(&'static str),
}

/// Reads `Retry-After`: delay-seconds, or an HTTP date (IMF-fixdate,
/// `Sun, 06 Nov 1994 08:49:37 GMT`) relative to `now`; a date in the past means
/// no wait.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> RetryAfter {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long values saturate; the policy's cap then rejects them.
        return RetryAfter::Wait(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    match time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822) {
        Ok(date) => {
            let at = SystemTime::from(date);
            RetryAfter::Wait(at.duration_since(now).unwrap_or(Duration::ZERO))
        }
        Err(_) => RetryAfter::Invalid,
    }
}

/// A uniformly distributed number in `[0, 1)` for jitter. Each `RandomState`
/// carries fresh SipHash keys (random per process, advanced on every call), so
/// hashing the current time gives unpredictable, uncorrelated values across
/// clients and processes; that is all jitter needs, without a `rand` dependency.
fn random_unit() -> f64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    h.write_u128(nanos);
    // The top 53 bits fill an f64 mantissa exactly.
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_under_the_exponential_bound_and_the_cap() {
        let p = RetryPolicy::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(p.backoff(1) < Duration::from_millis(100));
            assert!(p.backoff(2) < Duration::from_millis(200));
            assert!(p.backoff(3) < Duration::from_millis(350));
            assert!(p.backoff(40) < Duration::from_millis(350));
        }
        // Full jitter spreads the waits: 200 draws are not all equal.
        let draws: std::collections::BTreeSet<_> = (0..200).map(|_| p.backoff(3)).collect();
        assert!(draws.len() > 100, "{}", draws.len());
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(
            parse_retry_after(" 7 ", now),
            RetryAfter::Wait(Duration::from_secs(7))
        );
        // RFC 9110's example date is 784111777 + 0 seconds after the epoch.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            RetryAfter::Wait(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            RetryAfter::Wait(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), RetryAfter::Invalid);
        assert_eq!(parse_retry_after("-1", now), RetryAfter::Invalid);
    }

    #[test]
    fn only_safe_failures_are_retried() {
        let p = RetryPolicy::new();
        let retried = |f, idem| matches!(p.decide(1, f, idem), Decision::Retry(_));
        assert!(retried(Failure::Status(429, None), false));
        assert!(retried(Failure::Connect, false));
        assert!(retried(Failure::Status(503, None), true));
        assert!(!retried(Failure::Status(503, None), false));
        assert!(!retried(Failure::Sent, false));
        assert!(retried(Failure::Sent, true));
        assert!(!retried(Failure::Status(500, None), true));
        assert!(!retried(Failure::Status(400, None), true));
        let opted_in = RetryPolicy::new().retry_non_idempotent(true);
        assert!(matches!(
            opted_in.decide(1, Failure::Sent, false),
            Decision::Retry(_)
        ));
        // Bounded: the third attempt is the last.
        assert_eq!(
            p.decide(3, Failure::Connect, true),
            Decision::GiveUp("attempts exhausted")
        );
        // Retry-After is honoured exactly, and a too-long one ends the retries.
        let wait = Some(RetryAfter::Wait(Duration::from_secs(2)));
        assert_eq!(
            p.decide(1, Failure::Status(429, wait), false),
            Decision::Retry(Duration::from_secs(2))
        );
        let long = Some(RetryAfter::Wait(Duration::from_secs(3600)));
        assert!(matches!(
            p.decide(1, Failure::Status(429, long), false),
            Decision::GiveUp(_)
        ));
    }
}
