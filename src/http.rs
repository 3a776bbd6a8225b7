//! What both API clients share: the error classification the engine's retry logic reads,
//! the record of every request made (for the per-order troubleshooting view), and
//! `Retry-After` parsing.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Which remote service a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    Shoptet,
    Raynet,
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Service::Shoptet => "Shoptet",
            Service::Raynet => "RAYNET",
        })
    }
}

/// How the engine must react to a failed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Network error, timeout, 5xx, 423, unreadable response: retry later with backoff.
    Transient,
    /// 429 (or RAYNET's legacy 503 with `RequestLimitReached`): retry at `retry_after`.
    RateLimited,
    /// 401/403: credentials are wrong or lack rights. Pause everything; never retry blindly.
    Auth,
    /// 404 of an entity the caller expected to exist.
    NotFound,
    /// 400, 409, 413, 422 and business errors: retrying the same request cannot help.
    Permanent,
}

impl ErrorKind {
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorKind::Transient | ErrorKind::RateLimited)
    }
}

/// A failed API call, with everything a person needs to understand it and nothing secret.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ApiError {
    pub service: Service,
    pub method: String,
    /// Path and query as sent, relative to the base URL. Never contains a credential.
    pub path: String,
    /// HTTP status, or `None` when no response arrived (network error, timeout).
    pub status: Option<u16>,
    pub kind: ErrorKind,
    /// Machine-readable code: Shoptet `errorCode`, RAYNET `type`.
    pub code: Option<String>,
    /// Human-readable reason: Shoptet `message`, RAYNET `translatedMessage` or `message`.
    pub message: String,
    /// Earliest moment a retry makes sense (from `Retry-After`, `X-Ratelimit-Reset`, …).
    pub retry_after: Option<DateTime<Utc>>,
    /// First bytes of the response body, for the troubleshooting view.
    pub body_excerpt: Option<String>,
}

impl ApiError {
    fn describe(&self) -> String {
        let mut s = format!("{} {} {}", self.service, self.method, self.path);
        match self.status {
            Some(st) => s.push_str(&format!(" → HTTP {st}")),
            None => s.push_str(" → no response"),
        }
        s.push_str(": ");
        s.push_str(&self.message);
        if let Some(code) = &self.code {
            s.push_str(&format!(" ({code})"));
        }
        if let Some(at) = self.retry_after {
            s.push_str(&format!("; retry after {}", at.format("%Y-%m-%d %H:%M:%S UTC")));
        }
        s
    }

    /// The error for a request that produced no HTTP response.
    pub fn network(service: Service, method: &str, path: &str, err: &reqwest::Error) -> Self {
        let message = if err.is_timeout() {
            "the request timed out".to_string()
        } else if err.is_connect() {
            "could not connect (check the URL and the network)".to_string()
        } else if err.is_body() || err.is_decode() {
            "the connection broke while reading the response".to_string()
        } else {
            format!("network error: {}", error_chain(err))
        };
        ApiError {
            service,
            method: method.to_string(),
            path: path.to_string(),
            status: None,
            kind: ErrorKind::Transient,
            code: None,
            message,
            retry_after: None,
            body_excerpt: None,
        }
    }

    /// The error for a 2xx response whose body could not be understood.
    pub fn unreadable(
        service: Service,
        method: &str,
        path: &str,
        status: u16,
        body: &str,
        why: &str,
    ) -> Self {
        ApiError {
            service,
            method: method.to_string(),
            path: path.to_string(),
            status: Some(status),
            kind: ErrorKind::Transient,
            code: None,
            message: format!("unreadable response: {why}"),
            retry_after: None,
            body_excerpt: Some(excerpt(body)),
        }
    }
}

/// `err` and its sources joined, without reqwest's URL (which could carry a query secret).
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        parts.push(e.to_string());
        cur = e.source();
    }
    parts.join(": ")
}

/// At most 500 characters of a response body, cut on a character boundary.
pub fn excerpt(body: &str) -> String {
    const MAX: usize = 500;
    if body.chars().count() <= MAX {
        body.to_string()
    } else {
        let cut: String = body.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// One request made by a client, as shown in the order detail view and stored per order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CallRecord {
    pub service: Service,
    pub method: String,
    pub path: String,
    pub status: Option<u16>,
    pub duration_ms: u64,
    /// For failures: the readable reason and a body excerpt. Never a secret.
    pub error: Option<String>,
    pub at: DateTime<Utc>,
}

/// Where a client reports each request it makes. The engine installs one per unit of work.
pub type CallSink = Arc<dyn Fn(CallRecord) + Send + Sync>;

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

    #[test]
    fn error_text_names_service_request_status_and_reason() {
        let e = ApiError {
            service: Service::Raynet,
            method: "PUT".into(),
            path: "/company/".into(),
            status: Some(400),
            kind: ErrorKind::Permanent,
            code: Some("ValidationException".into()),
            message: "Povinná položka name chybí".into(),
            retry_after: None,
            body_excerpt: None,
        };
        assert_eq!(
            e.to_string(),
            "RAYNET PUT /company/ → HTTP 400: Povinná položka name chybí (ValidationException)"
        );
        assert!(!e.kind.is_retryable());
    }
}
