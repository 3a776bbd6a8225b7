//! The engine proper, cut into rooms: the login guard (`login`), polling (`observe`), the worker
//! (`worker`), failure classification and rate-limit pacing (`failure`), dry run (`dry_run`),
//! backfill (`backfill`), the settings' freshness (`settings`), and commands with the daemon
//! loop (`daemon`). Time comes from the store's clock, so the engine and the store share one
//! (injectable) clock.
//!
//! Memory does not follow the backlog: the poll puts the feed's news in the store's backlog and
//! reads at most [`FETCH_WINDOW`] orders ahead of the worker.

mod backfill;
mod daemon;
mod dry_run;
mod failure;
mod lane;
mod login;
mod long_work;
mod observe;
mod pool;
mod reload;
mod seen;
mod settings;
mod worker;

pub use backfill::BackfillReport;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::{broadcast, mpsc, watch};

use crate::config::Config;
use crate::http::{RetryPolicy, Service};
use crate::raynet::client::RaynetClient;
use crate::shoptet::client::{ShoptetClient, shoptet_client_for};
use crate::shoptet::models::Order;
use crate::store::{Reason, Store};

use super::EngineError;
use super::api::{EngineCommand, EngineEvent, EngineState, EngineStatus};
use super::context::SyncContext;
use super::retry::RetrySchedule;

/// Orders read ahead of the workers at most (each held in memory until worked), and the orders
/// the daemon works per turn: many times the orders in flight, so a lane never waits for a read.
pub(crate) const FETCH_WINDOW: usize = 40;

/// What one pass did, for `sync --once` and the logs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PassReport {
    pub seen: u64,
    pub queued: u64,
    pub synced: u64,
    pub created: u64,
    pub updated: u64,
    pub failed: u64,
    pub needs_decision: u64,
    /// Why Shoptet could not be read this pass (the orders already queued were still worked).
    pub poll_error: Option<Reason>,
    pub outcomes: Vec<OrderOutcome>,
    /// The estimate of the long work (first sync, backfill, backlog) this pass worked on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<super::estimate::Estimate>,
    /// Backfill orders wait for RAYNET's budget to reset at this time (the reserve is reached).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backfill_waits_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderOutcome {
    pub code: String,
    /// `synced`, `failed`, `dead`, `needs_decision`, `pending`.
    pub result: String,
    pub business_case_id: Option<i64>,
    /// Why it failed or waits (rendered by the front ends in the user's language).
    pub reason: Option<Reason>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// What the engine is built from.
pub struct EngineParts {
    pub config: Config,
    pub store: Store,
    pub shoptet: ShoptetClient,
    pub raynet: RaynetClient,
    pub schedule: RetrySchedule,
    /// How the clients retry; a reloaded configuration gets clients with the same.
    pub policy: RetryPolicy,
}

impl EngineParts {
    /// Clients for the configured services; each order's calls are recorded by the scope its
    /// work runs in (`engine::calls::recorded`).
    pub fn from_config(
        config: Config,
        store: Store,
        policy: RetryPolicy,
    ) -> Result<EngineParts, EngineError> {
        let (shoptet, raynet) = clients(&config, &policy)?;
        Ok(EngineParts { config, store, shoptet, raynet, schedule: RetrySchedule::default(), policy })
    }
}

/// The Shoptet and RAYNET clients a configuration calls for.
fn clients(config: &Config, policy: &RetryPolicy) -> Result<(ShoptetClient, RaynetClient), EngineError> {
    let shoptet = shoptet_client_for(&config.shoptet, policy.clone())?;
    let raynet = RaynetClient::new(
        &config.raynet.base_url,
        &config.raynet.instance,
        &config.raynet.username,
        config.raynet.api_key.clone(),
        policy.clone(),
    )?
    .with_max_connections(config.raynet.max_connections);
    Ok((shoptet, raynet))
}

pub struct Engine {
    config: Config,
    store: Store,
    shoptet: ShoptetClient,
    raynet: RaynetClient,
    schedule: RetrySchedule,
    policy: RetryPolicy,
    ctx: Option<SyncContext>,
    status: watch::Sender<EngineStatus>,
    events: broadcast::Sender<EngineEvent>,
    commands: Option<mpsc::UnboundedReceiver<EngineCommand>>,
    /// Orders read by the poll for their jobs, so a job does not read them again; at most
    /// [`FETCH_WINDOW`].
    fetched: HashMap<String, Order>,
    /// When the changes feed was last read (the backlog is worked between reads).
    feed_read_at: Option<DateTime<Utc>>,
    /// Whether settings read from the services are cached in the store (not in a dry run).
    cache_settings: bool,
    paused: bool,
    blocked_until: Option<(Service, DateTime<Utc>)>,
    auth_problem: Option<(Service, super::api::AuthIssue)>,
    config_problem: Option<super::api::ConfigIssue>,
    poll_requested: bool,
    /// Takes the commands other processes leave in the store (set by the daemon loop).
    takes_store_commands: bool,
    shutdown: bool,
    /// After a failed start (network down), when to try loading the context again.
    next_prepare: DateTime<Utc>,
    /// A first sync, backfill or large backlog in progress.
    long_work: Option<long_work::LongWork>,
    /// Idle store connections for the orders in flight (`pool`).
    lanes: Vec<Store>,
    /// The context and configuration the lanes of a round share.
    shared: Option<(Arc<SyncContext>, Arc<Config>)>,
    /// Commands that arrived while orders were in flight, carried out once they are done.
    stashed: Vec<EngineCommand>,
}

