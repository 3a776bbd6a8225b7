//! Stateful Shoptet API simulator: the real paths, auth header, `{data, errors, metadata}`
//! envelope, paging, the 30-day changes feed, error bodies and rate-limit headers.

mod limits;
mod nulls;
mod oauth;
mod reply;
mod routes;
mod seed;
mod webhooks;

pub use limits::{BUCKET_CAPACITY, CONNECTIONS_PER_TOKEN, LEAK_PER_SEC};
pub use nulls::NullMode;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{SimControl, SimServer, lock};
use crate::shoptet::models::{Order, timestamp};

/// The private API token the demo shop accepts (`<eshopId>-p-<n>-<hex>`).
pub const DEMO_TOKEN: &str = "312457-p-104-5f3a9c2e7b1d4f608a9e3c5b7d2f1a4e";

/// The addon OAuth access token the demo shop's OAuth server accepts (permanent, 255 chars in reality).
pub const DEMO_ADDON_OAUTH_TOKEN: &str =
    "312457-a-104-oauth-9c1e7f3a5b2d4c6e8f0a1b3c5d7e9f2a4b6c8d0e1f3a5b7c9d";

const DEMO_JSON: &str = include_str!("../../assets/demo/shoptet.json");

/// One entry of the changes feed (each order only with its last change).
#[derive(Debug, Clone)]
struct Change {
    time: DateTime<FixedOffset>,
    kind: &'static str,
}

/// Everything the simulated e-shop holds.
struct Shop {
    eshop: Value,
    statuses: Value,
    orders: BTreeMap<String, Value>,
    products: Vec<Value>,
    changes: BTreeMap<String, Change>,
    webhooks: Vec<Value>,
    next_webhook_id: i64,
    signature_key: String,
    /// Webhook deliveries (`/api/webhooks/notifications`), oldest first.
    notifications: Vec<Value>,
    /// The token may not manage webhooks: every webhook endpoint answers 403.
    webhooks_forbidden: bool,
}

/// A simulated Shoptet e-shop. Share it as `Arc<ShoptetSim>`.
pub struct ShoptetSim {
    token: String,
    /// API access tokens handed out by the OAuth server, with their expiry.
    access_tokens: Mutex<HashMap<String, Instant>>,
    /// Lifetime of newly issued access tokens, in milliseconds.
    access_token_lifetime_ms: AtomicU64,
    control: Arc<SimControl>,
    shop: Mutex<Shop>,
    requests: Mutex<Vec<String>>,
    bucket_percent: AtomicU8,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    limits: limits::Limits,
    nulls: Mutex<nulls::Nulls>,
}

impl ShoptetSim {
    /// The demo shop "Kávovarna Zrnko", timestamps shifted so the newest order is minutes old.
    pub fn demo() -> Arc<ShoptetSim> {
        match Self::from_json(DEMO_JSON) {
            Ok(sim) => sim,
            Err(e) => {
                tracing::error!("the embedded Shoptet demo data is broken: {e}");
                Self::empty(seed::DEMO_ESHOP_ID)
            }
        }
    }

    /// A shop from seed JSON (`{eshop?, orderStatuses?, products, orders}`).
    pub fn from_json(json: &str) -> Result<Arc<ShoptetSim>, String> {
        let seed = seed::Seed::parse(json, seed::prague_now())?;
        Ok(Self::build(seed))
    }

    /// E-shop info and the system order statuses, no orders and no products.
    pub fn empty(eshop_id: i64) -> Arc<ShoptetSim> {
        Self::build(seed::Seed::empty(eshop_id))
    }

