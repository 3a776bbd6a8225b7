//! `GET /healthz` (JSON; 200 when ok or degraded, 503 when failing) and `GET /metrics`
//! (Prometheus text format), both answered by the health monitor.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::health::{Monitor, metrics};

/// `GET /healthz`, and `GET /metrics` when `with_metrics`.
pub fn routes(monitor: Arc<Monitor>, with_metrics: bool) -> Router {
    let router = Router::new().route("/healthz", get(healthz));
    let router = if with_metrics { router.route("/metrics", get(metrics_text)) } else { router };
    router.with_state(monitor)
}

async fn healthz(State(m): State<Arc<Monitor>>) -> Response {
    // The store is read off the async threads.
    let Ok((code, body)) = tokio::task::spawn_blocking(move || m.healthz()).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let code = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    (code, [(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

async fn metrics_text(State(m): State<Arc<Monitor>>) -> Response {
    match tokio::task::spawn_blocking(move || m.metrics()).await {
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Ok(Ok(text)) => ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], text).into_response(),
        Ok(Err(e)) => (StatusCode::SERVICE_UNAVAILABLE, format!("the local store cannot be read: {e}\n"))
            .into_response(),
    }
}
