//! HTTP side of the Shoptet simulator: auth, envelopes, paging and the endpoints.

// Handlers bail out early with a ready error `Response`, the usual axum idiom.
#![allow(clippy::result_large_err)]

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use super::ShoptetSim;
use super::limits::Admission;
use super::nulls::Answer;
use super::reply::{AuthFailure, Params, Sim, error, invalid_parameter, ok, paged, time_param};
use super::webhooks::{
    delete_webhook, notifications, register_webhooks, renew_key, update_webhook, webhook, webhooks,
};
use crate::http::http_date;
use crate::shoptet::auth::ACCESS_TOKEN_HEADER;
use crate::shoptet::models::timestamp;
use crate::sim::{ErrorStyle, lock};

const BUCKET_HEADER: &str = "X-RateLimit-Bucket-Filling";
const TOKEN_HEADER: &str = "Shoptet-Private-API-Token";
const CHANGES_HISTORY_DAYS: i64 = 30;

pub fn router(sim: &Arc<ShoptetSim>) -> Router {
    let api = Router::new()
        .route("/api/eshop", get(eshop))
        .route("/api/orders", get(orders))
        .route("/api/orders/statuses", get(statuses))
        .route("/api/orders/changes", get(changes))
        .route("/api/orders/{code}", get(order))
        .route("/api/products", get(products))
        .route("/api/products/code/{code}", get(product_by_code))
        .route("/api/products/{guid}", get(product_by_guid))
        .route("/api/webhooks", get(webhooks).post(register_webhooks))
        .route("/api/webhooks/renew-signature-key", post(renew_key))
        .route("/api/webhooks/notifications", get(notifications))
        .route("/api/webhooks/{id}", get(webhook).patch(update_webhook).delete(delete_webhook))
        .fallback(unknown_endpoint)
        .layer(from_fn_with_state(sim.clone(), auth))
        .merge(super::oauth::router())
        .with_state(sim.clone());
    sim.control.wrap(api).layer(from_fn_with_state(sim.clone(), observe))
}

/// The service's error response for injected faults.
pub fn error_style() -> ErrorStyle {
    Arc::new(|status, retry_after_secs| {
        let (code, message) = match status {
            401 => ("invalid-token", "Invalid access token."),
            403 => ("invalid-token-no-rights", "Your access token has no defined rights for this resource."),
            404 => ("not-found", "Not found."),
            423 => (
                "resource-locked",
                "The resource is locked, the same URL is being processed. Try again in a few seconds.",
            ),
            429 => ("too-many-requests", "Too many requests. Rate limit exceeded."),
            503 => ("maintenance", "E-shop is under maintenance. It will be available in a few minutes."),
            _ => ("internal-error", "Internal server error."),
        };
        let mut resp = error(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code,
            message,
            "unknown",
        );
        if status == 429 {
            let at = Utc::now() + Duration::seconds(retry_after_secs.min(86_400) as i64);
            insert_header(&mut resp, "Retry-After", &http_date(at));
            insert_header(&mut resp, BUCKET_HEADER, "200/200");
        }
        resp
    })
}

fn insert_header(resp: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(name, v);
    }
}

/// Records the request, applies the connection cap and the leaky bucket (`limits.rs`), tracks
/// concurrency and adds the bucket header (outermost layer).
async fn observe(State(sim): Sim, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/__sim/") {
        return next.run(req).await;
    }
    let line = match req.uri().query() {
        Some(q) => format!("{} {path}?{q}", req.method()),
        None => format!("{} {path}", req.method()),
    };
    lock(&sim.requests).push(line);
    if !path.starts_with("/api/") {
        // The OAuth server lives on the e-shop's own domain, outside the API's limits.
        return next.run(req).await;
    }
    let token = header(&req, TOKEN_HEADER).or_else(|| header(&req, ACCESS_TOKEN_HEADER)).unwrap_or_default();
    let connection = match sim.limits.admit(&token) {
        Admission::Admitted(guard) => guard,
        Admission::TooManyConnections => return too_many_requests(&sim, None),
        Admission::BucketFull { retry_after_secs } => return too_many_requests(&sim, Some(retry_after_secs)),
    };
    let now = sim.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    sim.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let mut resp = next.run(req).await;
    sim.in_flight.fetch_sub(1, Ordering::SeqCst);
    drop(connection);
    let filling = sim.limits.pour();
    if !resp.headers().contains_key(BUCKET_HEADER) {
        let (drops, max) =
            filling.unwrap_or((u64::from(sim.bucket_percent.load(Ordering::Relaxed)) * 2, 200));
        insert_header(&mut resp, BUCKET_HEADER, &format!("{drops}/{max}"));
    }
    resp
}

