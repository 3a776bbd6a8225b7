//! The SQLite store: the source of truth for what was seen, planned, synced and retried.
//!
//! Every public write method runs in one transaction; every state change writes an audit row.

mod activity;
mod audit;
mod calls;
mod candidate;
mod commands;
mod config_issue;
mod decisions;
mod entities;
mod health;
mod jobs;
mod meta;
mod order_reads;
mod orders;
mod reads;
mod reason;
mod seen;
mod settings;
mod snapshot;
mod state;
mod types;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::{Connection, TransactionBehavior};

pub use activity::{Activity, StateChange};
pub use candidate::{Candidate, CandidateFacts};
pub use commands::{CommandStatus, ControlCommand};
pub use config_issue::ConfigIssue;
pub use health::{EpisodeRecord, QueueStats};
pub use order_reads::{BacklogEntry, OrderRead};
pub use reads::ClientRead;
pub use reason::{DataProblem, Reason};
pub use settings::CachedSettings;
pub use snapshot::{EngineProcess, EngineSnapshot, RecordedProgress, RecordedState, StateKind};
pub use state::{CreateExtIdMode, Intent, IntentKind, LoginBlock, OrderDetailRecord, RateLimitRecord};
pub use types::*;

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database was written by a newer version (schema {found}, this build knows {supported})")]
    TooNew { found: i64, supported: i64 },
    #[error("order {0} is not in the local store")]
    UnknownOrder(String),
    #[error("corrupt value in the database: {0}")]
    Corrupt(String),
}

/// Schema migrations; entry `i` brings `user_version` from `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("schema_v1.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
    include_str!("schema_v4.sql"),
    include_str!("schema_v5.sql"),
    include_str!("schema_v6.sql"),
    include_str!("schema_v7.sql"),
    include_str!("schema_v8.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The store's clock, shared with its siblings.
type Clock = Arc<Mutex<Box<dyn Fn() -> DateTime<Utc> + Send>>>;

pub struct Store {
    conn: Connection,
    clock: Clock,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.conn.path()).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating the file, not its parent directories) and migrates a store. A new file
    /// is created 0600 — it holds customers' names, e-mails, addresses and phone numbers — and
    /// SQLite gives its `-wal` / `-shm` files the same mode. An existing file keeps its mode.
    pub fn open(path: &Path) -> Result<Store> {
        if let Err(e) = crate::config::create_private_file(path) {
            // SQLite reports the same problem (missing directory, no permission) in its words.
            tracing::debug!(error = %e, path = %path.display(), "cannot pre-create the database file");
        }
        Store::init(Connection::open(path)?)
    }

    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // An in-memory database answers "memory"; that is fine.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate(&mut conn)?;
        Ok(Store { conn, clock: Arc::new(Mutex::new(Box::new(Utc::now))) })
    }

    /// A second connection to the same database file, sharing this store's clock (the engine
    /// gives each order in flight its own); `None` for an in-memory store. Its page cache is
    /// small (128 KiB): it serves one order at a time.
    pub fn sibling(&self) -> Result<Option<Store>> {
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()) else { return Ok(None) };
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "cache_size", -128)?;
        Ok(Some(Store { conn, clock: self.clock.clone() }))
    }

    /// Replaces the clock (for tests); the default is `Utc::now`. Siblings share it.
    pub fn set_clock(&mut self, clock: Box<dyn Fn() -> DateTime<Utc> + Send>) {
        *self.clock.lock().unwrap_or_else(|e| e.into_inner()) = clock;
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock.lock().unwrap_or_else(|e| e.into_inner()))()
    }

    /// The SQLite journal mode in effect ("wal" for a file store).
    pub fn journal_mode(&self) -> Result<String> {
        Ok(self.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?)
    }

    /// The query plan SQLite picks for an order page (for checking that indexes are used).
    pub fn explain_orders_page(&self, q: &OrderQuery) -> Result<Vec<String>> {
        orders::explain_page(&self.conn, q)
    }
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the schema up to `SCHEMA_VERSION`. Each step takes the write lock first and reads
/// the version again, so two processes opening a fresh file do not both migrate it.
fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let found = user_version(conn)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { found, supported: SCHEMA_VERSION });
        }
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = user_version(&tx)?;
        if let Some(sql) = usize::try_from(found).ok().and_then(|v| MIGRATIONS.get(v)) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", found + 1)?;
        }
        tx.commit()?;
    }
}

pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Corrupt(format!("timestamp {ms} out of range")))
}

pub(crate) fn opt_from_millis(ms: Option<i64>) -> Result<Option<DateTime<Utc>>> {
    ms.map(from_millis).transpose()
}

pub(crate) fn parse_fixed(text: &str) -> Result<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).map_err(|e| StoreError::Corrupt(format!("time {text:?}: {e}")))
}

pub(crate) fn parse_enum<T: std::str::FromStr<Err = ParseEnumError>>(text: &str) -> Result<T> {
    text.parse().map_err(|e: ParseEnumError| StoreError::Corrupt(e.to_string()))
}

/// `value` as JSON, with credentials in every text of it redacted (see `config::redact`).
pub(crate) fn redacted_json<T: serde::Serialize>(value: &T) -> String {
    fn redact_texts(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                if let std::borrow::Cow::Owned(r) = crate::config::redact::redact(s) {
                    *s = r;
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(redact_texts),
            serde_json::Value::Object(m) => m.values_mut().for_each(redact_texts),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    redact_texts(&mut v);
    v.to_string()
}

/// Lower-cases for substring search (Unicode-aware, unlike SQLite's `lower`).
pub(crate) fn search_key(parts: &[Option<&str>]) -> String {
    parts.iter().flatten().map(|p| p.to_lowercase()).collect::<Vec<_>>().join("\n")
}

/// Clamps a page size or offset to what SQLite takes.
pub(crate) fn sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_key_lowercases_beyond_ascii_and_skips_missing_parts() {
        assert_eq!(search_key(&[Some("A1"), None, Some("ŠŤASTNÝ Jan")]), "a1\nšťastný jan");
    }

    #[test]
    fn a_fresh_store_is_at_the_current_schema() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(user_version(&store.conn).unwrap(), SCHEMA_VERSION);
        let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn bad_stored_values_are_reported_as_corrupt() {
        assert!(matches!(from_millis(i64::MAX), Err(StoreError::Corrupt(_))));
        assert!(matches!(parse_fixed("yesterday"), Err(StoreError::Corrupt(_))));
        assert!(matches!(parse_enum::<OrderState>("lost"), Err(StoreError::Corrupt(_))));
    }
}
