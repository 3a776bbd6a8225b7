//! The monitor: gathers a [`Snapshot`] from its own connection to the store, the engine's
//! status channel and the live observer, and answers "how are we doing" for `/healthz`,
//! `/metrics` and the alerts. Time comes from the store's (injectable) clock.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::config::Config;
use crate::engine::api::{EngineState, EngineStatus};
use crate::http::Service;
use crate::store::{RateLimitRecord, Store, StoreError};

use super::episodes::EpisodeKind;
use super::{Health, Level, Live, Rules, Snapshot, evaluate, metrics};

impl Rules {
    /// The rules a configuration asks for.
    pub fn from_config(config: &Config) -> Rules {
        let minutes = config.alerts.stale_poll_minutes(config.sync.poll_interval_secs);
        Rules {
            stale_poll: Duration::minutes(i64::try_from(minutes).unwrap_or(i64::MAX / 60_000)),
            ..Rules::default()
        }
    }
}

pub struct Monitor {
    store: Mutex<Store>,
    live: Arc<Live>,
    engine: Option<watch::Receiver<EngineStatus>>,
    rules: Rules,
    watching_since: DateTime<Utc>,
}

/// One look: what was seen, the verdict, and when.
#[derive(Debug, Clone)]
pub struct Report {
    pub snapshot: Snapshot,
    pub health: Health,
    pub at: DateTime<Utc>,
}

impl Monitor {
    /// A monitor over `store` (its own connection; the engine keeps its own) and `live`.
    pub fn new(store: Store, live: Arc<Live>, rules: Rules) -> Monitor {
        let now = store.now();
        // Polls missing since before a restart stay missing: an open stale-poll episode goes
        // on from where it was (it ends with the next successful poll, not with the restart).
        let stale_since = store.open_episodes().ok().into_iter().flatten().find_map(|e| {
            (EpisodeKind::parse(&e.kind) == Some(EpisodeKind::PollStale))
                .then(|| e.started_at - rules.stale_poll)
        });
        let watching_since = stale_since.map_or(now, |t| t.min(now));
        Monitor { store: Mutex::new(store), live, engine: None, rules, watching_since }
    }

    /// Reads the engine's state from its status channel instead of the store's record.
    pub fn with_engine(mut self, status: watch::Receiver<EngineStatus>) -> Monitor {
        self.engine = Some(status);
        self
    }

    pub fn live(&self) -> &Arc<Live> {
        &self.live
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.store().now()
    }

    pub(super) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Everything the rules look at, now.
    pub fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let store = self.store();
        let now = store.now();
        let live = self.engine.as_ref().map(|rx| rx.borrow().clone());
        let recorded = store.snapshot()?;
        let state = recorded.state.as_ref().and_then(EngineState::from_record);
        let budget = match self.live.raynet_budget() {
            Some(rl) => Some(RateLimitRecord { limit: rl.limit, remaining: rl.remaining, reset: rl.reset }),
            None => store.rate_limit("raynet")?,
        };
        Ok(Snapshot {
            engine: live.as_ref().map(|s| s.state.clone()).or(state),
            watching_since: self.watching_since,
            last_poll: recorded.last_poll.max(live.as_ref().and_then(|s| s.last_poll)),
            last_sync: recorded.last_synced_at,
            counts: store.counts()?,
            queue: store.queue_stats(now)?,
            raynet_budget: budget,
            shoptet_bucket: self.live.shoptet_bucket(),
            failing_streak: [Service::Shoptet, Service::Raynet]
                .into_iter()
                .map(|s| (s, self.live.failing_streak(s)))
                .collect(),
        })
    }

    /// The snapshot and the verdict on it.
    pub fn report(&self) -> Result<Report, StoreError> {
        let snapshot = self.snapshot()?;
        let at = self.now();
        let health = evaluate(&snapshot, &self.rules, at);
        Ok(Report { snapshot, health, at })
    }

    /// `/healthz`: the HTTP status (200 ok or degraded, 503 failing) and the JSON body. A store
    /// that cannot be read is itself a failure.
    pub fn healthz(&self) -> (u16, Value) {
        match self.report() {
            Ok(r) => {
                let code = if r.health.status == Level::Failing { 503 } else { 200 };
                (code, health_json(&r))
            }
            Err(e) => (
                503,
                json!({"status": "failing", "healthy": false, "reasons": [{"code": "store_unreadable",
                    "level": "failing", "text": format!("the local store cannot be read: {e}")}]}),
            ),
        }
    }

    /// `/metrics` in the Prometheus text format.
    pub fn metrics(&self) -> Result<String, StoreError> {
        let r = self.report()?;
        Ok(metrics::render(&self.live, &r.snapshot, &r.health, r.at))
    }
}

fn health_json(r: &Report) -> Value {
    let s = &r.snapshot;
    let counts: serde_json::Map<String, Value> = crate::store::OrderState::ALL
        .iter()
        .map(|st| (st.as_str().to_string(), json!(s.count(*st))))
        .collect();
    json!({
        "status": r.health.status,
        "healthy": r.health.status != Level::Failing,
        "reasons": r.health.reasons,
        "checked_at": r.at.to_rfc3339(),
        "engine": s.engine,
        "last_poll": s.last_poll.map(|t| t.to_rfc3339()),
        "last_sync": s.last_sync.map(|t| t.to_rfc3339()),
        "orders": counts,
        "queue": {"depth": s.queue.depth, "due": s.queue.due,
                  "oldest_due": s.queue.oldest_due.map(|t| t.to_rfc3339())},
    })
}
