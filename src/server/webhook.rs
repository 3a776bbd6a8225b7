//! `POST /webhook`: a verified `order:*` event asks the engine to poll now.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use tokio::sync::mpsc;

use crate::engine::api::EngineCommand;
use crate::shoptet::webhook::verify_signature;

use super::SIGNATURE_HEADER;

struct Receiver {
    key: Option<Vec<u8>>,
    commands: mpsc::UnboundedSender<EngineCommand>,
}

/// The route `POST /webhook`.
pub fn routes(key: Option<Vec<u8>>, commands: mpsc::UnboundedSender<EngineCommand>) -> Router {
    Router::new().route("/webhook", post(webhook)).with_state(Arc::new(Receiver { key, commands }))
}

async fn webhook(State(s): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> Response {
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
