//! Polling: reading the change feed into the store's backlog, reading the orders that are news
//! in bounded batches, recording what was seen.

use chrono::{DateTime, FixedOffset, Utc};

use crate::http::ErrorKind;
use crate::mapping;
use crate::shoptet::models::Order;
use crate::store::{Activity, BacklogEntry, OrderRead, OrderSeen, OrderState, Priority};

use super::super::EngineError;
use super::super::api::EngineEvent;
use super::super::calls::recorded;
use super::super::decide::{Decision, SyncedState, decide};
use super::super::poll::{Change, FeedPages};
use super::seen::{Read, order_seen};
use super::{Engine, FETCH_WINDOW, PassReport};

/// Shoptet's change times have one-second resolution: a read counts as after a change only
/// from the next second on, plus this allowance for the two clocks disagreeing.
const CLOCK_ALLOWANCE: chrono::Duration = chrono::Duration::seconds(1);

impl Engine {
    /// Reads the feed into the backlog when it is due, then reads the orders of the backlog
    /// until [`FETCH_WINDOW`] of them wait for the worker. True when the backlog holds more (the
    /// engine polls again as soon as the worker has made room).
    pub(super) async fn poll(&mut self, report: &mut PassReport) -> Result<bool, EngineError> {
        self.emit(EngineEvent::PollStarted);
        self.refresh_settings_if_due().await?;
        if let Some(name) = self.ctx.as_ref().map(|c| c.eshop_name.clone()) {
            self.store.set_eshop_name(&name)?;
        }
        if self.feed_due()? {
            self.read_feed().await?;
        }
        let (queued, more) = self.read_backlog(report).await?;
        report.queued += queued;
        if more {
            self.poll_requested = true;
        }
        let now = self.now();
        self.store.set_last_poll(now)?;
        self.status.send_modify(|s| s.last_poll = Some(now));
        self.emit(EngineEvent::PollFinished { seen: report.seen, queued });
        Ok(more)
    }

    /// The feed is read when the backlog is empty, or a poll interval after the last read
    /// (while a long backlog is worked, the orders changed since join it).
    fn feed_due(&self) -> Result<bool, EngineError> {
        let interval = chrono::Duration::seconds(self.config.sync.poll_interval_secs as i64);
        let stale = self.feed_read_at.is_none_or(|at| self.now() - at >= interval);
        Ok(stale || self.store.backlog_len()? == 0)
    }

    /// Every change since the cursor (minus the overlap) that needs its order read goes to the
    /// backlog, a page at a time. The cursor then moves to the latest change seen: everything
    /// up to it is handled or in the backlog (in the store, so a crash loses nothing).
    async fn read_feed(&mut self) -> Result<(), EngineError> {
        let enabled_at = self.config.sync.enabled_at;
        let cursor = self.store.cursor()?.unwrap_or(enabled_at);
        let from = cursor - chrono::Duration::seconds(self.config.sync.overlap_secs as i64);
        let now = self.now().with_timezone(cursor.offset());
        let mut pages = FeedPages::new(from, now);
        let mut latest: Option<DateTime<FixedOffset>> = None;
        while let Some(page) = pages.next(&self.shoptet).await? {
            let mut news = Vec::new();
            for change in page {
                let known = self.store.order(&change.code)?;
                if self.needs_fetch(known.as_ref(), &change) {
                    news.push(BacklogEntry { code: change.code.clone(), change_time: change.change_time });
                } else if change.deleted && known.is_some() {
                    self.store.audit(Some(&change.code), &Activity::DeletedInShoptet)?;
                }
                // A change without a time (`null` in the feed) cannot move the cursor.
                latest = latest.max(change.change_time);
            }
            self.store.backlog_add(&news)?;
        }
        if let Some(t) = latest.filter(|t| *t > cursor) {
            self.store.set_cursor(t)?;
        }
        self.feed_read_at = Some(self.now());
        Ok(())
    }

    /// Reads the backlog's orders, oldest change first, until the window of orders read for the
    /// worker is full. Returns (orders queued, whether the backlog holds more).
    async fn read_backlog(&mut self, report: &mut PassReport) -> Result<(u64, bool), EngineError> {
        self.forget_unqueued();
        let mut queued = 0;
        loop {
            let room = FETCH_WINDOW.saturating_sub(self.fetched.len());
            if room == 0 {
                return Ok((queued, self.store.backlog_len()? > 0));
            }
            let batch = self.store.backlog_next(room)?;
            if batch.is_empty() {
                return Ok((queued, false));
            }
            for entry in batch {
                let change = Change { code: entry.code, change_time: entry.change_time, deleted: false };
                // Read meanwhile (by the worker, or a second poll of the same change)?
                let known = self.store.order(&change.code)?;
                if self.needs_fetch(known.as_ref(), &change) && self.read_change(&change, report).await? {
                    queued += 1;
                }
                self.store.backlog_remove(&change.code)?;
            }
        }
    }

    /// Reads one changed order and records it. True when it was queued. Rejected credentials and
    /// a rate limit stop the poll (the change stays in the backlog); any other failure records the
    /// order as failed, to be read again by the retry queue.
    async fn read_change(&mut self, change: &Change, report: &mut PassReport) -> Result<bool, EngineError> {
        let (fetched, calls) = recorded(self.shoptet.order(&change.code)).await;
        self.took_change(change, fetched, calls, report)
    }

