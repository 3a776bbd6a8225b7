//! The headless commands: `sync`, `run`, `status`, `orders`, `show`, `retry`, `resync`, `skip`,
//! `unskip`, `resolve`, `backfill`, `completions`, `man`.

use crate::engine::api::ClientChoice;
use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Local, NaiveDate, TimeZone, Utc};
use serde_json::json;

use crate::config::Paths;
use crate::engine::PassReport;
use crate::engine::api::{EngineCommand, EngineState};
use crate::engine::{Engine, EngineParts};
use crate::http::RetryPolicy;
use crate::store::{AuditQuery, Candidate, OrderQuery, OrderRow, OrderSort, OrderState, Store};

use super::args::ShellArg;
use super::{
    CliError, Command, EXIT_FATAL, EXIT_OK, EXIT_ORDERS_WAITING, EXIT_SIGHUP, EXIT_SIGINT, EXIT_SIGTERM,
    EngineLock, Global, load_config, open_store, paths,
};

/// The store key under which a running `run` or `sync --once` names its process.
const ENGINE_PID: &str = "engine_pid";

pub async fn run(global: &Global, cmd: Command) -> Result<i32, CliError> {
    let paths = paths(global)?;
    match cmd {
        Command::Sync(a) => {
            if !a.once {
                return Err(CliError::Usage(
                    "`sync` needs --once (one pass); use `run` for the daemon".into(),
                ));
            }
            let config = load_config(&paths)?;
            crate::logging::init_stderr(global.log_level.as_deref());
            if a.dry_run {
                return dry_run(&paths, config, a.json).await;
            }
            let _lock = acquire_lock(&paths)?;
            let store = open_store(&paths)?;
            let _pid = PidNote::write(&paths, "sync --once");
            let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
            sync_once(&paths, &mut engine, a.json).await
        }
        Command::Run(args) => {
            let config = load_config(&paths)?;
            let to_stderr = args.log_stderr || crate::logging::under_journald();
            let _guard = if to_stderr {
                crate::logging::init_stderr(global.log_level.as_deref());
                None
            } else {
                let guard = crate::logging::init_file(&paths.log_dir(), global.log_level.as_deref())
                    .map_err(|e| CliError::data_dir(&paths.data_dir, Some("cannot write the logs"), &e))?;
                eprintln!("shoptet-raynet-sync daemon: logging to {}", paths.log_dir().display());
                Some(guard)
            };
            let _lock = acquire_lock(&paths)?;
            tracing::info!(
                version = env!("CARGO_PKG_VERSION"),
                config = %paths.config_file.display(),
                data_dir = %paths.data_dir.display(),
                poll_interval_secs = config.sync.poll_interval_secs,
                webhook = config.webhook.enabled.then(|| config.webhook.listen.clone()).flatten().as_deref(),
                "daemon started"
            );
            let store = open_store(&paths)?;
            let _pid = PidNote::write(&paths, "run");
            let webhook = config.webhook.clone();
            let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
            let commands = engine.command_sender();
            let status = engine.status();
            let server = if webhook.enabled {
                Some(crate::server::start(&webhook, commands.clone(), status.clone()).await?)
            } else {
                None
            };
            let task = tokio::spawn(engine.run());
            crate::app::shutdown_signal().await;
            tracing::info!("shutdown requested; finishing the order in flight");
            let _ = commands.send(EngineCommand::Shutdown);
            // The order in flight gets a few seconds to finish; past that, stopping mid-step is
            // safe (every step is idempotent) and beats hanging on a slow request.
            let abort = task.abort_handle();
            let in_flight = status.borrow().current_order.is_some();
            let grace = Duration::from_millis(if in_flight { 5_000 } else { 300 });
            if tokio::time::timeout(grace, task).await.is_err() {
                tracing::warn!(
                    "the step in flight did not finish within 5 s; stopped it (it is safe to redo)"
                );
                abort.abort();
            }
            if let Some(s) = server {
                s.stop().await;
            }
            tracing::info!("daemon stopped");
            Ok(EXIT_OK)
        }
        Command::Status { json } => status(&paths, json),
        Command::Orders { state, search, limit, json } => {
            let store = open_existing(&paths)?;
            let mut states: Vec<OrderState> = state.into_iter().map(OrderState::from).collect();
            states.dedup();
            let q = OrderQuery {
                states,
                search,
                sort: OrderSort::ChangeTime,
                descending: true,
                offset: 0,
                limit,
            };
            let rows = store.orders_page(&q)?;
            let now = Utc::now();
            if json {
                let out = rows.iter().map(|r| order_json_full(&store, r)).collect::<Result<Vec<_>, _>>()?;
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                println!(
                    "{:<14} {:<15} {:<14} {:<28} {:>12} {:<4} {:>3} {:<16} REASON",
                    "CODE", "STATE", "STATUS", "CUSTOMER", "TOTAL", "CUR", "TRY", "NEXT ATTEMPT"
                );
                for r in &rows {
                    let why = reason(&store, r)?;
                    println!(
                        "{:<14} {:<15} {:<14} {:<28} {:>12} {:<4} {:>3} {:<16} {}",
                        r.code,
                        state_label(r.state),
                        clip(r.status_name.as_deref().unwrap_or(""), 14),
                        clip(r.customer.as_deref().unwrap_or(""), 28),
                        r.total_with_vat.map(crate::money::money).unwrap_or_default(),
                        r.currency.as_deref().unwrap_or(""),
                        r.attempts,
                        r.next_attempt_at.map(|t| when(t, now)).unwrap_or_default(),
                        why.as_deref().map(|e| clip(e, 70)).unwrap_or_default()
                    );
                    if r.state == OrderState::NeedsDecision {
                        print_candidates(&store, &r.code, "    ")?;
                    }
                }
                let total = store.count_orders(&q)?;
                println!("{} of {}", rows.len(), plural(total, "order", "orders"));
            }
            Ok(EXIT_OK)
        }
        Command::Show { code, json } => show(&paths, &code, json),
        Command::Retry { codes, all } => {
            let mut store = open_existing(&paths)?;
            if all {
                let n = store.retry_all()?;
                println!("{} queued for an immediate retry.", plural(n, "order", "orders"));
            } else {
                if codes.is_empty() {
                    return Err(CliError::Usage("give order codes or --all".into()));
                }
                // Check every code first: a refusal changes nothing.
                let mut refusals = Vec::new();
                for code in &codes {
                    let row = known_order(&store, code)?;
                    if let Some(why) = retry_refusal(&row) {
                        refusals.push(why);
                    }
                }
                if !refusals.is_empty() {
                    return Err(CliError::Refused(format!("{}; nothing was changed", refusals.join("; "))));
                }
                for code in &codes {
                    store.retry_now(code)?;
                    println!("{code}: queued for an immediate retry.");
                }
            }
            println!("The running engine (or the next `sync --once`) picks them up.");
            Ok(EXIT_OK)
        }
        Command::Resync { code } => {
            let mut store = open_existing(&paths)?;
            known_order(&store, &code)?;
            crate::engine::local::resync(&mut store, &code)?;
            println!("{code}: will be fetched again and its business case brought up to date.");
            Ok(EXIT_OK)
        }
        Command::Skip { code, reason } => {
            let mut store = open_existing(&paths)?;
            let row = known_order(&store, &code)?;
            match row.state {
                OrderState::Synced => {
                    return Err(CliError::Refused(format!(
                        "order {code} is already synced{}; skipping it would not remove it from RAYNET",
                        business_case(&row)
                    )));
                }
                OrderState::Skipped => {
                    let was = store.skip_reason(&code)?.unwrap_or_default();
                    println!("{code}: already skipped ({was}); `unskip {code}` undoes it.");
                    return Ok(EXIT_OK);
                }
                _ => {}
            }
            store.skip(&code, &reason)?;
            println!("{code}: skipped ({reason}); `unskip {code}` undoes it.");
            Ok(EXIT_OK)
        }
        Command::Unskip { code } => {
            let mut store = open_existing(&paths)?;
            let row = known_order(&store, &code)?;
            if row.state != OrderState::Skipped {
                return Err(CliError::Refused(format!(
                    "order {code} is not skipped (it is {})",
                    state_label(row.state)
                )));
            }
            store.reset_attempts(&code)?;
            store.retry_now(&code)?;
            store.audit(Some(&code), "unskipped", "unskipped from the command line")?;
            println!(
                "{code}: unskipped and queued; the running engine (or the next `sync --once`) syncs it, \
                 or sets it back to pending when it is no longer in a final status."
            );
            Ok(EXIT_OK)
        }
        Command::Resolve { code, client, create, force } => {
            let mut store = open_existing(&paths)?;
            let row = known_order(&store, &code)?;
            let Some(decision) = store.decision(&code)? else {
                return Err(CliError::Refused(format!(
                    "order {code} does not wait for a decision (it is {})",
                    state_label(row.state)
                )));
            };
            let choice = match (client, create) {
                (Some(id), _) => {
                    if !decision.candidates.iter().any(|c| c.raynet_id == id) {
                        if !force {
                            let list: Vec<String> = decision
                                .candidates
                                .iter()
                                .map(|c| format!("#{} {}", c.raynet_id, c.name))
                                .collect();
                            return Err(CliError::Refused(format!(
                                "client #{id} is not one of the candidates for order {code} ({}); \
                                 pick one of them, use --create, or add --force to link #{id} anyway",
                                if list.is_empty() { "none recorded".to_string() } else { list.join(", ") }
                            )));
                        }
                        eprintln!(
                            "note: client #{id} is not one of the candidates; linking it as you asked (--force)."
                        );
                    }
                    ClientChoice::Existing(id)
                }
                (None, true) => ClientChoice::CreateNew,
                (None, false) => return Err(CliError::Usage("give --client ID or --create".into())),
            };
            // The choice is the customer's: the same customer's other waiting orders that offer
            // this client are settled with it (as in the dashboard).
            let others = crate::engine::local::resolve(&mut store, &code, &choice)?;
            println!("{code}: decision saved; the order is queued.");
            if !others.is_empty() {
                println!(
                    "Also applied to the same customer's {}: {}",
                    plural(others.len() as u64, "other waiting order", "other waiting orders"),
                    others.join(", ")
                );
            }
            Ok(EXIT_OK)
        }
        Command::Backfill { from } => {
            let config = load_config(&paths)?;
            crate::logging::init_stderr(global.log_level.as_deref());
            let from = parse_date(&from, config.sync.enabled_at.timezone())?;
            let store = open_store(&paths)?;
            let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
            let n = engine.backfill(from).await?;
            println!(
                "{} created since {from} queued at low priority; `run` or `sync --once` syncs them.",
                plural(n, "final order", "final orders")
            );
            Ok(EXIT_OK)
        }
        Command::Demo { .. }
        | Command::Setup
        | Command::Sim { .. }
        | Command::Completions { .. }
        | Command::Man => Ok(EXIT_FATAL),
    }
}

