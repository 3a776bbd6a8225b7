//! The engine proper: one pass (`sync_once`), the daemon loop (`run`), commands and events.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use tokio::sync::{broadcast, mpsc, watch};

use crate::config::Config;
use crate::http::{ErrorKind, RetryPolicy, Service};
use crate::mapping;
use crate::raynet::client::RaynetClient;
use crate::shoptet::client::{OrderFilter, ShoptetClient, shoptet_client_for};
use crate::shoptet::models::Order;
use crate::store::{Failure, OrderSeen, OrderState, Priority, Store};

use super::EngineError;
use super::api::{EngineCommand, EngineEvent, EngineState, EngineStatus};
use super::calls::{CallBuffer, recorded};
use super::context::SyncContext;
use super::decide::{Decision, SyncedState, decide};
use super::execute::{Outcome, Work};
use super::plan::OrderPlan;
use super::poll::changes_since;
use super::retry::RetrySchedule;

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
    pub poll_error: Option<String>,
    pub outcomes: Vec<OrderOutcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderOutcome {
    pub code: String,
    /// `synced`, `failed`, `dead`, `needs_decision`, `pending`.
    pub result: String,
    pub business_case_id: Option<i64>,
    pub reason: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// What the engine is built from.
pub struct EngineParts {
    pub config: Config,
    pub store: Store,
    pub shoptet: ShoptetClient,
    pub raynet: RaynetClient,
    pub calls: CallBuffer,
    pub schedule: RetrySchedule,
}

impl EngineParts {
    /// Clients for the configured services, reporting their calls into one buffer.
    pub fn from_config(
        config: Config,
        store: Store,
        policy: RetryPolicy,
    ) -> Result<EngineParts, EngineError> {
        let calls = CallBuffer::default();
        let shoptet = shoptet_client_for(&config.shoptet, policy.clone())?;
        let raynet = RaynetClient::new(
            &config.raynet.base_url,
            &config.raynet.instance,
            &config.raynet.username,
            config.raynet.api_key.clone(),
            policy,
        )?;
        Ok(EngineParts { config, store, shoptet, raynet, calls, schedule: RetrySchedule::default() })
    }
}

pub struct Engine {
    config: Config,
    store: Store,
    shoptet: ShoptetClient,
    raynet: RaynetClient,
    calls: CallBuffer,
    schedule: RetrySchedule,
    ctx: Option<SyncContext>,
    status: watch::Sender<EngineStatus>,
    events: broadcast::Sender<EngineEvent>,
    commands: Option<mpsc::UnboundedReceiver<EngineCommand>>,
    /// Orders fetched by the last poll, so the job does not fetch them again.
    fetched: HashMap<String, Order>,
    paused: bool,
    blocked_until: Option<(Service, DateTime<Utc>)>,
    auth_problem: Option<(Service, String)>,
    config_problem: Option<String>,
    poll_requested: bool,
    shutdown: bool,
    /// After a failed start (network down), when to try loading the context again.
    next_prepare: DateTime<Utc>,
}

impl Engine {
    pub fn new(parts: EngineParts) -> Engine {
        let (status, _) = watch::channel(EngineStatus::default());
        let (events, _) = broadcast::channel(1024);
        Engine {
            config: parts.config,
            store: parts.store,
            shoptet: parts.shoptet,
            raynet: parts.raynet,
            calls: parts.calls,
            schedule: parts.schedule,
            ctx: None,
            status,
            events,
            commands: None,
            fetched: HashMap::new(),
            paused: false,
            blocked_until: None,
            auth_problem: None,
            config_problem: None,
            poll_requested: true,
            shutdown: false,
            next_prepare: Utc::now(),
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
        self.blocked_until.map(|(_, until)| until).filter(|u| *u > Utc::now())
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn context(&self) -> Option<&SyncContext> {
        self.ctx.as_ref()
    }

    fn emit(&self, e: EngineEvent) {
        let _ = self.events.send(e);
    }

    fn set_state(&mut self, state: EngineState) {
        let changed = self.status.borrow().state != state;
        self.status.send_modify(|s| s.state = state.clone());
        if changed {
            if let Ok(json) = serde_json::to_string(&state) {
                let _ = self.store.set_meta("engine_state", &json);
            }
            self.emit(EngineEvent::StateChanged { state });
        }
    }

    /// Loads (once) what the engine needs to know about the shop and the CRM.
    pub async fn prepare(&mut self) -> Result<(), EngineError> {
        if self.ctx.is_some() {
            return Ok(());
        }
        // Credentials rejected recently are not tried again (each try is a failed login, and
        // RAYNET blocks an address after 20): not until they change, or an hour has passed.
        for service in [Service::Shoptet, Service::Raynet] {
            if let Some(e) = self.login_block(service)? {
                let err = EngineError::from(e);
                self.note_fatal(&err);
                return Err(err);
            }
        }
        match SyncContext::load(&self.config, &self.shoptet, &self.raynet).await {
            Ok(ctx) => {
                self.ctx = Some(ctx);
                self.calls.drain();
                Ok(())
            }
            Err(e) => {
                self.calls.drain();
                self.note_fatal(&e);
                Err(e)
            }
        }
    }

    fn note_fatal(&mut self, e: &EngineError) {
        match e {
            EngineError::Api(api) if api.kind == ErrorKind::Auth => {
                if api.status.is_some() {
                    let block = serde_json::json!({
                        "fingerprint": self.credentials_fingerprint(api.service),
                        "at": Utc::now().to_rfc3339(),
                        "message": api.to_string(),
                    });
                    let _ = self
                        .store
                        .set_meta(&format!("login_block:{}", service_key(api.service)), &block.to_string());
                }
                self.auth_problem = Some((api.service, api.to_string()));
                self.set_state(EngineState::AuthProblem { service: api.service, message: api.to_string() });
            }
            EngineError::Config(m) => {
                self.config_problem = Some(m.clone());
                self.set_state(EngineState::ConfigProblem { message: m.clone() });
            }
            _ => {}
        }
    }

    /// A hash of the configured credentials of a service (never the secret itself).
    fn credentials_fingerprint(&self, service: Service) -> String {
        use secrecy::ExposeSecret;
        use sha1::{Digest, Sha1};
        let mut h = Sha1::new();
        match service {
            Service::Shoptet => {
                h.update(self.config.shoptet.base_url.as_bytes());
                h.update(self.config.shoptet.api_token.expose_secret().as_bytes());
            }
            Service::Raynet => {
                h.update(self.config.raynet.instance.as_bytes());
                h.update(self.config.raynet.username.as_bytes());
                h.update(self.config.raynet.api_key.expose_secret().as_bytes());
            }
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The remembered rejection of the current credentials, if it is recent.
    fn login_block(&mut self, service: Service) -> Result<Option<crate::http::ApiError>, EngineError> {
        let key = format!("login_block:{}", service_key(service));
        let Some(text) = self.store.get_meta(&key)? else { return Ok(None) };
        let block: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let at = block["at"].as_str().and_then(|t| DateTime::parse_from_rfc3339(t).ok()).map(|t| t.to_utc());
        let same = block["fingerprint"].as_str() == Some(self.credentials_fingerprint(service).as_str());
        match at {
            Some(at) if same && Utc::now() - at < chrono::Duration::hours(1) => {
                Ok(Some(crate::http::ApiError {
                    service,
                    method: "—".into(),
                    path: "(not sent)".into(),
                    status: None,
                    kind: ErrorKind::Auth,
                    code: None,
                    message: format!(
                        "these credentials were rejected at {} ({}); fix them in the configuration — they are not tried again for an hour, so {service} does not block this address",
                        at.format("%Y-%m-%d %H:%M UTC"),
                        block["message"].as_str().unwrap_or("")
                    ),
                    retry_after: Some(at + chrono::Duration::hours(1)),
                    body_excerpt: None,
                }))
            }
            _ => {
                self.store.delete_meta(&key)?;
                Ok(None)
            }
        }
    }

    /// One pass: poll Shoptet, then work every due job. Stops at a fatal error.
    pub async fn sync_once(&mut self) -> Result<PassReport, EngineError> {
        self.prepare().await?;
        let mut report = PassReport::default();
        self.set_state(EngineState::Syncing);
        let poll = self.poll(&mut report).await;
        if let Err(e) = poll {
            self.finish_pass_state();
            if e.is_fatal() {
                self.note_fatal(&e);
                return Err(e);
            }
            tracing::warn!(error = %e, "poll failed; due retries still run");
            report.poll_error = Some(e.to_string());
        }
        let work = self.work_due(&mut report, true).await;
        self.finish_pass_state();
        work?;
        Ok(report)
    }

    fn finish_pass_state(&mut self) {
        let state = if let Some((service, message)) = &self.auth_problem {
            EngineState::AuthProblem { service: *service, message: message.clone() }
        } else if let Some(message) = &self.config_problem {
            EngineState::ConfigProblem { message: message.clone() }
        } else if let Some((service, until)) = self.blocked_until.filter(|(_, u)| *u > Utc::now()) {
            EngineState::RateLimited { service, until }
        } else if self.paused {
            EngineState::Paused
        } else {
            EngineState::Idle
        };
        self.status.send_modify(|s| {
            s.current_order = None;
            s.progress = None;
        });
        self.set_state(state);
    }

    // ---- polling -----------------------------------------------------------------------

    async fn poll(&mut self, report: &mut PassReport) -> Result<(), EngineError> {
        self.emit(EngineEvent::PollStarted);
        if let Some(name) = self.ctx.as_ref().map(|c| c.eshop_name.clone()) {
            self.store.set_meta("eshop_name", &name)?;
        }
        let enabled_at = self.config.sync.enabled_at;
        let cursor = self.store.cursor()?.unwrap_or(enabled_at);
        let from = cursor - chrono::Duration::seconds(self.config.sync.overlap_secs as i64);
        let now = Utc::now().with_timezone(cursor.offset());
        let changes = changes_since(&self.shoptet, from, now).await;
        self.calls.drain();
        let changes = changes?;
        let mut queued = 0;
        for change in changes {
            let known = self.store.order(&change.code)?;
            if self.needs_fetch(known.as_ref(), &change) {
                report.seen += 1;
                let (fetched, calls) = recorded(self.shoptet.order(&change.code)).await;
                match fetched {
                    Ok(order) => {
                        if self.observe(order, false)? {
                            queued += 1;
                        }
                        if self.store.order(&change.code)?.is_some() {
                            self.store.record_calls(&change.code, &calls)?;
                        }
                    }
                    Err(e) if matches!(e.kind, ErrorKind::Auth | ErrorKind::RateLimited) => {
                        // Credentials rejected, or Shoptet asks us to wait: stop here, the
                        // cursor stays before this order and the next poll reads it again.
                        self.calls.drain();
                        return Err(e.into());
                    }
                    Err(e) => {
                        // Record it and queue it (one transaction), so the retry queue fetches it
                        // again and the cursor may move on.
                        let seen = OrderSeen {
                            code: change.code.clone(),
                            change_time: change.change_time,
                            creation_time: None,
                            status_id: None,
                            status_name: None,
                            customer: None,
                            email: None,
                            total_with_vat: None,
                            currency: None,
                        };
                        self.store.record_seen_and_enqueue(&seen, Some((Priority::Normal, Utc::now())))?;
                        self.store.record_calls(&change.code, &calls)?;
                        self.fail(&change.code, EngineError::from(e), report)?;
                    }
                }
            } else if change.deleted && known.is_some() {
                self.store.audit(
                    Some(&change.code),
                    "deleted",
                    "the order was deleted in Shoptet; RAYNET is left as it is",
                )?;
            }
            // A change without a time (`null` in the feed) cannot move the cursor.
            if let Some(t) = change.change_time
                && t > self.store.cursor()?.unwrap_or(enabled_at)
            {
                self.store.set_cursor(t)?;
            }
        }
        report.queued += queued;
        let now = Utc::now();
        self.store.set_meta("last_poll", &now.to_rfc3339())?;
        self.status.send_modify(|s| s.last_poll = Some(now));
        self.emit(EngineEvent::PollFinished { seen: report.seen, queued });
        Ok(())
    }

    /// Whether a change from the feed is news: the poll and the dry run read the same orders.
    fn needs_fetch(&self, known: Option<&crate::store::OrderRow>, change: &super::poll::Change) -> bool {
        if change.deleted {
            return false;
        }
        let Some(row) = known else { return true };
        let pending = row.state == OrderState::Pending;
        // A final order left pending without a job (e.g. by an older version that crashed
        // between the two writes) is never up to date.
        let orphan = pending && row.status_id.is_some_and(|s| self.config.sync.final_status_ids.contains(&s));
        // A pending order is fetched again on an equal time: it may have been completed in the
        // same second it was last read (cheap: pending orders are few and the overlap short).
        let same_second = pending && change.change_time.is_some() && row.change_time == change.change_time;
        orphan || same_second || !is_up_to_date(row.change_time, change.change_time)
    }

    fn seen_of(&self, order: &Order) -> OrderSeen {
        let ctx = self.ctx.as_ref();
        OrderSeen {
            code: order.code.clone(),
            change_time: order.change_time.or(order.creation_time),
            creation_time: order.creation_time,
            status_id: order.status_id(),
            status_name: order
                .status
                .as_ref()
                .and_then(|s| s.sent_name().map(str::to_owned))
                .or_else(|| ctx.and_then(|c| c.status_name(order.status_id()))),
            customer: Some(mapping::client_label(order)),
            email: order.email.clone(),
            total_with_vat: Some(order.price.with_vat),
            currency: Some(order.price.currency_code.clone()),
        }
    }

    fn decision_for(&self, order: &Order, backfill: bool) -> Result<Decision, EngineError> {
        let hash = mapping::content_hash(order);
        let row = self.store.order(&order.code)?;
        let eshop = self.ctx.as_ref().map(|c| c.eshop_id).unwrap_or_default();
        let bc = match row.as_ref().and_then(|r| r.business_case_id) {
            Some(id) => Some(id),
            None => self
                .store
                .entity(crate::store::EntityKind::BusinessCase, &mapping::order_ext_id(eshop, &order.code))?
                .map(|e| e.raynet_id),
        };
        let backfill = backfill || self.store.get_meta(&format!("backfill:{}", order.code))?.is_some();
        let synced = SyncedState {
            business_case_id: bc,
            synced_hash: row.as_ref().and_then(|r| r.synced_hash.as_deref()),
        };
        Ok(decide(order, &hash, synced, &self.config.sync, backfill))
    }

    /// Records an order read from Shoptet and queues it when it needs work, in one store
    /// transaction (a crash in between must not leave it recorded but unqueued). True when queued.
    fn observe(&mut self, order: Order, backfill: bool) -> Result<bool, EngineError> {
        let decision = self.decision_for(&order, backfill)?;
        if decision == Decision::OutOfScope {
            return Ok(false);
        }
        let row = self.store.order(&order.code)?;
        let waiting =
            row.as_ref().is_some_and(|r| matches!(r.state, OrderState::NeedsDecision | OrderState::Skipped));
        let job = (decision.needs_work() && !waiting)
            .then(|| (if backfill { Priority::Low } else { Priority::Normal }, Utc::now()));
        self.store.record_seen_and_enqueue(&self.seen_of(&order), job)?;
        self.save_detail(&order, None)?;
        if job.is_some() {
            self.fetched.insert(order.code.clone(), order);
        }
        Ok(job.is_some())
    }

    /// Keeps what the order detail view shows: the Shoptet data and the plan (or, once worked,
    /// what was done). `meta` key `detail:{code}`.
    fn save_detail(&mut self, order: &Order, done: Option<Vec<String>>) -> Result<(), EngineError> {
        let key = format!("detail:{}", order.code);
        let (plan, is_done) = match done {
            Some(notes) => (notes, true),
            None => {
                let previous: Option<serde_json::Value> =
                    self.store.get_meta(&key)?.and_then(|s| serde_json::from_str(&s).ok());
                let kept = previous.filter(|p| p["done"].as_bool() == Some(true)).map(|p| {
                    p["plan"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                });
                match kept.flatten() {
                    // Keep the record of what was done until the order is worked again.
                    Some(lines) => (lines, true),
                    None => (
                        self.ctx.as_ref().map(|c| super::detail::plan_lines(order, c)).unwrap_or_default(),
                        false,
                    ),
                }
            }
        };
        let detail = serde_json::json!({
            "shoptet": super::detail::shoptet_lines(order),
            "plan": plan,
            "done": is_done,
            "admin_url": order.admin_url,
        });
        self.store.set_meta(&key, &detail.to_string())?;
        Ok(())
    }

    // ---- working the queue -------------------------------------------------------------

    /// Works due jobs until none is due (or a fatal error / rate limit / shutdown stops it).
    async fn work_due(&mut self, report: &mut PassReport, drain: bool) -> Result<(), EngineError> {
        let total = self.store.count_due_jobs(Utc::now())?;
        let mut done = 0u64;
        loop {
            self.handle_pending_commands().await;
            if self.shutdown || self.paused || self.auth_problem.is_some() || self.config_problem.is_some() {
                return Ok(());
            }
            if let Some((_, until)) = self.blocked_until {
                if until > Utc::now() {
                    return Ok(());
                }
                self.blocked_until = None;
            }
            let Some(job) = self.store.due_jobs(Utc::now(), 1)?.into_iter().next() else {
                return Ok(());
            };
            if total > 3 {
                self.status.send_modify(|s| s.progress = Some((done.min(total), total)));
            }
            self.work_one(&job.code, report).await?;
            done += 1;
            if !drain && done >= 50 {
                return Ok(());
            }
        }
    }

    async fn work_one(&mut self, code: &str, report: &mut PassReport) -> Result<(), EngineError> {
        self.status.send_modify(|s| s.current_order = Some(code.to_string()));
        let (result, calls) = recorded(self.try_order(code)).await;
        self.store.record_calls(code, &calls)?;
        self.persist_rate_limit();
        match result {
            Ok(Some(Outcome::Synced { business_case_id, created })) => {
                report.synced += 1;
                if created {
                    report.created += 1;
                } else {
                    report.updated += 1;
                }
                let now = Utc::now();
                self.status.send_modify(|s| s.last_success = Some(now));
                tracing::info!(order = code, business_case = business_case_id, created, "order synced");
                report.outcomes.push(OrderOutcome {
                    code: code.into(),
                    result: "synced".into(),
                    business_case_id: Some(business_case_id),
                    reason: None,
                    next_attempt_at: None,
                });
                self.emit(EngineEvent::OrderSynced { code: code.into(), business_case_id, created });
            }
            Ok(Some(Outcome::NeedsDecision)) => {
                report.needs_decision += 1;
                let reason = self.store.decision(code)?.map(|d| d.reason);
                tracing::warn!(
                    order = code,
                    reason = reason.as_deref().unwrap_or(""),
                    "order needs a decision"
                );
                report.outcomes.push(OrderOutcome {
                    code: code.into(),
                    result: "needs_decision".into(),
                    business_case_id: None,
                    reason,
                    next_attempt_at: None,
                });
                self.emit(EngineEvent::OrderNeedsDecision { code: code.into() });
            }
            Ok(None) => {}
            Err(e) => self.fail(code, e, report)?,
        }
        Ok(())
    }

    /// Fetches the order again (unless the poll just did), decides, and syncs.
    async fn try_order(&mut self, code: &str) -> Result<Option<Outcome>, EngineError> {
        let order = match self.fetched.remove(code) {
            Some(o) => o,
            None => self.shoptet.order(code).await?,
        };
        self.store.record_order_seen(&self.seen_of(&order))?;
        let decision = self.decision_for(&order, false)?;
        if !decision.needs_work() {
            let hash = mapping::content_hash(&order);
            match decision {
                Decision::Unchanged => {
                    let row = self.store.order(code)?;
                    if let Some(bc) = row.and_then(|r| r.business_case_id) {
                        self.store.mark_synced(code, bc, &hash)?;
                    }
                }
                _ => {
                    self.store.set_pending(code, "no longer in a final status")?;
                }
            }
            return Ok(None);
        }
        let mut work = self.work()?;
        let result = work.sync_order(&order, decision).await;
        let notes = std::mem::take(&mut work.notes);
        if !notes.is_empty() {
            self.save_detail(&order, Some(notes))?;
        }
        result.map(Some)
    }

    /// One unit of work over this engine's store and clients.
    fn work(&mut self) -> Result<Work<'_>, EngineError> {
        let ctx = self.ctx.as_ref().ok_or_else(|| EngineError::Config("engine not prepared".into()))?;
        Ok(Work {
            store: &mut self.store,
            shoptet: &self.shoptet,
            raynet: &self.raynet,
            ctx,
            config: &self.config,
            notes: Vec::new(),
        })
    }

    /// Puts a failed order back in the queue (or marks it dead) with a readable reason.
    fn fail(&mut self, code: &str, e: EngineError, report: &mut PassReport) -> Result<(), EngineError> {
        let now = Utc::now();
        let attempts = self.store.job(code)?.map(|j| j.attempts).unwrap_or(0) + 1;
        let (next, status) = match &e {
            EngineError::Api(api) => match api.kind {
                ErrorKind::Auth => {
                    self.note_fatal(&e);
                    tracing::error!(order = code, error = %e, "credentials rejected; sync paused");
                    return Err(e);
                }
                ErrorKind::RateLimited => {
                    let until = api.retry_after.unwrap_or(now + chrono::Duration::seconds(60));
                    self.blocked_until = Some((api.service, until));
                    self.set_state(EngineState::RateLimited { service: api.service, until });
                    (self.schedule.next_attempt(attempts, now, Some(until)).or(Some(until)), api.status)
                }
                ErrorKind::Transient => {
                    (self.schedule.next_attempt(attempts, now, api.retry_after), api.status)
                }
                ErrorKind::Permanent | ErrorKind::NotFound => (None, api.status),
            },
            EngineError::Store(_) => return Err(e),
            EngineError::Mapping(_) | EngineError::Config(_) => (None, None),
        };
        let reason = e.to_string();
        self.store.record_failure(code, &Failure { error: reason.clone(), status, next_attempt_at: next })?;
        tracing::warn!(order = code, attempts, error = %reason, retry_at = ?next, "order failed");
        report.failed += 1;
        report.outcomes.push(OrderOutcome {
            code: code.into(),
            result: if next.is_some() { "failed".into() } else { "dead".into() },
            business_case_id: None,
            reason: Some(reason.clone()),
            next_attempt_at: next,
        });
        self.emit(EngineEvent::OrderFailed { code: code.into(), reason, retry_at: next });
        Ok(())
    }

    fn persist_rate_limit(&mut self) {
        let rl = self.raynet.rate_limit();
        if rl.limit.is_some() || rl.remaining.is_some() {
            let json = serde_json::json!({
                "limit": rl.limit, "remaining": rl.remaining, "reset": rl.reset.map(|r| r.to_rfc3339()),
            });
            let _ = self.store.set_meta("rate_limit:raynet", &json.to_string());
        }
    }

    // ---- dry run and backfill ----------------------------------------------------------

    /// The plans of everything a pass would do, without writing anything anywhere.
    pub async fn dry_run(&mut self) -> Result<Vec<OrderPlan>, EngineError> {
        self.prepare().await?;
        let enabled_at = self.config.sync.enabled_at;
        let cursor = self.store.cursor()?.unwrap_or(enabled_at);
        let from = cursor - chrono::Duration::seconds(self.config.sync.overlap_secs as i64);
        let now = Utc::now().with_timezone(cursor.offset());
        let mut codes: Vec<String> = Vec::new();
        for c in changes_since(&self.shoptet, from, now).await? {
            let known = self.store.order(&c.code)?;
            if self.needs_fetch(known.as_ref(), &c) {
                codes.push(c.code);
            }
        }
        for job in self.store.due_jobs(Utc::now(), 10_000)? {
            if !codes.contains(&job.code) {
                codes.push(job.code);
            }
        }
        let mut plans = Vec::new();
        for code in codes {
            let order = self.shoptet.order(&code).await?;
            let decision = self.decision_for(&order, false)?;
            if decision == Decision::OutOfScope {
                continue;
            }
            let mut work = self.work()?;
            plans.push(work.plan_order(&order, decision).await);
        }
        self.calls.drain();
        Ok(plans)
    }

    /// The plan of one known order (for the order detail view); read-only.
    pub async fn plan_of(&mut self, code: &str) -> Result<OrderPlan, EngineError> {
        self.prepare().await?;
        let order = self.shoptet.order(code).await?;
        let decision = self.decision_for(&order, false)?;
        let mut work = self.work()?;
        let plan = work.plan_order(&order, decision).await;
        self.calls.drain();
        Ok(plan)
    }

    /// Queues older, unchanged final orders created since `from`, at low priority.
    pub async fn backfill(&mut self, from: DateTime<FixedOffset>) -> Result<u64, EngineError> {
        self.prepare().await?;
        let filter = OrderFilter { creation_time_from: Some(from), ..Default::default() };
        let mut page = 1;
        let mut queued = 0;
        loop {
            let (rows, pager) = self.shoptet.orders_page(&filter, page).await?;
            for o in rows {
                let final_status =
                    o.status.as_ref().is_some_and(|s| self.config.sync.final_status_ids.contains(&s.id));
                let known = self.store.order(&o.code)?;
                if !final_status || known.as_ref().is_some_and(|r| r.business_case_id.is_some()) {
                    continue;
                }
                let seen = OrderSeen {
                    code: o.code.clone(),
                    change_time: o.change_time.or(o.creation_time),
                    creation_time: o.creation_time,
                    status_id: o.status.as_ref().map(|s| s.id),
                    status_name: o.status.as_ref().and_then(|s| s.sent_name().map(str::to_owned)),
                    customer: o.company.clone().or(o.full_name.clone()).or(o.email.clone()),
                    email: o.email.clone(),
                    total_with_vat: o.price.with_vat,
                    currency: Some(o.price.currency_code.clone()),
                };
                self.store.set_meta(&format!("backfill:{}", o.code), "1")?;
                self.store.record_seen_and_enqueue(&seen, Some((Priority::Low, Utc::now())))?;
                queued += 1;
            }
            if u64::from(page) >= pager.page_count {
                break;
            }
            page += 1;
        }
        self.calls.drain();
        self.store.audit(
            None,
            "backfill",
            &format!("{queued} orders created since {from} queued for sync"),
        )?;
        Ok(queued)
    }

    // ---- commands and the daemon loop --------------------------------------------------

    async fn handle_pending_commands(&mut self) {
        let mut cmds = Vec::new();
        if let Some(rx) = self.commands.as_mut() {
            while let Ok(c) = rx.try_recv() {
                cmds.push(c);
            }
        }
        for c in cmds {
            self.handle(c).await;
        }
    }

    /// Carries out one command; a rejected one is reported as an event.
    pub async fn handle(&mut self, cmd: EngineCommand) {
        if let Some(r) = super::local::apply_local(&mut self.store, &cmd) {
            match r {
                Ok(()) => {
                    if let EngineCommand::Skip { code, .. } = cmd {
                        self.emit(EngineEvent::OrderSkipped { code });
                    }
                }
                Err(e) => self.emit(EngineEvent::CommandRejected { reason: e.to_string() }),
            }
            return;
        }
        let result: Result<(), EngineError> = match cmd {
            EngineCommand::SyncNow => {
                self.poll_requested = true;
                Ok(())
            }
            EngineCommand::Backfill { from } => {
                let from = from.with_timezone(&self.config.sync.enabled_at.timezone());
                self.backfill(from).await.map(|_| ())
            }
            EngineCommand::Pause => {
                self.paused = true;
                self.set_state(EngineState::Paused);
                Ok(())
            }
            EngineCommand::Resume => {
                self.paused = false;
                self.auth_problem = None;
                self.config_problem = None;
                self.blocked_until = None;
                self.poll_requested = true;
                self.ctx = None;
                self.set_state(EngineState::Idle);
                Ok(())
            }
            EngineCommand::Shutdown => {
                self.shutdown = true;
                Ok(())
            }
            // Applied to the store above.
            EngineCommand::Retry { .. }
            | EngineCommand::RetryAll
            | EngineCommand::Resync { .. }
            | EngineCommand::Skip { .. }
            | EngineCommand::Resolve { .. } => Ok(()),
        };
        if let Err(e) = result {
            self.emit(EngineEvent::CommandRejected { reason: e.to_string() });
        }
    }

    /// The daemon: polls every `poll_interval_secs`, works due retries, obeys commands, and
    /// returns after `Shutdown` (the order in flight is finished first).
    pub async fn run(mut self) {
        let interval = chrono::Duration::seconds(self.config.sync.poll_interval_secs as i64);
        let mut next_poll = Utc::now();
        let mut rx = self.commands.take();
        loop {
            if let Some(r) = rx.as_mut() {
                while let Ok(c) = r.try_recv() {
                    self.handle(c).await;
                }
            }
            self.commands = rx.take();
            if self.shutdown {
                break;
            }
            let ready = !self.paused && self.auth_problem.is_none() && self.config_problem.is_none();
            if ready {
                let mut report = PassReport::default();
                let now = Utc::now();
                let prepared = if self.ctx.is_none() && now < self.next_prepare {
                    false
                } else {
                    match self.prepare().await {
                        Ok(()) => true,
                        Err(e) if e.is_fatal() => {
                            tracing::error!(error = %e, "sync paused: fix the configuration or credentials, then restart or resume");
                            false
                        }
                        Err(e) => {
                            self.next_prepare = now + chrono::Duration::seconds(30);
                            tracing::warn!(error = %e, "cannot reach the services yet; trying again in 30 s");
                            false
                        }
                    }
                };
                if prepared {
                    if self.poll_requested || now >= next_poll {
                        self.poll_requested = false;
                        next_poll = now + interval;
                        self.status.send_modify(|s| s.next_poll = Some(next_poll));
                        self.set_state(EngineState::Syncing);
                        if let Err(e) = self.poll(&mut report).await {
                            if e.is_fatal() {
                                self.note_fatal(&e);
                            }
                            tracing::warn!(error = %e, "poll failed");
                        }
                    }
                    if let Err(e) = self.work_due(&mut report, false).await {
                        tracing::error!(error = %e, "sync stopped");
                    }
                    let busy =
                        matches!(self.status.borrow().state, EngineState::Syncing | EngineState::Starting);
                    if report.seen > 0 || report.synced > 0 || report.failed > 0 || busy {
                        self.finish_pass_state();
                    }
                }
            }
            rx = self.commands.take();
            if self.shutdown {
                break;
            }
            let wait = tokio::time::sleep(Duration::from_millis(500));
            match rx.as_mut() {
                Some(r) => tokio::select! {
                    c = r.recv() => match c {
                        Some(c) => self.handle(c).await,
                        None => break,
                    },
                    _ = wait => {}
                },
                None => wait.await,
            }
        }
        self.set_state(EngineState::Stopped);
    }
}

/// Whether the recorded change time already covers a change from the feed. Shoptet's times have
/// one-second resolution, so a change in the same second as the recorded one may be a second
/// change: recent equal times are fetched again (old ones were settled long ago).
fn is_up_to_date(recorded: Option<DateTime<FixedOffset>>, feed: Option<DateTime<FixedOffset>>) -> bool {
    // Without the feed's time the change may be news.
    let Some(feed) = feed else { return false };
    match recorded {
        Some(t) if t > feed => true,
        Some(t) if t == feed => Utc::now().signed_duration_since(feed) > chrono::Duration::seconds(120),
        _ => false,
    }
}

fn service_key(s: Service) -> &'static str {
    match s {
        Service::Shoptet => "shoptet",
        Service::Raynet => "raynet",
    }
}
