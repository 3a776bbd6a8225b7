//! `sync --once [--dry-run] [--json]`: one pass, or the plan of one.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use serde_json::json;

use super::progress;
use super::render::{counts_json, engine_error, exit_code, print_counts, said, texts};
use crate::config::{Config, Paths};
use crate::engine::api::{EngineCommand, EngineState};
use crate::engine::estimate::WorkKind;
use crate::engine::{Engine, EngineError, EngineParts, PassReport};
use crate::http::RetryPolicy;
use crate::runtime::{
    AppError, EXIT_OK, EXIT_ORDERS_WAITING, Global, PidNote, Signals, acquire_lock, load_config, open_store,
    print_error_as,
};
use crate::store::{OrderState, Reason, Store};
use crate::tui::i18n::Texts;

/// `sync --once`, with `--dry-run` and `--json`.
pub async fn run(global: &Global, paths: &Paths, dry_run: bool, json: bool) -> Result<i32, AppError> {
    let config = load_config(paths)?;
    crate::runtime::logging::init_stderr(global.log_level.as_deref());
    if dry_run {
        return self::dry_run(paths, config, json, texts(global)).await;
    }
    let _lock = acquire_lock(paths)?;
    let store = open_store(paths)?;
    let _pid = PidNote::write(paths, "sync --once");
    let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
    sync_once(texts(global), paths, &mut engine, json, false).await
}

async fn dry_run(paths: &Paths, config: Config, json: bool, t: &Texts) -> Result<i32, AppError> {
    let lang = t.lang;
    // A dry run on a fresh install must not even create the database.
    let store = if !paths.database().exists() { Store::open_in_memory()? } else { open_store(paths)? };
    let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
    let plans = engine.dry_run().await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "dry_run": true, "plans": plans_json(&plans, t) }))
                .unwrap_or_default()
        );
    } else if plans.is_empty() {
        println!("{}", t.cli().nothing_to_do);
    } else {
        for p in &plans {
            println!("{}", crate::tui::i18n::plan::order_plan(p, lang));
        }
        println!("{}", t.cli().planned(plans.len() as u64));
    }
    Ok(EXIT_OK)
}

/// One pass. SIGINT, SIGTERM or SIGHUP stop it after the order in flight (that order gets a
/// few seconds; past that, stopping mid-step is safe: every step is idempotent) and exit with
/// 128 + the signal number. A first sync or backfill says first how big it is (unless
/// `announced` already) and shows a progress bar on a terminal. Reasons in `t`'s language.
pub(super) async fn sync_once(
    t: &Texts,
    paths: &Paths,
    engine: &mut Engine,
    json: bool,
    announced: bool,
) -> Result<i32, AppError> {
    let commands = engine.command_sender();
    let status = engine.status();
    let follower = (!json).then(|| progress::follow(t.cli(), engine.status(), !announced));
    let mut signals = Signals::install();
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
    if let Some(f) = follower {
        let printed = f.finish().await || announced;
        announce_late(t, printed, &result);
    }
    let Some((signal, code)) = interrupted else {
        // Not interrupted: the pass ran to its end.
        let report = match result {
            // A passing failure (5xx, 429, an unreadable answer) while loading users, value
            // lists or the e-shop is no configuration problem: the orders wait for the next run.
            Some(Err(e)) if matches!(&e, EngineError::Api(api) if api.kind.is_retryable()) => {
                print_error_as(
                    t.cli().error_label,
                    &format!("{} — {}", engine_error(t, &e), t.cli().retry_later),
                );
                let counts = engine.store().counts()?;
                print_pass(t, &PassReport::default(), &counts, EXIT_ORDERS_WAITING, json, None);
                return Ok(EXIT_ORDERS_WAITING);
            }
            Some(r) => r?,
            None => PassReport::default(),
        };
        let counts = engine.store().counts()?;
        // Shoptet could not be read: not everything that should be synced may be.
        let code = if report.poll_error.is_some() {
            EXIT_ORDERS_WAITING
        } else {
            exit_code(&without_waiting_backfill(engine, &report, &counts)?)
        };
        print_pass(t, &report, &counts, code, json, None);
        return Ok(code);
    };
    print_interrupted(t, paths, engine, result, (signal, code), json)
}

/// The estimate of a first sync or backfill, when the pass ended before it was shown.
fn announce_late(t: &Texts, printed: bool, result: &Option<Result<PassReport, EngineError>>) {
    if let Some(Ok(report)) = result
        && !printed
        && let Some(e) = report.estimate.as_ref().filter(|e| e.kind != WorkKind::Backlog)
    {
        println!("{}", t.cli().describe(e, Utc::now()));
    }
}

