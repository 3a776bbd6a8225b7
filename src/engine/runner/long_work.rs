//! Long work — a first sync, a backfill, a large backlog: its estimate, its progress on the
//! status, and the budget rule that holds backfill orders back so new orders keep theirs.

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Utc};

use crate::engine::estimate::{
    self, Budget, Costs, Estimate, Limits, OrderFacts, Pace, Tally, WorkKind, Workload,
};
use crate::mapping;
use crate::shoptet::models::Order;
use crate::store::{CreateExtIdMode, EntityKind, OrderState, RecordedProgress};

use super::super::EngineError;
use super::{Engine, PassReport};

/// Fewer due orders than this are no long work: no estimate, no progress.
const LONG_WORK_MIN: u64 = 4;

/// A long work in progress.
pub(super) struct LongWork {
    first: Estimate,
    total: u64,
    done: u64,
    /// Time spent working its orders (waiting for a budget not counted).
    busy: StdDuration,
    held_until: Option<DateTime<Utc>>,
    /// What the engine snapshot was last given of it, and when.
    recorded: Option<Recorded>,
}

impl LongWork {
    pub(super) fn new(first: Estimate, total: u64) -> LongWork {
        LongWork { first, total, done: 0, busy: StdDuration::ZERO, held_until: None, recorded: None }
    }
}

/// The progress as last written to the engine snapshot.
struct Recorded {
    at: Instant,
    done: u64,
    total: u64,
    held_until: Option<DateTime<Utc>>,
}

/// The progress shown: (done, total) and what is left of the estimate.
type Progress = ((u64, u64), Option<Estimate>);

/// While only its count moves, the progress is written to the snapshot at most this often.
const RECORD_EVERY: StdDuration = StdDuration::from_millis(250);

impl Engine {
    /// RAYNET's budget as last reported: by this run's answers, else as an earlier run recorded.
    pub(super) fn budget(&self) -> Budget {
        let live = self.raynet.rate_limit();
        if live.remaining.is_some() {
            return Budget { limit: live.limit, remaining: live.remaining, reset: live.reset };
        }
        match self.store.rate_limit("raynet") {
            Ok(Some(r)) => Budget { limit: r.limit, remaining: r.remaining, reset: r.reset },
            _ => Budget::default(),
        }
    }

    /// What an estimate is made from: the budget, the reserve for new orders, the costs (one
    /// more per create where RAYNET drops a create's extId).
    pub(super) fn limits(&self) -> Result<Limits, EngineError> {
        let dropped = |kind| -> Result<bool, EngineError> {
            Ok(self.store.create_ext_id_mode(kind)? == Some(CreateExtIdMode::Dropped))
        };
        let costs = Costs::MEASURED.with_ext_id_set(
            dropped("company")?,
            dropped("product")?,
            dropped("businessCase")?,
        );
        Ok(Limits {
            budget: self.budget(),
            reserve: self.config.sync.backfill_reserve,
            pace: Pace::ASSUMED,
            costs,
        })
    }

    /// New products a new client brings when its order's lines were not read: as many as the
    /// record links per client so far (one on an empty record).
    pub(super) fn products_per_new_client(&self) -> Result<f64, EngineError> {
        let clients = self.store.count_entities(EntityKind::Client, None)?;
        let products = self.store.count_entities(EntityKind::Product, None)?;
        Ok(if clients == 0 { 1.0 } else { products as f64 / clients as f64 })
    }

    /// Kinds of record never created yet: the first create of each checks its extId.
    pub(super) fn first_create_checks(&self) -> Result<u64, EngineError> {
        let mut n = 0;
        for kind in ["company", "product", "businessCase"] {
            n += u64::from(self.store.create_ext_id_mode(kind)?.is_none());
        }
        Ok(n)
    }

    /// The customer of an order, and whether the record links it already.
    pub(super) fn client_facts(&self, key: Option<String>) -> Result<OrderFacts, EngineError> {
        let client_known = match &key {
            Some(k) => self.store.entity(EntityKind::Client, k)?.is_some(),
            None => false,
        };
        Ok(OrderFacts { customer: key, client_known, new_products: None })
    }

