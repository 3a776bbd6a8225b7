//! The pipelined round: reading orders from Shoptet (the backlog the feed left, and due jobs
//! whose order is not read yet) overlaps writing to RAYNET. Reads run up to
//! `shoptet.max_connections` at once and are taken in the order they were started; up to
//! `raynet.max_connections` orders are planned and carried out at once, each in a [`Lane`] of
//! its own (an owned store connection and clients), all on the engine's task. The queue between
//! them is the window of orders read ahead ([`FETCH_WINDOW`]), so memory does not follow the
//! backlog.
//!
//! Orderings kept: two orders that share a client identity or a product code are never in
//! flight together (`lane::order_keys`) and a later one waits for the earlier one (the orders of
//! one customer in order, one create per product code); an order's own steps run in sequence in
//! its lane. The pacing is the clients' (Shoptet's bucket filling, RAYNET's rate-limit answers).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use futures_util::stream::{FuturesOrdered, FuturesUnordered, StreamExt};

use crate::http::{ApiError, CallRecord, ErrorKind, recorded};
use crate::shoptet::models::Order;
use crate::store::Priority;

use super::super::EngineError;
use super::super::decide::Decision;
use super::super::poll::Change;
use super::lane::{Lane, LaneDone, order_keys};
use super::{Engine, FETCH_WINDOW, PassReport};

type Boxed<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// How many due jobs past those in flight the dispatcher looks at for one it may start.
const LOOKAHEAD: usize = 8;

/// How a round ended.
pub(super) enum Round {
    /// No job is due and nothing is left to read.
    Empty,
    /// The next job is a backfill order that waits for RAYNET's budget.
    Held,
    /// A window of orders was worked (the daemon reads the feed between windows).
    Window,
    /// Stopped for commands, a stop condition, or one order worked alone; go on after them.
    Interrupted,
}

/// A read in flight: a change from the backlog, or the order of a due job.
enum ReadFor {
    Backlog(Change),
    Job(String),
}

struct ReadDone {
    what: ReadFor,
    result: Result<Order, ApiError>,
    calls: Vec<CallRecord>,
}

struct WorkDone {
    code: String,
    done: LaneDone,
    calls: Vec<CallRecord>,
    started: Instant,
    retried: bool,
}

/// The round's bookkeeping.
#[derive(Default)]
struct Flight {
    /// Codes being read.
    reading: HashSet<String>,
    /// Codes being worked, with what they hold (`order_keys`).
    working: HashMap<String, HashSet<String>>,
    /// No more reads of the backlog this round (a read was refused).
    backlog_closed: bool,
    held: bool,
    /// Orders started this round.
    started: usize,
    /// The first error that stops the engine.
    fatal: Option<EngineError>,
}

impl Flight {
    fn keys_in_flight(&self) -> HashSet<&String> {
        self.working.values().flatten().collect()
    }
}

impl Engine {
    /// Whether orders can be worked in lanes: the store is a file a second connection can open.
    pub(super) fn lanes_possible(&mut self) -> bool {
        if !self.lanes.is_empty() {
            return true;
        }
        match self.store.sibling() {
            Ok(Some(store)) => {
                self.lanes.push(store);
                true
            }
            Ok(None) => false,
            Err(e) => {
                tracing::warn!(error = %e, "cannot open a second store connection; working one order at a time");
                false
            }
        }
    }

    /// One pipelined round (see the module doc); returns when nothing is in flight any more.
    pub(super) async fn work_round(
        &mut self,
        report: &mut PassReport,
        drain: bool,
    ) -> Result<Round, EngineError> {
        let mut reads: FuturesOrdered<Boxed<ReadDone>> = FuturesOrdered::new();
        let mut works: FuturesUnordered<Boxed<WorkDone>> = FuturesUnordered::new();
        // A poll that failed (Shoptet refused it, e.g. at its rate limit) leaves the backlog to
        // the next poll.
        let mut f = Flight { backlog_closed: report.poll_error.is_some(), ..Flight::default() };
        let mut interrupted = false;
        // The context and configuration the round's lanes share (read again each round).
        self.shared = None;
        loop {
            let stop =
                interrupted || f.fatal.is_some() || f.held || self.stopped() || self.commands_waiting();
            interrupted |= stop;
            let window_done = !drain && f.started >= FETCH_WINDOW;
            if !stop && !window_done {
                self.start_work(&mut f, &mut reads, &mut works, report)?;
                self.start_backlog_reads(&mut f, &mut reads)?;
            }
            if reads.is_empty() && works.is_empty() {
                break;
            }
            tokio::select! {
                Some(r) = reads.next(), if !reads.is_empty() => {
                    if let Err(e) = self.took_read(r, &mut f, report) {
                        f.fatal.get_or_insert(e);
                    }
                }
                Some(w) = works.next(), if !works.is_empty() => {
                    if let Err(e) = self.took_work(w, &mut f, &mut works, report).await {
                        f.fatal.get_or_insert(e);
                    }
                }
            }
        }
        self.status.send_modify(|s| {
            s.current_order = None;
            s.in_flight = 0;
        });
        if let Some(e) = f.fatal {
            return Err(e);
        }
        Ok(if f.held {
            Round::Held
        } else if interrupted {
            Round::Interrupted
        } else if f.started >= FETCH_WINDOW && !drain {
            Round::Window
        } else {
            Round::Empty
        })
    }

