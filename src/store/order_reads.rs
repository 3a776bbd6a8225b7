//! Read bookkeeping: when each order's detail was last read from Shoptet and the change time it
//! returned (what the poll compares the changes feed with, so an unchanged order is not read
//! again), and the feed backlog — changes whose order still has to be read, kept here so the
//! poll reads them in bounded batches whatever the backlog's size.

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, from_millis, millis, opt_from_millis, parse_fixed};

/// The last read of an order's detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderRead {
    /// The `changeTime` the read returned (`None` when it had none).
    pub change_time: Option<DateTime<Utc>>,
    /// When it was read (the store's clock).
    pub read_at: DateTime<Utc>,
}

/// A change from the feed whose order still has to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BacklogEntry {
    pub code: String,
    /// As the feed gave it (`None`: the feed sent `null`).
    pub change_time: Option<DateTime<FixedOffset>>,
}

impl Store {
    /// Notes that the detail of `code`, changed at `change_time`, was read just now.
    pub fn record_read(&mut self, code: &str, change_time: Option<DateTime<Utc>>) -> Result<()> {
        let now = self.now();
        self.conn
            .prepare_cached(
                "INSERT INTO order_reads (code, change_ts, read_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (code) DO UPDATE SET change_ts = excluded.change_ts, read_at = excluded.read_at",
            )?
            .execute(params![code, change_time.map(millis), millis(now)])?;
        Ok(())
    }

    /// The last read of `code`, if it was ever read (by this version).
    pub fn order_read(&self, code: &str) -> Result<Option<OrderRead>> {
        let row = self
            .conn
            .prepare_cached("SELECT change_ts, read_at FROM order_reads WHERE code = ?1")?
            .query_row(params![code], |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, i64>(1)?)))
            .optional()?;
        row.map(|(change, at)| {
            Ok(OrderRead { change_time: opt_from_millis(change)?, read_at: from_millis(at)? })
        })
        .transpose()
    }
}

impl Store {
    /// Adds changes to the backlog in one transaction; an order already there takes the newer
    /// entry's change time.
    pub fn backlog_add(&mut self, entries: &[BacklogEntry]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO feed_backlog (code, change_time, change_ts) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (code) DO UPDATE SET change_time = excluded.change_time, \
                 change_ts = excluded.change_ts",
            )?;
            for e in entries {
                let ts = e.change_time.map(|t| t.timestamp_millis());
                stmt.execute(params![e.code, e.change_time.map(|t| t.to_rfc3339()), ts])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Up to `limit` backlog entries, oldest change first (those without a time before all).
    pub fn backlog_next(&self, limit: usize) -> Result<Vec<BacklogEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, change_time FROM feed_backlog ORDER BY change_ts, code LIMIT ?1")?;
        let rows = stmt
            .query_map(params![super::sql_int(limit as u64)], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(code, t)| {
                Ok(BacklogEntry { code, change_time: t.as_deref().map(parse_fixed).transpose()? })
            })
            .collect()
    }

    /// Takes a handled change off the backlog.
    pub fn backlog_remove(&mut self, code: &str) -> Result<()> {
        self.conn.prepare_cached("DELETE FROM feed_backlog WHERE code = ?1")?.execute(params![code])?;
        Ok(())
    }

    pub fn backlog_len(&self) -> Result<u64> {
        let n: i64 =
            self.conn.prepare_cached("SELECT count(*) FROM feed_backlog")?.query_row([], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_is_remembered_with_its_change_time_and_replaced_by_the_next() {
        let mut store = Store::open_in_memory().unwrap();
        let t0 = DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z").unwrap().to_utc();
        let clock = std::sync::Arc::new(std::sync::Mutex::new(t0));
        let c = clock.clone();
        store.set_clock(Box::new(move || *c.lock().unwrap()));
        assert_eq!(store.order_read("A").unwrap(), None);
        let changed = t0 - chrono::Duration::minutes(3);
        store.record_read("A", Some(changed)).unwrap();
        assert_eq!(
            store.order_read("A").unwrap(),
            Some(OrderRead { change_time: Some(changed), read_at: t0 })
        );
        *clock.lock().unwrap() = t0 + chrono::Duration::seconds(30);
        store.record_read("A", None).unwrap();
        let read = store.order_read("A").unwrap().unwrap();
        assert_eq!((read.change_time, read.read_at), (None, t0 + chrono::Duration::seconds(30)));
        assert_eq!(store.order_read("B").unwrap(), None, "other orders are not touched");
    }

    #[test]
    fn the_backlog_keeps_one_entry_per_order_and_gives_the_oldest_change_first() {
        let mut store = Store::open_in_memory().unwrap();
        let at = |s: &str| Some(DateTime::parse_from_rfc3339(s).unwrap());
        let entry = |code: &str, t| BacklogEntry { code: code.into(), change_time: t };
        store
            .backlog_add(&[
                entry("B", at("2026-03-01T10:00:05+01:00")),
                entry("A", at("2026-03-01T10:00:09+01:00")),
                entry("C", None),
            ])
            .unwrap();
        // A later poll sees A changed again, earlier than B in UTC (another offset).
        store.backlog_add(&[entry("A", at("2026-03-01T08:59:00+00:00"))]).unwrap();
        assert_eq!(store.backlog_len().unwrap(), 3);
        let next = store.backlog_next(10).unwrap();
        let codes: Vec<&str> = next.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["C", "A", "B"], "no time first, then by the instant of the change");
        assert_eq!(next[1].change_time, at("2026-03-01T08:59:00+00:00"), "offset kept as the feed gave it");
        assert_eq!(store.backlog_next(1).unwrap().len(), 1);
        store.backlog_remove("A").unwrap();
        store.backlog_remove("missing").unwrap();
        assert_eq!(store.backlog_len().unwrap(), 2);
    }
}