    /// What the record knows of an order read in full: its customer and its products.
    fn order_facts(&self, order: &Order) -> Result<OrderFacts, EngineError> {
        let Some(ctx) = self.ctx.as_ref() else { return self.client_facts(None) };
        let key = mapping::matching::customer_key(ctx.eshop_id, order);
        let mut facts = self.client_facts(Some(key))?;
        let mut new_products = Vec::new();
        // An order whose lines cannot be planned fails before anything is written.
        for line in mapping::plan_lines(order, &ctx.settings).unwrap_or_default() {
            let Some(code) = line.code.filter(|_| line.link_product) else { continue };
            let keys = [
                mapping::product_ext_id(ctx.eshop_id, &code),
                mapping::legacy_product_ext_id(ctx.eshop_id, &code),
            ];
            let mut known = false;
            for k in &keys {
                known = known || self.store.entity(EntityKind::Product, k)?.is_some();
            }
            if !known {
                new_products.push(code);
            }
        }
        facts.new_products = Some(new_products);
        Ok(facts)
    }

    /// What the record knows of an order it holds a row of: the customer by e-mail.
    fn row_facts(&self, code: &str) -> Result<OrderFacts, EngineError> {
        let eshop = self.ctx.as_ref().map(|c| c.eshop_id).unwrap_or_default();
        let email = self.store.order(code)?.and_then(|r| r.email);
        self.client_facts(mapping::customer_ext_id_of(eshop, None, email.as_deref()))
    }

    /// At the start of a batch: begins a long work when many orders are due, its estimate made
    /// from what the record knows of them; or brings the running one's total up to date.
    pub(super) fn begin_long_work(&mut self, due: u64, report: &mut PassReport) -> Result<(), EngineError> {
        // Changed orders the poll has not read yet (it reads a long backlog a window at a time).
        let unread = self.store.backlog_len()?;
        if let Some(w) = self.long_work.as_mut() {
            w.total = w.total.max(w.done + due + unread);
            report.estimate.get_or_insert_with(|| w.first.clone());
            self.publish_progress();
            return Ok(());
        }
        // Nothing read yet tells what the unread orders will cost: begin once some are.
        if due == 0 || due + unread < LONG_WORK_MIN {
            return Ok(());
        }
        let jobs = self.store.due_jobs(self.now(), usize::try_from(due).unwrap_or(usize::MAX))?;
        let mut tally = Tally::default();
        let mut backfill = false;
        for job in &jobs {
            tally.add(match self.fetched.get(&job.code) {
                Some(order) => self.order_facts(order)?,
                None => self.row_facts(&job.code)?,
            });
            backfill = backfill || self.store.is_backfill(&job.code)?;
        }
        let synced = self.store.counts()?.get(&OrderState::Synced).copied().unwrap_or(0);
        let kind = match (synced, backfill) {
            (0, _) => WorkKind::FirstSync,
            (_, true) => WorkKind::Backfill,
            _ => WorkKind::Backlog,
        };
        let work = tally.workload(self.products_per_new_client()?, self.first_create_checks()?);
        let work = extrapolated(work, due, due + unread);
        let first = estimate::estimate(kind, &work, &self.limits()?, self.now());
        tracing::info!(
            ?kind,
            orders = first.orders,
            raynet_requests = first.raynet_requests,
            budget_left = ?first.budget_left,
            eta = ?first.eta,
            "long work begins"
        );
        report.estimate = Some(first.clone());
        self.long_work = Some(LongWork::new(first, due + unread));
        self.publish_progress();
        Ok(())
    }

    /// After one order: counts it in the long work and shows the progress.
    pub(super) fn count_progress(&mut self, took: StdDuration) {
        if let Some(w) = self.long_work.as_mut() {
            w.done += 1;
            w.busy += took;
            w.held_until = None;
            self.publish_progress();
        }
    }

    /// No order is due any more: the long work is over — unless the poll has more to read.
    pub(super) fn end_long_work(&mut self) {
        if self.store.backlog_len().unwrap_or(0) > 0 {
            return;
        }
        if self.long_work.take().is_some() {
            self.publish_progress();
            self.clear_recorded_progress();
        }
    }

    /// What working a queued order is expected to cost, from what the record knows of it.
    fn order_cost(&self, code: &str, limits: &Limits) -> Result<u64, EngineError> {
        let mut tally = Tally::default();
        tally.add(match self.fetched.get(code) {
            Some(order) => self.order_facts(order)?,
            None => self.row_facts(code)?,
        });
        Ok(tally.workload(self.products_per_new_client()?, 0).raynet_requests(&limits.costs))
    }

