//! The dashboard's link when another process (the daemon) holds the engine.

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::{broadcast, watch};

use crate::engine::api::{EngineCommand, EngineEvent, EngineState, EngineStatus, Rejection};
use crate::engine::estimate::Estimate;
use crate::runtime::AppError;
use crate::store::{CommandStatus, ControlCommand, EngineSnapshot, RecordedProgress, Store};
use crate::tui::{EngineLink, Lang};

/// How often the link looks at the daemon's record.
const FOLLOW_EVERY: Duration = Duration::from_millis(250);
/// How long a command may wait for the daemon before it is withdrawn.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// A link for a dashboard opened while the daemon runs. Poll now, pause and resume are left in
/// the store, where the daemon takes them within 250 ms; commands that only change the local
/// record (retry, re-sync, skip, resolve) are written to the store, where the daemon picks
/// them up within a second; the others (backfill) are refused with a note.
/// (`_lang`: the dashboard's language; rejections travel typed and are worded there.)
pub fn remote_link(db: PathBuf, _lang: Lang) -> Result<EngineLink, AppError> {
    let mut store = Store::open(&db)?;
    let alive = crate::runtime::noted_engine_alive(&store);
    let first = status_of(&store.snapshot()?, store.progress()?.as_ref(), alive, &EngineStatus::default());
    let (commands, mut rx) = tokio::sync::mpsc::unbounded_channel::<EngineCommand>();
    let (events, events_rx) = broadcast::channel(64);
    let (status_tx, status) = watch::channel(first);
    follow_the_daemon(db.clone(), status_tx);
    tokio::spawn(async move {
        while let Some(cmd) = rx.recv().await {
            if matches!(cmd, EngineCommand::Shutdown) {
                break;
            }
            let result = match cmd.as_control() {
                Some(control) => leave_for_the_daemon(&mut store, &db, control, events.clone()),
                None => match crate::engine::local::apply_local(&mut store, &cmd) {
                    Some(r) => r.map_err(Rejection::from),
                    None => Err(Rejection::DaemonOwns),
                },
            };
            if let Err(reason) = result {
                let _ = events.send(EngineEvent::CommandRejected { reason });
            }
        }
    });
    Ok(EngineLink { commands, events: events_rx, status })
}

/// Leaves `control` for the daemon and watches, on the side, that it is taken; one nobody takes
/// within 5 s is withdrawn and reported as rejected.
fn leave_for_the_daemon(
    store: &mut Store,
    db: &std::path::Path,
    control: ControlCommand,
    events: broadcast::Sender<EngineEvent>,
) -> Result<(), Rejection> {
    let id = store.request_command(control)?;
    let db = db.to_path_buf();
    tokio::spawn(async move {
        let Ok(mut store) = Store::open(&db) else { return };
        let deadline = tokio::time::Instant::now() + ANSWER_WITHIN;
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if !matches!(store.command_status(id), Ok(CommandStatus::Waiting)) {
                return;
            }
        }
        if store.withdraw_command(id).unwrap_or(false) {
            let _ = events.send(EngineEvent::CommandRejected { reason: Rejection::NoAnswer });
        }
    });
    Ok(())
}

/// The dashboard's view of the daemon from its snapshot: the state it recorded (`Stopped` once
/// the process named by its pid note is gone — a clean stop, a crash or a kill alike), its last
/// and next poll, its last sync and the long work it runs (as the Overview's gauge shows it
/// for an engine in the dashboard's own process).
fn status_of(
    snapshot: &EngineSnapshot,
    progress: Option<&RecordedProgress>,
    alive: bool,
    before: &EngineStatus,
) -> EngineStatus {
    let state = if alive {
        snapshot.state.as_ref().and_then(EngineState::from_record).unwrap_or(EngineState::Idle)
    } else {
        EngineState::Stopped
    };
    let progress = progress.filter(|_| alive);
    EngineStatus {
        next_poll: if alive { snapshot.next_poll } else { None },
        last_poll: snapshot.last_poll,
        last_success: snapshot.last_synced_at,
        state,
        progress: progress.map(|p| (p.done, p.total)),
        // An estimate this build cannot read leaves the gauge with its counts.
        estimate: progress
            .and_then(|p| p.estimate.as_deref())
            .and_then(|e| serde_json::from_str::<Estimate>(e).ok()),
        ..before.clone()
    }
}

/// Keeps the dashboard's view of the daemon current, four times a second.
fn follow_the_daemon(db: PathBuf, status: watch::Sender<EngineStatus>) {
    tokio::spawn(async move {
        let Ok(store) = Store::open(&db) else { return };
        loop {
            tokio::time::sleep(FOLLOW_EVERY).await;
            if status.is_closed() {
                return;
            }
            let Ok(snapshot) = store.snapshot() else { continue };
            let progress = store.progress().ok().flatten();
            let alive = crate::runtime::noted_engine_alive(&store);
            status.send_if_modified(|s| {
                let new = status_of(&snapshot, progress.as_ref(), alive, s);
                let changed = *s != new;
                *s = new;
                changed
            });
        }
    });
}
