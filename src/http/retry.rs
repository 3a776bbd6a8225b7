//! In-call retries: exponential backoff with full jitter, `Retry-After` honoured, and a cap
//! on how long a call waits inline before the engine takes over the retry.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{ApiError, Service};

/// How a client retries inside one call before handing the error to the engine.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in total for one call (1 = no in-call retry).
    pub max_attempts: u32,
    /// A wait longer than this (e.g. a rate-limit reset in an hour) is not waited out inline:
    /// the error goes to the engine, which schedules the retry.
    pub max_inline_wait: Duration,
    /// First backoff for transient errors; doubles per attempt.
    pub base_backoff: Duration,
    /// Per-request timeout.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            max_inline_wait: Duration::from_secs(30),
            base_backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy for tests and the demo: quick timeouts and short waits.
    pub fn fast() -> Self {
        RetryPolicy {
            max_attempts: 3,
            max_inline_wait: Duration::from_secs(3),
            base_backoff: Duration::from_millis(20),
            timeout: Duration::from_secs(5),
        }
    }

    /// Backoff before attempt `attempt` (1-based count of failures so far), with full jitter.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.base_backoff.saturating_mul(1u32 << attempt.min(16).saturating_sub(1));
        let capped = exp.min(self.max_inline_wait);
        let ms = capped.as_millis() as u64;
        Duration::from_millis(if ms == 0 { 0 } else { fastrand::u64(ms / 2..=ms) })
    }

    /// The wait before repeating after `err` (failure number `attempt`): until the server's
    /// `retry_after` when it named one, the backoff otherwise.
    pub fn wait_after(&self, err: &ApiError, attempt: u32) -> Duration {
        match err.retry_after {
            Some(at) => (at - Utc::now()).to_std().unwrap_or(Duration::ZERO),
            None => self.backoff(attempt),
        }
    }

    /// Runs `attempt` (given the 1-based attempt number) until it succeeds, fails with an error
    /// that is not retryable or that `may_repeat` refuses, the attempts are used up, or the
    /// wait before the next one would exceed `max_inline_wait`.
    pub async fn run<T, F, Fut>(
        &self,
        service: Service,
        may_repeat: impl Fn(&ApiError) -> bool,
        mut attempt: F,
    ) -> Result<T, ApiError>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let attempts = self.max_attempts.max(1);
        let mut n = 1;
        loop {
            let err = match attempt(n).await {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            if n >= attempts || !err.kind.is_retryable() || !may_repeat(&err) {
                return Err(err);
            }
            let wait = self.wait_after(&err, n);
            if wait > self.max_inline_wait {
                return Err(err);
            }
            tracing::debug!(%service, method = %err.method, path = %err.path, attempt = n, ?wait,
                "request failed, retrying: {}", err.message);
            tokio::time::sleep(wait).await;
            n += 1;
        }
    }
}

/// Parses a `Retry-After` value: delay seconds or an HTTP-date (RFC 7231 IMF-fixdate).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(now + chrono::Duration::seconds(secs.min(86_400 * 7) as i64));
    }
    DateTime::parse_from_rfc2822(v).ok().map(|d| d.with_timezone(&Utc))
}

/// Formats an instant as an HTTP-date, as Shoptet sends it in `Retry-After`.
pub fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = Utc.with_ymd_and_hms(2024, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(parse_retry_after("71", now), Some(now + chrono::Duration::seconds(71)));
        let at = parse_retry_after("Mon, 01 Jul 2024 12:01:11 GMT", now).unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2024, 7, 1, 12, 1, 11).unwrap());
        assert_eq!(http_date(at), "Mon, 01 Jul 2024 12:01:11 GMT");
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn backoff_grows_and_stays_under_the_inline_cap() {
        let p = RetryPolicy {
            base_backoff: Duration::from_millis(100),
            max_inline_wait: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let first = p.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            assert!(p.backoff(10) <= Duration::from_secs(1));
            assert!(p.backoff(10) >= Duration::from_millis(500));
        }
    }

    fn failure(kind: super::super::ErrorKind, retry_after: Option<DateTime<Utc>>) -> ApiError {
        ApiError {
            service: Service::Raynet,
            method: "GET".into(),
            path: "/x/".into(),
            status: None,
            kind,
            code: None,
            message: "failed".into(),
            retry_after,
            body_excerpt: None,
        }
    }

    /// Runs `policy` over attempts that fail as `fail` says (by attempt number), counting them.
    async fn attempts(
        policy: &RetryPolicy,
        may_repeat: impl Fn(&ApiError) -> bool,
        fail: impl Fn(u32) -> Option<ApiError>,
    ) -> (Result<u32, ApiError>, u32) {
        let count = std::sync::atomic::AtomicU32::new(0);
        let result = policy
            .run(Service::Raynet, may_repeat, |n| {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let outcome = fail(n).map_or(Ok(n), Err);
                async move { outcome }
            })
            .await;
        (result, count.into_inner())
    }

    #[tokio::test]
    async fn retries_what_may_be_retried_and_hands_the_rest_back() {
        use super::super::ErrorKind::*;
        let p = RetryPolicy::fast();
        let (r, n) = attempts(&p, |_| true, |n| (n < 3).then(|| failure(Transient, None))).await;
        assert_eq!((r.unwrap(), n), (3, 3), "transient failures are retried");
        let (r, n) = attempts(&p, |_| true, |_| Some(failure(Transient, None))).await;
        assert_eq!((r.unwrap_err().kind, n), (Transient, 3), "attempts are capped");
        for kind in [Auth, NotFound, Permanent] {
            let (r, n) = attempts(&p, |_| true, |_| Some(failure(kind, None))).await;
            assert_eq!((r.unwrap_err().kind, n), (kind, 1), "{kind:?} is not retried");
        }
        let (r, n) = attempts(&p, |_| false, |_| Some(failure(RateLimited, None))).await;
        assert_eq!((r.is_err(), n), (true, 1), "the caller may refuse a repeat (a create)");
        let later = Utc::now() + chrono::Duration::hours(1);
        let (r, n) = attempts(&p, |_| true, |_| Some(failure(RateLimited, Some(later)))).await;
        assert_eq!(
            (r.unwrap_err().retry_after, n),
            (Some(later), 1),
            "a long Retry-After goes to the engine"
        );
        let soon = Utc::now() + chrono::Duration::milliseconds(300);
        let t = std::time::Instant::now();
        let (r, n) = attempts(&p, |_| true, |n| (n < 2).then(|| failure(RateLimited, Some(soon)))).await;
        assert_eq!((r.unwrap(), n), (2, 2));
        assert!(t.elapsed() >= Duration::from_millis(250), "waited for Retry-After: {:?}", t.elapsed());
    }
}
