//! `/metrics`: the live counters plus gauges read from a [`Snapshot`] at scrape time, in the
//! Prometheus text format (encoded by `prometheus-client`). Every name starts with
//! `shoptet_raynet_sync_`; a value that is not known yet (no budget reported, never polled) is
//! left out rather than shown as 0.

use std::sync::atomic::AtomicU64;

use chrono::{DateTime, Utc};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::store::OrderState;

use super::{Health, Level, Live, ReasonCode, Snapshot};

/// The metric name prefix.
pub const PREFIX: &str = "shoptet_raynet_sync";

/// The `Content-Type` of the text [`render`] returns.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// A gauge family holding `entries`.
fn family<T: EncodeLabelSet + Clone + std::hash::Hash + Eq + Send + Sync + std::fmt::Debug + 'static>(
    entries: impl IntoIterator<Item = (T, i64)>,
) -> Family<T, Gauge> {
    let f = Family::<T, Gauge>::default();
    for (labels, v) in entries {
        f.get_or_create(&labels).set(v);
    }
    f
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CodeLabel {
    code: String,
}

fn gauge(v: i64) -> Gauge {
    let g = Gauge::default();
    g.set(v);
    g
}

fn ratio(v: f64) -> Gauge<f64, AtomicU64> {
    let g = Gauge::<f64, AtomicU64>::default();
    g.set(v);
    g
}

/// The whole exposition: counters from `live`, gauges from `snap` and `health`.
pub fn render(live: &Live, snap: &Snapshot, health: &Health, now: DateTime<Utc>) -> String {
    let mut reg = Registry::with_prefix(PREFIX);
    live.register(&mut reg);
    state_gauges(&mut reg, snap, health, now);
    limit_gauges(&mut reg, snap);
    let mut out = String::new();
    // Writing into a String cannot fail; an error would mean a bug in the encoder.
    if let Err(e) = prometheus_client::encoding::prometheus_text::encode(&mut out, &reg) {
        tracing::warn!(error = %e, "cannot encode the metrics");
    }
    out
}

fn state_gauges(reg: &mut Registry, snap: &Snapshot, health: &Health, now: DateTime<Utc>) {
    let orders =
        OrderState::ALL.iter().map(|s| (StateLabel { state: s.as_str().into() }, snap.count(*s) as i64));
    reg.register("orders", "Orders known locally, by state", family(orders));
    let levels =
        Level::ALL.map(|l| (StatusLabel { status: l.as_str().into() }, i64::from(health.status == l)));
    reg.register(
        "health",
        "1 for the current health status (ok, degraded, failing), 0 for the others",
        family(levels),
    );
    let codes = ReasonCode::ALL.map(|c| (CodeLabel { code: c.as_str().into() }, i64::from(health.has(c))));
    reg.register("problem", "1 while a health reason holds (the codes of /healthz), else 0", family(codes));
    reg.register(
        "queue_depth",
        "Orders waiting in the retry queue (not dead), due or not",
        gauge(snap.queue.depth as i64),
    );
    reg.register("queue_due", "Orders in the queue that are due now", gauge(snap.queue.due as i64));
    if let Some(oldest) = snap.queue.oldest_due {
        let age = (now - oldest).num_seconds().max(0);
        reg.register(
            "queue_oldest_due_age_seconds",
            "How long the longest-waiting due order has been due",
            gauge(age),
        );
    }
    if let Some(t) = snap.last_poll {
        reg.register(
            "last_poll_timestamp_seconds",
            "When Shoptet's feed was last read successfully (unix time)",
            gauge(t.timestamp()),
        );
    }
    if let Some(t) = snap.last_sync {
        reg.register(
            "last_sync_timestamp_seconds",
            "When an order was last synced (unix time)",
            gauge(t.timestamp()),
        );
    }
}

fn limit_gauges(reg: &mut Registry, snap: &Snapshot) {
    if let Some(b) = &snap.raynet_budget {
        if let Some(v) = b.remaining {
            reg.register(
                "raynet_budget_remaining",
                "RAYNET requests left in today's budget",
                gauge(v as i64),
            );
        }
        if let Some(v) = b.limit {
            reg.register("raynet_budget_limit", "RAYNET's daily request budget", gauge(v as i64));
        }
        if let Some(t) = b.reset {
            reg.register(
                "raynet_budget_reset_timestamp_seconds",
                "When RAYNET's budget resets (unix time)",
                gauge(t.timestamp()),
            );
        }
    }
    if let Some((current, max)) = snap.shoptet_bucket {
        reg.register(
            "shoptet_bucket_filling_ratio",
            "How full Shoptet's rate-limit bucket is (0 to 1)",
            ratio(current / max),
        );
    }
}
