//! Health, metrics and alerts: how the sync is doing, for `/healthz`, `/metrics` and the
//! `[alerts]` sinks. One pure evaluator ([`evaluate`]) turns a [`Snapshot`] and the time into
//! ok / degraded / failing with typed reasons; the endpoint serves it, the metrics expose it,
//! and the alert episodes follow it.

pub mod alerts;
pub mod episodes;
mod evaluate;
mod live;
pub mod metrics;
mod monitor;
pub mod sinks;
mod snapshot;

pub use alerts::Alerts;
pub use evaluate::{Health, Level, Reason, ReasonCode, Rules, evaluate};
pub use live::Live;
pub use monitor::{Monitor, Report};
pub use sinks::{Alert, Sinks};
pub use snapshot::Snapshot;
