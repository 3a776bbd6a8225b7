//! What the transport needs to know about Shoptet: the `{data, errors}` envelope, how errors
//! are classified, and the leaky bucket its `X-RateLimit-Bucket-Filling` header reports.

use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::http::{ApiError, ErrorKind, Service, Vendor, excerpt, parse_retry_after};

/// Above this bucket filling (percent) requests are slowed down.
pub(super) const THROTTLE_ABOVE: f64 = 0.75;
/// Shoptet's bucket leaks this many drops per second.
const LEAK_PER_SEC: f64 = 10.0;

/// Shoptet as the transport sees it; holds the last bucket filling seen.
#[derive(Default)]
pub(super) struct Shoptet {
    /// Last `X-RateLimit-Bucket-Filling` seen: (current, max).
    pub(super) bucket: Mutex<Option<(f64, f64)>>,
}

impl Vendor for Shoptet {
    fn service(&self) -> Service {
        Service::Shoptet
    }

    fn classify(
        &self,
        method: &Method,
        path: &str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &str,
    ) -> ApiError {
        http_error(method.as_str(), path, status.as_u16(), headers, body)
    }

    fn observe(&self, headers: &HeaderMap) {
        if let Some(b) = bucket_filling(headers) {
            *lock(&self.bucket) = Some(b);
        }
    }

    fn record_text(&self, e: &ApiError) -> String {
        match &e.body_excerpt {
            Some(b) => format!("{e} — {b}"),
            None => e.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    data: Value,
    #[serde(default)]
    errors: Option<Vec<EnvelopeError>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnvelopeError {
    error_code: Option<String>,
    message: Option<String>,
}

pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The leaky bucket an answer reports (`X-RateLimit-Bucket-Filling`): (current, max).
pub fn bucket_filling(headers: &HeaderMap) -> Option<(f64, f64)> {
    headers.get("X-RateLimit-Bucket-Filling").and_then(|v| v.to_str().ok()).and_then(parse_bucket)
}

/// `"150/200"` → (150, 200).
fn parse_bucket(v: &str) -> Option<(f64, f64)> {
    let (cur, max) = v.split_once('/')?;
    let cur: f64 = cur.trim().parse().ok()?;
    let max: f64 = max.trim().parse().ok()?;
    (max > 0.0).then_some((cur, max))
}

pub(super) fn throttle_wait(current: f64, max: f64) -> Duration {
    let over = current - THROTTLE_ABOVE * max;
    if over <= 0.0 { Duration::ZERO } else { Duration::from_secs_f64(over / LEAK_PER_SEC) }
}

/// `data` of a successful envelope, as `T`.
pub(super) fn parse_data<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let env: Envelope = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if env.data.is_null()
        && let Some(errors) = env.errors.filter(|e| !e.is_empty())
    {
        return Err(format!("no data; errors: {}", join_errors(&errors)));
    }
    serde_json::from_value(env.data).map_err(|e| format!("unexpected shape: {e}"))
}

fn join_errors(errors: &[EnvelopeError]) -> String {
    errors.iter().filter_map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")
}

/// Classifies a non-2xx response.
fn http_error(
    method: &str,
    path: &str,
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &str,
) -> ApiError {
    let env: Option<Envelope> = serde_json::from_str(body).ok();
    let errors = env.and_then(|e| e.errors).unwrap_or_default();
    let code = errors.iter().find_map(|e| e.error_code.clone());
    let mut message = join_errors(&errors);
    let kind = match status {
        401 | 403 => ErrorKind::Auth,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        423 | 500..=599 => ErrorKind::Transient,
        _ => ErrorKind::Permanent,
    };
    let retry_after = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, Utc::now()));
    if message.is_empty() {
        message = match status {
            401 => "the API token was rejected".into(),
            403 => "the API token has no rights for this resource".into(),
            404 => "not found".into(),
            423 => "the resource is locked by another request".into(),
            429 => "rate limit reached".into(),
            503 => "Shoptet is under maintenance".into(),
            _ => format!("HTTP {status}"),
        };
    }
    ApiError {
        service: Service::Shoptet,
        method: method.to_string(),
        path: path.to_string(),
        status: Some(status),
        kind,
        code,
        message,
        retry_after,
        body_excerpt: (!body.is_empty()).then(|| excerpt(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_header_drives_the_throttle() {
        assert_eq!(parse_bucket("150/200"), Some((150.0, 200.0)));
        assert_eq!(parse_bucket("x/200"), None);
        assert_eq!(throttle_wait(100.0, 200.0), Duration::ZERO);
        assert_eq!(throttle_wait(170.0, 200.0), Duration::from_secs(2));
    }

    #[test]
    fn errors_are_classified_with_readable_messages() {
        let h = reqwest::header::HeaderMap::new();
        let body = r#"{"data":null,"errors":[{"errorCode":"order-not-found","message":"Order with code \"1\" not found.","instance":"1"}]}"#;
        let e = http_error("GET", "/api/orders/1", 404, &h, body);
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.code.as_deref(), Some("order-not-found"));
        assert!(e.to_string().contains("Order with code \"1\" not found."));
        for (st, kind) in [
            (401, ErrorKind::Auth),
            (403, ErrorKind::Auth),
            (409, ErrorKind::Permanent),
            (422, ErrorKind::Permanent),
            (400, ErrorKind::Permanent),
            (423, ErrorKind::Transient),
            (500, ErrorKind::Transient),
            (503, ErrorKind::Transient),
            (429, ErrorKind::RateLimited),
        ] {
            assert_eq!(http_error("GET", "/x", st, &h, "").kind, kind, "status {st}");
        }
    }
}
