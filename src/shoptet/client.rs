//! HTTP client for the Shoptet REST API: auth header, `{data, errors}` envelope, paging,
//! error classification, in-call retries, leaky-bucket throttling and a connection cap (2 of
//! Shoptet's 3 per token by default, `shoptet.max_connections`).

// `ApiError` (shared, in `crate::http`) is the error type of the public interface; it is not boxed.
#![allow(clippy::result_large_err)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use super::auth::{AddonAuth, AuthHeader, Credentials};
use super::models::{
    Eshop, Order, OrderChange, OrderStatuses, OrderSummary, Paginator, Product, ProductSummary, Webhook,
    timestamp,
};
use crate::config::{ShoptetAuth, ShoptetConfig};
use crate::http::{
    ApiError, CallRecord, CallSink, ErrorKind, RetryPolicy, Service, excerpt, parse_retry_after,
};

/// Shoptet allows 3 simultaneous connections per token (shared by every tool using the token).
pub const MAX_CONNECTIONS: usize = 3;
/// What a client uses unless told otherwise: one connection stays free for the shop's other tools.
pub const DEFAULT_CONNECTIONS: usize = 2;
/// Above this bucket filling (percent) requests are slowed down.
const THROTTLE_ABOVE: f64 = 0.75;
/// Shoptet's bucket leaks this many drops per second.
const LEAK_PER_SEC: f64 = 10.0;
/// Rows per page asked for: the maximum each endpoint allows.
const ORDERS_PER_PAGE: u32 = 50;
const CHANGES_PER_PAGE: u32 = 1000;
/// `productCodes` accepts at most this many codes.
const CODES_PER_REQUEST: usize = 50;

/// Characters escaped in a query value (`+` → `%2B`, `,` kept for lists, `:` kept for times).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b':');
/// Characters escaped in a path segment (`/` → `%2F`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Which orders `GET /api/orders` returns.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub change_time_from: Option<DateTime<FixedOffset>>,
    pub creation_time_from: Option<DateTime<FixedOffset>>,
    pub status_id: Option<i64>,
}

/// A Shoptet API client for one e-shop (private API token or addon access tokens). Cheap to clone.
#[derive(Clone)]
pub struct ShoptetClient {
    inner: Arc<Inner>,
    sink: Option<CallSink>,
}

struct Inner {
    http: reqwest::Client,
    base: String,
    credentials: Credentials,
    policy: RetryPolicy,
    permits: Semaphore,
    /// How many permits `permits` was given.
    connections: AtomicUsize,
    /// Last `X-RateLimit-Bucket-Filling` seen: (current, max).
    bucket: Mutex<Option<(f64, f64)>>,
}

impl std::fmt::Debug for ShoptetClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShoptetClient").field("base", &self.inner.base).finish_non_exhaustive()
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

#[derive(Deserialize)]
struct OrderData {
    order: Order,
}

#[derive(Deserialize)]
struct OrdersPage {
    orders: Vec<OrderSummary>,
    paginator: Paginator,
}

#[derive(Deserialize)]
struct ChangesPage {
    changes: Vec<OrderChange>,
    paginator: Paginator,
}

#[derive(Deserialize)]
struct ProductsPage {
    products: Vec<ProductSummary>,
}

