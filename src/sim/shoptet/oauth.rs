//! The e-shop's OAuth server as an addon sees it: `getAccessToken` exchanges the permanent OAuth
//! access token (`Authorization: Bearer …`) for a 30-minute API access token.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::reply::AuthFailure;
use super::{DEMO_ADDON_OAUTH_TOKEN, ShoptetSim, random_hex};
use crate::shoptet::auth::ACCESS_TOKEN_PATH;
use crate::sim::lock;

/// Default lifetime of an issued API access token.
pub(super) const LIFETIME: Duration = Duration::from_secs(1800);

pub(super) fn router() -> Router<Arc<ShoptetSim>> {
    Router::new().route(ACCESS_TOKEN_PATH, get(get_access_token).post(get_access_token))
}

async fn get_access_token(State(sim): State<Arc<ShoptetSim>>, req: Request) -> Response {
    let bearer = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if bearer != Some(DEMO_ADDON_OAUTH_TOKEN) {
        let body = json!({"error": "invalid_token", "error_description": "Invalid OAuth access token."});
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    let eshop_id = sim.token.split('-').next().unwrap_or("0").to_string();
    let token = format!("{eshop_id}-at-{}", random_hex(40));
    let lifetime = Duration::from_millis(sim.access_token_lifetime_ms.load(Ordering::Relaxed));
    lock(&sim.access_tokens).insert(token.clone(), Instant::now() + lifetime);
    let expires_in = lifetime.as_secs().max(1);
    let body = json!({"access_token": token, "expires_in": expires_in, "token_type": "bearer"});
    axum::Json(body).into_response()
}

/// Whether `token` is an API access token this server issued and that has not expired yet.
pub(super) fn check_access_token(sim: &ShoptetSim, token: &str) -> Result<(), AuthFailure> {
    match lock(&sim.access_tokens).get(token) {
        Some(expiry) if Instant::now() < *expiry => Ok(()),
        Some(_) => Err(AuthFailure::Expired),
        None => Err(AuthFailure::Invalid),
    }
}
