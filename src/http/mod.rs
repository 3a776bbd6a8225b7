//! What both API clients share: the error classification the engine's retry logic reads,
//! and one transport ([`transport`]) that sends, retries ([`retry`]), limits concurrency and
//! records every call ([`record`]) for the order being worked, and shows each exchange to the
//! observer of its scope ([`observe`]: metrics and health).

use std::fmt;

use chrono::{DateTime, Utc};

pub mod observe;
pub mod record;
pub mod retry;
pub mod transport;

pub use observe::{Observer, observed};
pub use record::{CallRecord, CallSink, recorded, scoped};
pub use retry::{RetryPolicy, http_date, parse_retry_after};
pub use transport::{Reply, Transport, Vendor};

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

#[cfg(test)]
mod tests {
    use super::*;

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
