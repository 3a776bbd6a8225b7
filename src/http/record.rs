//! The record of every request made, for the per-order troubleshooting view. A call reaches
//! the client's own sink (if one is set) and the sink of the scope it runs in: the engine opens
//! one scope per order ([`recorded`]), so calls land on the order whose work made them, and a
//! call made outside any scope lands on no order.

use std::future::Future;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::Service;

/// One request made by a client, as shown in the order detail view and stored per order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CallRecord {
    pub service: Service,
    pub method: String,
    pub path: String,
    pub status: Option<u16>,
    pub duration_ms: u64,
    /// For failures: the readable reason and a body excerpt. Never a secret.
    pub error: Option<String>,
    pub at: DateTime<Utc>,
}

/// Where a client reports each request it makes.
pub type CallSink = Arc<dyn Fn(CallRecord) + Send + Sync>;

tokio::task_local! {
    /// The sink of the scope the current future runs in.
    static SCOPE: CallSink;
}

/// Runs `fut` with every call it makes also reported to `sink`. The scope follows the future,
/// not the task: futures joined beside it, and other tasks, report into their own scopes.
pub async fn scoped<F: Future>(sink: CallSink, fut: F) -> F::Output {
    SCOPE.scope(sink, fut).await
}

/// Runs `fut` and returns, beside its output, the calls it made (in the order they finished).
pub async fn recorded<F: Future>(fut: F) -> (F::Output, Vec<CallRecord>) {
    let buf: Arc<Mutex<Vec<CallRecord>>> = Arc::default();
    let into = buf.clone();
    let out = scoped(Arc::new(move |rec| lock(&into).push(rec)), fut).await;
    let calls = std::mem::take(&mut *lock(&buf));
    (out, calls)
}

/// Reports `rec` to the current scope and to the client's `sink`.
pub fn report(sink: Option<&CallSink>, rec: CallRecord) {
    match sink {
        Some(sink) => {
            let _ = SCOPE.try_with(|scope| scope(rec.clone()));
            sink(rec);
        }
        None => {
            let _ = SCOPE.try_with(|scope| scope(rec));
        }
    }
}

/// A poisoned lock only means another task panicked; the records are still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