    fn build(seed: seed::Seed) -> Arc<ShoptetSim> {
        let mut changes = BTreeMap::new();
        for (code, order) in &seed.orders {
            if let Some(time) = order_change_time(order) {
                changes.insert(code.clone(), Change { time, kind: "edit" });
            }
        }
        Arc::new(ShoptetSim {
            token: seed.token.unwrap_or_else(|| DEMO_TOKEN.to_string()),
            access_tokens: Mutex::new(HashMap::new()),
            access_token_lifetime_ms: AtomicU64::new(oauth::LIFETIME.as_millis() as u64),
            control: SimControl::new(routes::error_style()),
            shop: Mutex::new(Shop {
                eshop: seed.eshop,
                statuses: seed.statuses,
                orders: seed.orders,
                products: seed.products,
                changes,
                webhooks: Vec::new(),
                next_webhook_id: 992_801,
                signature_key: random_hex(32),
                notifications: Vec::new(),
                webhooks_forbidden: false,
            }),
            requests: Mutex::new(Vec::new()),
            bucket_percent: AtomicU8::new(5),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            limits: limits::Limits::default(),
            nulls: Mutex::new(nulls::Nulls::default()),
        })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Makes every API access token issued so far expired (the next API call with one gets 401).
    pub fn expire_access_tokens(&self) {
        let now = Instant::now();
        for expiry in lock(&self.access_tokens).values_mut() {
            *expiry = now;
        }
    }

    /// Lifetime of access tokens issued from now on (30 minutes unless changed; whole seconds
    /// are reported as `expires_in`, at least 1).
    pub fn set_access_token_lifetime(&self, lifetime: std::time::Duration) {
        self.access_token_lifetime_ms.store(lifetime.as_millis() as u64, Ordering::Relaxed);
    }

    pub fn control(&self) -> Arc<SimControl> {
        self.control.clone()
    }

    /// API routes (auth-checked, wrapped by the fault layer) plus `/__sim/*`.
    pub fn router(self: &Arc<Self>) -> axum::Router {
        routes::router(self)
    }

    pub async fn start(self: &Arc<Self>, port: u16) -> std::io::Result<SimServer> {
        SimServer::start(self.router(), port).await
    }

    /// Inserts or replaces an order (detail JSON as the API returns it) and records a change.
    pub fn upsert_order(&self, mut order: Value) -> Result<(), String> {
        serde_json::from_value::<Order>(order.clone()).map_err(|e| format!("not a Shoptet order: {e}"))?;
        let code = order["code"].as_str().ok_or("the order has no code")?.to_string();
        let mut shop = lock(&self.shop);
        let old_time = shop.orders.get(&code).and_then(order_change_time);
        let given = order_change_time(&order)
            .filter(|t| order.get("changeTime").is_some_and(|v| !v.is_null()) && Some(*t) != old_time);
        let time = match given {
            Some(t) => t,
            None => {
                let now = self.now();
                order["changeTime"] = json!(timestamp::format(&now));
                now
            }
        };
        shop.orders.insert(code.clone(), order);
        shop.changes.insert(code, Change { time, kind: "edit" });
        Ok(())
    }

    /// Sets an order's status (name from the status list), `changeTime` = now.
    pub fn set_order_status(&self, code: &str, status_id: i64) -> Result<(), String> {
        let now = self.now();
        let mut shop = lock(&self.shop);
        let name = shop.statuses["statuses"]
            .as_array()
            .and_then(|l| l.iter().find(|s| s["id"].as_i64() == Some(status_id)))
            .and_then(|s| s["name"].as_str())
            .ok_or_else(|| format!("unknown order status {status_id}"))?
            .to_string();
        let order = shop.orders.get_mut(code).ok_or_else(|| format!("no order {code}"))?;
        order["status"] = json!({"id": status_id, "name": name});
        order["changeTime"] = json!(timestamp::format(&now));
        shop.changes.insert(code.to_string(), Change { time: now, kind: "edit" });
        Ok(())
    }

    /// Changes the unit price (with VAT) of one item and recomputes the line and order totals.
    pub fn set_item_price(
        &self,
        code: &str,
        item_index: usize,
        unit_with_vat: Decimal,
    ) -> Result<(), String> {
        let now = self.now();
        let mut shop = lock(&self.shop);
        let order = shop.orders.get_mut(code).ok_or_else(|| format!("no order {code}"))?;
        seed::reprice_item(order, item_index, unit_with_vat)?;
        order["changeTime"] = json!(timestamp::format(&now));
        shop.changes.insert(code.to_string(), Change { time: now, kind: "edit" });
        Ok(())
    }

    /// Splits item `item_index`'s price across VAT rates, as Shoptet reports shipping, payment
    /// or discount items priced at several rates: `itemPriceVatBreakdown` gets one `itemPrice`
    /// per `(vat rate, price with VAT)` part, the item's own prices become their sums, and the
    /// order totals are recomputed.
    pub fn split_item_vat(
        &self,
        code: &str,
        item_index: usize,
        parts: &[(Decimal, Decimal)],
    ) -> Result<(), String> {
        let now = self.now();
        let mut shop = lock(&self.shop);
        let order = shop.orders.get_mut(code).ok_or_else(|| format!("no order {code}"))?;
        seed::split_item_vat(order, item_index, parts)?;
        order["changeTime"] = json!(timestamp::format(&now));
        shop.changes.insert(code.to_string(), Change { time: now, kind: "edit" });
        Ok(())
    }

    /// Answers from now on with the nullable fields `null` per `mode` (order details, list
    /// rows, feed rows), except the `keep` members (e.g. `"/status"` or `"order:"`, see `nulls.rs`).
    pub fn set_null_mode(&self, mode: NullMode, keep: &[&str]) {
        *lock(&self.nulls) = nulls::Nulls { mode, keep: keep.iter().map(|k| k.to_string()).collect() };
    }

    /// Removes an order; the feed then shows it as `delete`.
    pub fn delete_order(&self, code: &str) -> Result<(), String> {
        let now = self.now();
        let mut shop = lock(&self.shop);
        shop.orders.remove(code).ok_or_else(|| format!("no order {code}"))?;
        shop.changes.insert(code.to_string(), Change { time: now, kind: "delete" });
        Ok(())
    }

    pub fn order_codes(&self) -> Vec<String> {
        lock(&self.shop).orders.keys().cloned().collect()
    }

    pub fn order_json(&self, code: &str) -> Option<Value> {
        lock(&self.shop).orders.get(code).cloned()
    }

    /// Real now in the e-shop's zone (Europe/Prague).
    pub fn now(&self) -> DateTime<FixedOffset> {
        seed::prague_now()
    }

    /// Turns the leaky bucket on (empty) or off (`limits.rs`): on, every API request pours a
    /// drop, the bucket leaks 10 a second, a full one answers 429 with `Retry-After`, and the
    /// header reports the real filling. Off (the default), the header reports the fixed value
    /// of [`ShoptetSim::set_bucket_filling`].
    pub fn set_leaky_bucket(&self, on: bool) {
        self.limits.set_bucket(on);
    }

    /// While the leaky bucket is off: reported as `X-RateLimit-Bucket-Filling: <2·percent>/200`.
    pub fn set_bucket_filling(&self, percent: u8) {
        self.bucket_percent.store(percent.min(100), Ordering::Relaxed);
    }

    /// Every API request received, as `METHOD /path?query` (query as sent, still encoded).
    pub fn requests(&self) -> Vec<String> {
        lock(&self.requests).clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.requests).clear();
        self.max_in_flight.store(0, Ordering::Relaxed);
    }