/// The end of a pass a signal stopped: what it did, and where the next run goes on.
fn print_interrupted(
    t: &Texts,
    paths: &Paths,
    engine: &Engine,
    result: Option<Result<PassReport, EngineError>>,
    (signal, code): (&'static str, i32),
    json: bool,
) -> Result<i32, AppError> {
    let finished = result.is_some();
    let report = match result {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            print_error_as(t.cli().error_label, &engine_error(t, &e));
            PassReport::default()
        }
        None => {
            tracing::warn!("the step in flight did not finish in time; stopped it (it is safe to redo)");
            PassReport::default()
        }
    };
    note_stopped(paths);
    let counts = engine.store().counts()?;
    let note = t.cli().interrupted(signal, finished);
    print_pass(t, &report, &counts, code, json, Some(&note));
    Ok(code)
}

/// The counts without the backfill orders that wait for RAYNET's budget to reset: they wait as
/// planned (new orders keep the day's reserve), so they do not make the exit code 2.
fn without_waiting_backfill(
    engine: &Engine,
    report: &PassReport,
    counts: &BTreeMap<OrderState, u64>,
) -> Result<BTreeMap<OrderState, u64>, AppError> {
    let mut counts = counts.clone();
    if report.backfill_waits_until.is_some() {
        // The pass stopped at the first of them: every job still due is a waiting backfill order.
        let waiting = engine.store().count_due_jobs(engine.store().now())?;
        if let Some(q) = counts.get_mut(&OrderState::Queued) {
            *q = q.saturating_sub(waiting);
        }
    }
    Ok(counts)
}

/// Records for `status` that the engine stopped (it may have been cut off mid-step).
fn note_stopped(paths: &Paths) {
    if let Ok(mut store) = open_store(paths) {
        let _ = store.set_engine_state(&EngineState::Stopped.record());
    }
}

/// Dry-run plans as JSON: `problem` stays a text for people (in `t`'s language, as the stable
/// output has always had it), `problem_code` says what kind of problem it is.
fn plans_json(plans: &[crate::engine::plan::OrderPlan], t: &Texts) -> serde_json::Value {
    let mut v = serde_json::to_value(plans).unwrap_or_default();
    if let Some(list) = v.as_array_mut() {
        for (p, out) in plans.iter().zip(list) {
            out["problem"] = json!(p.problem.as_ref().map(|r| said(t, r)));
            out["problem_code"] = json!(p.problem.as_ref().map(Reason::code));
        }
    }
    v
}

/// A pass's report as JSON: its fields, with each reason in `t`'s language and its
/// `reason_code`.
fn report_json(report: &PassReport, t: &Texts) -> serde_json::Value {
    let text = |r: Option<&Reason>| json!(r.map(|r| said(t, r)));
    let mut v = serde_json::to_value(report).unwrap_or_default();
    v["poll_error"] = text(report.poll_error.as_ref());
    if let Some(outcomes) = v["outcomes"].as_array_mut() {
        for (o, out) in report.outcomes.iter().zip(outcomes) {
            out["reason"] = text(o.reason.as_ref());
            out["reason_code"] = json!(o.reason.as_ref().map(Reason::code));
        }
    }
    v
}

/// Prints a pass's report: JSON (`sync --once --json`) or text; reasons in `t`'s language.
fn print_pass(
    t: &Texts,
    report: &PassReport,
    counts: &BTreeMap<OrderState, u64>,
    code: i32,
    json: bool,
    interrupted: Option<&str>,
) {
    if json {
        let out = json!({
            "report": report_json(report, t),
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
    let (cli, now) = (t.cli(), Utc::now());
    let r = report;
    println!("{}", cli.pass_done(r.seen, r.synced, r.created, r.updated, r.failed, r.needs_decision));
    if let Some(e) = &report.poll_error {
        println!("{}", cli.poll_error(&said(t, e)));
    }
    if let Some(until) = report.backfill_waits_until {
        println!("{}", cli.backfill_waits(&cli.when(until, now)));
    }
    for o in report.outcomes.iter().filter(|o| o.result != "synced") {
        let next = o
            .next_attempt_at
            .map(|at| format!(" ({})", cli.next_attempt(&cli.when(at, now))))
            .unwrap_or_default();
        let why = o.reason.as_ref().map(|r| said(t, r)).unwrap_or_default();
        println!("  {} {}: {why}{next}", o.code, cli.outcome(&o.result));
    }
    print_counts(t, counts);
    if let Some(note) = interrupted {
        println!("{note}");
    }
}
