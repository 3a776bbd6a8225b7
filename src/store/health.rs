//! What the health check and the metrics read (the queue at a glance) and the alert episodes
//! they keep open (schema v4).

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Result, Store, from_millis, millis, opt_from_millis};

/// The retry queue at a glance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueStats {
    /// Jobs waiting (not dead), due or not.
    pub depth: u64,
    /// Of those, the ones due now.
    pub due: u64,
    /// When the longest-waiting due job became due.
    pub oldest_due: Option<DateTime<Utc>>,
}

/// An alert episode that started and has not ended yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeRecord {
    pub kind: String,
    pub started_at: DateTime<Utc>,
    pub text: String,
}

impl Store {
    /// The queue at `now`, in one read.
    pub fn queue_stats(&self, now: DateTime<Utc>) -> Result<QueueStats> {
        let (depth, due, oldest): (i64, Option<i64>, Option<i64>) = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*), SUM(next_attempt_at <= ?1), \
                 MIN(CASE WHEN next_attempt_at <= ?1 THEN next_attempt_at END) \
                 FROM jobs WHERE dead = 0",
            )?
            .query_row(params![millis(now)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(QueueStats {
            depth: depth.max(0) as u64,
            due: due.unwrap_or(0).max(0) as u64,
            oldest_due: opt_from_millis(oldest)?,
        })
    }

    /// The episodes open now, oldest first.
    pub fn open_episodes(&self) -> Result<Vec<EpisodeRecord>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, started_at, text FROM alert_episodes ORDER BY started_at, kind")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(kind, at, text)| Ok(EpisodeRecord { kind, started_at: from_millis(at)?, text }))
            .collect()
    }

    /// Remembers that an episode started (an open one of the same kind is kept as it is).
    pub fn open_episode(&mut self, e: &EpisodeRecord) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO alert_episodes (kind, started_at, text) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![e.kind, millis(e.started_at), e.text])?;
        Ok(())
    }

    /// Forgets an episode that ended.
    pub fn close_episode(&mut self, kind: &str) -> Result<()> {
        self.conn.prepare_cached("DELETE FROM alert_episodes WHERE kind = ?1")?.execute(params![kind])?;
        Ok(())
    }
}
