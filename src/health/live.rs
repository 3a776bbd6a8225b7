//! What the process sees as it runs: every request (through the transport's observer hook) and
//! every synced or failed order (from the engine's events). Counters for the metrics, and the
//! few live facts the health rules need: failing streaks, Shoptet's bucket, RAYNET's budget.

use std::sync::{Arc, Mutex};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use reqwest::header::HeaderMap;
use tokio::sync::broadcast;

use crate::engine::api::{EngineEvent, FailureClass};
use crate::http::{CallRecord, Observer, Service};
use crate::raynet::RateLimitState;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    service: String,
    /// The HTTP status, or `none` when no answer came.
    status: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ServiceLabel {
    service: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabel {
    result: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ClassLabel {
    class: String,
}

/// The latest facts, as the answers told them.
#[derive(Debug, Default)]
struct Facts {
    /// Failed calls in a row: [Shoptet, RAYNET].
    streaks: [u32; 2],
    bucket: Option<(f64, f64)>,
    raynet: Option<RateLimitState>,
}

/// The live side of health and metrics. Shared (`Arc`) between the transport's observer scope,
/// the event follower and the status endpoint.
pub struct Live {
    requests: Family<RequestLabels, Counter>,
    latency: Family<ServiceLabel, Histogram>,
    syncs: Family<ResultLabel, Counter>,
    failures: Family<ClassLabel, Counter>,
    facts: Mutex<Facts>,
}

impl Default for Live {
    fn default() -> Self {
        // 5 ms … ~10 s: a lookup on loopback up to a slow create near the client's timeout.
        let latency = Family::new_with_constructor(latency_histogram as fn() -> Histogram);
        let live = Live {
            requests: Family::default(),
            latency,
            syncs: Family::default(),
            failures: Family::default(),
            facts: Mutex::default(),
        };
        // Series that exist from the start, so a rate over them is defined before the first event.
        for service in [Service::Shoptet, Service::Raynet] {
            let _ = live.latency.get_or_create(&ServiceLabel { service: service_label(service).into() });
        }
        for result in ["created", "updated"] {
            let _ = live.syncs.get_or_create(&ResultLabel { result: result.into() });
        }
        for class in FailureClass::ALL {
            let _ = live.failures.get_or_create(&ClassLabel { class: class.as_str().into() });
        }
        live
    }
}

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

pub(super) fn service_label(s: Service) -> &'static str {
    match s {
        Service::Shoptet => "shoptet",
        Service::Raynet => "raynet",
    }
}

fn index(s: Service) -> usize {
    match s {
        Service::Shoptet => 0,
        Service::Raynet => 1,
    }
}

impl Live {
    pub fn new() -> Arc<Live> {
        Arc::new(Live::default())
    }

    /// Counts a synced or failed order.
    pub fn count_event(&self, event: &EngineEvent) {
        match event {
            EngineEvent::OrderSynced { created, .. } => {
                let result = if *created { "created" } else { "updated" };
                self.syncs.get_or_create(&ResultLabel { result: result.into() }).inc();
            }
            EngineEvent::OrderFailed { class, .. } => {
                self.failures.get_or_create(&ClassLabel { class: class.as_str().into() }).inc();
            }
            _ => {}
        }
    }

    /// Counts the engine's events until the engine is gone.
    pub async fn follow(self: Arc<Self>, mut events: broadcast::Receiver<EngineEvent>) {
        loop {
            match events.recv().await {
                Ok(e) => self.count_event(&e),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::debug!(missed = n, "metrics fell behind the engine's events");
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }

    /// Calls in a row to `service` that got no answer or a 5xx.
    pub fn failing_streak(&self, service: Service) -> u32 {
        self.facts().streaks[index(service)]
    }

    pub fn shoptet_bucket(&self) -> Option<(f64, f64)> {
        self.facts().bucket
    }

    /// RAYNET's budget as the last answer that carried it said.
    pub fn raynet_budget(&self) -> Option<RateLimitState> {
        self.facts().raynet.clone()
    }

    /// Adds the counters to `registry` (they keep counting; the registry only reads them).
    pub(super) fn register(&self, registry: &mut Registry) {
        registry.register(
            "api_requests",
            "HTTP requests to each service by status (none = no answer); every attempt counts",
            self.requests.clone(),
        );
        registry.register(
            "api_request_duration_seconds",
            "How long each request to a service took",
            self.latency.clone(),
        );
        registry.register(
            "syncs",
            "Orders synced, by whether the business case was created or updated",
            self.syncs.clone(),
        );
        registry.register(
            "order_failures",
            "Failed order attempts, by the class of the failure",
            self.failures.clone(),
        );
    }

    fn facts(&self) -> std::sync::MutexGuard<'_, Facts> {
        self.facts.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Observer for Live {
    fn answered(&self, service: Service, headers: &HeaderMap) {
        let mut facts = self.facts();
        match service {
            Service::Shoptet => {
                if let Some(b) = crate::shoptet::bucket_filling(headers) {
                    facts.bucket = Some(b);
                }
            }
            Service::Raynet => {
                if let Some(rl) = RateLimitState::from_headers(headers) {
                    facts.raynet = Some(rl);
                }
            }
        }
    }

    fn finished(&self, call: &CallRecord) {
        let service = service_label(call.service);
        let status = call.status.map_or_else(|| "none".to_string(), |s| s.to_string());
        self.requests.get_or_create(&RequestLabels { service: service.into(), status }).inc();
        self.latency
            .get_or_create(&ServiceLabel { service: service.into() })
            .observe(call.duration_ms as f64 / 1000.0);
        let failed = call.status.is_none_or(|s| s >= 500);
        let streak = &mut self.facts().streaks[index(call.service)];
        *streak = if failed { streak.saturating_add(1) } else { 0 };
    }
}
