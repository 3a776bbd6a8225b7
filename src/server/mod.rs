//! What the daemon serves over HTTP: the optional webhook receiver (`POST /webhook`) and the
//! status endpoint (`GET /healthz`, `GET /metrics`), on one listener when both name the same
//! address. Webhooks only accelerate: a verified `order:*` event asks the engine to poll now;
//! polling stays the source of truth, so a lost, replayed or forged webhook can neither lose
//! nor duplicate anything.

mod handle;
mod status;
mod watch;
mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use secrecy::ExposeSecret;
use tokio::sync::mpsc;

pub use handle::ServerHandle;
pub use watch::{EngineLink, Watch};

use crate::config::Config;
use crate::engine::api::EngineCommand;
use crate::health::Monitor;

/// The header Shoptet signs webhook bodies in.
pub const SIGNATURE_HEADER: &str = "shoptet-webhook-signature";

/// The webhook receiver alone: `POST /webhook`.
pub fn router(key: Option<Vec<u8>>, commands: mpsc::UnboundedSender<EngineCommand>) -> Router {
    webhook::routes(key, commands)
}

/// The status endpoint alone: `GET /healthz` and `GET /metrics`.
pub fn status_router(monitor: Arc<Monitor>) -> Router {
    status::routes(monitor, true)
}

/// Serves what `config` asks for: the webhook receiver on `webhook.listen` (with `/healthz`
/// beside it, as always) and the status endpoint on `server.listen` — one server when both
/// are the same address. Returns the servers started (none when neither is on).
pub async fn start(
    config: &Config,
    commands: mpsc::UnboundedSender<EngineCommand>,
    monitor: Arc<Monitor>,
) -> std::io::Result<Vec<ServerHandle>> {
    let hook = config
        .webhook
        .enabled
        .then(|| config.webhook.listen.clone().unwrap_or_else(|| "127.0.0.1:8080".into()));
    let status = config.server.listen.clone();
    let shared = match (&hook, &status) {
        (Some(h), Some(s)) => same_address(h, s),
        _ => false,
    };
    let mut servers = Vec::new();
    if let Some(listen) = &hook {
        // The receiver has always answered /healthz; /metrics only where server.listen points.
        let router = router(webhook_key(config), commands).merge(status::routes(monitor.clone(), shared));
        servers.push(serve("webhook.listen", listen, router).await?);
        tracing::info!(%listen, metrics = shared, "webhook receiver listening");
    }
    if let Some(listen) = status.filter(|_| !shared) {
        servers.push(serve("server.listen", &listen, status_router(monitor)).await?);
        tracing::info!(%listen, "status endpoint (/healthz, /metrics) listening");
    }
    Ok(servers)
}

fn webhook_key(config: &Config) -> Option<Vec<u8>> {
    let key = config.webhook.signature_key.as_ref().map(|k| k.expose_secret().as_bytes().to_vec());
    if key.is_none() {
        tracing::warn!(
            "webhook.signature_key is not set: every delivery is refused; get a key with POST /api/webhooks/renew-signature-key"
        );
    }
    key
}

fn same_address(a: &str, b: &str) -> bool {
    match (a.parse::<SocketAddr>(), b.parse::<SocketAddr>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a.trim() == b.trim(),
    }
}

async fn serve(key: &str, listen: &str, router: Router) -> std::io::Result<ServerHandle> {
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
        std::io::Error::new(e.kind(), format!("{key} = {listen}: {e} — choose a free address"))
    })?;
    ServerHandle::serve(listener, router)
}
