//! The worker: takes due jobs, decides, and carries out the sync of one order.

use crate::mapping;
use crate::store::Priority;

use super::super::EngineError;
use super::super::api::EngineEvent;
use super::super::decide::Decision;
use super::super::execute::{Outcome, Work};
use super::{Engine, OrderOutcome, PassReport};

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

    /// Fetches the order again (unless the poll just did), decides, and syncs.
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
        let mut work = self.work()?;
        let result = work.sync_order(&order, decision).await;
        let notes = std::mem::take(&mut work.notes);
        if !notes.is_empty() {
            self.save_detail(&order, Some(notes))?;
        }
        result.map(Some)
    }

    /// One unit of work over this engine's store and clients.
    pub(super) fn work(&mut self) -> Result<Work<'_>, EngineError> {
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
}
