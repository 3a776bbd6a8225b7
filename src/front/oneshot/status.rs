//! `status [--json]`: counts per state, the engine, times, cursor, rate-limit state, and where
//! the database and logs are.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Value, json};

use super::render::{counts_json, local_time, print_counts, print_local_zone};
use crate::config::Paths;
use crate::engine::api::EngineState;
use crate::runtime::{AppError, EXIT_OK, engine_running, open_existing, process_alive};
use crate::store::{EngineProcess, OrderState};

/// What `status` reports, read once from the store.
struct Status {
    counts: BTreeMap<OrderState, u64>,
    state: Value,
    rate: Value,
    running: bool,
    engine_process: Option<EngineProcess>,
    cursor: Option<DateTime<FixedOffset>>,
    last_synced: Option<DateTime<Utc>>,
    last_poll: Option<DateTime<Utc>>,
    eshop: Option<String>,
}

pub fn run(paths: &Paths, json: bool) -> Result<i32, AppError> {
    let s = read(paths)?;
    if json {
        let out = json!({
            "counts": counts_json(&s.counts),
            "cursor": s.cursor.map(|c| c.to_rfc3339()),
            "last_synced_at": s.last_synced.map(|t| t.to_rfc3339()),
            "last_poll": s.last_poll.map(|t| t.to_rfc3339()),
            "engine_state": s.state,
            "rate_limit": { "raynet": s.rate },
            "eshop": s.eshop,
            "engine_running": s.running,
            "engine_pid": s.engine_process.as_ref().map(|p| p.pid),
            "database": paths.database(),
            "log_dir": paths.log_dir(),
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(EXIT_OK);
    }
    print_text(paths, &s);
    Ok(EXIT_OK)
}

fn read(paths: &Paths) -> Result<Status, AppError> {
    let store = open_existing(paths)?;
    let snapshot = store.snapshot()?;
    let state: Value = snapshot
        .state
        .as_ref()
        .and_then(EngineState::from_record)
        .and_then(|s| serde_json::to_value(s).ok())
        .unwrap_or(json!(null));
    let rate: Value =
        store.rate_limit("raynet")?.and_then(|r| serde_json::to_value(r).ok()).unwrap_or(json!(null));
    let running = engine_running(paths);
    let engine_process = snapshot.process.filter(|p| running && process_alive(u64::from(p.pid)));
    Ok(Status {
        counts: store.counts()?,
        state,
        rate,
        running,
        engine_process,
        cursor: snapshot.cursor,
        last_synced: snapshot.last_synced_at,
        last_poll: snapshot.last_poll,
        eshop: snapshot.eshop_name,
    })
}

fn print_text(paths: &Paths, s: &Status) {
    let parsed = |t: Option<&str>| t.and_then(|t| DateTime::parse_from_rfc3339(t).ok());
    let time =
        |t: Option<DateTime<FixedOffset>>, none: &str| t.map(local_time).unwrap_or_else(|| none.to_string());
    println!("Database:        {}", paths.database().display());
    println!(
        "Logs:            {} (daemon and dashboard; other commands log to stderr)",
        paths.log_dir().display()
    );
    if let Some(e) = &s.eshop {
        println!("E-shop:          {e}");
    }
    let daemon = match (&s.engine_process, s.running) {
        (Some(p), _) => {
            format!("running: pid {}, `{}`, since {}", p.pid, p.command, local_time(p.since.fixed_offset()))
        }
        (None, true) => "an engine holds the data directory (a dashboard, or an older version)".to_string(),
        (None, false) => "not running".to_string(),
    };
    println!("Engine:          {daemon}");
    let recorded = s.state.get("state").and_then(|s| s.as_str()).unwrap_or("unknown").replace('_', " ");
    let detail = s
        .state
        .get("message")
        .and_then(|m| m.as_str())
        .map(|m| format!(": {m}"))
        .or_else(|| {
            parsed(s.state.get("until").and_then(|u| u.as_str())).map(|u| format!(" until {}", local_time(u)))
        })
        .unwrap_or_default();
    println!("Last state:      {recorded}{detail}");
    println!("Cursor:          {}", time(s.cursor, "not yet"));
    println!("Last poll:       {}", time(s.last_poll.map(|t| t.fixed_offset()), "never"));
    println!("Last sync:       {}", time(s.last_synced.map(|t| t.fixed_offset()), "never"));
    if let Some(r) = s.rate.as_object() {
        println!(
            "RAYNET requests: {} of {} left today",
            r.get("remaining").map(|v| v.to_string()).unwrap_or("?".into()),
            r.get("limit").map(|v| v.to_string()).unwrap_or("?".into())
        );
    }
    print_local_zone();
    print_counts(&s.counts);
}
