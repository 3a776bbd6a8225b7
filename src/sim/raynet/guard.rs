//! Authentication, the failed-login block, the daily request budget and the connection cap.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

use super::reply::SimError;
use crate::sim::lock;

/// Failed logins after which the client is blocked.
pub const LOGIN_ATTEMPTS: u32 = 20;
/// Connections RAYNET serves at once; the next one gets 429.
pub const MAX_IN_FLIGHT: usize = 4;
pub const DEFAULT_DAILY_LIMIT: u64 = 24_000;

pub struct Guard {
    instance: String,
    username: String,
    api_key: String,
    state: Mutex<GuardState>,
    in_flight: AtomicUsize,
    /// Most requests in flight at once (the benches report it).
    max_in_flight: AtomicUsize,
}

struct GuardState {
    failed_logins: u32,
    blocked: bool,
    limit: u64,
    remaining: u64,
    day: NaiveDate,
}

impl Guard {
    pub fn new(instance: &str, username: &str, api_key: &str) -> Guard {
        Guard {
            instance: instance.to_string(),
            username: username.to_string(),
            api_key: api_key.to_string(),
            state: Mutex::new(GuardState {
                failed_logins: 0,
                blocked: false,
                limit: DEFAULT_DAILY_LIMIT,
                remaining: DEFAULT_DAILY_LIMIT,
                day: Utc::now().date_naive(),
            }),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        }
    }

    /// Most requests handled at once since the last [`Guard::reset_max_in_flight`].
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::Relaxed)
    }

    pub fn reset_max_in_flight(&self) {
        self.max_in_flight.store(0, Ordering::Relaxed);
    }

    pub fn instance(&self) -> &str {
        &self.instance
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    pub fn failed_logins(&self) -> u32 {
        lock(&self.state).failed_logins
    }

    pub fn set_daily_limit(&self, limit: u64) {
        let mut s = lock(&self.state);
        s.limit = limit;
        s.remaining = limit;
    }

    /// Blocks or unblocks logins; unblocking also forgets the failed attempts.
    pub fn set_login_block(&self, blocked: bool) {
        let mut s = lock(&self.state);
        s.blocked = blocked;
        if !blocked {
            s.failed_logins = 0;
        }
    }

    fn credentials_ok(&self, headers: &HeaderMap) -> bool {
        let instance_ok =
            headers.get("x-instance-name").and_then(|v| v.to_str().ok()) == Some(self.instance.as_str());
        let basic = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic ").or_else(|| v.strip_prefix("basic ")))
            .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok())
            .and_then(|raw| String::from_utf8(raw).ok());
        let user_ok = basic
            .as_deref()
            .and_then(|s| s.split_once(':'))
            .is_some_and(|(user, key)| user.eq_ignore_ascii_case(&self.username) && key == self.api_key);
        instance_ok && user_ok
    }

    /// Checks login and budget; `Err` is the response to send instead of handling the request.
    fn admit(&self, headers: &HeaderMap) -> Result<(), Box<Response>> {
        let mut s = lock(&self.state);
        roll_day(&mut s);
        if s.blocked {
            return Err(Box::new(self.with_headers(&s, blocked_error().into_response())));
        }
        if !self.credentials_ok(headers) {
            s.failed_logins += 1;
            if s.failed_logins >= LOGIN_ATTEMPTS {
                s.blocked = true;
            }
            return Err(Box::new(self.with_headers(&s, auth_error().into_response())));
        }
        if s.remaining == 0 {
            return Err(Box::new(self.with_headers(&s, limit_response("API request limit reached. See the X-RateLimit-* headers and check out the API documentation for more details."))));
        }
        s.remaining -= 1;
        Ok(())
    }

    fn with_headers(&self, s: &GuardState, mut response: Response) -> Response {
        put_rate_headers(
            response.headers_mut(),
            s.limit,
            s.remaining,
            next_midnight(Utc::now()).timestamp(),
            true,
        );
        response
    }

    /// Adds the rate-limit headers where a response has none yet.
    fn add_missing_headers(&self, response: &mut Response) {
        let s = lock(&self.state);
        put_rate_headers(
            response.headers_mut(),
            s.limit,
            s.remaining,
            next_midnight(Utc::now()).timestamp(),
            false,
        );
    }

    /// The answer to an injected fault: 429 (with headers announcing the reset after
    /// `retry_after` seconds), 503 (legacy limit body), 401, or a generic RAYNET error.
    pub fn injected(&self, status: u16, retry_after: u64) -> Response {
        let limit = lock(&self.state).limit;
        let reset =
            (Utc::now() + Duration::seconds(i64::try_from(retry_after).unwrap_or(i64::MAX / 2))).timestamp();
        let mut response = match status {
            429 => limit_response(
                "API request limit reached. See the X-RateLimit-* headers and check out the API documentation for more details.",
            ),
            503 => {
                let mut r = limit_response("API request limit reached. Service temporarily unavailable.");
                *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
                r
            }
            401 => auth_error().into_response(),
            other => SimError::new(
                other,
                "InternalServerError",
                format!("Simulated error {other}"),
                "Došlo k chybě na serveru",
            )
            .into_response(),
        };
        put_rate_headers(response.headers_mut(), limit, 0, reset, true);
        response
    }
}

