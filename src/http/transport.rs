//! One HTTP transport for both clients: a connection limit per service, one exchange per
//! attempt, the vendor's rate-limit headers handed to the vendor, and every attempt recorded.
//! The clients build requests in the vendor's shape and read its envelopes; retries run
//! through [`RetryPolicy::run`](super::RetryPolicy::run).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::{Semaphore, SemaphorePermit};

use super::record::{self, CallRecord, CallSink};
use super::{ApiError, ErrorKind, RetryPolicy, Service};

/// What differs between the vendors below the request shape.
pub trait Vendor: Send + Sync + 'static {
    fn service(&self) -> Service;
    /// Turns a non-2xx answer into an error.
    fn classify(
        &self,
        method: &Method,
        path: &str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &str,
    ) -> ApiError;
    /// Sees the headers of every answer, success or not (the rate-limit headers).
    fn observe(&self, _headers: &HeaderMap) {}
    /// Adjusts the error of a request that got no answer.
    fn no_answer(&self, err: ApiError, _cause: &reqwest::Error) -> ApiError {
        err
    }
    /// How a failure reads in the call record.
    fn record_text(&self, err: &ApiError) -> String {
        err.to_string()
    }
}

/// A response that arrived with a success status.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

/// The transport of one service. Cheap to clone; clones share the connections and the vendor.
pub struct Transport<V> {
    shared: Arc<Shared<V>>,
    sink: Option<CallSink>,
}

impl<V> Clone for Transport<V> {
    fn clone(&self) -> Self {
        Transport { shared: self.shared.clone(), sink: self.sink.clone() }
    }
}

struct Shared<V> {
    vendor: V,
    http: reqwest::Client,
    /// Base URL without a trailing slash.
    base: String,
    policy: RetryPolicy,
    permits: Semaphore,
    /// How many permits `permits` was given.
    capacity: AtomicUsize,
}

impl<V: Vendor> Transport<V> {
    /// A transport to `base` allowing `connections` requests at once.
    pub fn new(vendor: V, base: String, policy: RetryPolicy, connections: usize) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("shoptet-raynet-sync/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(connections)
            .build()
            .map_err(|e| format!("cannot set up HTTP: {e}"))?;
        let shared = Shared {
            vendor,
            http,
            base,
            policy,
            permits: Semaphore::new(connections),
            capacity: AtomicUsize::new(connections),
        };
        Ok(Transport { shared: Arc::new(shared), sink: None })
    }

    /// A transport that also reports every call to `sink` (shares the limit with `self`).
    pub fn with_sink(mut self, sink: CallSink) -> Self {
        self.sink = Some(sink);
        self
    }

    /// At most `n` requests at once from now on. Permits already taken are not withdrawn.
    pub fn set_connections(&self, n: usize) {
        let had = self.shared.capacity.swap(n, Ordering::SeqCst);
        if n > had {
            self.shared.permits.add_permits(n - had);
        } else {
            self.shared.permits.forget_permits(had - n);
        }
    }

    pub fn vendor(&self) -> &V {
        &self.shared.vendor
    }

    pub fn base(&self) -> &str {
        &self.shared.base
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.shared.policy
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.shared.http
    }

    /// One of the service's connections; held while a request runs.
    pub async fn permit(&self) -> Option<SemaphorePermit<'_>> {
        // The semaphore is never closed; a closed one would only mean "no limit".
        self.shared.permits.acquire().await.ok()
    }

    /// Reports a call made outside [`Transport::send`] (e.g. a token exchange).
    pub fn record(&self, rec: CallRecord) {
        super::observe::finished(&rec);
        record::report(self.sink.as_ref(), rec);
    }

    /// One HTTP exchange under the connection limit, recorded. `Ok` only for a 2xx answer.
    pub async fn send(
        &self,
        method: &Method,
        path: &str,
        headers: HeaderMap,
        body: Option<&Value>,
    ) -> Result<Reply, ApiError> {
        let _permit = self.permit().await;
        let started = Instant::now();
        let at = Utc::now();
        let result = self.exchange(method, path, headers, body).await;
        let (status, error) = match &result {
            Ok(r) => (Some(r.status), None),
            Err(e) => (e.status, Some(self.shared.vendor.record_text(e))),
        };
        self.record(CallRecord {
            service: self.shared.vendor.service(),
            method: method.to_string(),
            path: path.to_string(),
            status,
            duration_ms: started.elapsed().as_millis() as u64,
            error,
            at,
        });
        result
    }

    async fn exchange(
        &self,
        method: &Method,
        path: &str,
        headers: HeaderMap,
        body: Option<&Value>,
    ) -> Result<Reply, ApiError> {
        let vendor = &self.shared.vendor;
        let no_answer = |e: reqwest::Error| {
            vendor.no_answer(ApiError::network(vendor.service(), method.as_str(), path, &e), &e)
        };
        let mut req =
            self.shared.http.request(method.clone(), format!("{}{path}", self.shared.base)).headers(headers);
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        let resp = req.send().await.map_err(no_answer)?;
        let status = resp.status();
        let headers = resp.headers().clone();
        vendor.observe(&headers);
        super::observe::answered(vendor.service(), &headers);
        let text = resp.text().await.map_err(no_answer)?;
        if status.is_success() {
            return Ok(Reply { status: status.as_u16(), headers, body: text });
        }
        Err(vendor.classify(method, path, status, &headers, &text))
    }
}

/// The error of a client whose set-up failed (no request was sent).
pub fn config_error(service: Service, path: &str, code: Option<&str>, message: String) -> ApiError {
    ApiError {
        service,
        method: "-".into(),
        path: path.into(),
        status: None,
        kind: ErrorKind::Permanent,
        code: code.map(str::to_owned),
        message,
        retry_after: None,
        body_excerpt: None,
    }
}
