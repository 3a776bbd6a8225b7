//! A window on every exchange, for metrics and health: the observer of the scope a future runs
//! in sees the headers of each answer and each finished call. The daemon runs its engine inside
//! [`observed`]; without a scope, nothing is observed and nothing is paid.

use std::future::Future;
use std::sync::Arc;

use reqwest::header::HeaderMap;

use super::{CallRecord, Service};

/// Sees what the transport sees. Both calls must be quick: they run on the request path.
pub trait Observer: Send + Sync {
    /// The headers of an answer, success or not (rate-limit headers live there).
    fn answered(&self, _service: Service, _headers: &HeaderMap) {}
    /// A finished call: its status (`None`: no answer) and how long it took.
    fn finished(&self, _call: &CallRecord) {}
}

tokio::task_local! {
    static OBSERVER: Arc<dyn Observer>;
}

/// Runs `fut` with every exchange it makes reported to `observer`.
pub async fn observed<F: Future>(observer: Arc<dyn Observer>, fut: F) -> F::Output {
    OBSERVER.scope(observer, fut).await
}

pub(super) fn answered(service: Service, headers: &HeaderMap) {
    let _ = OBSERVER.try_with(|o| o.answered(service, headers));
}

pub(super) fn finished(call: &CallRecord) {
    let _ = OBSERVER.try_with(|o| o.finished(call));
}
