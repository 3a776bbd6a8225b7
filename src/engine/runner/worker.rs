//! The worker: takes due jobs, decides, plans and carries out the sync of one order. Orders are
//! worked several at once by the round in `pool`; an engine over an in-memory store (no second
//! connection to give an order in flight) works them one at a time here.

use crate::http::CallRecord;
use crate::mapping;
use crate::shoptet::models::Order;
use crate::store::Priority;

use super::super::EngineError;
use super::super::api::EngineEvent;
use super::super::decide::Decision;
use super::super::detail::DetailPlan;
use super::super::execute::{Executed, Outcome};
use super::super::plan::{OrderPlan, Planner, Reads};
use super::lane::Parts;
use super::pool::Round;
use super::{Engine, OrderOutcome, PassReport};

impl Engine {
    /// Works due jobs until none is due (or a fatal error / rate limit / shutdown stops it).
    /// Without `drain` (the daemon) it returns after a window of orders, so the feed is read
    /// again between them: then true (more work waits, to be taken up without a pause).
    pub(super) async fn work_due(
        &mut self,
        report: &mut PassReport,
        drain: bool,
    ) -> Result<bool, EngineError> {
        let total = self.store.count_due_jobs(self.now())?;
        self.begin_long_work(total, report)?;
        loop {
            self.handle_pending_commands().await;
            if self.shutdown || self.paused || self.auth_problem.is_some() || self.config_problem.is_some() {
                return Ok(false);
            }
            if let Some((_, until)) = self.blocked_until {
                if until > self.now() {
                    return Ok(false);
                }
                self.blocked_until = None;
            }
            let round = if self.lanes_possible() {
                self.work_round(report, drain).await?
            } else {
                self.work_next(report).await?
            };
            match round {
                Round::Empty => {
                    self.end_long_work();
                    return Ok(false);
                }
                Round::Held => return Ok(false),
                Round::Window => return Ok(true),
                Round::Interrupted => {}
            }
        }
    }

    /// One due job, worked here (no order in flight beside it).
    async fn work_next(&mut self, report: &mut PassReport) -> Result<Round, EngineError> {
        let Some(job) = self.store.due_jobs(self.now(), 1)?.into_iter().next() else {
            return Ok(Round::Empty);
        };
        // Due jobs come Normal first: a backfill order is worked only when no new one waits.
        if job.priority == Priority::Low && self.hold_backfill(&job.code, report)? {
            return Ok(Round::Held);
        }
        let started = std::time::Instant::now();
        self.status.send_modify(|s| s.current_order = Some(job.code.clone()));
        let (result, calls) = self.try_order_recorded(&job.code).await;
        self.finish_order(&job.code, result, calls, report)?;
        self.count_progress(started.elapsed());
        Ok(Round::Interrupted)
    }

    /// What became of one order: its calls recorded, the outcome counted and announced, a
    /// failure classified.
    pub(super) fn finish_order(
        &mut self,
        code: &str,
        result: Result<Option<Outcome>, EngineError>,
        calls: Vec<CallRecord>,
        report: &mut PassReport,
    ) -> Result<(), EngineError> {
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
                let now = self.now();
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
                tracing::warn!(order = code, reason = ?reason, "order needs a decision");
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

    /// Fetches the order again (unless the poll just did), decides, plans and carries out.
    pub(super) async fn try_order(&mut self, code: &str) -> Result<Option<Outcome>, EngineError> {
        let order = self.order_to_work(code).await?;
        let Some(decision) = self.prepare_order(&order)? else { return Ok(None) };
        let ctx = self.ctx.as_ref().ok_or_else(|| EngineError::Config("engine not prepared".into()))?;
        let mut parts = Parts {
            store: &mut self.store,
            shoptet: &self.shoptet,
            raynet: &self.raynet,
            ctx,
            config: &self.config,
        };
        let (plan, executed) = parts.plan_and_execute(&order, decision).await?;
        self.took_plan(&order, plan, executed)
    }

    /// Notes the order as read and decides; when it needs no work, settles it here (`None`).
    pub(super) fn prepare_order(&mut self, order: &Order) -> Result<Option<Decision>, EngineError> {
        self.store.record_order_seen(&self.seen_of(order))?;
        let decision = self.decision_for(order, false)?;
        if decision.needs_work() {
            return Ok(Some(decision));
        }
        match decision {
            Decision::Unchanged => {
                let row = self.store.order(&order.code)?;
                if let Some(bc) = row.and_then(|r| r.business_case_id) {
                    self.store.mark_synced(&order.code, bc, &mapping::content_hash(order))?;
                }
            }
            _ => {
                self.store.set_pending(&order.code)?;
            }
        }
        Ok(None)
    }

    /// Keeps what a plan's execution did in the order's detail; its outcome.
    pub(super) fn took_plan(
        &mut self,
        order: &Order,
        plan: OrderPlan,
        executed: Executed,
    ) -> Result<Option<Outcome>, EngineError> {
        if !executed.done.is_empty() {
            let worked = DetailPlan::Worked { writes: plan.writes(), done: executed.done };
            self.save_detail(order, Some(worked))?;
        }
        executed.result
    }

    /// The planner over this engine's store (read-only), clients and context.
    pub(super) fn planner(&mut self) -> Result<Planner<'_>, EngineError> {
        let ctx = self.ctx.as_ref().ok_or_else(|| EngineError::Config("engine not prepared".into()))?;
        let store = Reads(&mut self.store);
        Ok(Planner { store, shoptet: &self.shoptet, raynet: &self.raynet, ctx, config: &self.config })
    }
}
