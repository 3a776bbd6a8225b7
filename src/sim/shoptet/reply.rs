//! The simulated Shoptet API's answer shapes, shared by its route files: the documented
//! envelope (`data`, `errors`, `metadata.requestId`), errors, paging, and why credentials fail.

// Handlers answer a refusal with the whole HTTP response, as routes.rs does.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{ShoptetSim, request_id};
use crate::shoptet::models::timestamp;

pub(super) type Params = Query<HashMap<String, String>>;
pub(super) type Sim = State<Arc<ShoptetSim>>;

pub(super) fn envelope(status: StatusCode, data: Value, errors: Value) -> Response {
    let body = json!({"data": data, "errors": errors, "metadata": {"requestId": request_id()}});
    (status, [(axum::http::header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

pub(super) fn ok(data: Value) -> Response {
    envelope(StatusCode::OK, data, Value::Null)
}

pub(super) fn error(status: StatusCode, code: &str, message: &str, instance: &str) -> Response {
    envelope(status, Value::Null, json!([{"errorCode": code, "message": message, "instance": instance}]))
}

pub(super) fn invalid_parameter(name: &str, message: String) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid-parameter", &message, name)
}

/// A date-time query parameter (`from`, `changeTimeFrom`, …): 400 `invalid-parameter` when it is
/// not ISO 8601 (spec, "HTTP status codes" and the orders' 400 example).
pub(super) fn time_param(
    q: &HashMap<String, String>,
    name: &str,
) -> Result<Option<chrono::DateTime<chrono::FixedOffset>>, Response> {
    match q.get(name) {
        None => Ok(None),
        Some(v) => timestamp::parse(v).map(Some).map_err(|_| {
            invalid_parameter(name, format!("Parameter \"{name}\" has invalid value \"{v}\". Expected ISO 8601 date-time, e.g. 2017-12-12T22:08:01+0100."))
        }),
    }
}

/// Why a request's credentials were refused.
pub(super) enum AuthFailure {
    Missing,
    Invalid,
    Expired,
}

/// Slices `rows` per `page`/`itemsPerPage`, returning the rows and the `paginator` object.
pub(super) fn paged(
    rows: Vec<Value>,
    q: &HashMap<String, String>,
    default: u64,
    max: u64,
) -> Result<(Vec<Value>, Value), Response> {
    let number = |name: &str, dflt: u64| -> Result<u64, Response> {
        match q.get(name) {
            None => Ok(dflt),
            Some(v) => v.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                invalid_parameter(name, format!("Invalid value \"{v}\" for parameter \"{name}\"."))
            }),
        }
    };
    let page = number("page", 1)?;
    let per_page = number("itemsPerPage", default)?.min(max);
    let total = rows.len() as u64;
    let page_count = total.div_ceil(per_page);
    if page > page_count.max(1) {
        let msg = format!("Page {page} not found, max page is {}.", page_count.max(1));
        return Err(error(StatusCode::NOT_FOUND, "page-not-found", &msg, "page"));
    }
    let slice: Vec<Value> =
        rows.into_iter().skip(((page - 1) * per_page) as usize).take(per_page as usize).collect();
    let paginator = json!({"totalCount": total, "page": page, "pageCount": page_count,
        "itemsOnPage": slice.len(), "itemsPerPage": per_page});
    Ok((slice, paginator))
}