/// 429 for a request over the limits (spec, "Rate limiting"; shoptet-api.md §3): with
/// `Retry-After` (an HTTP-date) when the bucket is full; the connection cap (nginx `limit_conn`)
/// sends none. The spec shows no 429 body: the sim answers in the error envelope every
/// documented refusal uses (the code `too-many-requests` is the sim's own).
fn too_many_requests(sim: &ShoptetSim, retry_after_secs: Option<u64>) -> Response {
    let mut resp = error(
        StatusCode::TOO_MANY_REQUESTS,
        "too-many-requests",
        "Too many requests. Rate limit exceeded.",
        "unknown",
    );
    if let Some(secs) = retry_after_secs {
        insert_header(&mut resp, "Retry-After", &http_date(Utc::now() + Duration::seconds(secs as i64)));
    }
    let (drops, max) =
        sim.limits.filling().unwrap_or((u64::from(sim.bucket_percent.load(Ordering::Relaxed)) * 2, 200));
    insert_header(&mut resp, BUCKET_HEADER, &format!("{drops}/{max}"));
    resp
}

/// A private token (`Shoptet-Private-API-Token`) or an unexpired addon access token
/// (`Shoptet-Access-Token`) lets a request through.
async fn auth(State(sim): Sim, req: Request, next: Next) -> Response {
    let verdict = match (header(&req, TOKEN_HEADER), header(&req, ACCESS_TOKEN_HEADER)) {
        (Some(t), _) if t == sim.token => Ok(()),
        (None, Some(t)) => super::oauth::check_access_token(&sim, &t),
        (Some(_), _) => Err(AuthFailure::Invalid),
        (None, None) => Err(AuthFailure::Missing),
    };
    match verdict {
        Ok(()) => next.run(req).await,
        Err(AuthFailure::Expired) => error(
            StatusCode::UNAUTHORIZED,
            "expired-token",
            "Token is expired. Please ask for new one.",
            "unknown",
        ),
        Err(AuthFailure::Invalid) => {
            error(StatusCode::UNAUTHORIZED, "invalid-token", "Invalid access token.", "access-token")
        }
        Err(AuthFailure::Missing) => {
            error(StatusCode::UNAUTHORIZED, "invalid-token", "Missing access token.", "access-token")
        }
    }
}

fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

async fn unknown_endpoint() -> Response {
    error(StatusCode::NOT_FOUND, "not-found", "Endpoint not found.", "unknown")
}

async fn eshop(State(sim): Sim) -> Response {
    ok(sim.shop().eshop.clone())
}

async fn statuses(State(sim): Sim) -> Response {
    ok(sim.shop().statuses.clone())
}

async fn changes(State(sim): Sim, Query(q): Params) -> Response {
    let Some(raw) = q.get("from") else {
        return error(
            StatusCode::BAD_REQUEST,
            "missing-parameter",
            "Missing value for parameter \"from\".",
            "from",
        );
    };
    let from = match time_param(&q, "from") {
        Ok(Some(t)) => t,
        Ok(None) | Err(_) => {
            return invalid_parameter(
                "from",
                format!("Parameter \"from\" has invalid value \"{raw}\". Expected ISO 8601 date-time."),
            );
        }
    };
    if from < sim.now() - Duration::days(CHANGES_HISTORY_DAYS) {
        return invalid_parameter(
            "from",
            format!("Parameter \"from\" must not be older than {CHANGES_HISTORY_DAYS} days."),
        );
    }
    let kind = q.get("changeType").map(String::as_str);
    let mut rows: Vec<_> = sim
        .shop()
        .changes
        .iter()
        .filter(|(_, c)| c.time >= from && kind.is_none_or(|k| k == c.kind))
        .map(|(code, c)| (c.time, code.clone(), c.kind))
        .collect();
    rows.sort();
    let nulls = lock(&sim.nulls).clone();
    let rows = rows
        .into_iter()
        .map(|(t, code, k)| {
            let mut row = json!({"code": code, "changeTime": timestamp::format(&t), "changeType": k});
            nulls.apply(Answer::ChangeRow, &mut row);
            row
        })
        .collect();
    match paged(rows, &q, 20, 1000) {
        Ok((changes, paginator)) => ok(json!({"changes": changes, "paginator": paginator})),
        Err(r) => r,
    }
}

/// The list row of an order detail.
fn order_row(o: &Value) -> Value {
    let billing = o.get("billingAddress").cloned().unwrap_or(Value::Null);
    let mut row = json!({
        "fullName": billing.get("fullName").cloned().unwrap_or(Value::Null),
        "company": billing.get("company").cloned().unwrap_or(Value::Null),
        "remark": o.pointer("/notes/customerRemark").cloned().unwrap_or(Value::Null),
        "salesChannelGuid": null,
    });
    for k in [
        "code",
        "guid",
        "creationTime",
        "changeTime",
        "email",
        "phone",
        "customerGuid",
        "cashDeskOrder",
        "adminUrl",
        "status",
        "source",
        "shipping",
        "paymentMethod",
        "price",
        "paid",
    ] {
        row[k] = o.get(k).cloned().unwrap_or(Value::Null);
    }
    row
}