    /// Records what a read of a changed order brought (see [`Engine::read_change`]).
    pub(super) fn took_change(
        &mut self,
        change: &Change,
        fetched: Result<Order, crate::http::ApiError>,
        calls: Vec<crate::http::CallRecord>,
        report: &mut PassReport,
    ) -> Result<bool, EngineError> {
        report.seen += 1;
        match fetched {
            Ok(order) => {
                // The read shows at least the change the feed reported.
                let shown = order.change_time.max(change.change_time).map(|t| t.to_utc());
                let queued = self.observe(order, false)?;
                self.store.record_read(&change.code, shown)?;
                if self.store.order(&change.code)?.is_some() {
                    self.store.record_calls(&change.code, &calls)?;
                }
                Ok(queued)
            }
            Err(e) if matches!(e.kind, ErrorKind::Auth | ErrorKind::RateLimited) => Err(e.into()),
            Err(e) => {
                // Record it and queue it (one transaction), so the retry queue fetches it again.
                let seen = order_seen(Read::Unread { code: &change.code, change_time: change.change_time });
                self.store.record_seen_and_enqueue(&seen, Some((Priority::Normal, self.now())))?;
                self.store.record_calls(&change.code, &calls)?;
                self.fail(&change.code, EngineError::from(e), report)?;
                Ok(false)
            }
        }
    }

    /// The order a job works on: as the poll read it, or read now (a retry, a re-sync, an order
    /// past the window) — and that read noted.
    pub(super) async fn order_to_work(&mut self, code: &str) -> Result<Order, EngineError> {
        if let Some(order) = self.fetched.remove(code) {
            return Ok(order);
        }
        let order = self.shoptet.order(code).await?;
        self.store.record_read(code, order.change_time.map(|t| t.to_utc()))?;
        Ok(order)
    }

    /// The changes an earlier poll took from the feed and has not read yet (the dry run plans
    /// them too).
    pub(super) fn waiting_changes(&self) -> Result<Vec<Change>, EngineError> {
        let waiting = self.store.backlog_next(usize::MAX)?;
        Ok(waiting
            .into_iter()
            .map(|e| Change { code: e.code, change_time: e.change_time, deleted: false })
            .collect())
    }

    /// Drops orders read for a job that is gone (skipped, resolved), so they hold no room.
    fn forget_unqueued(&mut self) {
        let store = &self.store;
        self.fetched.retain(|code, _| store.job(code).ok().flatten().is_some());
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
        // A final order left pending without a job (e.g. by an older version that crashed
        // between the two writes) is never up to date.
        if known.is_some_and(|row| {
            row.state == OrderState::Pending
                && row.status_id.is_some_and(|s| self.config.sync.final_status_ids.contains(&s))
        }) {
            return true;
        }
        // An unreadable read record counts as none.
        match (self.store.order_read(&change.code).ok().flatten(), known) {
            (Some(read), _) => !read_covers(&read, change.change_time),
            (None, None) => true,
            // Read by a version that kept no read record.
            (None, Some(row)) => {
                let pending = row.state == OrderState::Pending;
                let same_second =
                    pending && change.change_time.is_some() && row.change_time == change.change_time;
                same_second || !is_up_to_date(row.change_time, change.change_time, self.now())
            }
        }
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

/// Whether the last read of an order already shows a change the feed reports. An equal change
/// time counts only when the read came after that second had passed: a second change within
/// the same second may have come after the read.
fn read_covers(read: &OrderRead, feed: Option<DateTime<FixedOffset>>) -> bool {
    // Without the feed's time the change may be news.
    let (Some(feed), Some(shown)) = (feed.map(|t| t.to_utc()), read.change_time) else { return false };
    shown > feed || (shown == feed && read.read_at >= feed + chrono::Duration::seconds(1) + CLOCK_ALLOWANCE)
}

/// The rule for orders read before reads were recorded: an equal recorded change time covers
/// the feed's once it is more than 120 s old (old ones were settled long ago).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn a_read_covers_older_changes_and_an_equal_one_only_when_made_after_its_second() {
        let changed = at("2026-03-01T10:00:00+01:00");
        let read = |shown: &str, read_at: &str| OrderRead {
            change_time: Some(at(shown).to_utc()),
            read_at: at(read_at).to_utc(),
        };
        // The feed reports a change newer than what was read: news.
        assert!(!read_covers(&read("2026-03-01T09:59:59+01:00", "2026-03-01T10:05:00+01:00"), Some(changed)));
        // What was read is newer than the feed's change.
        assert!(read_covers(&read("2026-03-01T10:00:01+01:00", "2026-03-01T10:00:01+01:00"), Some(changed)));
        // Equal: read two seconds on, the second had passed; in the same second it had not.
        assert!(read_covers(&read("2026-03-01T10:00:00+01:00", "2026-03-01T10:00:02+01:00"), Some(changed)));
        assert!(!read_covers(
            &read("2026-03-01T10:00:00+01:00", "2026-03-01T10:00:00.400+01:00"),
            Some(changed)
        ));
        // The same instant in another offset is the same change.
        assert!(read_covers(&read("2026-03-01T09:00:00+00:00", "2026-03-01T09:10:00+00:00"), Some(changed)));
        // No time in the feed, or none in the read: read again.
        assert!(!read_covers(&read("2026-03-01T10:00:00+01:00", "2026-03-01T11:00:00+01:00"), None));
        let blind = OrderRead { change_time: None, read_at: at("2026-03-01T11:00:00+01:00").to_utc() };
        assert!(!read_covers(&blind, Some(changed)));
    }
}
