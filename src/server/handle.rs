//! An axum router served until stopped or dropped: the webhook receiver and both simulators
//! run on it.

use std::net::SocketAddr;

use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A server on a bound address, serving until stopped or dropped.
pub struct ServerHandle {
    pub addr: SocketAddr,
    /// `http://ADDR:PORT`, without a trailing slash.
    pub url: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl ServerHandle {
    /// Serves `router` on `127.0.0.1:port` (0 = any free port).
    pub async fn start(router: Router, port: u16) -> std::io::Result<ServerHandle> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        Self::serve(listener, router)
    }

    /// Serves `router` on an already bound listener.
    pub fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<ServerHandle> {
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(ServerHandle { addr, url: format!("http://{addr}"), shutdown: Some(tx), task: Some(task) })
    }

    /// Stops accepting and waits for the server task to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
