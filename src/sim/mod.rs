//! Embedded simulators of the Shoptet and RAYNET APIs, used by `demo`, `sim` and the tests.
//!
//! Both speak the real paths, headers, envelopes and error bodies and keep state. This module
//! holds what they share: the loopback server, request statistics (`GET /__sim/stats`), fault
//! injection (`POST /__sim/faults`) and an injected per-request latency (for the benches).

pub mod raynet;
pub mod shoptet;

/// A simulator serving on loopback until stopped or dropped (the server the webhook receiver uses too).
pub use crate::server::ServerHandle as SimServer;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

/// What an injected fault does to a matching request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with `status` and the service's own error body (429 with its rate-limit
    /// headers, 423, 500, 503, 401, …) without touching state.
    Status,
    /// Wait `delay_ms`, then handle the request normally (turns into a client timeout when
    /// the delay is longer than the client's).
    Slow,
    /// Break the connection before a response body arrives.
    Drop,
    /// Answer 200 with a truncated, unparsable JSON body, without touching state.
    Malformed,
    /// Handle the request normally (state changes), then break the connection before the
    /// response arrives: the client cannot know whether its write happened.
    DropAfter,
}

/// One fault rule, as posted to `/__sim/faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FaultRule {
    pub kind: FaultKind,
    #[serde(default)]
    pub status: Option<u16>,
    /// Only requests with this method (e.g. `PUT`).
    #[serde(default)]
    pub method: Option<String>,
    /// Only requests whose path starts with this. A `*` stands for one path segment (any
    /// characters but `/`, at least one), and a final `$` requires the path to end there:
    /// `/api/v2/company/*/address/` hits the address of any client, `/api/v2/company/$` only
    /// the create.
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// How many matching requests it hits before it is used up.
    #[serde(default = "one")]
    pub count: u32,
    /// Let this many matching requests through before the fault starts.
    #[serde(default)]
    pub skip: u32,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// For 429: the wait announced in `Retry-After` / the rate-limit reset.
    #[serde(default)]
    pub retry_after_secs: Option<u64>,
}

fn one() -> u32 {
    1
}

impl FaultRule {
    /// A rule hitting one request with `method` (any when `None`) under `path_prefix`; tune
    /// `status`, `count`, `skip`, `delay_ms` and `retry_after_secs` on the result.
    pub fn new(kind: FaultKind, method: Option<&str>, path_prefix: &str) -> FaultRule {
        FaultRule {
            kind,
            status: None,
            method: method.map(str::to_string),
            path_prefix: Some(path_prefix.to_string()),
            count: 1,
            skip: 0,
            delay_ms: None,
            retry_after_secs: None,
        }
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method.as_str()))
            && self.path_prefix.as_deref().is_none_or(|p| path_matches(p, path))
    }
}

/// Whether `path` starts with `pattern`, where `*` in the pattern is one path segment and a
/// final `$` anchors the end.
fn path_matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let mut rest = path;
    let mut parts = pattern.split('*').peekable();
    while let Some(literal) = parts.next() {
        let Some(after) = rest.strip_prefix(literal) else { return false };
        rest = after;
        if parts.peek().is_some() {
            // A wildcard: one segment, not empty.
            let end = rest.find('/').unwrap_or(rest.len());
            if end == 0 {
                return false;
            }
            rest = &rest[end..];
        }
    }
    !anchored || rest.is_empty()
}

/// Builds the service-specific response for an injected error status.
pub type ErrorStyle = Arc<dyn Fn(u16, u64) -> Response + Send + Sync>;

/// Request counters, the fault queue and the injected latency of one simulator.
pub struct SimControl {
    stats: Mutex<BTreeMap<String, u64>>,
    faults: Mutex<Vec<FaultRule>>,
    style: ErrorStyle,
    /// Added to every API request (while it holds its connection), in microseconds.
    latency_us: AtomicU64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SimStats {
    pub total: u64,
    /// Keyed `"METHOD /path"` (the path as requested, without the query).
    pub requests: BTreeMap<String, u64>,
}

impl SimStats {
    /// Requests whose key starts with `prefix` (e.g. `"PUT /company/"`).
    pub fn count(&self, prefix: &str) -> u64 {
        self.requests.iter().filter(|(k, _)| k.starts_with(prefix)).map(|(_, v)| v).sum()
    }
}

impl SimControl {
    pub fn new(style: ErrorStyle) -> Arc<Self> {
        Arc::new(SimControl {
            stats: Mutex::new(BTreeMap::new()),
            faults: Mutex::new(Vec::new()),
            style,
            latency_us: AtomicU64::new(0),
        })
    }

    /// Every API request takes at least this long from now on, as over a real network (the
    /// wait happens inside the connection caps, so a slow answer holds its connection). Zero,
    /// the default, answers at once.
    pub fn set_latency(&self, latency: Duration) {
        let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.latency_us.store(us, Ordering::Relaxed);
    }

    pub fn latency(&self) -> Duration {
        Duration::from_micros(self.latency_us.load(Ordering::Relaxed))
    }

    pub fn stats(&self) -> SimStats {
        let requests = lock(&self.stats).clone();
        SimStats { total: requests.values().sum(), requests }
    }

