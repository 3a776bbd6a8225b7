//! The API calls each order made. The engine runs an order's work inside [`recorded`], which
//! collects the calls made by that work alone (a task-local scope, see `crate::http::record`):
//! calls made outside any order's work land on no order.

use std::sync::{Arc, Mutex};

pub use crate::http::recorded;
use crate::http::{CallRecord, CallSink};

/// A buffer a client can report into with `with_call_sink`. The engine's clients no longer
/// report into it (calls are scoped per order); it stays until the engine's remaining
/// `drain()` calls, now no-ops, are removed.
#[derive(Clone, Default)]
pub struct CallBuffer(Arc<Mutex<Vec<CallRecord>>>);

impl CallBuffer {
    pub fn sink(&self) -> CallSink {
        let buf = self.0.clone();
        Arc::new(move |rec| buf.lock().unwrap_or_else(|e| e.into_inner()).push(rec))
    }

    pub fn drain(&self) -> Vec<CallRecord> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
