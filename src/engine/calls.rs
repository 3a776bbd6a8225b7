//! Collects the API calls the clients make, so each order keeps the record of its own requests.

use std::sync::{Arc, Mutex};

use crate::http::{CallRecord, CallSink};

/// A shared buffer both clients report into; the engine drains it after each unit of work.
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
