//! The simulator's webhook endpoints, in the shapes of the Shoptet spec's "Webhooks" tag:
//! list, register (with Shoptet's refusals), detail, change of URL, delete, renewing the
//! signature key, and the notifications (deliveries) log.

// Handlers answer a refusal with the whole HTTP response, as reply.rs does.
#![allow(clippy::result_large_err)]

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::reply::{Params, Sim, envelope, error, invalid_parameter, ok, paged, time_param};
use super::{ShoptetSim, random_hex};
use crate::shoptet::models::timestamp;

/// A token without the webhook rights: 403 `invalid-token-no-rights`, the answer the spec's
/// "Authentication" section documents for an endpoint the token has no rights for.
fn forbidden(sim: &ShoptetSim) -> Option<Response> {
    sim.shop().webhooks_forbidden.then(|| {
        error(
            StatusCode::FORBIDDEN,
            "invalid-token-no-rights",
            "Your access token has no defined rights for this resource.",
            "access-token",
        )
    })
}

/// `GET /api/webhooks/{id}` and friends: 404 `webhook-not-found` (spec, `/api/webhooks/{id}`).
fn not_found(id: &str) -> Response {
    error(StatusCode::NOT_FOUND, "webhook-not-found", &format!("Webhook with id \"{id}\" not found."), id)
}

fn id_matches(w: &Value, id: &str) -> bool {
    w["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(id)
}

/// `GET /api/webhooks` (spec, "Overview of registered webhooks"): `data.webhooks` + `paginator`,
/// 20 per page by default, at most 500.
pub(super) async fn webhooks(State(sim): Sim, Query(q): Params) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    let rows = sim.shop().webhooks.clone();
    match paged(rows, &q, 20, 500) {
        Ok((webhooks, paginator)) => ok(json!({"webhooks": webhooks, "paginator": paginator})),
        Err(r) => r,
    }
}

/// `POST /api/webhooks` (spec, "Registration of new webhook"): 201 with the created webhooks in
/// `data.webhooks`; 422 when the event already has a webhook ("Webhook already exists for this
/// event"), 409 for `order:cancel` beside `order:update` (the "Webhook event types" code list).
/// The spec names no error code for these two: the sim uses `invalid-request-data`, the one its
/// 409 and 422 examples carry.
pub(super) async fn register_webhooks(State(sim): Sim, body: Bytes) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    let requested = match registration(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let now = timestamp::format(&sim.now());
    let mut shop = sim.shop();
    let mut created = Vec::new();
    for (i, (event, url, send_payload)) in requested.into_iter().enumerate() {
        let at = format!("data[{i}].event");
        let exists = |e: &str| shop.webhooks.iter().chain(created.iter()).any(|x: &Value| x["event"] == e);
        if exists(&event) {
            let msg = "Webhook already exists for this event";
            return error(StatusCode::UNPROCESSABLE_ENTITY, "invalid-request-data", msg, &at);
        }
        if (event == "order:cancel" && exists("order:update"))
            || (event == "order:update" && exists("order:cancel"))
        {
            let msg = "Events order:cancel and order:update cannot be registered together.";
            return error(StatusCode::CONFLICT, "invalid-request-data", msg, &at);
        }
        let id = shop.next_webhook_id;
        shop.next_webhook_id += 1;
        created.push(json!({"id": id, "event": event, "url": url, "created": now, "updated": null,
            "sendPayload": send_payload}));
    }
    shop.webhooks.extend(created.iter().cloned());
    envelope(StatusCode::CREATED, json!({"webhooks": created}), Value::Null)
}

/// The members the request schemas allow in one webhook: `POST`'s items and `PATCH`'s `data`.
const REGISTER_KEYS: &[&str] = &["event", "url", "sendPayload"];
const UPDATE_KEYS: &[&str] = &["url", "sendPayload"];

/// 422 `invalid-request-data`: the body does not match the request schema (spec, "HTTP status
/// codes": 422; code and `instance` as in its 422 examples, e.g. `POST /api/products`).
fn unprocessable(instance: &str, message: &str) -> Response {
    error(StatusCode::UNPROCESSABLE_ENTITY, "invalid-request-data", message, instance)
}

