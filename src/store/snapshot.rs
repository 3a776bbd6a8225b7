//! The engine snapshot: one typed row with what `status`, the dashboard beside a daemon and the
//! next start read about the engine — its last state, poll times, the Shoptet cursor, the last
//! sync, the e-shop's name and which process runs it. (Schema v3 moved these out of `meta`.)

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::{Connection, ToSql, params};

use super::{Result, Store, StoreError, parse_fixed};
use crate::http::Service;

/// The kind of state the engine last recorded (the engine's `EngineState` without its data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateKind {
    Starting,
    Idle,
    Syncing,
    Paused,
    RateLimited,
    AuthProblem,
    ConfigProblem,
    Stopped,
}

impl StateKind {
    const ALL: [StateKind; 8] = [
        StateKind::Starting,
        StateKind::Idle,
        StateKind::Syncing,
        StateKind::Paused,
        StateKind::RateLimited,
        StateKind::AuthProblem,
        StateKind::ConfigProblem,
        StateKind::Stopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StateKind::Starting => "starting",
            StateKind::Idle => "idle",
            StateKind::Syncing => "syncing",
            StateKind::Paused => "paused",
            StateKind::RateLimited => "rate_limited",
            StateKind::AuthProblem => "auth_problem",
            StateKind::ConfigProblem => "config_problem",
            StateKind::Stopped => "stopped",
        }
    }

    fn parse(text: &str) -> Result<StateKind> {
        StateKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| StoreError::Corrupt(format!("engine state {text:?}")))
    }
}

/// The engine's last recorded state: its kind and, by kind, the service, the time it waits
/// until and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedState {
    pub kind: StateKind,
    pub service: Option<Service>,
    pub until: Option<DateTime<Utc>>,
    pub message: Option<String>,
}

impl RecordedState {
    pub fn of(kind: StateKind) -> RecordedState {
        RecordedState { kind, service: None, until: None, message: None }
    }
}

/// The process that runs the engine (`run` or `sync --once`), for `status` and the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineProcess {
    pub pid: u32,
    pub command: String,
    pub since: DateTime<Utc>,
}

/// Everything the snapshot row holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineSnapshot {
    pub state: Option<RecordedState>,
    pub last_poll: Option<DateTime<Utc>>,
    pub next_poll: Option<DateTime<Utc>>,
    pub last_synced_at: Option<DateTime<Utc>>,
    /// The Shoptet change-time cursor, with the shop's offset.
    pub cursor: Option<DateTime<FixedOffset>>,
    pub eshop_name: Option<String>,
    pub process: Option<EngineProcess>,
}

fn service_key(s: Service) -> &'static str {
    match s {
        Service::Shoptet => "shoptet",
        Service::Raynet => "raynet",
    }
}

fn parse_service(text: &str) -> Result<Service> {
    match text {
        "shoptet" => Ok(Service::Shoptet),
        "raynet" => Ok(Service::Raynet),
        other => Err(StoreError::Corrupt(format!("service {other:?}"))),
    }
}

fn utc(text: Option<String>) -> Result<Option<DateTime<Utc>>> {
    text.map(|t| parse_fixed(&t).map(|t| t.with_timezone(&Utc))).transpose()
}

/// Sets columns of the snapshot row (creating it when missing). Column names are this
/// module's constants, never input.
pub(crate) fn set(conn: &Connection, columns: &[(&'static str, &dyn ToSql)]) -> Result<()> {
    let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
    let marks: Vec<String> = (2..names.len() + 2).map(|i| format!("?{i}")).collect();
    let updates: Vec<String> = names.iter().map(|c| format!("{c} = excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO engine_snapshot (id, {}) VALUES (?1, {}) ON CONFLICT (id) DO UPDATE SET {}",
        names.join(", "),
        marks.join(", "),
        updates.join(", ")
    );
    let mut values: Vec<&dyn ToSql> = vec![&1];
    values.extend(columns.iter().map(|(_, v)| *v));
    conn.prepare_cached(&sql)?.execute(values.as_slice())?;
    Ok(())
}

/// The raw row, before its values are checked.
type Raw = ([Option<String>; 4], [Option<String>; 5], (Option<i64>, Option<String>, Option<String>));

fn read_raw(conn: &Connection) -> Result<Option<Raw>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(
            "SELECT state, state_service, state_until, state_message, last_poll, next_poll, \
             last_synced_at, cursor, eshop_name, engine_pid, engine_command, engine_since \
             FROM engine_snapshot WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok((
                [r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?],
                [r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?],
                (r.get(9)?, r.get(10)?, r.get(11)?),
            ))
        })
        .optional()?)
}

