//! Polling: reading the change feed, deciding which orders are news, recording what was seen.

use chrono::{DateTime, FixedOffset, Utc};

use crate::http::ErrorKind;
use crate::mapping;
use crate::shoptet::models::Order;
use crate::store::{Activity, OrderSeen, OrderState, Priority};

use super::super::EngineError;
use super::super::api::EngineEvent;
use super::super::calls::recorded;
use super::super::decide::{Decision, SyncedState, decide};
use super::super::poll::changes_since;
use super::seen::{Read, order_seen};
use super::{Engine, PassReport};

impl Engine {
    pub(super) async fn poll(&mut self, report: &mut PassReport) -> Result<(), EngineError> {
        self.emit(EngineEvent::PollStarted);
        if let Some(name) = self.ctx.as_ref().map(|c| c.eshop_name.clone()) {
            self.store.set_eshop_name(&name)?;
        }
        let enabled_at = self.config.sync.enabled_at;
        let cursor = self.store.cursor()?.unwrap_or(enabled_at);
        let from = cursor - chrono::Duration::seconds(self.config.sync.overlap_secs as i64);
        let now = self.now().with_timezone(cursor.offset());
        let changes = changes_since(&self.shoptet, from, now).await;
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
                        return Err(e.into());
                    }
                    Err(e) => {
                        // Record it and queue it (one transaction), so the retry queue fetches it
                        // again and the cursor may move on.
                        let seen =
                            order_seen(Read::Unread { code: &change.code, change_time: change.change_time });
                        self.store.record_seen_and_enqueue(&seen, Some((Priority::Normal, self.now())))?;
                        self.store.record_calls(&change.code, &calls)?;
                        self.fail(&change.code, EngineError::from(e), report)?;
                    }
                }
            } else if change.deleted && known.is_some() {
                self.store.audit(Some(&change.code), &Activity::DeletedInShoptet)?;
            }
            // A change without a time (`null` in the feed) cannot move the cursor.
            if let Some(t) = change.change_time
                && t > self.store.cursor()?.unwrap_or(enabled_at)
            {
                self.store.set_cursor(t)?;
            }
        }
        report.queued += queued;
        let now = self.now();
        self.store.set_last_poll(now)?;
        self.status.send_modify(|s| s.last_poll = Some(now));
        self.emit(EngineEvent::PollFinished { seen: report.seen, queued });
        Ok(())
    }

    /// Whether a change from the feed is news: the poll and the dry run read the same orders.
    pub(super) fn needs_fetch(
        &self,
        known: Option<&crate::store::OrderRow>,
        change: &super::super::poll::Change,
    ) -> bool {
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
        orphan || same_second || !is_up_to_date(row.change_time, change.change_time, self.now())
    }

    pub(super) fn seen_of(&self, order: &Order) -> OrderSeen {
        order_seen(Read::Detail(order, self.ctx.as_ref()))
    }

    pub(super) fn decision_for(&self, order: &Order, backfill: bool) -> Result<Decision, EngineError> {
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
        let backfill = backfill || self.store.is_backfill(&order.code)?;
        let synced = SyncedState {
            business_case_id: bc,
            synced_hash: row.as_ref().and_then(|r| r.synced_hash.as_deref()),
        };
        Ok(decide(order, &hash, synced, &self.config.sync, backfill))
    }

    /// Records an order read from Shoptet and queues it when it needs work, in one store
    /// transaction (a crash in between must not leave it recorded but unqueued). True when queued.
    pub(super) fn observe(&mut self, order: Order, backfill: bool) -> Result<bool, EngineError> {
        let decision = self.decision_for(&order, backfill)?;
        if decision == Decision::OutOfScope {
            return Ok(false);
        }
        let row = self.store.order(&order.code)?;
        let waiting =
            row.as_ref().is_some_and(|r| matches!(r.state, OrderState::NeedsDecision | OrderState::Skipped));
        let job = (decision.needs_work() && !waiting)
            .then(|| (if backfill { Priority::Low } else { Priority::Normal }, self.now()));
        self.store.record_seen_and_enqueue(&self.seen_of(&order), job)?;
        self.save_detail(&order, None)?;
        if job.is_some() {
            self.fetched.insert(order.code.clone(), order);
        }
        Ok(job.is_some())
    }

    /// Keeps what the order detail view shows: the Shoptet data and the plan's preview (or,
    /// once worked, what was done), in the store's order detail record.
    pub(super) fn save_detail(
        &mut self,
        order: &Order,
        worked: Option<super::super::detail::DetailPlan>,
    ) -> Result<(), EngineError> {
        super::super::detail::save(&mut self.store, order, self.ctx.as_ref(), worked)?;
        Ok(())
    }
}

/// Whether the recorded change time already covers a change from the feed. Shoptet's times have
/// one-second resolution, so a change in the same second as the recorded one may be a second
/// change: recent equal times are fetched again (old ones were settled long ago).
fn is_up_to_date(
    recorded: Option<DateTime<FixedOffset>>,
    feed: Option<DateTime<FixedOffset>>,
    now: DateTime<Utc>,
) -> bool {
    // Without the feed's time the change may be news.
    let Some(feed) = feed else { return false };
    match recorded {
        Some(t) if t > feed => true,
        Some(t) if t == feed => now.signed_duration_since(feed) > chrono::Duration::seconds(120),
        _ => false,
    }
}