/// (event, url, sendPayload) of each webhook in a `POST /api/webhooks` body: 422 for a body off
/// the request schema, then 400 for a URL Shoptet does not deliver to.
fn registration(body: &[u8]) -> Result<Vec<(String, String, Value)>, Response> {
    let parsed = serde_json::from_slice::<Value>(body).ok();
    let Some(items) = parsed.as_ref().and_then(|v| v.get("data")?.as_array()) else {
        return Err(unprocessable("data", "The request body must hold a \"data\" array of webhooks."));
    };
    let mut out = Vec::new();
    for (i, w) in items.iter().enumerate() {
        let at = format!("data[{i}]");
        let Some(w) = w.as_object() else { return Err(unprocessable(&at, "A webhook must be an object.")) };
        schema_check(&at, w, REGISTER_KEYS)?;
        let (Some(event), Some(url)) =
            (w.get("event").and_then(Value::as_str), w.get("url").and_then(Value::as_str))
        else {
            return Err(unprocessable(&at, "The properties \"event\" and \"url\" are required."));
        };
        out.push((event.to_string(), url.to_string(), w.get("sendPayload").cloned().unwrap_or(Value::Null)));
    }
    for (i, (_, url, _)) in out.iter().enumerate() {
        deliverable(&format!("data[{i}]"), url)?;
    }
    Ok(out)
}

/// One webhook's members as the request schema allows them: only `keys`, `url` a string of at
/// most 2000 characters, `sendPayload` `full` or null (spec, the request bodies of `POST
/// /api/webhooks` and `PATCH /api/webhooks/{id}`).
fn schema_check(at: &str, w: &serde_json::Map<String, Value>, keys: &[&str]) -> Result<(), Response> {
    if let Some(k) = w.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(unprocessable(&format!("{at}.{k}"), &format!("The property {k} is not allowed.")));
    }
    if w.get("url").is_some_and(|u| u.as_str().is_none_or(|u| u.len() > 2000)) {
        return Err(unprocessable(
            &format!("{at}.url"),
            "The URL must be a string of at most 2000 characters.",
        ));
    }
    if w.get("sendPayload").is_some_and(|p| !p.is_null() && p != "full") {
        return Err(unprocessable(&format!("{at}.sendPayload"), "sendPayload must be \"full\" or null."));
    }
    Ok(())
}

/// 400 `invalid-request-data` (an item-level validation, as in the spec's 400 examples) for a
/// URL Shoptet does not deliver to.
fn deliverable(at: &str, url: &str) -> Result<(), Response> {
    if valid_url(url) {
        return Ok(());
    }
    Err(error(StatusCode::BAD_REQUEST, "invalid-request-data", "Invalid webhook URL.", &format!("{at}.url")))
}

/// http(s), at most 2000 characters (spec), on a port Shoptet delivers to: 80, 8080, 443 or
/// 8443 (developers.shoptet.com/api/documentation/webhooks/, shoptet-api.md §7).
fn valid_url(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else { return false };
    matches!(parsed.scheme(), "http" | "https")
        && url.len() <= 2000
        && parsed.port_or_known_default().is_some_and(|p| [80, 8080, 443, 8443].contains(&p))
}

/// `GET /api/webhooks/{id}` (spec, "Detail of registered webhooks"): `data.webhook`; 404
/// `webhook-not-found`.
pub(super) async fn webhook(State(sim): Sim, Path(id): Path<String>) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    match sim.shop().webhooks.iter().find(|w| id_matches(w, &id)) {
        Some(w) => ok(json!({"webhook": w})),
        None => not_found(&id),
    }
}

/// `PATCH /api/webhooks/{id}` with `{"data": {"url": …, "sendPayload": …}}` (spec, "Update of
/// existing webhook"): 200 with `data: null`; 422 for a body off the request schema (at least
/// one of the two members, nothing else), 400 for a URL Shoptet does not deliver to, 404
/// `webhook-not-found`.
pub(super) async fn update_webhook(State(sim): Sim, Path(id): Path<String>, body: Bytes) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    let parsed = serde_json::from_slice::<Value>(&body).ok();
    let Some(data) = parsed.as_ref().and_then(|v| v.get("data")?.as_object()).filter(|d| !d.is_empty())
    else {
        return unprocessable("data", "The request body must hold a \"data\" object with a change.");
    };
    if let Err(r) = schema_check("data", data, UPDATE_KEYS) {
        return r;
    }
    let url = data.get("url").and_then(Value::as_str);
    if let Some(Err(r)) = url.map(|u| deliverable("data", u)) {
        return r;
    }
    let now = timestamp::format(&sim.now());
    let mut shop = sim.shop();
    let Some(w) = shop.webhooks.iter_mut().find(|w| id_matches(w, &id)) else { return not_found(&id) };
    if let Some(url) = url {
        w["url"] = json!(url);
    }
    if let Some(p) = data.get("sendPayload") {
        w["sendPayload"] = p.clone();
    }
    w["updated"] = json!(now);
    ok(Value::Null)
}

