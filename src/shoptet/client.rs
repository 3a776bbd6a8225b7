//! HTTP client for the Shoptet REST API: auth header, `{data, errors}` envelope, paging,
//! error classification, in-call retries, leaky-bucket throttling and a connection cap (2 of
//! Shoptet's 3 per token by default, `shoptet.max_connections`).

// `ApiError` (shared, in `crate::http`) is the error type of the public interface; it is not boxed.
#![allow(clippy::result_large_err)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, FixedOffset};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::auth::{AddonAuth, AuthHeader, Credentials};
use super::models::{
    Eshop, Order, OrderChange, OrderStatuses, OrderSummary, Paginator, Product, ProductSummary, Webhook,
    WebhookNotification, timestamp,
};
use super::vendor::{Shoptet, THROTTLE_ABOVE, lock, parse_data, throttle_wait};
use crate::config::{ShoptetAuth, ShoptetConfig};
use crate::http::{ApiError, CallSink, RetryPolicy, Service, Transport, transport};

/// Shoptet allows 3 simultaneous connections per token (shared by every tool using the token).
pub const MAX_CONNECTIONS: usize = 3;
/// What a client uses unless told otherwise: one connection stays free for the shop's other tools.
pub const DEFAULT_CONNECTIONS: usize = 2;
/// Rows per page asked for: the maximum each endpoint allows.
const ORDERS_PER_PAGE: u32 = 50;
const CHANGES_PER_PAGE: u32 = 1000;
/// The most webhooks or notifications one page holds.
const WEBHOOKS_PER_PAGE: u32 = 500;
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
    transport: Transport<Shoptet>,
    credentials: Arc<Credentials>,
}

impl std::fmt::Debug for ShoptetClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShoptetClient").field("base", &self.transport.base()).finish_non_exhaustive()
    }
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
struct Notifications {
    notifications: Vec<WebhookNotification>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignatureKey {
    signature_key: String,
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
        let transport =
            Transport::new(Shoptet::default(), base, policy, DEFAULT_CONNECTIONS).map_err(config_error)?;
        Ok(ShoptetClient { transport, credentials: Arc::new(credentials) })
    }

    /// At most `n` requests at once (clamped to 1..=3; default 2). Set it before the client is
    /// used: permits already taken are not withdrawn.
    pub fn with_max_connections(self, n: usize) -> Self {
        self.transport.set_connections(n.clamp(1, MAX_CONNECTIONS));
        self
    }

    /// Reports every HTTP attempt to `sink`.
    pub fn with_call_sink(mut self, sink: CallSink) -> Self {
        self.transport = self.transport.with_sink(sink);
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

    /// The webhooks this token (addon installation) registered: one page of the most the
    /// endpoint gives (500; one URL per event keeps the list short).
    pub async fn webhooks(&self) -> Result<Vec<Webhook>, ApiError> {
        let w: Webhooks = self.get(&format!("/api/webhooks?itemsPerPage={WEBHOOKS_PER_PAGE}")).await?;
        Ok(w.webhooks)
    }

    /// Points a registered webhook at another URL (`PATCH /api/webhooks/{id}`).
    pub async fn update_webhook_url(&self, id: i64, url: &str) -> Result<(), ApiError> {
        let body = json!({"data": {"url": url}});
        let _: Value = self.call(Method::PATCH, &format!("/api/webhooks/{id}"), Some(body)).await?;
        Ok(())
    }

    /// Deliveries of the last days in `status` (`new`, `failed`, `success`), newest page only
    /// (up to 500; Shoptet keeps 7 days).
    pub async fn webhook_notifications(&self, status: &str) -> Result<Vec<WebhookNotification>, ApiError> {
        let path = format!(
            "/api/webhooks/notifications?status={}&itemsPerPage={WEBHOOKS_PER_PAGE}",
            encode_query(status)
        );
        let n: Notifications = self.get(&path).await?;
        Ok(n.notifications)
    }

    pub async fn register_webhook(&self, event: &str, url: &str) -> Result<Webhook, ApiError> {
        let body = json!({"data": [{"event": event, "url": url}]});
        let w: Webhooks = self.call(Method::POST, "/api/webhooks", Some(body)).await?;
        let path = "/api/webhooks";
        w.webhooks.into_iter().find(|w| w.event == event).ok_or_else(|| {
            ApiError::unreadable(Service::Shoptet, "POST", path, 201, "", "the registered webhook is missing")
        })
    }

    /// Registers `events` at `url` in one request (Shoptet takes up to 50 per call).
    pub async fn register_webhooks(&self, events: &[&str], url: &str) -> Result<Vec<Webhook>, ApiError> {
        let data: Vec<Value> = events.iter().map(|e| json!({"event": e, "url": url})).collect();
        let w: Webhooks = self.call(Method::POST, "/api/webhooks", Some(json!({"data": data}))).await?;
        Ok(w.webhooks)
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
        // An expired access token is renewed once per call; a second 401 is reported.
        let renewed = AtomicBool::new(false);
        let attempt = |_| async {
            loop {
                let auth = self.credentials.header(&self.transport).await?;
                let err = match self.attempt(&method, path, body.as_ref(), &auth).await {
                    Ok(v) => return Ok(v),
                    Err(e) => e,
                };
                if renewed.load(Ordering::SeqCst) || !self.credentials.forget(&auth, &err).await {
                    return Err(err);
                }
                renewed.store(true, Ordering::SeqCst);
            }
        };
        self.transport.policy().run(Service::Shoptet, |_| true, attempt).await
    }

    /// One HTTP exchange and its `data`. `Ok` only for a 2xx response that reads as `T`.
    async fn attempt<T: DeserializeOwned>(
        &self,
        method: &Method,
        path: &str,
        body: Option<&Value>,
        auth: &AuthHeader,
    ) -> Result<T, ApiError> {
        self.throttle().await;
        let mut headers = HeaderMap::new();
        let mut value = HeaderValue::from_str(auth.value.expose_secret()).map_err(|_| {
            config_error("the Shoptet token contains characters a header cannot carry".into())
        })?;
        value.set_sensitive(true);
        headers.insert(auth.name, value);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let reply = self.transport.send(method, path, headers, body).await?;
        parse_data::<T>(&reply.body).map_err(|why| {
            ApiError::unreadable(Service::Shoptet, method.as_str(), path, reply.status, &reply.body, &why)
        })
    }

    /// Sleeps while the leaky bucket is more than 75 % full (time for it to drain to 75 %).
    async fn throttle(&self) {
        let Some((current, max)) = *lock(&self.transport.vendor().bucket) else { return };
        let wait = throttle_wait(current, max).min(self.transport.policy().max_inline_wait);
        if !wait.is_zero() {
            tracing::debug!(current, max, ?wait, "Shoptet rate-limit bucket filling up, slowing down");
            tokio::time::sleep(wait).await;
            // Assume it drained meanwhile; the next response brings the real value.
            *lock(&self.transport.vendor().bucket) = Some((current.min(max * THROTTLE_ABOVE), max));
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
    transport::config_error(Service::Shoptet, "-", None, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_encode_plus_and_keep_colons() {
        assert_eq!(encode_query("2026-01-02T03:04:05+0100"), "2026-01-02T03:04:05%2B0100");
        assert_eq!(encode_segment("KAV-BRA-1000/ZRN"), "KAV-BRA-1000%2FZRN");
    }
}
