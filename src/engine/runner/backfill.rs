//! Backfill: queueing older, unchanged final orders at low priority, with an estimate of their
//! work against RAYNET's daily budget. Backfill orders are worked only when no new order waits,
//! and only while the day's budget keeps `sync.backfill_reserve` requests for new orders
//! (`long_work.rs`); the rest waits for the budget's reset.

use chrono::{DateTime, FixedOffset};

use crate::engine::estimate::{self, Estimate, Tally, WorkKind};
use crate::mapping;
use crate::shoptet::client::OrderFilter;
use crate::store::{Activity, Priority};

use super::long_work::LongWork;
use super::seen::{Read, order_seen};

use super::super::EngineError;
use super::Engine;

/// What a backfill found: the orders it queued (or, in a dry run, would queue) and their work.
#[derive(Debug, Clone)]
pub struct BackfillReport {
    pub orders: u64,
    pub estimate: Estimate,
    pub dry_run: bool,
}

impl Engine {
    /// Queues older, unchanged final orders created since `from`, at low priority.
    pub async fn backfill(&mut self, from: DateTime<FixedOffset>) -> Result<u64, EngineError> {
        Ok(self.backfill_with(from, false).await?.orders)
    }

    /// Lists the final orders created since `from` that have no business case yet, estimates
    /// their work and, unless `dry_run`, queues them at low priority (the estimate then shows
    /// on the status while they are worked).
    pub async fn backfill_with(
        &mut self,
        from: DateTime<FixedOffset>,
        dry_run: bool,
    ) -> Result<BackfillReport, EngineError> {
        self.prepare().await?;
        let eshop = self.ctx.as_ref().map(|c| c.eshop_id).unwrap_or_default();
        let filter = OrderFilter { creation_time_from: Some(from), ..Default::default() };
        let mut page = 1;
        let mut tally = Tally::default();
        let mut orders = 0;
        loop {
            let (rows, pager) = self.shoptet.orders_page(&filter, page).await?;
            for o in rows {
                let final_status =
                    o.status.as_ref().is_some_and(|s| self.config.sync.final_status_ids.contains(&s.id));
                let known = self.store.order(&o.code)?;
                if !final_status || known.as_ref().is_some_and(|r| r.business_case_id.is_some()) {
                    continue;
                }
                // A listed order has no lines: its products are guessed from the record.
                let key = mapping::customer_ext_id_of(eshop, o.customer_guid.as_deref(), o.email.as_deref());
                tally.add(self.client_facts(key)?);
                orders += 1;
                if !dry_run {
                    let seen = order_seen(Read::Listed(&o));
                    self.store.mark_backfill(&o.code)?;
                    self.store.record_seen_and_enqueue(&seen, Some((Priority::Low, self.now())))?;
                }
            }
            if u64::from(page) >= pager.page_count {
                break;
            }
            page += 1;
        }
        let work = tally.workload(self.products_per_new_client()?, self.first_create_checks()?);
        let estimate = estimate::estimate(WorkKind::Backfill, &work, &self.limits()?, self.now());
        if !dry_run {
            let entry = Activity::Backfill {
                queued: orders,
                from: from.to_utc(),
                requests: Some(estimate.raynet_requests),
            };
            self.store.audit(None, &entry)?;
            if orders > 0 {
                let due = self.store.count_due_jobs(self.now())?;
                self.long_work = Some(LongWork::new(estimate.clone(), due.max(orders)));
                self.publish_progress();
            }
        }
        Ok(BackfillReport { orders, estimate, dry_run })
    }
}