    /// Most requests the sim ever handled at once (since the last `clear_requests`).
    pub fn max_concurrent(&self) -> usize {
        self.max_in_flight.load(Ordering::Relaxed)
    }

    /// The current webhook signature key (what `renew-signature-key` last returned).
    pub fn signature_key(&self) -> String {
        lock(&self.shop).signature_key.clone()
    }

    /// A webhook delivery as Shoptet would POST it now: (raw JSON body, `Shoptet-Webhook-Signature`).
    pub fn signed_webhook(&self, event: &str, event_instance: &str) -> (String, String) {
        let (eshop_id, key) = {
            let shop = self.shop();
            (
                shop.eshop.pointer("/contactInformation/eshopId").and_then(Value::as_i64).unwrap_or(0),
                shop.signature_key.clone(),
            )
        };
        let body = json!({"eshopId": eshop_id, "event": event,
            "eventCreated": timestamp::format(&self.now()), "eventInstance": event_instance})
        .to_string();
        let signature = crate::shoptet::webhook::sign(key.as_bytes(), body.as_bytes());
        (body, signature)
    }

    /// Registered webhooks as the API lists them.
    pub fn webhooks(&self) -> Vec<Value> {
        lock(&self.shop).webhooks.clone()
    }

    fn shop(&self) -> std::sync::MutexGuard<'_, Shop> {
        lock(&self.shop)
    }
}

fn order_change_time(order: &Value) -> Option<DateTime<FixedOffset>> {
    ["changeTime", "creationTime"]
        .iter()
        .find_map(|k| order.get(*k).and_then(Value::as_str).and_then(|s| timestamp::parse(s).ok()))
}

fn random_hex(len: usize) -> String {
    (0..len).map(|_| char::from_digit(fastrand::u32(0..16), 16).unwrap_or('0')).collect()
}

/// `metadata.requestId` in the UUIDv7-like form Shoptet uses.
fn request_id() -> String {
    let ms = Utc::now().timestamp_millis() as u64;
    let h = format!("{ms:012x}");
    format!("{}-{}-7{}-{}-{}", &h[..8], &h[8..12], random_hex(3), random_hex(4), random_hex(12))
}