// ---- sync --once -------------------------------------------------------------------------

async fn dry_run(paths: &Paths, config: crate::config::Config, json: bool) -> Result<i32, CliError> {
    // A dry run on a fresh install must not even create the database.
    let store = if !paths.database().exists() { Store::open_in_memory()? } else { open_store(paths)? };
    let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
    let plans = engine.dry_run().await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "dry_run": true, "plans": plans })).unwrap_or_default()
        );
    } else if plans.is_empty() {
        println!("Nothing to do: no order needs syncing.");
    } else {
        for p in &plans {
            println!("{p}");
        }
        println!("{} planned; nothing was written (dry run).", plural(plans.len() as u64, "order", "orders"));
    }
    Ok(EXIT_OK)
}

/// One pass. SIGINT, SIGTERM or SIGHUP stop it after the order in flight (that order gets a
/// few seconds; past that, stopping mid-step is safe: every step is idempotent) and exit with
/// 128 + the signal number.
async fn sync_once(paths: &Paths, engine: &mut Engine, json: bool) -> Result<i32, CliError> {
    let commands = engine.command_sender();
    let status = engine.status();
    let mut signals = Signals::new();
    let mut interrupted: Option<(&'static str, i32)> = None;
    let result = {
        let pass = engine.sync_once();
        tokio::pin!(pass);
        tokio::select! {
            r = &mut pass => Some(r),
            sig = signals.next() => {
                interrupted = Some(sig);
                tracing::info!(signal = sig.0, "stop requested; finishing the order in flight");
                let _ = commands.send(EngineCommand::Shutdown);
                let in_flight = status.borrow().current_order.clone();
                let grace = Duration::from_millis(if in_flight.is_some() { 5_000 } else { 300 });
                tokio::select! {
                    r = tokio::time::timeout(grace, &mut pass) => r.ok(),
                    // A second signal: stop at once.
                    _ = signals.next() => None,
                }
            }
        }
    };
    let Some((signal, code)) = interrupted else {
        // Not interrupted: the pass ran to its end.
        let report = match result {
            Some(r) => r?,
            None => PassReport::default(),
        };
        let counts = engine.store().counts()?;
        // Shoptet could not be read: not everything that should be synced may be.
        let code = if report.poll_error.is_some() { EXIT_ORDERS_WAITING } else { exit_code(&counts) };
        print_pass(&report, &counts, code, json, None);
        return Ok(code);
    };
    let finished = result.is_some();
    let report = match result {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            super::print_error(&e.to_string());
            PassReport::default()
        }
        None => {
            tracing::warn!("the step in flight did not finish in time; stopped it (it is safe to redo)");
            PassReport::default()
        }
    };
    if let Ok(mut store) = open_store(paths)
        && let Ok(state) = serde_json::to_string(&EngineState::Stopped)
    {
        let _ = store.set_meta("engine_state", &state);
    }
    let counts = engine.store().counts()?;
    let note = if finished {
        format!(
            "Interrupted by {signal}: stopped after the order in flight; the next `sync --once` goes on from there."
        )
    } else {
        format!(
            "Interrupted by {signal}: the step in flight was stopped (it is safe to redo); the next `sync --once` finishes it."
        )
    };
    print_pass(&report, &counts, code, json, Some(&note));
    Ok(code)
}