    /// Starts due jobs in lanes while lanes are free: in due order, skipping (and holding back
    /// the keys of) one that shares a key with an order in flight, stopping at one whose order
    /// is not read yet (its read is started).
    fn start_work(
        &mut self,
        f: &mut Flight,
        reads: &mut FuturesOrdered<Boxed<ReadDone>>,
        works: &mut FuturesUnordered<Boxed<WorkDone>>,
        report: &mut PassReport,
    ) -> Result<(), EngineError> {
        let cap = self.config.raynet.max_connections.max(1);
        while works.len() < cap {
            let Some(order) = self.next_startable(f, reads, report)? else { return Ok(()) };
            let code = order.code.clone();
            self.status.send_modify(|s| s.current_order = Some(code.clone()));
            f.started += 1;
            let started = Instant::now();
            match self.prepare_order(&order) {
                Ok(Some(decision)) => {
                    let keys = order_keys(&self.store, self.eshop_id(), &order)?;
                    f.working.insert(code.clone(), keys);
                    self.show_in_flight(f, None);
                    let lane = self.lane()?;
                    works.push(run_lane(lane, order, decision, started, false));
                }
                Ok(None) => {
                    self.finish_order(&code, Ok(None), Vec::new(), report)?;
                    self.count_progress(started.elapsed());
                }
                Err(e) => {
                    self.finish_order(&code, Err(e), Vec::new(), report)?;
                    self.count_progress(started.elapsed());
                }
            }
            // A stop found by the last order (a rate limit, rejected credentials) starts no more.
            if self.stopped() {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The next due job that may start now, with its order (taken from the window).
    fn next_startable(
        &mut self,
        f: &mut Flight,
        reads: &mut FuturesOrdered<Boxed<ReadDone>>,
        report: &mut PassReport,
    ) -> Result<Option<Order>, EngineError> {
        let look = f.working.len() + f.reading.len() + LOOKAHEAD;
        let due = self.store.due_jobs(self.now(), look)?;
        let mut held_back: HashSet<String> = f.keys_in_flight().into_iter().cloned().collect();
        let eshop = self.eshop_id();
        for job in due {
            if f.working.contains_key(&job.code) {
                continue;
            }
            if f.reading.contains(&job.code) {
                return Ok(None);
            }
            // Due jobs come Normal first: a backfill order is worked only when no new one waits.
            if job.priority == Priority::Low && self.hold_backfill(&job.code, report)? {
                f.held = true;
                return Ok(None);
            }
            let Some(order) = self.fetched.get(&job.code) else {
                if reads.len() < self.shoptet_connections() {
                    f.reading.insert(job.code.clone());
                    reads.push_back(read_order(self.shoptet.clone(), ReadFor::Job(job.code.clone())));
                }
                return Ok(None);
            };
            let keys = order_keys(&self.store, eshop, order)?;
            if keys.iter().any(|k| held_back.contains(k)) {
                held_back.extend(keys);
                continue;
            }
            return Ok(self.fetched.remove(&job.code));
        }
        Ok(None)
    }

    /// Starts reads of the backlog's changes while the window and Shoptet's connections allow.
    fn start_backlog_reads(
        &mut self,
        f: &mut Flight,
        reads: &mut FuturesOrdered<Boxed<ReadDone>>,
    ) -> Result<(), EngineError> {
        while !f.backlog_closed
            && reads.len() < self.shoptet_connections()
            && self.fetched.len() + f.reading.len() < FETCH_WINDOW
        {
            // A change of an order in flight waits in the backlog until that order is done.
            let next = self.store.backlog_next(f.reading.len() + f.working.len() + 1)?;
            let free = |code: &String| !f.reading.contains(code) && !f.working.contains_key(code);
            let Some(entry) = next.into_iter().find(|e| free(&e.code)) else { return Ok(()) };
            let change = Change { code: entry.code, change_time: entry.change_time, deleted: false };
            // Read meanwhile (by the worker, or a second poll of the same change)?
            let known = self.store.order(&change.code)?;
            if !self.needs_fetch(known.as_ref(), &change) {
                self.store.backlog_remove(&change.code)?;
                continue;
            }
            f.reading.insert(change.code.clone());
            reads.push_back(read_order(self.shoptet.clone(), ReadFor::Backlog(change)));
        }
        Ok(())
    }

    /// Takes a finished read: a backlog change is recorded (and queued) as the poll does; a due
    /// job's order joins the window, or the job fails as a failed read fails it.
    fn took_read(&mut self, r: ReadDone, f: &mut Flight, report: &mut PassReport) -> Result<(), EngineError> {
        match r.what {
            ReadFor::Backlog(change) => {
                f.reading.remove(&change.code);
                if let Err(e) = &r.result
                    && matches!(e.kind, ErrorKind::Auth | ErrorKind::RateLimited)
                {
                    // The change stays in the backlog for the next pass, which reads on from it.
                    f.backlog_closed = true;
                    let e = EngineError::from(e.clone());
                    report.poll_error.get_or_insert(e.reason());
                    return if e.is_fatal() { Err(e) } else { Ok(()) };
                }
                if self.took_change(&change, r.result, r.calls, report)? {
                    report.queued += 1;
                }
                self.store.backlog_remove(&change.code)?;
            }
            ReadFor::Job(code) => {
                f.reading.remove(&code);
                match r.result {
                    Ok(order) => {
                        self.store.record_read(&code, order.change_time.map(|t| t.to_utc()))?;
                        self.store.record_calls(&code, &r.calls)?;
                        self.fetched.insert(code, order);
                    }
                    Err(e) => self.finish_order(&code, Err(e.into()), r.calls, report)?,
                }
            }
        }
        Ok(())
    }

    /// Takes a finished lane: what it did is kept, the order finished — or, when RAYNET refused
    /// one of the cached settings, the settings read again and the order started once more.
    async fn took_work(
        &mut self,
        w: WorkDone,
        f: &mut Flight,
        works: &mut FuturesUnordered<Boxed<WorkDone>>,
        report: &mut PassReport,
    ) -> Result<(), EngineError> {
        let LaneDone { lane, order, result } = w.done;
        self.lanes.push(lane.store);
        let result = match result {
            Ok((plan, executed)) => self.took_plan(&order, plan, executed),
            Err(e) => Err(e),
        };
        let mut calls = w.calls;
        if !w.retried && self.settings_refusal(&result).await? {
            match self.prepare_order(&order) {
                Ok(Some(decision)) => {
                    let lane = self.lane()?;
                    let again = run_lane(lane, order, decision, w.started, true);
                    works.push(Box::pin(async move {
                        let mut done = again.await;
                        calls.append(&mut done.calls);
                        done.calls = calls;
                        done
                    }));
                    return Ok(());
                }
                Ok(None) => {}
                Err(e) => {
                    f.working.remove(&w.code);
                    self.show_in_flight(f, Some(&w.code));
                    self.finish_order(&w.code, Err(e), calls, report)?;
                    self.count_progress(w.started.elapsed());
                    return Ok(());
                }
            }
        }
        f.working.remove(&w.code);
        self.show_in_flight(f, Some(&w.code));
        self.finish_order(&w.code, result, calls, report)?;
        self.count_progress(w.started.elapsed());
        Ok(())
    }

    /// A lane for one order: an idle store connection (or a new one) and the round's parts.
    fn lane(&mut self) -> Result<Lane, EngineError> {
        let store = match self.lanes.pop() {
            Some(s) => s,
            None => {
                self.store.sibling()?.ok_or_else(|| EngineError::Config("internal: no store lane".into()))?
            }
        };
        let ctx = self.ctx.as_ref().ok_or_else(|| EngineError::Config("engine not prepared".into()))?;
        let shared = match &self.shared {
            Some((c, config)) => (c.clone(), config.clone()),
            None => {
                let pair = (Arc::new(ctx.clone()), Arc::new(self.config.clone()));
                self.shared = Some(pair.clone());
                pair
            }
        };
        Ok(Lane {
            store,
            shoptet: self.shoptet.clone(),
            raynet: self.raynet.clone(),
            ctx: shared.0,
            config: shared.1,
        })
    }

    /// Tells the dashboard how many orders are in flight; when `ended` was the one shown, shows
    /// another still in flight (or none).
    fn show_in_flight(&self, f: &Flight, ended: Option<&str>) {
        let count = u32::try_from(f.working.len()).unwrap_or(u32::MAX);
        self.status.send_modify(|s| {
            s.in_flight = count;
            if ended.is_some() && s.current_order.as_deref() == ended {
                s.current_order = f.working.keys().next().cloned();
            }
        });
    }

    fn eshop_id(&self) -> i64 {
        self.ctx.as_ref().map(|c| c.eshop_id).unwrap_or_default()
    }

    fn shoptet_connections(&self) -> usize {
        self.config.shoptet.max_connections.max(1)
    }
}

/// Reads one order in its own recording scope.
fn read_order(shoptet: crate::shoptet::client::ShoptetClient, what: ReadFor) -> Boxed<ReadDone> {
    Box::pin(async move {
        let code = match &what {
            ReadFor::Backlog(c) => c.code.clone(),
            ReadFor::Job(code) => code.clone(),
        };
        let (result, calls) = recorded(shoptet.order(&code)).await;
        ReadDone { what, result, calls }
    })
}

/// Plans and carries out one order in its lane, in its own recording scope.
fn run_lane(
    lane: Lane,
    order: Order,
    decision: Decision,
    started: Instant,
    retried: bool,
) -> Boxed<WorkDone> {
    Box::pin(async move {
        let code = order.code.clone();
        let (done, calls) = recorded(lane.run(order, decision)).await;
        WorkDone { code, done, calls, started, retried }
    })
}
