//! The worker: takes due jobs, decides, plans and carries out the sync of one order.

use crate::mapping;
use crate::shoptet::models::Order;
use crate::store::Priority;

use super::super::EngineError;
use super::super::api::EngineEvent;
use super::super::decide::Decision;
use super::super::detail::DetailPlan;
use super::super::execute::{Executed, Executor, Outcome};
use super::super::plan::{OrderPlan, Planner, Reads, Report};
use super::{Engine, OrderOutcome, PassReport};

/// The e-shop id of the engine's context.
fn plan_eshop(engine: &Engine) -> Result<i64, EngineError> {
    engine.ctx.as_ref().map(|c| c.eshop_id).ok_or_else(|| EngineError::Config("engine not prepared".into()))
}

impl Engine {
    /// Works due jobs until none is due (or a fatal error / rate limit / shutdown stops it).
    pub(super) async fn work_due(&mut self, report: &mut PassReport, drain: bool) -> Result<(), EngineError> {
        let total = self.store.count_due_jobs(self.now())?;
        self.begin_long_work(total, report)?;
        let mut done = 0u64;
        loop {
            self.handle_pending_commands().await;
            if self.shutdown || self.paused || self.auth_problem.is_some() || self.config_problem.is_some() {
                return Ok(());
            }
            if let Some((_, until)) = self.blocked_until {
                if until > self.now() {
                    return Ok(());
                }
                self.blocked_until = None;
            }
            let Some(job) = self.store.due_jobs(self.now(), 1)?.into_iter().next() else {
                self.end_long_work();
                return Ok(());
            };
            // Due jobs come Normal first: a backfill order is worked only when no new one waits.
            if job.priority == Priority::Low && self.hold_backfill(&job.code, report)? {
                return Ok(());
            }
            let started = std::time::Instant::now();
            self.work_one(&job.code, report).await?;
            self.count_progress(started.elapsed());
            done += 1;
            if !drain && done >= 50 {
                return Ok(());
            }
        }
    }

    pub(super) async fn work_one(&mut self, code: &str, report: &mut PassReport) -> Result<(), EngineError> {
        self.status.send_modify(|s| s.current_order = Some(code.to_string()));
        // The calls this order's work made, and only those (a recording scope, not a buffer).
        let (result, calls) = self.try_order_recorded(code).await;
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
                    self.store.set_pending(code)?;
                }
            }
            return Ok(None);
        }
        let (plan, executed) = self.plan_and_execute(&order, decision).await?;
        if !executed.done.is_empty() {
            let worked = DetailPlan::Worked { writes: plan.writes(), done: executed.done };
            self.save_detail(&order, Some(worked))?;
        }
        executed.result
    }

    /// Plans the order and carries the plan out. When RAYNET refuses the case because the
    /// client the store remembered is gone (merged or deleted since it was last read), the
    /// client is forgotten and the order planned and carried out again — once.
    async fn plan_and_execute(
        &mut self,
        order: &Order,
        decision: Decision,
    ) -> Result<(OrderPlan, Executed), EngineError> {
        let plan = self.planner()?.plan(order, decision).await?;
        let executed = self.executor(&order.code).run(&plan).await;
        let Some(gone) = executed.client_gone(&plan) else { return Ok((plan, executed)) };
        tracing::warn!(order = %order.code, client = gone, "RAYNET refused the case: its client is gone; looking it up again");
        let key = mapping::matching::customer_key(plan_eshop(self)?, order);
        self.executor(&order.code).forget_client(&key, gone)?;
        let plan = self.planner()?.plan(order, decision).await?;
        let again = self.executor(&order.code).run(&plan).await;
        let mut done = vec![Report::ClientGone { raynet_id: gone }];
        done.extend(again.done);
        Ok((plan, Executed { done, ..again }))
    }

    /// The planner over this engine's store (read-only), clients and context.
    pub(super) fn planner(&mut self) -> Result<Planner<'_>, EngineError> {
        let ctx = self.ctx.as_ref().ok_or_else(|| EngineError::Config("engine not prepared".into()))?;
        let store = Reads(&mut self.store);
        Ok(Planner { store, shoptet: &self.shoptet, raynet: &self.raynet, ctx, config: &self.config })
    }

    /// The executor of one order's plans over this engine's store and RAYNET.
    fn executor<'a>(&'a mut self, code: &'a str) -> Executor<'a> {
        Executor { store: &mut self.store, raynet: &self.raynet, code }
    }
}
