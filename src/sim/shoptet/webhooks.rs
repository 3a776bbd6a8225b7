//! The simulator's webhook endpoints, in the shapes of the Shoptet spec's "Webhooks" tag:
//! list, register (with Shoptet's refusals), detail, change of URL, delete, renewing the
//! signature key, and the notifications (deliveries) log.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::reply::{Params, Sim, envelope, error, invalid_parameter, ok, paged};
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

/// `GET /api/webhooks`: `data.webhooks` + `paginator`, 20 per page by default, at most 500.
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

/// `POST /api/webhooks`: 201 with the created webhooks; 422 when the event already has a
/// webhook, 409 for `order:cancel` beside `order:update` (spec, "Registration of new webhook"
/// and the "Webhook event types" code list).
pub(super) async fn register_webhooks(State(sim): Sim, body: Bytes) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    let parsed: Option<Vec<Value>> =
        serde_json::from_slice::<Value>(&body).ok().and_then(|v| v.get("data")?.as_array().cloned());
    let Some(requested) = parsed else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-request-body",
            "Request body is not valid JSON of the expected shape.",
            "data",
        );
    };
    let now = timestamp::format(&sim.now());
    let mut shop = sim.shop();
    let mut created = Vec::new();
    for (i, w) in requested.iter().enumerate() {
        let (Some(event), Some(url)) = (w["event"].as_str(), w["url"].as_str()) else {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid-parameter",
                "Both \"event\" and \"url\" are required.",
                &format!("data[{i}]"),
            );
        };
        if !valid_url(url) {
            return invalid_parameter(&format!("data[{i}].url"), "Invalid webhook URL.".into());
        }
        let exists = |e: &str| shop.webhooks.iter().chain(created.iter()).any(|x: &Value| x["event"] == e);
        if exists(event) {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "webhook-exists",
                "Webhook already exists for this event",
                event,
            );
        }
        if (event == "order:cancel" && exists("order:update"))
            || (event == "order:update" && exists("order:cancel"))
        {
            return error(
                StatusCode::CONFLICT,
                "webhook-conflict",
                "Events order:cancel and order:update cannot be registered together.",
                event,
            );
        }
        let id = shop.next_webhook_id;
        shop.next_webhook_id += 1;
        created.push(json!({"id": id, "event": event, "url": url, "created": now, "updated": null,
            "sendPayload": w.get("sendPayload").cloned().unwrap_or(Value::Null)}));
    }
    shop.webhooks.extend(created.iter().cloned());
    envelope(StatusCode::CREATED, json!({"webhooks": created}), Value::Null)
}

/// http(s), at most 2000 characters (spec), on a port Shoptet delivers to: 80, 8080, 443 or
/// 8443 (developers.shoptet.com/api/documentation/webhooks/, shoptet-api.md §7).
fn valid_url(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else { return false };
    matches!(parsed.scheme(), "http" | "https")
        && url.len() <= 2000
        && parsed.port_or_known_default().is_some_and(|p| [80, 8080, 443, 8443].contains(&p))
}

/// `GET /api/webhooks/{id}`: `data.webhook`.
pub(super) async fn webhook(State(sim): Sim, Path(id): Path<String>) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    match sim.shop().webhooks.iter().find(|w| id_matches(w, &id)) {
        Some(w) => ok(json!({"webhook": w})),
        None => not_found(&id),
    }
}

/// `PATCH /api/webhooks/{id}` with `{"data": {"url": …}}`: 200 with `data: null`.
pub(super) async fn update_webhook(State(sim): Sim, Path(id): Path<String>, body: Bytes) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    let data = serde_json::from_slice::<Value>(&body).ok().and_then(|v| v.get("data").cloned());
    let url = data.as_ref().and_then(|d| d.get("url")).and_then(Value::as_str).map(str::to_string);
    let Some(data) = data.filter(|d| d.as_object().is_some_and(|o| !o.is_empty())) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-request-body",
            "Request body is not valid JSON of the expected shape.",
            "data",
        );
    };
    if url.as_deref().is_some_and(|u| !valid_url(u)) {
        return invalid_parameter("data.url", "Invalid webhook URL.".into());
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

/// `DELETE /api/webhooks/{id}`: 200 with `data: null`, 404 for an unknown id.
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

/// `POST /api/webhooks/renew-signature-key`: every call makes a new key (`data.signatureKey`).
pub(super) async fn renew_key(State(sim): Sim) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    let key = random_hex(32);
    sim.shop().signature_key = key.clone();
    ok(json!({"signatureKey": key}))
}

/// `GET /api/webhooks/notifications`: the deliveries, filtered by `status`, `event`, `active`
/// and `from` (created since), 20 per page by default, at most 500 (spec, "Webhook
/// notification").
pub(super) async fn notifications(State(sim): Sim, Query(q): Params) -> Response {
    if let Some(r) = forbidden(&sim) {
        return r;
    }
    let from = match q.get("from").map(|f| timestamp::parse(f)) {
        None => None,
        Some(Ok(t)) => Some(t),
        Some(Err(_)) => return invalid_parameter("from", "Invalid value for parameter \"from\".".into()),
    };
    let active = match q.get("active").map(String::as_str) {
        None => None,
        Some("true" | "1") => Some(true),
        Some("false" | "0") => Some(false),
        Some(_) => return invalid_parameter("active", "Invalid value for parameter \"active\".".into()),
    };
    let rows: Vec<Value> = sim
        .shop()
        .notifications
        .iter()
        .filter(|n| q.get("status").is_none_or(|s| n["status"] == s.as_str()))
        .filter(|n| q.get("event").is_none_or(|e| n["event"] == e.as_str()))
        .filter(|n| active.is_none_or(|a| n["active"] == a))
        .filter(|n| {
            from.is_none_or(|f| n["created"].as_str().and_then(|c| timestamp::parse(c).ok()) >= Some(f))
        })
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
