//! The simulator's webhook endpoints: list, register (with Shoptet's refusals), delete, and
//! renewing the signature key.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::random_hex;
use super::reply::{Params, Sim, envelope, error, ok, paged};
use crate::shoptet::models::timestamp;

pub(super) async fn webhooks(State(sim): Sim, Query(q): Params) -> Response {
    let rows = sim.shop().webhooks.clone();
    match paged(rows, &q, 50, 500) {
        Ok((webhooks, paginator)) => ok(json!({"webhooks": webhooks, "paginator": paginator})),
        Err(r) => r,
    }
}

pub(super) async fn register_webhooks(State(sim): Sim, body: Bytes) -> Response {
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
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 2000 {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid-parameter",
                "Invalid webhook URL.",
                &format!("data[{i}].url"),
            );
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

pub(super) async fn delete_webhook(State(sim): Sim, Path(id): Path<String>) -> Response {
    let mut shop = sim.shop();
    let before = shop.webhooks.len();
    shop.webhooks.retain(|w| w["id"].as_i64().map(|i| i.to_string()).as_deref() != Some(id.as_str()));
    if shop.webhooks.len() == before {
        return error(
            StatusCode::NOT_FOUND,
            "webhook-not-found",
            &format!("Webhook with id \"{id}\" not found."),
            &id,
        );
    }
    ok(Value::Null)
}

pub(super) async fn renew_key(State(sim): Sim) -> Response {
    let key = random_hex(32);
    sim.shop().signature_key = key.clone();
    ok(json!({"signatureKey": key}))
}