/// Prints a pass's report: JSON (`sync --once --json`) or text.
fn print_pass(
    report: &PassReport,
    counts: &BTreeMap<OrderState, u64>,
    code: i32,
    json: bool,
    interrupted: Option<&str>,
) {
    if json {
        let out = json!({
            "report": report,
            "counts": counts_json(counts),
            "exit_code": code,
            "interrupted": interrupted.is_some(),
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        if let Some(note) = interrupted {
            eprintln!("{note}");
        }
        return;
    }
    println!(
        "Pass done: {} read, {} synced ({}, {} updated), {} failed, {} a decision.",
        plural(report.seen, "order", "orders"),
        report.synced,
        plural(report.created, "new business case", "new business cases"),
        report.updated,
        report.failed,
        plural(report.needs_decision, "needs", "need"),
    );
    if let Some(e) = &report.poll_error {
        println!("  Shoptet could not be read: {e}");
    }
    let now = Utc::now();
    for o in report.outcomes.iter().filter(|o| o.result != "synced") {
        let next = o.next_attempt_at.map(|t| format!(" (next attempt {})", when(t, now))).unwrap_or_default();
        println!("  {} {}: {}{next}", o.code, o.result.replace('_', "-"), o.reason.as_deref().unwrap_or(""));
    }
    print_counts(counts);
    if let Some(note) = interrupted {
        println!("{note}");
    }
}

/// The first of SIGINT, SIGTERM and SIGHUP, as (name, exit code). Installed once, so a signal
/// that arrives while the pass runs is never lost to the default action (dying at once).
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    hup: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                term: signal(SignalKind::terminate()).ok(),
                hup: signal(SignalKind::hangup()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Signals {}
        }
    }

    async fn next(&mut self) -> (&'static str, i32) {
        #[cfg(unix)]
        {
            async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
                match s.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            tokio::select! {
                _ = recv(&mut self.int) => ("SIGINT", EXIT_SIGINT),
                _ = recv(&mut self.term) => ("SIGTERM", EXIT_SIGTERM),
                _ = recv(&mut self.hup) => ("SIGHUP", EXIT_SIGHUP),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            ("SIGINT", EXIT_SIGINT)
        }
    }
}

/// The engine lock, with an I/O failure named as the data directory's.
fn acquire_lock(paths: &Paths) -> Result<EngineLock, CliError> {
    EngineLock::acquire(&paths.lock_file()).map_err(|e| match e {
        CliError::Io(io) => {
            CliError::data_dir(&paths.data_dir, Some("cannot create the lock file engine.lock"), &io)
        }
        other => other,
    })
}

/// Notes in the store which process runs the engine (for `status`); removed when dropped.
struct PidNote {
    paths: Paths,
}

impl PidNote {
    fn write(paths: &Paths, command: &str) -> PidNote {
        let note = json!({
            "pid": std::process::id(),
            "command": command,
            "started_at": Utc::now().to_rfc3339(),
        });
        if let Ok(mut store) = Store::open(&paths.database()) {
            let _ = store.set_meta(ENGINE_PID, &note.to_string());
        }
        PidNote { paths: paths.clone() }
    }
}

impl Drop for PidNote {
    fn drop(&mut self) {
        if let Ok(mut store) = Store::open(&self.paths.database()) {
            let _ = store.delete_meta(ENGINE_PID);
        }
    }
}

// ---- status ------------------------------------------------------------------------------

fn status(paths: &Paths, json: bool) -> Result<i32, CliError> {
    let store = open_existing(paths)?;
    let counts = store.counts()?;
    let meta = |k: &str| store.get_meta(k).ok().flatten();
    let state: serde_json::Value =
        meta("engine_state").and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(json!(null));
    let rate: serde_json::Value =
        meta("rate_limit:raynet").and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(json!(null));
    let running = engine_running(paths);
    let engine_process: Option<serde_json::Value> = meta(ENGINE_PID)
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .filter(|p| running && p["pid"].as_u64().is_some_and(process_alive));
    let cursor = store.cursor()?;
    let last_synced = store.last_synced_at()?;
    let last_poll = meta("last_poll");
    let out = json!({
        "counts": counts_json(&counts),
        "cursor": cursor.map(|c| c.to_rfc3339()),
        "last_synced_at": last_synced.map(|t| t.to_rfc3339()),
        "last_poll": last_poll,
        "engine_state": state,
        "rate_limit": { "raynet": rate },
        "eshop": meta("eshop_name"),
        "engine_running": running,
        "engine_pid": engine_process.as_ref().and_then(|p| p["pid"].as_u64()),
        "database": paths.database(),
        "log_dir": paths.log_dir(),
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(EXIT_OK);
    }
    let parsed = |t: Option<&str>| t.and_then(|t| DateTime::parse_from_rfc3339(t).ok());
    let time =
        |t: Option<DateTime<FixedOffset>>, none: &str| t.map(local_time).unwrap_or_else(|| none.to_string());
    println!("Database:        {}", paths.database().display());
    println!(
        "Logs:            {} (daemon and dashboard; other commands log to stderr)",
        paths.log_dir().display()
    );
    if let Some(e) = meta("eshop_name") {
        println!("E-shop:          {e}");
    }
    let daemon = match (&engine_process, running) {
        (Some(p), _) => format!(
            "running: pid {}, `{}`, since {}",
            p["pid"],
            p["command"].as_str().unwrap_or("?"),
            time(parsed(p["started_at"].as_str()), "?")
        ),
        (None, true) => "an engine holds the data directory (a dashboard, or an older version)".to_string(),
        (None, false) => "not running".to_string(),
    };
    println!("Engine:          {daemon}");
    let recorded = state.get("state").and_then(|s| s.as_str()).unwrap_or("unknown").replace('_', " ");
    let detail = state
        .get("message")
        .and_then(|m| m.as_str())
        .map(|m| format!(": {m}"))
        .or_else(|| {
            parsed(state.get("until").and_then(|u| u.as_str())).map(|u| format!(" until {}", local_time(u)))
        })
        .unwrap_or_default();
    println!("Last state:      {recorded}{detail}");
    println!("Cursor:          {}", time(cursor, "not yet"));
    println!("Last poll:       {}", time(parsed(last_poll.as_deref()), "never"));
    println!("Last sync:       {}", time(last_synced.map(|t| t.fixed_offset()), "never"));
    if let Some(r) = rate.as_object() {
        println!(
            "RAYNET requests: {} of {} left today",
            r.get("remaining").map(|v| v.to_string()).unwrap_or("?".into()),
            r.get("limit").map(|v| v.to_string()).unwrap_or("?".into())
        );
    }
    println!("Times are local ({}).", Local::now().format("UTC%:z"));
    print_counts(&counts);
    Ok(EXIT_OK)
}

/// Whether a process with this id exists (Linux: /proc; elsewhere assumed).
fn process_alive(pid: u64) -> bool {
    let proc = std::path::Path::new("/proc");
    if !proc.is_dir() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// Whether an engine (daemon, dashboard or a sync) holds this data directory's lock now.
fn engine_running(paths: &Paths) -> bool {
    matches!(EngineLock::acquire(&paths.lock_file()), Err(CliError::Locked(_)))
}

// ---- show --------------------------------------------------------------------------------

fn show(paths: &Paths, code: &str, json: bool) -> Result<i32, CliError> {
    let store = open_existing(paths)?;
    let row = known_order(&store, code)?;
    let detail: serde_json::Value = store
        .get_meta(&format!("detail:{code}"))?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let lines = |key: &str| -> Vec<String> {
        detail[key]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    let calls = store.calls(code)?;
    let mut history = store.audit_page(&AuditQuery {
        order_code: Some(code.to_string()),
        limit: 500,
        ..Default::default()
    })?;
    history.reverse();
    let plan_done = detail["done"].as_bool().unwrap_or(false);
    if json {
        let out = json!({
            "order": order_json_full(&store, &row)?,
            "shoptet": lines("shoptet"),
            "plan": lines("plan"),
            "plan_done": plan_done,
            "admin_url": detail["admin_url"],
            "calls": calls.iter().map(|c| json!({
                "at": c.at.to_rfc3339(),
                "service": c.service.to_string(),
                "method": c.method,
                "path": c.path,
                "status": c.status,
                "duration_ms": c.duration_ms,
                "error": c.error,
            })).collect::<Vec<_>>(),
            "history": history.iter().map(|a| json!({
                "at": a.at.to_rfc3339(),
                "kind": a.kind,
                "message": a.message,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(EXIT_OK);
    }
    let now = Utc::now();
    println!("Order {code}");
    let why = reason(&store, &row)?.map(|r| format!(" — {r}")).unwrap_or_default();
    println!("  State:          {}{why}", state_label(row.state));
    let status = match (&row.status_name, row.status_id) {
        (Some(n), Some(id)) => format!("{n} ({id})"),
        (Some(n), None) => n.clone(),
        (None, Some(id)) => id.to_string(),
        (None, None) => "?".into(),
    };
    println!("  Shoptet status: {status}");
    let customer = match (&row.customer, &row.email) {
        (Some(c), Some(e)) if c != e => format!("{c} <{e}>"),
        (Some(c), _) => c.clone(),
        (None, Some(e)) => e.clone(),
        (None, None) => String::new(),
    };
    println!("  Customer:       {customer}");
    if let Some(t) = row.total_with_vat {
        println!("  Total:          {} {}", crate::money::money(t), row.currency.as_deref().unwrap_or(""));
    }
    if let Some(t) = row.change_time {
        println!("  Changed:        {}", local_time(t));
    }
    if let Some(bc) = row.business_case_id {
        let at =
            row.synced_at.map(|t| format!(", synced {}", local_time(t.fixed_offset()))).unwrap_or_default();
        println!("  Business case:  #{bc}{at}");
    }
    if row.attempts > 0 || row.next_attempt_at.is_some() {
        let next =
            row.next_attempt_at.map(|t| format!("; next attempt {}", when(t, now))).unwrap_or_default();
        println!("  Attempts:       {}{next}", row.attempts);
    }
    if let Some(url) = detail["admin_url"].as_str() {
        println!("  Shoptet admin:  {url}");
    }
    if row.state == OrderState::NeedsDecision {
        println!("Candidates");
        print_candidates(&store, code, "  ")?;
    }
    let shoptet = lines("shoptet");
    if !shoptet.is_empty() {
        println!("Shoptet");
        for l in shoptet {
            println!("  {l}");
        }
    }
    let plan = lines("plan");
    if !plan.is_empty() {
        println!("{}", if plan_done { "Done" } else { "Plan" });
        for l in plan {
            println!("  {l}");
        }
    }
    if !calls.is_empty() {
        println!("API calls");
        for c in &calls {
            let status = c.status.map(|s| s.to_string()).unwrap_or_else(|| "—".into());
            println!(
                "  {} {} {} {} {status} {} ms",
                local_time(c.at.fixed_offset()),
                c.service,
                c.method,
                c.path,
                c.duration_ms
            );
            if let Some(e) = &c.error {
                println!("      {e}");
            }
        }
    }
    if !history.is_empty() {
        println!("History");
        for a in &history {
            // States as they are typed on the command line.
            let message = a.message.replace("needs_decision", "needs-decision");
            println!("  {} {} {message}", local_time(a.at.fixed_offset()), a.kind);
        }
    }
    println!("Times are local ({}).", Local::now().format("UTC%:z"));
    Ok(EXIT_OK)
}

// ---- completions and man page ------------------------------------------------------------

pub fn completions(shell: ShellArg) -> Result<i32, CliError> {
    use clap::CommandFactory;
    use clap_complete::Shell;
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Elvish => Shell::Elvish,
        ShellArg::PowerShell => Shell::PowerShell,
    };
    let mut cmd = super::Cli::command();
    clap_complete::generate(shell, &mut cmd, "shoptet-raynet-sync", &mut std::io::stdout());
    Ok(EXIT_OK)
}

pub fn man() -> Result<i32, CliError> {
    use clap::CommandFactory;
    let cmd = super::Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    use std::io::Write;
    std::io::stdout().write_all(&out)?;
    Ok(EXIT_OK)
}

// ---- shared helpers ----------------------------------------------------------------------

fn open_existing(paths: &Paths) -> Result<Store, CliError> {
    let db = paths.database();
    if !db.exists() {
        return Err(CliError::NoDatabase(db));
    }
    Store::open(&db).map_err(|e| match e {
        crate::store::StoreError::Sqlite(s) => CliError::DataDir {
            path: paths.data_dir.clone(),
            reason: format!("cannot open the database sync.db: {s}"),
        },
        other => other.into(),
    })
}

/// The stored order, or a refusal that names the code.
fn known_order(store: &Store, code: &str) -> Result<OrderRow, CliError> {
    store.order(code)?.ok_or_else(|| {
        CliError::Refused(format!("no order {code} in the local record (see `orders --search {code}`)"))
    })
}

/// Why `retry` would be wrong for this order, if it would.
fn retry_refusal(row: &OrderRow) -> Option<String> {
    let code = &row.code;
    match row.state {
        OrderState::Synced => Some(format!(
            "order {code} is synced{}: there is nothing to retry; `resync {code}` fetches it again and \
             brings its business case up to date",
            business_case(row)
        )),
        OrderState::Skipped => Some(format!("order {code} is skipped: `unskip {code}` queues it again")),
        OrderState::NeedsDecision => Some(format!(
            "order {code} waits for a decision: `resolve {code} --client ID` or `--create` \
             (the candidates: `show {code}`)"
        )),
        _ => None,
    }
}

fn business_case(row: &OrderRow) -> String {
    row.business_case_id.map(|id| format!(" (business case #{id})")).unwrap_or_default()
}

/// Why an order is where it is: the decision's question, the skip reason or the last error.
fn reason(store: &Store, r: &OrderRow) -> Result<Option<String>, CliError> {
    Ok(match r.state {
        OrderState::NeedsDecision => store.decision(&r.code)?.map(|d| d.reason).or(r.last_error.clone()),
        OrderState::Skipped => store.skip_reason(&r.code)?,
        OrderState::Pending | OrderState::Synced => None,
        OrderState::Queued | OrderState::Failed | OrderState::Dead => r.last_error.clone(),
    })
}

fn candidates(store: &Store, code: &str) -> Result<Vec<Candidate>, CliError> {
    Ok(store.decision(code)?.map(|d| d.candidates).unwrap_or_default())
}

fn print_candidates(store: &Store, code: &str, indent: &str) -> Result<(), CliError> {
    for c in candidates(store, code)? {
        let by = crate::engine::plan::by_label(&c.matched_by);
        let detail = c.detail.map(|d| format!("; {d}")).unwrap_or_default();
        println!("{indent}candidate #{}: {} — matched by {by}{detail}", c.raynet_id, c.name);
    }
    println!("{indent}choose: shoptet-raynet-sync resolve {code} --client ID | --create");
    Ok(())
}

/// The state as it is typed on the command line (`needs-decision`).
fn state_label(s: OrderState) -> String {
    s.as_str().replace('_', "-")
}

/// 2 when some orders failed, are dead or wait for a decision (or still wait in the queue).
pub fn exit_code(counts: &BTreeMap<OrderState, u64>) -> i32 {
    let waiting = [OrderState::Failed, OrderState::Dead, OrderState::NeedsDecision, OrderState::Queued]
        .iter()
        .map(|s| counts.get(s).copied().unwrap_or(0))
        .sum::<u64>();
    if waiting > 0 { EXIT_ORDERS_WAITING } else { EXIT_OK }
}

fn counts_json(counts: &BTreeMap<OrderState, u64>) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = OrderState::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), json!(counts.get(s).copied().unwrap_or(0))))
        .collect();
    serde_json::Value::Object(map)
}

fn print_counts(counts: &BTreeMap<OrderState, u64>) {
    let parts: Vec<String> = OrderState::ALL
        .iter()
        .map(|s| format!("{} {}", state_label(*s), counts.get(s).copied().unwrap_or(0)))
        .collect();
    println!("Orders: {}", parts.join(", "));
}

fn order_json(r: &OrderRow) -> serde_json::Value {
    json!({
        "code": r.code,
        "state": r.state.as_str(),
        "status_id": r.status_id,
        "status": r.status_name,
        "customer": r.customer,
        "email": r.email,
        "total_with_vat": r.total_with_vat.map(|t| t.to_string()),
        "currency": r.currency,
        "change_time": r.change_time.map(|t| t.to_rfc3339()),
        "business_case_id": r.business_case_id,
        "synced_at": r.synced_at.map(|t| t.to_rfc3339()),
        "attempts": r.attempts,
        "next_attempt_at": r.next_attempt_at.map(|t| t.to_rfc3339()),
        "last_error": r.last_error,
        "last_status": r.last_status,
    })
}

/// `order_json` plus why the order waits and, for an ambiguous client, the candidates.
fn order_json_full(store: &Store, r: &OrderRow) -> Result<serde_json::Value, CliError> {
    let mut v = order_json(r);
    v["reason"] = json!(reason(store, r)?);
    let list = if r.state == OrderState::NeedsDecision { candidates(store, &r.code)? } else { Vec::new() };
    v["candidates"] = list
        .iter()
        .map(|c| json!({ "id": c.raynet_id, "name": c.name, "matched_by": c.matched_by, "detail": c.detail }))
        .collect();
    Ok(v)
}

/// "1 order", "2 orders".
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A time in the local zone, with its offset.
fn local_time(t: DateTime<FixedOffset>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S %:z").to_string()
}

/// When something is due: seconds when it is soon, else the local time.
fn when(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (at - now).num_seconds();
    match secs {
        ..=0 => "now".into(),
        1..=59 => format!("in {secs} s"),
        60..=3599 => format!("in {} min {} s", secs / 60, secs % 60),
        _ => at.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).chain(['…']).collect() }
}

/// `YYYY-MM-DD` (midnight in the e-shop's offset) or RFC 3339.
pub fn parse_date(s: &str, tz: FixedOffset) -> Result<DateTime<FixedOffset>, CliError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t);
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| CliError::Usage(format!("--from {s:?}: use YYYY-MM-DD or an RFC 3339 time")))?;
    tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .ok_or_else(|| CliError::Usage(format!("--from {s:?} is not a valid local time")))
}
