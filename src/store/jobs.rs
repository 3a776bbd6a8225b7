//! The retry queue: one job per order that waits to be synced.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::orders::{change_state, state_of, to_u16, to_u32};
use super::{
    Activity, Failure, Job, OrderState, Priority, Reason, Result, Store, StoreError, audit, from_millis,
    millis, sql_int,
};

const JOB_COLUMNS: &str = "code, priority, attempts, next_attempt_at, last_error, last_status";

type RawJob = (String, i64, i64, i64, Option<String>, Option<i64>);

fn read(r: &Row<'_>) -> rusqlite::Result<RawJob> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}

fn check((code, priority, attempts, next, last_error, last_status): RawJob) -> Result<Job> {
    Ok(Job {
        code,
        priority: Priority::from_rank(priority)
            .ok_or_else(|| StoreError::Corrupt(format!("priority {priority}")))?,
        attempts: to_u32(attempts)?,
        next_attempt_at: from_millis(next)?,
        last_error: last_error.as_deref().map(Reason::from_stored),
        last_status: last_status.map(to_u16).transpose()?,
    })
}

/// Queues an order (state Queued) and records `entry` (when the state changed, or always when
/// `always_audit`). An existing job keeps its attempts and takes the earlier due time and the
/// higher priority; a dead job comes back to life at `due`.
pub(crate) fn enqueue_in(
    conn: &Connection,
    now: DateTime<Utc>,
    code: &str,
    priority: Priority,
    due: DateTime<Utc>,
    entry: &Activity,
    always_audit: bool,
) -> Result<()> {
    state_of(conn, code)?;
    conn.prepare_cached(
        "INSERT INTO jobs (code, priority, attempts, next_attempt_at, dead) \
         VALUES (?1, ?2, 0, ?3, 0) \
         ON CONFLICT (code) DO UPDATE SET \
         priority = MIN(priority, excluded.priority), \
         next_attempt_at = CASE WHEN dead THEN excluded.next_attempt_at \
                           ELSE MIN(next_attempt_at, excluded.next_attempt_at) END, \
         dead = 0",
    )?
    .execute(params![code, priority.rank(), millis(due)])?;
    change_state(conn, now, code, OrderState::Queued, entry, always_audit)?;
    Ok(())
}

/// Makes an order's job due now (creating it when absent, attempts kept); state Queued.
fn retry_now_in(conn: &Connection, now: DateTime<Utc>, code: &str) -> Result<()> {
    state_of(conn, code)?;
    conn.prepare_cached(
        "INSERT INTO jobs (code, priority, attempts, next_attempt_at, dead) \
         VALUES (?1, ?2, 0, ?3, 0) \
         ON CONFLICT (code) DO UPDATE SET next_attempt_at = excluded.next_attempt_at, dead = 0",
    )?
    .execute(params![code, Priority::Normal.rank(), millis(now)])?;
    change_state(conn, now, code, OrderState::Queued, &Activity::RetryRequested, true)?;
    Ok(())
}

impl Store {
    /// Queues an order for syncing (state Queued). An existing job keeps its attempts, takes
    /// the earlier due time and the higher priority.
    pub fn enqueue(&mut self, code: &str, priority: Priority, due: DateTime<Utc>) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        enqueue_in(&tx, now, code, priority, due, &Activity::Queued { priority, due }, false)?;
        tx.commit()?;
        Ok(())
    }

    /// Records what was seen of an order and, when it needs work, queues it — in ONE
    /// transaction, so a crash can never leave a recorded order without its job.
    pub fn record_seen_and_enqueue(
        &mut self,
        seen: &crate::store::OrderSeen,
        job: Option<(Priority, DateTime<Utc>)>,
    ) -> Result<bool> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let is_new = super::orders::record_seen(&tx, now, seen)?;
        if let Some((priority, due)) = job {
            let entry = Activity::Queued { priority, due };
            enqueue_in(&tx, now, &seen.code, priority, due, &entry, false)?;
        }
        tx.commit()?;
        Ok(is_new)
    }

    pub fn job(&self, code: &str) -> Result<Option<Job>> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE code = ?1");
        self.conn.prepare_cached(&sql)?.query_row(params![code], read).optional()?.map(check).transpose()
    }

    /// Jobs due at `now`: Normal before Low, then the longest-waiting first. Dead jobs never.
    pub fn due_jobs(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Job>> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE dead = 0 AND next_attempt_at <= ?1 \
             ORDER BY priority, next_attempt_at, code LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let raw = stmt
            .query_map(params![millis(now), sql_int(limit as u64)], read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raw.into_iter().map(check).collect()
    }

    /// When the earliest live job is due.
    /// How many jobs are due now (for progress), without loading them.
    pub fn count_due_jobs(&self, now: DateTime<Utc>) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM jobs WHERE dead = 0 AND next_attempt_at <= ?1")?
            .query_row(params![millis(now)], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    pub fn next_due_at(&self) -> Result<Option<DateTime<Utc>>> {
        let next: Option<i64> = self
            .conn
            .prepare_cached("SELECT MIN(next_attempt_at) FROM jobs WHERE dead = 0")?
            .query_row([], |r| r.get(0))?;
        next.map(from_millis).transpose()
    }

    /// Counts a failed attempt (returns the new count). With a next attempt the order becomes
    /// Failed and waits; without one it becomes Dead until a person retries it.
    pub fn record_failure(&mut self, code: &str, f: &Failure) -> Result<u32> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        state_of(&tx, code)?;
        let next = f.next_attempt_at.unwrap_or(now);
        let dead = f.next_attempt_at.is_none();
        let attempts: i64 = tx
            .prepare_cached(
                "INSERT INTO jobs (code, priority, attempts, next_attempt_at, last_error, \
                 last_status, dead) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (code) DO UPDATE SET attempts = attempts + 1, \
                 next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error, \
                 last_status = excluded.last_status, dead = excluded.dead \
                 RETURNING attempts",
            )?
            .query_row(
                params![code, Priority::Normal.rank(), millis(next), f.reason.to_stored(), f.status, dead],
                |r| r.get(0),
            )?;
        let attempts = to_u32(attempts)?;
        let reason = f.reason.clone();
        let (state, entry) = match f.next_attempt_at {
            Some(next_attempt_at) => {
                (OrderState::Failed, Activity::Failed { attempt: attempts, reason, next_attempt_at })
            }
            None => (OrderState::Dead, Activity::Dead { attempt: attempts, reason }),
        };
        change_state(&tx, now, code, state, &entry, true)?;
        tx.commit()?;
        Ok(attempts)
    }

    /// Makes the order's job due now (creating one when absent, attempts kept); state Queued.
    pub fn retry_now(&mut self, code: &str) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        retry_now_in(&tx, now, code)?;
        tx.commit()?;
        Ok(())
    }

    /// `retry_now` for every Failed and Dead order; returns how many.
    pub fn retry_all(&mut self) -> Result<u64> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let codes = tx
            .prepare_cached("SELECT code FROM orders WHERE state IN (?1, ?2) ORDER BY code")?
            .query_map(params![OrderState::Failed.as_str(), OrderState::Dead.as_str()], |r| {
                r.get::<_, String>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for code in &codes {
            retry_now_in(&tx, now, code)?;
        }
        tx.commit()?;
        Ok(codes.len() as u64)
    }

    /// Starts the order's retry count again from zero (e.g. for a re-sync).
    pub fn reset_attempts(&mut self, code: &str) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        state_of(&tx, code)?;
        let changed = tx
            .prepare_cached("UPDATE jobs SET attempts = 0 WHERE code = ?1 AND attempts <> 0")?
            .execute(params![code])?;
        if changed > 0 {
            audit::insert(&tx, now, Some(code), &Activity::AttemptsReset, None)?;
        }
        tx.commit()?;
        Ok(())
    }
}