/// `DELETE /api/webhooks/{id}` (spec, "Deletion of registered webhook"): 200 with `data: null`,
/// 404 `webhook-not-found` for an unknown id.
pub(super) async fn delete_webhook(State(sim): Sim, Path(id): Path<String>) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    let mut shop = sim.shop();
    let before = shop.webhooks.len();
    shop.webhooks.retain(|w| !id_matches(w, &id));
    if shop.webhooks.len() == before {
        return not_found(&id);
    }
    ok(Value::Null)
}

/// `POST /api/webhooks/renew-signature-key` (spec, "Generating of signature key"): every call
/// makes a new key (`data.signatureKey`).
pub(super) async fn renew_key(State(sim): Sim) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    let key = random_hex(32);
    sim.shop().signature_key = key.clone();
    ok(json!({"signatureKey": key}))
}

/// `GET /api/webhooks/notifications` (spec, "Webhook notification"): the deliveries of the last
/// 7 days, filtered by `status`, `event`, `active` and `from` (created since), in
/// `data.notifications` with a `paginator`, 20 per page by default, at most 500; 400
/// `invalid-parameter` for a `from` or `active` it cannot read.
pub(super) async fn notifications(State(sim): Sim, Query(q): Params) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    let from = match time_param(&q, "from") {
        Ok(f) => f,
        Err(r) => return r,
    };
    let active = match q.get("active").map(String::as_str) {
        None => None,
        Some("true" | "1") => Some(true),
        Some("false" | "0") => Some(false),
        Some(v) => {
            let msg = format!("Parameter \"active\" has invalid value \"{v}\". Expected true or false.");
            return invalid_parameter("active", msg);
        }
    };
    let week_ago = sim.now() - chrono::Duration::days(7);
    let since = from.map_or(week_ago, |f| f.max(week_ago));
    let created = |n: &Value| n["created"].as_str().and_then(|c| timestamp::parse(c).ok());
    let rows: Vec<Value> = sim
        .shop()
        .notifications
        .iter()
        .filter(|n| q.get("status").is_none_or(|s| n["status"] == s.as_str()))
        .filter(|n| q.get("event").is_none_or(|e| n["event"] == e.as_str()))
        .filter(|n| active.is_none_or(|a| n["active"] == a))
        .filter(|n| created(n).is_some_and(|c| c >= since))
        .cloned()
        .collect();
    match paged(rows, &q, 20, 500) {
        Ok((notifications, paginator)) => ok(json!({"notifications": notifications, "paginator": paginator})),
        Err(r) => r,
    }
}

impl ShoptetSim {
    /// From now on every webhook endpoint answers 403 (a token without webhook rights), or
    /// answers again.
    pub fn forbid_webhooks(&self, forbidden: bool) {
        self.shop().webhooks_forbidden = forbidden;
    }

    /// Records a delivery of `event` for `event_instance` to the webhook registered for the
    /// event (as Shoptet would log it): delivered, or failed after its three attempts. Returns
    /// false when no webhook is registered for the event (nothing is sent then).
    pub fn record_delivery(&self, event: &str, event_instance: &str, delivered: bool) -> bool {
        let now = timestamp::format(&self.now());
        let mut shop = self.shop();
        let eshop_id = shop.eshop.pointer("/contactInformation/eshopId").and_then(Value::as_i64).unwrap_or(0);
        let Some(hook) = shop.webhooks.iter().find(|w| w["event"] == event).cloned() else { return false };
        let id = 100_000 + shop.notifications.len() as i64;
        shop.notifications.push(json!({
            "id": id, "webhookId": hook["id"], "webhookUrl": hook["url"], "event": event,
            "eventCreated": now, "created": now, "attempted": now,
            "attempts": if delivered { 1 } else { 3 },
            "status": if delivered { "success" } else { "failed" }, "active": false,
            "data": {"eshopId": eshop_id, "event": event, "eventCreated": now, "eventInstance": event_instance},
        }));
        true
    }

    /// The deliveries recorded so far, as the notifications endpoint lists them.
    pub fn notifications(&self) -> Vec<Value> {
        self.shop().notifications.clone()
    }
}