    pub fn reset_stats(&self) {
        lock(&self.stats).clear();
    }

    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.faults).push(rule);
    }

    /// The rules not used up yet.
    pub fn pending_faults(&self) -> Vec<FaultRule> {
        lock(&self.faults).clone()
    }

    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// The first live rule matching the request, used up by one.
    fn take_fault(&self, method: &Method, path: &str) -> Option<FaultRule> {
        let mut faults = lock(&self.faults);
        let idx = faults.iter().position(|r| r.count > 0 && r.matches(method, path))?;
        let rule = &mut faults[idx];
        if rule.skip > 0 {
            rule.skip -= 1;
            return None;
        }
        rule.count -= 1;
        let taken = rule.clone();
        if rule.count == 0 {
            faults.remove(idx);
        }
        Some(taken)
    }

    /// Routes `/__sim/stats` and `/__sim/faults`, to merge into a simulator's router.
    pub fn routes(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/__sim/stats", get(get_stats).delete(delete_stats))
            .route("/__sim/faults", get(get_faults).post(post_faults).delete(delete_faults))
            .with_state(self.clone())
    }

    /// Wraps `router` with statistics and fault injection (control routes are exempt).
    pub fn wrap(self: &Arc<Self>, router: Router) -> Router {
        router.layer(axum::middleware::from_fn_with_state(self.clone(), fault_layer)).merge(self.routes())
    }
}

/// A poisoned lock only means another request panicked; the data is still usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

async fn get_stats(State(c): State<Arc<SimControl>>) -> axum::Json<SimStats> {
    axum::Json(c.stats())
}

async fn delete_stats(State(c): State<Arc<SimControl>>) -> StatusCode {
    c.reset_stats();
    StatusCode::NO_CONTENT
}

async fn get_faults(State(c): State<Arc<SimControl>>) -> axum::Json<Vec<FaultRule>> {
    axum::Json(lock(&c.faults).clone())
}

/// Accepts one rule or a list of rules.
async fn post_faults(State(c): State<Arc<SimControl>>, body: axum::body::Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(FaultRule),
        Many(Vec<FaultRule>),
    }
    match serde_json::from_slice::<OneOrMany>(&body) {
        Ok(OneOrMany::One(r)) => c.add_fault(r),
        Ok(OneOrMany::Many(rs)) => rs.into_iter().for_each(|r| c.add_fault(r)),
        Err(e) => return (StatusCode::BAD_REQUEST, format!("bad fault rule: {e}")).into_response(),
    }
    StatusCode::CREATED.into_response()
}

async fn delete_faults(State(c): State<Arc<SimControl>>) -> StatusCode {
    c.clear_faults();
    StatusCode::NO_CONTENT
}

async fn fault_layer(State(c): State<Arc<SimControl>>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    *lock(&c.stats).entry(format!("{method} {path}")).or_default() += 1;
    let latency = c.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let Some(rule) = c.take_fault(&method, &path) else {
        return next.run(req).await;
    };
    match rule.kind {
        FaultKind::Status => (c.style)(rule.status.unwrap_or(500), rule.retry_after_secs.unwrap_or(1)),
        FaultKind::Slow => {
            tokio::time::sleep(Duration::from_millis(rule.delay_ms.unwrap_or(2_000))).await;
            next.run(req).await
        }
        FaultKind::Drop => broken_response(),
        FaultKind::DropAfter => {
            let _ = next.run(req).await;
            broken_response()
        }
        FaultKind::Malformed => (
            StatusCode::OK,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            r#"{"success": true, "data": {"id": 1, "items": [{"na"#,
        )
            .into_response(),
    }
}

/// A response whose body fails at once, so the connection is cut before any data arrives.
fn broken_response() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated dropped connection",
        ))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns_match_segments_and_anchor_the_end() {
        assert!(path_matches("/api/v2/company/", "/api/v2/company/7/address/"));
        assert!(path_matches("/api/v2/company/$", "/api/v2/company/"));
        assert!(!path_matches("/api/v2/company/$", "/api/v2/company/7/address/"));
        assert!(path_matches("/api/v2/company/*/address/", "/api/v2/company/7/address/"));
        assert!(path_matches("/api/v2/company/*/address/", "/api/v2/company/7/address/9/setContact/"));
        assert!(!path_matches("/api/v2/company/*/address/$", "/api/v2/company/7/address/9/setContact/"));
        assert!(path_matches("/api/v2/businessCase/*/item/*/$", "/api/v2/businessCase/5/item/81/"));
        assert!(!path_matches("/api/v2/businessCase/*/item/*/$", "/api/v2/businessCase/5/item/"));
        assert!(!path_matches("/api/v2/company/*/extId/", "/api/v2/company//extId/"));
        assert!(!path_matches("/api/v2/product/", "/api/v2/company/"));
    }

    #[test]
    fn a_rule_is_used_up_after_its_count_and_skip() {
        let c = SimControl::new(Arc::new(|_, _| StatusCode::OK.into_response()));
        let mut r = FaultRule::new(FaultKind::DropAfter, Some("PUT"), "/api/v2/company/*/address/$");
        r.skip = 1;
        c.add_fault(r);
        assert!(c.take_fault(&Method::PUT, "/api/v2/company/").is_none());
        assert!(c.take_fault(&Method::PUT, "/api/v2/company/7/address/").is_none(), "skipped");
        assert!(c.take_fault(&Method::GET, "/api/v2/company/7/address/").is_none(), "other method");
        assert!(c.take_fault(&Method::PUT, "/api/v2/company/7/address/").is_some());
        assert!(c.pending_faults().is_empty());
    }
}
