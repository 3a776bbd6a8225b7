//! The headless commands: `sync`, `run`, `status`, `orders`, `retry`, `resync`, `skip`,
//! `resolve`, `backfill`.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde_json::json;

use crate::engine::api::EngineCommand;
use crate::engine::{Engine, EngineParts};
use crate::http::RetryPolicy;
use crate::store::{DecisionChoice, OrderQuery, OrderRow, OrderSort, OrderState, Store};

use super::{
    CliError, Command, EXIT_FATAL, EXIT_OK, EXIT_ORDERS_WAITING, EngineLock, Global, load_config, open_store,
    paths,
};

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
            let _lock = if a.dry_run { None } else { Some(EngineLock::acquire(&paths.lock_file())?) };
            // A dry run on a fresh install must not even create the database.
            let store = if a.dry_run && !paths.database().exists() {
                Store::open_in_memory()?
            } else {
                open_store(&paths)?
            };
            let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
            if a.dry_run {
                let plans = engine.dry_run().await?;
                if a.json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&json!({ "dry_run": true, "plans": plans }))
                            .unwrap_or_default()
                    );
                } else if plans.is_empty() {
                    println!("Nothing to do: no order needs syncing.");
                } else {
                    for p in &plans {
                        println!("{p}");
                    }
                    println!("{} orders planned; nothing was written (dry run).", plans.len());
                }
                return Ok(EXIT_OK);
            }
            let report = engine.sync_once().await?;
            let counts = engine.store().counts()?;
            // Shoptet could not be read: not everything that should be synced may be.
            let code = if report.poll_error.is_some() { EXIT_ORDERS_WAITING } else { exit_code(&counts) };
            if a.json {
                let out = json!({ "report": report, "counts": counts_json(&counts), "exit_code": code });
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                println!(
                    "Pass done: {} orders read, {} synced ({} new business cases, {} updated), {} failed, {} need a decision.",
                    report.seen,
                    report.synced,
                    report.created,
                    report.updated,
                    report.failed,
                    report.needs_decision
                );
                if let Some(e) = &report.poll_error {
                    println!("  Shoptet could not be read: {e}");
                }
                for o in report.outcomes.iter().filter(|o| o.result != "synced") {
                    println!("  {} {}: {}", o.code, o.result, o.reason.as_deref().unwrap_or(""));
                }
                print_counts(&counts);
            }
            Ok(code)
        }
        Command::Run => {
            let config = load_config(&paths)?;
            let _guard = crate::logging::init_file(&paths.log_dir(), global.log_level.as_deref())?;
            eprintln!("shoptet-raynet-sync daemon: logging to {}", paths.log_dir().display());
            let _lock = EngineLock::acquire(&paths.lock_file())?;
            let store = open_store(&paths)?;
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
            let grace = std::time::Duration::from_millis(if in_flight { 5_000 } else { 300 });
            if tokio::time::timeout(grace, task).await.is_err() {
                tracing::warn!(
                    "the step in flight did not finish within 5 s; stopped it (it is safe to redo)"
                );
                abort.abort();
            }
            if let Some(s) = server {
                s.stop().await;
            }
            Ok(EXIT_OK)
        }
        Command::Status { json } => {
            let store = open_existing(&paths)?;
            let counts = store.counts()?;
            let meta = |k: &str| store.get_meta(k).ok().flatten();
            let state: serde_json::Value =
                meta("engine_state").and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(json!(null));
            let rate: serde_json::Value =
                meta("rate_limit:raynet").and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(json!(null));
            let out = json!({
                "counts": counts_json(&counts),
                "cursor": store.cursor()?.map(|c| c.to_rfc3339()),
                "last_synced_at": store.last_synced_at()?.map(|t| t.to_rfc3339()),
                "last_poll": meta("last_poll"),
                "engine_state": state,
                "rate_limit": { "raynet": rate },
                "eshop": meta("eshop_name"),
                "engine_running": engine_running(&paths),
                "database": paths.database(),
            });
            if json {
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                println!("Database:        {}", paths.database().display());
                if let Some(e) = meta("eshop_name") {
                    println!("E-shop:          {e}");
                }
                println!(
                    "Engine state:    {}",
                    state.get("state").and_then(|s| s.as_str()).unwrap_or("unknown")
                );
                println!("Cursor:          {}", out["cursor"].as_str().unwrap_or("not yet"));
                println!("Last poll:       {}", out["last_poll"].as_str().unwrap_or("never"));
                println!("Last sync:       {}", out["last_synced_at"].as_str().unwrap_or("never"));
                if let Some(r) = rate.as_object() {
                    println!(
                        "RAYNET requests: {} of {} left today",
                        r.get("remaining").map(|v| v.to_string()).unwrap_or("?".into()),
                        r.get("limit").map(|v| v.to_string()).unwrap_or("?".into())
                    );
                }
                print_counts(&counts);
            }
            Ok(EXIT_OK)
        }
        Command::Orders { state, search, limit, json } => {
            let store = open_existing(&paths)?;
            let states = match state {
                Some(s) => vec![s.parse::<OrderState>().map_err(|_| {
                    CliError::Usage(format!(
                        "unknown state {s:?}; use one of: pending, queued, synced, failed, needs-decision, skipped, dead"
                    ))
                })?],
                None => Vec::new(),
            };
            let q = OrderQuery {
                states,
                search,
                sort: OrderSort::ChangeTime,
                descending: true,
                offset: 0,
                limit,
            };
            let rows = store.orders_page(&q)?;
            if json {
                let out: Vec<_> = rows.iter().map(order_json).collect();
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                println!(
                    "{:<14} {:<15} {:<14} {:<28} {:>12} {:<4} {:>3} LAST ERROR",
                    "CODE", "STATE", "STATUS", "CUSTOMER", "TOTAL", "CUR", "TRY"
                );
                for r in &rows {
                    println!(
                        "{:<14} {:<15} {:<14} {:<28} {:>12} {:<4} {:>3} {}",
                        r.code,
                        r.state.as_str(),
                        clip(r.status_name.as_deref().unwrap_or(""), 14),
                        clip(r.customer.as_deref().unwrap_or(""), 28),
                        r.total_with_vat.map(|t| t.to_string()).unwrap_or_default(),
                        r.currency.as_deref().unwrap_or(""),
                        r.attempts,
                        r.last_error.as_deref().map(|e| clip(e, 60)).unwrap_or_default()
                    );
                }
                println!("{} of {} orders", rows.len(), store.count_orders(&q)?);
            }
            Ok(EXIT_OK)
        }
        Command::Retry { codes, all } => {
            let mut store = open_existing(&paths)?;
            if all {
                let n = store.retry_all()?;
                println!("{n} orders queued for an immediate retry.");
            } else if codes.is_empty() {
                return Err(CliError::Usage("give order codes or --all".into()));
            } else {
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
            crate::engine::local::resync(&mut store, &code)?;
            println!("{code}: will be fetched again and its business case brought up to date.");
            Ok(EXIT_OK)
        }
        Command::Skip { code, reason } => {
            let mut store = open_existing(&paths)?;
            store.skip(&code, &reason)?;
            println!("{code}: skipped ({reason}).");
            Ok(EXIT_OK)
        }
        Command::Resolve { code, client, create } => {
            let mut store = open_existing(&paths)?;
            let Some(decision) = store.decision(&code)? else {
                return Err(CliError::Usage(format!("order {code} does not wait for a decision")));
            };
            let choice = match (client, create) {
                (Some(id), _) => {
                    if !decision.candidates.iter().any(|c| c.raynet_id == id) {
                        eprintln!(
                            "note: client #{id} is not one of the candidates; linking it as you asked."
                        );
                    }
                    DecisionChoice::Existing(id)
                }
                (None, true) => DecisionChoice::CreateNew,
                (None, false) => return Err(CliError::Usage("give --client ID or --create".into())),
            };
            store.set_decision_choice(&code, &choice)?;
            println!("{code}: decision saved; the order is queued.");
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
                "{n} final orders created since {from} queued at low priority; `run` or `sync --once` syncs them."
            );
            Ok(EXIT_OK)
        }
        Command::Demo { .. } | Command::Setup | Command::Sim { .. } => Ok(EXIT_FATAL),
    }
}

/// Whether an engine (daemon, dashboard or a sync) holds this data directory's lock now.
fn engine_running(paths: &crate::config::Paths) -> bool {
    matches!(EngineLock::acquire(&paths.lock_file()), Err(CliError::Locked(_)))
}

fn open_existing(paths: &crate::config::Paths) -> Result<Store, CliError> {
    let db = paths.database();
    if !db.exists() {
        return Err(CliError::Usage(format!(
            "no database at {} yet — run `shoptet-raynet-sync sync --once` or `run` first",
            db.display()
        )));
    }
    Ok(Store::open(&db)?)
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
        .map(|s| format!("{} {}", s.as_str(), counts.get(s).copied().unwrap_or(0)))
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
