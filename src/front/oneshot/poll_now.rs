//! `poll-now`: asks the running daemon to poll Shoptet at once. The request goes through the
//! store (the daemon looks every 250 ms, also while it waits between polls) and the command
//! waits until the daemon took it, then briefly for the poll itself.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::render::local_time;
use crate::config::Paths;
use crate::engine::api::EngineState;
use crate::runtime::{
    AppError, EXIT_FATAL, EXIT_NO_DAEMON, EXIT_OK, engine_running, noted_engine, open_existing,
};
use crate::store::{CommandStatus, ControlCommand, Store};
use crate::tui::i18n::Texts;

/// How long the daemon may take to pick the request up (it may be finishing an order).
const TAKE_WITHIN: Duration = Duration::from_secs(10);
/// How long to wait, once taken, for the poll to be recorded.
const POLL_WITHIN: Duration = Duration::from_secs(5);
const STEP: Duration = Duration::from_millis(100);

/// `poll-now`; what it says in `t`'s language.
pub async fn run(t: &Texts, paths: &Paths) -> Result<i32, AppError> {
    let (cli, dir) = (t.cli(), paths.data_dir.display().to_string());
    if !paths.database().exists() || !engine_running(paths) {
        eprintln!("{}", cli.no_daemon(&dir));
        return Ok(EXIT_NO_DAEMON);
    }
    let mut store = open_existing(paths)?;
    let process = noted_engine(&store);
    let who = cli.who(process.as_ref().map(|p| (p.pid, p.command.as_str())), &dir);
    if let Some(p) = process.as_ref().filter(|p| p.command != "run") {
        eprintln!("{}", cli.takes_no_requests(&p.command, p.pid, &dir));
        return Ok(EXIT_NO_DAEMON);
    }
    if let Some(reason) = cannot_poll(t, &store)? {
        eprintln!("{}", cli.poll_refused(&who, &reason));
        return Ok(EXIT_FATAL);
    }
    let asked_at = store.now();
    let id = store.request_command(ControlCommand::SyncNow)?;
    if !taken(&mut store, id).await? {
        eprintln!("{}", cli.poll_not_taken(&who, TAKE_WITHIN.as_secs()));
        return Ok(EXIT_NO_DAEMON);
    }
    match polled_since(&store, asked_at).await? {
        Some(at) => println!("{}", cli.polled_at(&who, &local_time(at.fixed_offset()))),
        None => println!("{}", cli.poll_taken(&who)),
    }
    Ok(EXIT_OK)
}

/// Why the engine will not poll now, from the state it recorded: paused, or stopped by a
/// problem that needs a person.
fn cannot_poll(t: &Texts, store: &Store) -> Result<Option<String>, AppError> {
    let state = store.snapshot()?.state.as_ref().and_then(EngineState::from_record);
    let cli = t.cli();
    Ok(match state {
        Some(EngineState::Paused) => Some(cli.poll_paused().into()),
        Some(EngineState::AuthProblem { service, problem }) => {
            Some(cli.poll_waits_credentials(
                &service.to_string(),
                &t.auth_issue(service, &problem, &chrono::Local),
            ))
        }
        Some(EngineState::ConfigProblem { problem }) => {
            Some(cli.poll_waits_config(&t.config_issue(&problem)))
        }
        _ => None,
    })
}

/// Waits until the engine takes request `id`; withdraws it when it does not in time.
async fn taken(store: &mut Store, id: i64) -> Result<bool, AppError> {
    let deadline = tokio::time::Instant::now() + TAKE_WITHIN;
    while tokio::time::Instant::now() < deadline {
        tokio::time::sleep(STEP).await;
        match store.command_status(id)? {
            CommandStatus::Waiting => {}
            // Gone: a daemon that started meanwhile cleared it, and it polls at its start.
            CommandStatus::Taken | CommandStatus::Gone => return Ok(true),
        }
    }
    Ok(!store.withdraw_command(id)?)
}

/// The poll the engine recorded after `asked_at`, if it comes within a few seconds.
async fn polled_since(store: &Store, asked_at: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, AppError> {
    let deadline = tokio::time::Instant::now() + POLL_WITHIN;
    loop {
        if let Some(at) = store.snapshot()?.last_poll.filter(|at| *at >= asked_at) {
            return Ok(Some(at));
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok(None);
        }
        tokio::time::sleep(STEP).await;
    }
}
