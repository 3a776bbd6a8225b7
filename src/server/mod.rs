//! The optional webhook receiver and health endpoint. Webhooks only accelerate: a verified
//! `order:*` event asks the engine to poll now; polling stays the source of truth, so a lost,
//! replayed or forged webhook can neither lose nor duplicate anything.

mod handle;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use secrecy::ExposeSecret;
use tokio::sync::{mpsc, watch};

pub use handle::ServerHandle;

use crate::config::WebhookConfig;
use crate::engine::api::{EngineCommand, EngineStatus};
use crate::shoptet::webhook::verify_signature;

/// The header Shoptet signs webhook bodies in.
pub const SIGNATURE_HEADER: &str = "shoptet-webhook-signature";

struct ServerState {
    key: Option<Vec<u8>>,
    commands: mpsc::UnboundedSender<EngineCommand>,
    status: watch::Receiver<EngineStatus>,
}

/// Routes: `POST /webhook` and `GET /healthz`.
pub fn router(
    key: Option<Vec<u8>>,
    commands: mpsc::UnboundedSender<EngineCommand>,
    status: watch::Receiver<EngineStatus>,
) -> Router {
    let state = Arc::new(ServerState { key, commands, status });
    Router::new().route("/webhook", post(webhook)).route("/healthz", get(health)).with_state(state)
}

/// Serves the receiver on `webhook.listen`.
pub async fn start(
    webhook: &WebhookConfig,
    commands: mpsc::UnboundedSender<EngineCommand>,
    status: watch::Receiver<EngineStatus>,
) -> std::io::Result<ServerHandle> {
    let listen = webhook.listen.clone().unwrap_or_else(|| "127.0.0.1:8080".into());
    let key = webhook.signature_key.as_ref().map(|k| k.expose_secret().as_bytes().to_vec());
    if key.is_none() {
        tracing::warn!(
            "webhook.signature_key is not set: every delivery is refused; get a key with POST /api/webhooks/renew-signature-key"
        );
    }
    let listener = tokio::net::TcpListener::bind(&listen).await.map_err(|e| {
        std::io::Error::new(e.kind(), format!("webhook.listen = {listen}: {e} — choose a free address"))
    })?;
    tracing::info!(%listen, "webhook receiver listening");
    ServerHandle::serve(listener, router(key, commands, status))
}

async fn webhook(State(s): State<Arc<ServerState>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(key) = &s.key else {
        tracing::warn!("webhook refused: no webhook.signature_key configured to verify it");
        return (StatusCode::UNAUTHORIZED, "no signature key configured").into_response();
    };
    let sig = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !verify_signature(key, &body, sig) {
        tracing::warn!("webhook with a bad signature ignored");
        return (StatusCode::UNAUTHORIZED, "bad signature").into_response();
    }
    let event: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("not JSON: {e}")).into_response(),
    };
    let name = event.get("event").and_then(|v| v.as_str()).unwrap_or("");
    if name.starts_with("order:") {
        tracing::info!(event = name, order = ?event.get("eventInstance"), "webhook: polling now");
        let _ = s.commands.send(EngineCommand::SyncNow);
    }
    StatusCode::OK.into_response()
}

async fn health(State(s): State<Arc<ServerState>>) -> Response {
    let status = s.status.borrow().clone();
    let healthy = !matches!(
        status.state,
        crate::engine::api::EngineState::AuthProblem { .. }
            | crate::engine::api::EngineState::ConfigProblem { .. }
    );
    let code = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (code, axum::Json(serde_json::json!({ "healthy": healthy, "status": status }))).into_response()
}
