//! What the health rules look at, gathered in one place: the engine's state, the store's
//! counters and queue, the RAYNET budget, and what the transport saw lately.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::engine::api::EngineState;
use crate::http::Service;
use crate::store::{OrderState, QueueStats, RateLimitRecord};

/// The state of the sync at one moment. Plain data: the rules ([`super::evaluate`]) read it
/// and nothing else, so they can be tested without a store, an engine or a network.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// The engine's last recorded state (`None`: none recorded yet).
    pub engine: Option<EngineState>,
    /// Since when this process watches: a poll is not "missing" before the watch began.
    pub watching_since: DateTime<Utc>,
    /// The last poll of Shoptet that read the feed.
    pub last_poll: Option<DateTime<Utc>>,
    /// The last order synced.
    pub last_sync: Option<DateTime<Utc>>,
    pub counts: BTreeMap<OrderState, u64>,
    pub queue: QueueStats,
    /// RAYNET's daily request budget, as last reported.
    pub raynet_budget: Option<RateLimitRecord>,
    /// Shoptet's leaky bucket, as last reported: (current, max).
    pub shoptet_bucket: Option<(f64, f64)>,
    /// Calls in a row, per service, that got no answer or a 5xx.
    pub failing_streak: Vec<(Service, u32)>,
}

impl Snapshot {
    pub fn count(&self, state: OrderState) -> u64 {
        self.counts.get(&state).copied().unwrap_or(0)
    }

    pub fn streak(&self, service: Service) -> u32 {
        self.failing_streak.iter().find(|(s, _)| *s == service).map_or(0, |(_, n)| *n)
    }
}