    /// Whether the backfill order `code`, about to be worked, must wait for the budget's reset:
    /// after it, today's budget must still hold `sync.backfill_reserve` requests for new orders.
    pub(super) fn hold_backfill(&mut self, code: &str, report: &mut PassReport) -> Result<bool, EngineError> {
        let limits = self.limits()?;
        let cost = self.order_cost(code, &limits)?;
        let Some(until) = estimate::backfill_hold(&limits.budget, limits.reserve, cost, self.now()) else {
            return Ok(false);
        };
        report.backfill_waits_until = Some(until);
        if let Some(w) = self.long_work.as_mut()
            && w.held_until != Some(until)
        {
            w.held_until = Some(until);
            tracing::info!(
                reserve = limits.reserve,
                budget_left = ?limits.budget.left(self.now()),
                until = %until,
                "backfill waits for RAYNET's budget to reset; new orders keep the reserve"
            );
        }
        self.publish_progress();
        Ok(true)
    }

    /// The long work's progress and what is left of its estimate, on the status and (see
    /// `record_progress`) in the engine snapshot.
    pub(super) fn publish_progress(&mut self) {
        let limits = self.limits().ok();
        let view: Option<Progress> = self.long_work.as_ref().map(|w| {
            let estimate = limits.as_ref().map(|l| {
                let mut e = estimate::progressed(&w.first, w.done, w.total, w.busy, l, self.now());
                e.held_until = w.held_until;
                e
            });
            ((w.done.min(w.total), w.total), estimate)
        });
        self.record_progress(view.as_ref(), false);
        self.status.send_modify(|s| {
            s.progress = view.as_ref().map(|v| v.0);
            s.estimate = view.and_then(|v| v.1);
        });
    }

    /// Writes a count the snapshot has not been given yet (the daemon, after each turn).
    pub(super) fn flush_progress(&mut self) {
        let behind = self
            .long_work
            .as_ref()
            .is_some_and(|w| w.recorded.as_ref().is_none_or(|r| r.done != w.done.min(w.total)));
        if behind {
            let view = self.status.borrow().progress.zip(Some(self.status.borrow().estimate.clone()));
            self.record_progress(view.as_ref(), true);
        }
    }

    /// Gives the engine snapshot the progress, for a dashboard beside the daemon: at once when
    /// the work begins, grows or starts or stops waiting; while only its count moves, at most
    /// every 250 ms (`flush`: whenever it moved).
    fn record_progress(&mut self, view: Option<&Progress>, flush: bool) {
        let (Some(w), Some(((done, total), estimate))) = (self.long_work.as_mut(), view) else { return };
        let held_until = estimate.as_ref().and_then(|e| e.held_until);
        let due = w.recorded.as_ref().is_none_or(|r| {
            r.total != *total
                || r.held_until != held_until
                || (r.done != *done && (flush || r.at.elapsed() >= RECORD_EVERY))
        });
        if !due {
            return;
        }
        let row = RecordedProgress {
            done: *done,
            total: *total,
            estimate: estimate.as_ref().and_then(|e| serde_json::to_string(e).ok()),
        };
        match self.store.set_progress(Some(&row)) {
            Ok(()) => {
                w.recorded = Some(Recorded { at: Instant::now(), done: *done, total: *total, held_until })
            }
            Err(e) => tracing::warn!(error = %e, "cannot record the long work's progress"),
        }
    }

    /// No long work runs (it ended, or the daemon starts or stops): none in the snapshot.
    pub(super) fn clear_recorded_progress(&mut self) {
        if let Err(e) = self.store.set_progress(None) {
            tracing::warn!(error = %e, "cannot clear the long work's progress");
        }
    }
}

/// The workload of `total` orders, from that of the `read` ones among them: the orders the poll
/// has not read yet are assumed to bring new clients and products as those did.
fn extrapolated(work: Workload, read: u64, total: u64) -> Workload {
    if read == 0 || total <= read {
        return Workload { orders: total.max(work.orders), ..work };
    }
    let scale = |n: u64| (n as f64 * total as f64 / read as f64).ceil() as u64;
    Workload {
        orders: total,
        new_clients: scale(work.new_clients),
        new_products: scale(work.new_products),
        first_create_checks: work.first_create_checks,
    }
}