async fn orders(State(sim): Sim, Query(q): Params) -> Response {
    let bounds = (|| -> Result<_, Response> {
        Ok([
            (time_param(&q, "changeTimeFrom")?, "changeTime", true),
            (time_param(&q, "changeTimeTo")?, "changeTime", false),
            (time_param(&q, "creationTimeFrom")?, "creationTime", true),
            (time_param(&q, "creationTimeTo")?, "creationTime", false),
        ])
    })();
    let bounds = match bounds {
        Ok(b) => b,
        Err(r) => return r,
    };
    let status = match q.get("statusId").map(|s| s.parse::<i64>()) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(_)) => {
            return invalid_parameter("statusId", "Parameter \"statusId\" must be an integer.".into());
        }
    };
    let rows = sim
        .shop()
        .orders
        .values()
        .filter(|o| status.is_none_or(|s| o.pointer("/status/id").and_then(Value::as_i64) == Some(s)))
        .filter(|o| {
            bounds.iter().all(|(bound, field, from)| {
                let Some(bound) = bound else { return true };
                let t = o.get(*field).and_then(Value::as_str).and_then(|s| timestamp::parse(s).ok());
                t.is_some_and(|t| if *from { t >= *bound } else { t <= *bound })
            })
        })
        .map(order_row)
        .collect::<Vec<_>>();
    let nulls = lock(&sim.nulls).clone();
    let rows = rows
        .into_iter()
        .map(|mut row| {
            nulls.apply(Answer::ListRow, &mut row);
            row
        })
        .collect();
    match paged(rows, &q, 50, 50) {
        Ok((orders, paginator)) => ok(json!({"orders": orders, "paginator": paginator})),
        Err(r) => r,
    }
}

async fn order(State(sim): Sim, Path(code): Path<String>, Query(q): Params) -> Response {
    let Some(mut o) = sim.shop().orders.get(&code).cloned() else {
        return error(
            StatusCode::NOT_FOUND,
            "order-not-found",
            &format!("Order with code \"{code}\" not found."),
            &code,
        );
    };
    let include: Vec<String> =
        q.get("include").map(|s| s.split(',').map(|p| p.trim().to_lowercase()).collect()).unwrap_or_default();
    if !include.iter().any(|i| i == "notes")
        && let Some(map) = o.as_object_mut()
    {
        map.remove("notes");
    }
    lock(&sim.nulls).apply(Answer::Order, &mut o);
    ok(json!({"order": o}))
}

fn product_not_found(what: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "product-not-found",
        &format!("Product with identifier \"{what}\" not found."),
        what,
    )
}

async fn product_by_guid(State(sim): Sim, Path(guid): Path<String>) -> Response {
    match sim.shop().products.iter().find(|p| p["guid"].as_str() == Some(guid.as_str())) {
        Some(p) => ok(p.clone()),
        None => product_not_found(&guid),
    }
}

fn has_code(p: &Value, code: &str) -> bool {
    p["variants"].as_array().is_some_and(|vs| vs.iter().any(|v| v["code"].as_str() == Some(code)))
}

async fn product_by_code(State(sim): Sim, Path(code): Path<String>) -> Response {
    match sim.shop().products.iter().find(|p| has_code(p, &code)) {
        Some(p) => ok(p.clone()),
        None => product_not_found(&code),
    }
}

async fn products(State(sim): Sim, Query(q): Params) -> Response {
    let codes: Option<Vec<&str>> =
        q.get("productCodes").map(|s| s.split(',').map(str::trim).filter(|c| !c.is_empty()).collect());
    if let Some(c) = &codes
        && c.len() > 50
    {
        let msg =
            format!("Invalid \"productCodes\" parameter. Expected max. 50 elements, but {} given.", c.len());
        return invalid_parameter("productCodes", msg);
    }
    let rows = sim
        .shop()
        .products
        .iter()
        .filter(|p| codes.as_ref().is_none_or(|cs| cs.iter().any(|c| has_code(p, c))))
        .map(|p| {
            let mut row = json!({});
            for k in [
                "guid",
                "type",
                "name",
                "url",
                "visibility",
                "creationTime",
                "changeTime",
                "brand",
                "supplier",
                "defaultCategory",
            ] {
                row[k] = p.get(k).cloned().unwrap_or(Value::Null);
            }
            row
        })
        .collect();
    match paged(rows, &q, 20, 1000) {
        Ok((products, paginator)) => ok(json!({"products": products, "paginator": paginator})),
        Err(r) => r,
    }
}