#[derive(Deserialize)]
struct Webhooks {
    webhooks: Vec<Webhook>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignatureKey {
    signature_key: String,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Percent-encodes one query value (`+` becomes `%2B`).
pub fn encode_query(v: &str) -> String {
    utf8_percent_encode(v, QUERY).to_string()
}

/// Percent-encodes one path segment (`/` becomes `%2F`).
pub fn encode_segment(v: &str) -> String {
    utf8_percent_encode(v, SEGMENT).to_string()
}

fn query_time(t: &DateTime<FixedOffset>) -> String {
    encode_query(&timestamp::format(t))
}

impl ShoptetClient {
    /// A client for `base_url` (e.g. `https://api.myshoptet.com`).
    pub fn new(base_url: &str, token: SecretString, policy: RetryPolicy) -> Result<Self, ApiError> {
        if token.expose_secret().trim().is_empty() {
            return Err(config_error("the Shoptet API token is empty".into()));
        }
        Self::build(base_url, Credentials::Private(token), policy)
    }

    /// An addon client: `oauth_access_token` is exchanged at `eshop_url`'s OAuth server for API
    /// access tokens, fetched on first use, cached and renewed before they expire.
    pub fn new_addon(
        base_url: &str,
        eshop_url: &str,
        oauth_access_token: SecretString,
        policy: RetryPolicy,
    ) -> Result<Self, ApiError> {
        let eshop = eshop_url.trim();
        if !is_http_url(eshop) {
            return Err(config_error(format!(
                "the e-shop URL must start with http:// or https://: {eshop:?}"
            )));
        }
        if oauth_access_token.expose_secret().trim().is_empty() {
            return Err(config_error("the Shoptet addon OAuth access token is empty".into()));
        }
        Self::build(base_url, Credentials::Addon(AddonAuth::new(eshop, oauth_access_token)), policy)
    }

    fn build(base_url: &str, credentials: Credentials, policy: RetryPolicy) -> Result<Self, ApiError> {
        let base = base_url.trim().trim_end_matches('/').to_string();
        if !is_http_url(&base) {
            return Err(config_error(format!(
                "the Shoptet URL must start with http:// or https://: {base:?}"
            )));
        }
        let http = reqwest::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("shoptet-raynet-sync/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| config_error(format!("cannot build the HTTP client: {e}")))?;
        Ok(ShoptetClient {
            inner: Arc::new(Inner {
                http,
                base,
                credentials,
                policy,
                permits: Semaphore::new(DEFAULT_CONNECTIONS),
                connections: AtomicUsize::new(DEFAULT_CONNECTIONS),
                bucket: Mutex::new(None),
            }),
            sink: None,
        })
    }

    /// At most `n` requests at once (clamped to 1..=3; default 2). Set it before the client is
    /// used: permits already taken are not withdrawn.
    pub fn with_max_connections(self, n: usize) -> Self {
        let n = n.clamp(1, MAX_CONNECTIONS);
        let had = self.inner.connections.swap(n, Ordering::SeqCst);
        if n > had {
            self.inner.permits.add_permits(n - had);
        } else {
            self.inner.permits.forget_permits(had - n);
        }
        self
    }

    /// Reports every HTTP attempt to `sink`.
    pub fn with_call_sink(mut self, sink: CallSink) -> Self {
        self.sink = Some(sink);
        self
    }

    pub async fn eshop(&self) -> Result<Eshop, ApiError> {
        self.get("/api/eshop").await
    }

    pub async fn order_statuses(&self) -> Result<OrderStatuses, ApiError> {
        self.get("/api/orders/statuses").await
    }

    /// One page of the changes feed (up to 1000 rows).
    pub async fn order_changes_page(
        &self,
        from: DateTime<FixedOffset>,
        page: u32,
    ) -> Result<(Vec<OrderChange>, Paginator), ApiError> {
        let path = format!(
            "/api/orders/changes?from={}&page={}&itemsPerPage={CHANGES_PER_PAGE}",
            query_time(&from),
            page.max(1)
        );
        let p: ChangesPage = self.get(&path).await?;
        Ok((p.changes, p.paginator))
    }

    /// Every change since `from`, oldest first.
    pub async fn order_changes(&self, from: DateTime<FixedOffset>) -> Result<Vec<OrderChange>, ApiError> {
        let mut all = Vec::new();
        let mut page = 1;
        loop {
            let (rows, pager) = self.order_changes_page(from, page).await?;
            let empty = rows.is_empty();
            all.extend(rows);
            if empty || u64::from(page) >= pager.page_count {
                break;
            }
            page += 1;
        }
        all.sort_by_key(|c| c.change_time);
        Ok(all)
    }

    /// One page (≤ 50 rows) of the order list.
    pub async fn orders_page(
        &self,
        filter: &OrderFilter,
        page: u32,
    ) -> Result<(Vec<OrderSummary>, Paginator), ApiError> {
        let mut path = format!("/api/orders?page={}&itemsPerPage={ORDERS_PER_PAGE}", page.max(1));
        if let Some(t) = &filter.change_time_from {
            path.push_str(&format!("&changeTimeFrom={}", query_time(t)));
        }
        if let Some(t) = &filter.creation_time_from {
            path.push_str(&format!("&creationTimeFrom={}", query_time(t)));
        }
        if let Some(s) = filter.status_id {
            path.push_str(&format!("&statusId={s}"));
        }
        let p: OrdersPage = self.get(&path).await?;
        Ok((p.orders, p.paginator))
    }

    /// Order detail with the `notes` section.
    pub async fn order(&self, code: &str) -> Result<Order, ApiError> {
        let d: OrderData = self.get(&format!("/api/orders/{}?include=notes", encode_segment(code))).await?;
        Ok(d.order)
    }

    pub async fn product_by_guid(&self, guid: &str) -> Result<Product, ApiError> {
        self.get(&format!("/api/products/{}", encode_segment(guid))).await
    }

    /// Product by product or variant code (`/` in codes is percent-encoded).
    pub async fn product_by_code(&self, code: &str) -> Result<Product, ApiError> {
        self.get(&format!("/api/products/code/{}", encode_segment(code))).await
    }

    /// List rows of the products with these codes (asked for in batches of 50).
    pub async fn products_by_codes(&self, codes: &[String]) -> Result<Vec<ProductSummary>, ApiError> {
        let mut all: Vec<ProductSummary> = Vec::new();
        for chunk in codes.chunks(CODES_PER_REQUEST) {
            let list = chunk.iter().map(|c| encode_query(c)).collect::<Vec<_>>().join(",");
            let path = format!("/api/products?productCodes={list}&itemsPerPage={CODES_PER_REQUEST}");
            let p: ProductsPage = self.get(&path).await?;
            for row in p.products {
                if !all.iter().any(|r| r.guid == row.guid) {
                    all.push(row);
                }
            }
        }
        Ok(all)
    }

    pub async fn webhooks(&self) -> Result<Vec<Webhook>, ApiError> {
        let w: Webhooks = self.get("/api/webhooks").await?;
        Ok(w.webhooks)
    }

    pub async fn register_webhook(&self, event: &str, url: &str) -> Result<Webhook, ApiError> {
        let body = json!({"data": [{"event": event, "url": url}]});
        let w: Webhooks = self.call(Method::POST, "/api/webhooks", Some(body)).await?;
        let path = "/api/webhooks";
        w.webhooks.into_iter().find(|w| w.event == event).ok_or_else(|| {
            ApiError::unreadable(Service::Shoptet, "POST", path, 201, "", "the registered webhook is missing")
        })
    }

    pub async fn delete_webhook(&self, id: i64) -> Result<(), ApiError> {
        let _: Value = self.call(Method::DELETE, &format!("/api/webhooks/{id}"), None).await?;
        Ok(())
    }

    /// Generates a new webhook signature key (the old one stops working).
    pub async fn renew_signature_key(&self) -> Result<SecretString, ApiError> {
        let k: SignatureKey = self.call(Method::POST, "/api/webhooks/renew-signature-key", None).await?;
        Ok(SecretString::from(k.signature_key))
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.call(Method::GET, path, None).await
    }

    /// One logical call: retries transient failures per the policy, returns `data`.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<T, ApiError> {
        let policy = &self.inner.policy;
        let mut attempt: u32 = 0;
        let mut renewed = false;
        loop {
            attempt += 1;
            let err = match self.auth_header().await {
                Err(e) => e,
                Ok(auth) => {
                    let err = match self.attempt(&method, path, body.as_ref(), &auth).await {
                        Ok((status, text)) => match parse_data::<T>(&text) {
                            Ok(v) => return Ok(v),
                            Err(why) => ApiError::unreadable(
                                Service::Shoptet,
                                method.as_str(),
                                path,
                                status,
                                &text,
                                &why,
                            ),
                        },
                        Err(e) => e,
                    };
                    // An expired access token is renewed once per call; a second 401 is reported.
                    if !renewed && self.inner.credentials.forget(&auth, &err).await {
                        renewed = true;
                        attempt -= 1;
                        continue;
                    }
                    err
                }
            };
            if !err.kind.is_retryable() || attempt >= policy.max_attempts.max(1) {
                return Err(err);
            }
            let wait = match err.retry_after {
                Some(at) => (at - Utc::now()).to_std().unwrap_or(Duration::ZERO),
                None => policy.backoff(attempt),
            };
            if wait > policy.max_inline_wait {
                return Err(err);
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// One HTTP exchange. `Ok` only for a 2xx response (status, body).
    async fn attempt(
        &self,
        method: &Method,
        path: &str,
        body: Option<&Value>,
        auth: &AuthHeader,
    ) -> Result<(u16, String), ApiError> {
        self.throttle().await;
        let _permit = self.inner.permits.acquire().await.map_err(|_| ApiError {
            service: Service::Shoptet,
            method: method.to_string(),
            path: path.to_string(),
            status: None,
            kind: ErrorKind::Transient,
            code: None,
            message: "the client is shutting down".into(),
            retry_after: None,
            body_excerpt: None,
        })?;
        let started = Instant::now();
        let at = Utc::now();
        let mut req = self
            .inner
            .http
            .request(method.clone(), format!("{}{path}", self.inner.base))
            .header(auth.name, auth.value.expose_secret())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        let result = match req.send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let headers = resp.headers().clone();
                self.note_bucket(&headers);
                match resp.text().await {
                    Ok(text) if (200..300).contains(&status) => Ok((status, text)),
                    Ok(text) => Err(http_error(method.as_str(), path, status, &headers, &text)),
                    Err(e) => Err(ApiError::network(Service::Shoptet, method.as_str(), path, &e)),
                }
            }
            Err(e) => Err(ApiError::network(Service::Shoptet, method.as_str(), path, &e)),
        };
        if let Some(sink) = &self.sink {
            let (status, error) = match &result {
                Ok((s, _)) => (Some(*s), None),
                Err(e) => (
                    e.status,
                    Some(match &e.body_excerpt {
                        Some(b) => format!("{e} — {b}"),
                        None => e.to_string(),
                    }),
                ),
            };
            sink(CallRecord {
                service: Service::Shoptet,
                method: method.to_string(),
                path: path.to_string(),
                status,
                duration_ms: started.elapsed().as_millis() as u64,
                error,
                at,
            });
        }
        result
    }

    async fn auth_header(&self) -> Result<AuthHeader, ApiError> {
        self.inner.credentials.header(&self.inner.http, &self.inner.permits, self.sink.as_ref()).await
    }

    fn note_bucket(&self, headers: &reqwest::header::HeaderMap) {
        let parsed =
            headers.get("X-RateLimit-Bucket-Filling").and_then(|v| v.to_str().ok()).and_then(parse_bucket);
        if let Some(b) = parsed {
            *lock(&self.inner.bucket) = Some(b);
        }
    }

    /// Sleeps while the leaky bucket is more than 75 % full (time for it to drain to 75 %).
    async fn throttle(&self) {
        let Some((current, max)) = *lock(&self.inner.bucket) else { return };
        let wait = throttle_wait(current, max).min(self.inner.policy.max_inline_wait);
        if !wait.is_zero() {
            tracing::debug!(current, max, ?wait, "Shoptet rate-limit bucket filling up, slowing down");
            tokio::time::sleep(wait).await;
            // Assume it drained meanwhile; the next response brings the real value.
            *lock(&self.inner.bucket) = Some((current.min(max * THROTTLE_ABOVE), max));
        }
    }
}

/// The client for `config`: private token or addon auth (which needs `eshop_url`).
pub fn shoptet_client_for(config: &ShoptetConfig, policy: RetryPolicy) -> Result<ShoptetClient, ApiError> {
    let client = match config.auth {
        ShoptetAuth::PrivateToken => ShoptetClient::new(&config.base_url, config.api_token.clone(), policy),
        ShoptetAuth::Addon => {
            let Some(eshop_url) = config.eshop_url.as_deref().filter(|u| !u.trim().is_empty()) else {
                return Err(config_error("addon auth needs the e-shop URL (shoptet.eshop_url)".into()));
            };
            ShoptetClient::new_addon(&config.base_url, eshop_url, config.api_token.clone(), policy)
        }
    }?;
    Ok(client.with_max_connections(config.max_connections))
}

fn is_http_url(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

/// An error in the client's set-up (no request was sent).
fn config_error(message: String) -> ApiError {
    ApiError {
        service: Service::Shoptet,
        method: "-".into(),
        path: "-".into(),
        status: None,
        kind: ErrorKind::Permanent,
        code: None,
        message,
        retry_after: None,
        body_excerpt: None,
    }
}

/// `"150/200"` → (150, 200).
fn parse_bucket(v: &str) -> Option<(f64, f64)> {
    let (cur, max) = v.split_once('/')?;
    let cur: f64 = cur.trim().parse().ok()?;
    let max: f64 = max.trim().parse().ok()?;
    (max > 0.0).then_some((cur, max))
}

fn throttle_wait(current: f64, max: f64) -> Duration {
    let over = current - THROTTLE_ABOVE * max;
    if over <= 0.0 { Duration::ZERO } else { Duration::from_secs_f64(over / LEAK_PER_SEC) }
}

/// `data` of a successful envelope, as `T`.
fn parse_data<T: DeserializeOwned>(text: &str) -> Result<T, String> {
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
    fn query_values_encode_plus_and_keep_colons() {
        assert_eq!(encode_query("2026-01-02T03:04:05+0100"), "2026-01-02T03:04:05%2B0100");
        assert_eq!(encode_segment("KAV-BRA-1000/ZRN"), "KAV-BRA-1000%2FZRN");
    }

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
