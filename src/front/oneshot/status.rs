//! `status [--json]`: counts per state, the engine, times, cursor, rate-limit state, and where
//! the database and logs are.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Value, json};

use super::render::{counts_json, labelled, local_time, print_counts, print_local_zone};
use crate::config::Paths;
use crate::engine::api::EngineState;
use crate::runtime::{AppError, EXIT_OK, engine_running, open_existing, process_alive};
use crate::store::{EngineProcess, OrderState};
use crate::tui::i18n::{EN, Texts};

/// What `status` reports, read once from the store.
struct Status {
    counts: BTreeMap<OrderState, u64>,
    state: Option<EngineState>,
    rate: Value,
    running: bool,
    engine_process: Option<EngineProcess>,
    cursor: Option<DateTime<FixedOffset>>,
    last_synced: Option<DateTime<Utc>>,
    last_poll: Option<DateTime<Utc>>,
    eshop: Option<String>,
}

/// `status [--json]`; the text in `t`'s language.
pub fn run(t: &Texts, paths: &Paths, json: bool) -> Result<i32, AppError> {
    let s = read(paths)?;
    if json {
        let out = json!({
            "counts": counts_json(&s.counts),
            "cursor": s.cursor.map(|c| c.to_rfc3339()),
            "last_synced_at": s.last_synced.map(|t| t.to_rfc3339()),
            "last_poll": s.last_poll.map(|t| t.to_rfc3339()),
            "engine_state": state_json(s.state.as_ref()),
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
    print_text(t, paths, &s);
    Ok(EXIT_OK)
}

/// The recorded state as the stable JSON has it: a problem as its English `message`.
fn state_json(state: Option<&EngineState>) -> Value {
    let Some(state) = state else { return json!(null) };
    let mut v = serde_json::to_value(state).unwrap_or(json!(null));
    let message = match state {
        EngineState::AuthProblem { service, problem } => Some(EN.auth_issue(*service, problem, &Utc)),
        EngineState::ConfigProblem { problem } => Some(EN.config_issue(problem)),
        _ => None,
    };
    if let (Some(message), Some(fields)) = (message, v.as_object_mut()) {
        fields.remove("problem");
        fields.insert("message".into(), json!(message));
    }
    v
}

fn read(paths: &Paths) -> Result<Status, AppError> {
    let store = open_existing(paths)?;
    let snapshot = store.snapshot()?;
    let state = snapshot.state.as_ref().and_then(EngineState::from_record);
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

fn print_text(t: &Texts, paths: &Paths, s: &Status) {
    let cli = t.cli();
    let labels = [cli.l_database, cli.l_logs, cli.l_eshop, cli.l_engine, cli.l_last_state, cli.l_cursor];
    let more = [cli.l_last_poll, cli.l_last_sync, cli.l_raynet_requests];
    let width = labels.iter().chain(&more).map(|l| l.chars().count()).max().unwrap_or(0) + 2;
    let line = |label: &str, value: &str| println!("{}", labelled(label, width, value));
    let time =
        |at: Option<DateTime<FixedOffset>>, none: &str| at.map(local_time).unwrap_or_else(|| none.into());
    line(cli.l_database, &paths.database().display().to_string());
    line(cli.l_logs, &format!("{} ({})", paths.log_dir().display(), cli.logs_note));
    if let Some(e) = &s.eshop {
        line(cli.l_eshop, e);
    }
    let daemon = match (&s.engine_process, s.running) {
        (Some(p), _) => cli.running(p.pid, &p.command, &local_time(p.since.fixed_offset())),
        (None, true) => cli.engine_holds.to_string(),
        (None, false) => cli.not_running.to_string(),
    };
    line(cli.l_engine, &daemon);
    line(cli.l_last_state, &last_state(t, s.state.as_ref()));
    line(cli.l_cursor, &time(s.cursor, cli.not_yet));
    line(cli.l_last_poll, &time(s.last_poll.map(|t| t.fixed_offset()), cli.never));
    line(cli.l_last_sync, &time(s.last_synced.map(|t| t.fixed_offset()), cli.never));
    if let Some(r) = s.rate.as_object() {
        let field = |k: &str| r.get(k).map(|v| v.to_string()).unwrap_or("?".into());
        line(cli.l_raynet_requests, &cli.requests_left(&field("remaining"), &field("limit")));
    }
    print_local_zone(t);
    print_counts(t, &s.counts);
}

/// The engine's last state in words, with why it stopped or until when it waits.
fn last_state(t: &Texts, state: Option<&EngineState>) -> String {
    let cli = t.cli();
    let Some(state) = state else { return cli.unknown.to_string() };
    let name = cli.state_name(state);
    let local = chrono::Local;
    match state {
        EngineState::AuthProblem { service, problem } => {
            format!("{name}: {service}: {}", t.auth_issue(*service, problem, &local))
        }
        EngineState::ConfigProblem { problem } => format!("{name}: {}", t.config_issue(problem)),
        EngineState::RateLimited { until, .. } => {
            format!("{name}{}", cli.until(&local_time(until.fixed_offset())))
        }
        _ => name.to_string(),
    }
}