impl Engine {
    pub fn new(parts: EngineParts) -> Engine {
        let (status, _) = watch::channel(EngineStatus::default());
        let (events, _) = broadcast::channel(1024);
        let next_prepare = parts.store.now();
        Engine {
            config: parts.config,
            store: parts.store,
            shoptet: parts.shoptet,
            raynet: parts.raynet,
            schedule: parts.schedule,
            policy: parts.policy,
            ctx: None,
            status,
            events,
            commands: None,
            fetched: HashMap::new(),
            feed_read_at: None,
            cache_settings: true,
            paused: false,
            blocked_until: None,
            auth_problem: None,
            config_problem: None,
            poll_requested: true,
            takes_store_commands: false,
            shutdown: false,
            next_prepare,
            long_work: None,
            lanes: Vec::new(),
            shared: None,
            stashed: Vec::new(),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.events.subscribe()
    }

    pub fn status(&self) -> watch::Receiver<EngineStatus> {
        self.status.subscribe()
    }

    /// A command channel into the running engine.
    pub fn command_sender(&mut self) -> mpsc::UnboundedSender<EngineCommand> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.commands = Some(rx);
        tx
    }

    /// When work can go on: a rate limit's reset, if one is in force.
    pub fn blocked_until(&self) -> Option<DateTime<Utc>> {
        self.blocked_until.map(|(_, until)| until).filter(|u| *u > self.now())
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn context(&self) -> Option<&SyncContext> {
        self.ctx.as_ref()
    }

    /// The time, from the clock the engine shares with its store.
    fn now(&self) -> DateTime<Utc> {
        self.store.now()
    }

    fn emit(&self, e: EngineEvent) {
        let _ = self.events.send(e);
    }

    fn set_state(&mut self, state: EngineState) {
        let changed = self.status.borrow().state != state;
        self.status.send_modify(|s| s.state = state.clone());
        if changed {
            if let Err(e) = self.store.set_engine_state(&state.record()) {
                tracing::warn!(error = %e, "cannot record the engine state");
            }
            self.emit(EngineEvent::StateChanged { state });
        }
    }

    /// One pass: poll Shoptet, then work every due job — in turns while the backlog of changed
    /// orders is longer than the window the poll reads ahead. Stops at a fatal error.
    pub async fn sync_once(&mut self) -> Result<PassReport, EngineError> {
        self.prepare().await?;
        let mut report = PassReport::default();
        self.set_state(EngineState::Syncing);
        loop {
            let before = (report.seen, report.synced, report.failed, report.needs_decision);
            let more = match self.poll(&mut report).await {
                Ok(more) => more,
                Err(e) => {
                    self.finish_pass_state();
                    if e.is_fatal() {
                        self.note_fatal(&e);
                        return Err(e);
                    }
                    tracing::warn!(error = %e, "poll failed; due retries still run");
                    report.poll_error = Some(e.reason());
                    false
                }
            };
            let work = self.work_due(&mut report, true).await;
            if let Err(e) = work {
                self.finish_pass_state();
                return Err(e);
            }
            let moved = before != (report.seen, report.synced, report.failed, report.needs_decision);
            // The workers read the backlog too: poll again only for what they left in it.
            let more = more && report.poll_error.is_none() && self.store.backlog_len().unwrap_or(0) > 0;
            if !more || !moved || self.stopped() {
                break;
            }
        }
        self.finish_pass_state();
        Ok(report)
    }

    /// Whether the work stops for now: shut down, paused, credentials or configuration refused,
    /// or a rate limit in force.
    fn stopped(&self) -> bool {
        self.shutdown
            || self.paused
            || self.auth_problem.is_some()
            || self.config_problem.is_some()
            || self.blocked_until.is_some_and(|(_, until)| until > self.now())
    }

    fn finish_pass_state(&mut self) {
        let state = if let Some((service, problem)) = &self.auth_problem {
            EngineState::AuthProblem { service: *service, problem: problem.clone() }
        } else if let Some(problem) = &self.config_problem {
            EngineState::ConfigProblem { problem: problem.clone() }
        } else if let Some((service, until)) = self.blocked_until.filter(|(_, u)| *u > self.now()) {
            EngineState::RateLimited { service, until }
        } else if self.paused {
            EngineState::Paused
        } else {
            EngineState::Idle
        };
        self.status.send_modify(|s| s.current_order = None);
        // A long work that goes on (a backfill waiting for the budget) keeps its progress.
        self.publish_progress();
        self.set_state(state);
    }
}