fn checked(raw: Raw) -> Result<EngineSnapshot> {
    let ([state, service, until, message], [last_poll, next_poll, synced, cursor, eshop], process) = raw;
    let state = match state {
        Some(kind) => Some(RecordedState {
            kind: StateKind::parse(&kind)?,
            service: service.as_deref().map(parse_service).transpose()?,
            until: utc(until)?,
            message,
        }),
        None => None,
    };
    let process = match process {
        (Some(pid), command, since) => Some(EngineProcess {
            pid: u32::try_from(pid).map_err(|_| StoreError::Corrupt(format!("engine pid {pid}")))?,
            command: command.unwrap_or_default(),
            since: utc(since)?.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(EngineSnapshot {
        state,
        last_poll: utc(last_poll)?,
        next_poll: utc(next_poll)?,
        last_synced_at: utc(synced)?,
        cursor: cursor.map(|c| parse_fixed(&c)).transpose()?,
        eshop_name: eshop,
        process,
    })
}

impl Store {
    /// The whole snapshot (all empty on a new store).
    pub fn snapshot(&self) -> Result<EngineSnapshot> {
        read_raw(&self.conn)?.map(checked).transpose().map(Option::unwrap_or_default)
    }

    pub fn set_engine_state(&mut self, state: &RecordedState) -> Result<()> {
        let until = state.until.map(|t| t.to_rfc3339());
        set(
            &self.conn,
            &[
                ("state", &state.kind.as_str()),
                ("state_service", &state.service.map(service_key)),
                ("state_until", &until),
                ("state_message", &state.message),
            ],
        )
    }

    pub fn set_last_poll(&mut self, at: DateTime<Utc>) -> Result<()> {
        set(&self.conn, &[("last_poll", &at.to_rfc3339())])
    }

    /// When the daemon polls next (`None`: no poll scheduled, e.g. after a one-off pass).
    pub fn set_next_poll(&mut self, at: Option<DateTime<Utc>>) -> Result<()> {
        set(&self.conn, &[("next_poll", &at.map(|t| t.to_rfc3339()))])
    }

    pub fn set_eshop_name(&mut self, name: &str) -> Result<()> {
        set(&self.conn, &[("eshop_name", &name)])
    }

    /// The Shoptet change-time cursor (RFC 3339, with the shop's offset).
    pub fn cursor(&self) -> Result<Option<DateTime<FixedOffset>>> {
        Ok(self.snapshot()?.cursor)
    }

    pub fn set_cursor(&mut self, at: DateTime<FixedOffset>) -> Result<()> {
        set(&self.conn, &[("cursor", &at.to_rfc3339())])
    }

    pub fn last_synced_at(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(self.snapshot()?.last_synced_at)
    }

    /// Notes which process runs the engine.
    pub fn set_engine_process(&mut self, p: &EngineProcess) -> Result<()> {
        set(
            &self.conn,
            &[
                ("engine_pid", &i64::from(p.pid)),
                ("engine_command", &p.command),
                ("engine_since", &p.since.to_rfc3339()),
            ],
        )
    }

    /// Removes the process note when it names `pid` (another process's note stays).
    pub fn clear_engine_process(&mut self, pid: u32) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE engine_snapshot SET engine_pid = NULL, engine_command = NULL, engine_since = NULL \
                 WHERE id = 1 AND engine_pid = ?1",
            )?
            .execute(params![i64::from(pid)])?;
        Ok(())
    }
}

/// A long work's progress as the engine last wrote it (schema v8), for a dashboard beside the
/// daemon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedProgress {
    pub done: u64,
    pub total: u64,
    /// The engine's estimate of what is left, as JSON (the store keeps it as written).
    pub estimate: Option<String>,
}

impl Store {
    /// The long work in progress; `None` when none runs.
    pub fn progress(&self) -> Result<Option<RecordedProgress>> {
        use rusqlite::OptionalExtension;
        let row: Option<(Option<i64>, Option<i64>, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT progress_done, progress_total, progress_estimate FROM engine_snapshot WHERE id = 1",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let count = |n: i64| u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("progress count {n}")));
        match row {
            Some((Some(done), Some(total), estimate)) => {
                Ok(Some(RecordedProgress { done: count(done)?, total: count(total)?, estimate }))
            }
            _ => Ok(None),
        }
    }

    /// Writes the long work's progress, or clears it (`None`) when the work ends.
    pub fn set_progress(&mut self, p: Option<&RecordedProgress>) -> Result<()> {
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let done = p.map(|p| count(p.done));
        let total = p.map(|p| count(p.total));
        let estimate = p.and_then(|p| p.estimate.clone());
        set(
            &self.conn,
            &[("progress_done", &done), ("progress_total", &total), ("progress_estimate", &estimate)],
        )
    }
}
