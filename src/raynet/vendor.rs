//! What the transport needs to know about RAYNET: how its errors are classified, what its
//! `X-Ratelimit-*` headers say, and how a failure reads in the call record.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use super::envelope::{self, ErrorBody};
use super::ratelimit::RateLimitState;
use crate::http::{ApiError, ErrorKind, Service, Vendor, excerpt, parse_retry_after};

/// Wait after a 429 that is not the daily limit (the connection cap): a short pause helps.
const CONNECTION_CAP_PAUSE: Duration = Duration::from_secs(2);

/// `ApiError::code` of a request that never reached the server.
pub(super) const NOT_CONNECTED: &str = "NotConnected";

/// The error `type` RAYNET gives a missing record (with 404, and sometimes with other statuses).
pub(super) const ENTITY_NOT_FOUND: &str = "EntityNotFoundException";

/// RAYNET error types that come with HTTP 500 but are business refusals, not outages.
const BUSINESS_500_TYPES: &[&str] = &[
    "AttributeAccessDeniedException",
    "TranslatedApplicationException",
    "ConversionFailedException",
    "ValidationException",
    ENTITY_NOT_FOUND,
];

/// RAYNET as the transport sees it; holds the last rate-limit state (shared by clones).
#[derive(Default)]
pub(super) struct Raynet {
    pub(super) rate: Arc<Mutex<RateLimitState>>,
}

impl Vendor for Raynet {
    fn service(&self) -> Service {
        Service::Raynet
    }

    fn classify(
        &self,
        method: &Method,
        path: &str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &str,
    ) -> ApiError {
        classify(method, path, status, headers, body)
    }

    fn observe(&self, headers: &HeaderMap) {
        if let Some(state) = RateLimitState::from_headers(headers) {
            *lock(&self.rate) = state;
        }
    }

    fn no_answer(&self, mut err: ApiError, cause: &reqwest::Error) -> ApiError {
        if cause.is_connect() {
            // Nothing reached RAYNET, so even a create may be sent again.
            err.code = Some(NOT_CONNECTED.into());
        }
        err
    }

    fn record_text(&self, e: &ApiError) -> String {
        let mut text = e.to_string();
        if let Some(b) = e.body_excerpt.as_deref().filter(|b| !b.is_empty()) {
            text.push_str(" | body: ");
            text.push_str(b);
        }
        text
    }
}

/// Turns a non-2xx response into an [`ApiError`].
pub(super) fn classify(
    method: &Method,
    path: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &str,
) -> ApiError {
    let ErrorBody { message, kind: code } = envelope::parse_error(body);
    let code_is = |c: &str| code.as_deref() == Some(c);
    let kind = match status.as_u16() {
        401 | 403 => ErrorKind::Auth,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        503 if code_is("RequestLimitReached") => ErrorKind::RateLimited,
        423 => ErrorKind::Transient,
        500 if code.as_deref().is_some_and(|c| BUSINESS_500_TYPES.contains(&c)) => ErrorKind::Permanent,
        s if s >= 500 => ErrorKind::Transient,
        _ => ErrorKind::Permanent,
    };
    let retry_after = (kind == ErrorKind::RateLimited).then(|| rate_limited_until(headers)).flatten();
    let message = message.unwrap_or_else(|| match kind {
        ErrorKind::Auth => {
            "RAYNET refused the credentials (check user e-mail, API key and instance name)".into()
        }
        ErrorKind::NotFound => "not found".into(),
        ErrorKind::RateLimited => "RAYNET request limit reached".into(),
        _ => status.canonical_reason().unwrap_or("request failed").to_string(),
    });
    ApiError {
        service: Service::Raynet,
        method: method.to_string(),
        path: path.to_string(),
        status: Some(status.as_u16()),
        kind,
        code,
        message,
        retry_after,
        body_excerpt: (!body.is_empty()).then(|| excerpt(body)),
    }
}

/// When a rate-limited request makes sense again: `Retry-After` if sent; the window reset
/// when the daily budget is used up; a short pause otherwise (the connection cap).
fn rate_limited_until(headers: &HeaderMap) -> Option<chrono::DateTime<Utc>> {
    let now = Utc::now();
    if let Some(at) =
        headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(|v| parse_retry_after(v, now))
    {
        return Some(at);
    }
    let state = RateLimitState::from_headers(headers).unwrap_or_default();
    match (state.remaining, state.reset) {
        (Some(r), _) if r > 0 => chrono::Duration::from_std(CONNECTION_CAP_PAUSE).ok().map(|d| now + d),
        (_, Some(reset)) => Some(reset),
        _ => None,
    }
}

/// A poisoned lock only means another task panicked; the state is still usable.
pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