fn roll_day(s: &mut GuardState) {
    let today = Utc::now().date_naive();
    if today != s.day {
        s.day = today;
        s.remaining = s.limit;
    }
}

fn next_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = now.date_naive() + Duration::days(1);
    tomorrow.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or(now)
}

fn put_rate_headers(headers: &mut HeaderMap, limit: u64, remaining: u64, reset: i64, overwrite: bool) {
    for (name, value) in [
        ("x-ratelimit-limit", limit.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-reset", reset.to_string()),
    ] {
        if (overwrite || !headers.contains_key(name))
            && let Ok(v) = HeaderValue::from_str(&value)
        {
            headers.insert(name, v);
        }
    }
}

fn limit_response(message: &str) -> Response {
    (StatusCode::TOO_MANY_REQUESTS, axum::Json(json!({"success": false, "type": "RequestLimitReached", "message": message, "translatedMessage": "Byl dosažen limit požadavků API."})))
        .into_response()
}

fn auth_error() -> SimError {
    SimError::new(401, "AuthenticationException", "Bad credentials", "Neplatné přihlašovací údaje")
}

fn blocked_error() -> SimError {
    SimError::new(
        403,
        "LoginBlockedException",
        "Too many failed login attempts. Access from your IP address is blocked for 60 minutes.",
        "Příliš mnoho neúspěšných pokusů o přihlášení. Přístup z vaší IP adresy je na 60 minut zablokován.",
    )
}

/// Inner layer (inside the fault layer): login and daily budget.
pub async fn admit_layer(
    axum::extract::State(guard): axum::extract::State<std::sync::Arc<Guard>>,
    req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    if let Err(refused) = guard.admit(req.headers()) {
        return *refused;
    }
    let mut response = next.run(req).await;
    let s = lock(&guard.state);
    put_rate_headers(
        response.headers_mut(),
        s.limit,
        s.remaining,
        next_midnight(Utc::now()).timestamp(),
        false,
    );
    response
}

/// Outer layer: at most [`MAX_IN_FLIGHT`] requests at once, rate headers on every answer.
pub async fn connection_layer(
    axum::extract::State(guard): axum::extract::State<std::sync::Arc<Guard>>,
    req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    if req.uri().path().starts_with("/__sim") {
        return next.run(req).await;
    }
    let in_flight = InFlight::enter(&guard.in_flight);
    if in_flight.count <= MAX_IN_FLIGHT {
        guard.max_in_flight.fetch_max(in_flight.count, Ordering::Relaxed);
    }
    let mut response = if in_flight.count > MAX_IN_FLIGHT {
        limit_response("API request limit reached: too many concurrent connections (max 4).")
    } else {
        next.run(req).await
    };
    drop(in_flight);
    guard.add_missing_headers(&mut response);
    response
}

struct InFlight<'a> {
    counter: &'a AtomicUsize,
    count: usize,
}

impl<'a> InFlight<'a> {
    fn enter(counter: &'a AtomicUsize) -> Self {
        let count = counter.fetch_add(1, Ordering::SeqCst) + 1;
        InFlight { counter, count }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.counter.fetch_sub(1, Ordering::SeqCst);
    }
}
