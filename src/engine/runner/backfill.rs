//! Backfill: queueing older, unchanged final orders at low priority.

use chrono::{DateTime, FixedOffset};

use crate::shoptet::client::OrderFilter;
use crate::store::{Activity, Priority};

use super::seen::{Read, order_seen};

use super::super::EngineError;
use super::Engine;

impl Engine {
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
                let seen = order_seen(Read::Listed(&o));
                self.store.mark_backfill(&o.code)?;
                self.store.record_seen_and_enqueue(&seen, Some((Priority::Low, self.now())))?;
                queued += 1;
            }
            if u64::from(page) >= pager.page_count {
                break;
            }
            page += 1;
        }
        self.store.audit(None, &Activity::Backfill { queued, from: from.to_utc() })?;
        Ok(queued)
    }
}
