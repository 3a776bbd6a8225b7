//! Dry run and the plan of one order: what a pass would do, without writing anything — the
//! same planner the real sync carries out.

use super::super::EngineError;
use super::super::decide::Decision;
use super::super::plan::OrderPlan;
use super::super::poll::changes_since;
use super::Engine;

impl Engine {
    /// The plans of everything a pass would do, without writing anything anywhere.
    pub async fn dry_run(&mut self) -> Result<Vec<OrderPlan>, EngineError> {
        self.prepare_read_only().await?;
        let enabled_at = self.config.sync.enabled_at;
        let cursor = self.store.cursor()?.unwrap_or(enabled_at);
        let from = cursor - chrono::Duration::seconds(self.config.sync.overlap_secs as i64);
        let now = self.now().with_timezone(cursor.offset());
        let mut codes: Vec<String> = Vec::new();
        for c in changes_since(&self.shoptet, from, now).await?.into_iter().chain(self.waiting_changes()?) {
            let known = self.store.order(&c.code)?;
            if self.needs_fetch(known.as_ref(), &c) && !codes.contains(&c.code) {
                codes.push(c.code);
            }
        }
        for job in self.store.due_jobs(self.now(), 10_000)? {
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
            plans.push(self.planner()?.plan_or_problem(&order, decision).await);
        }
        Ok(plans)
    }

    /// The plan of one known order (for the order detail view); read-only.
    pub async fn plan_of(&mut self, code: &str) -> Result<OrderPlan, EngineError> {
        self.prepare().await?;
        let order = self.shoptet.order(code).await?;
        let decision = self.decision_for(&order, false)?;
        Ok(self.planner()?.plan_or_problem(&order, decision).await)
    }
}
