//! The dashboard's link when another process (the daemon) holds the engine.

use crate::engine::api::{EngineCommand, EngineEvent, EngineState, EngineStatus};
use crate::runtime::AppError;
use crate::store::Store;
use crate::tui::{EngineLink, Lang};

/// A link for a dashboard opened while the daemon runs: commands that only change the local
/// record (retry, re-sync, skip, resolve) are written to the store, where the daemon picks
/// them up within a second; the others are refused with a note.
pub fn remote_link(db: std::path::PathBuf, lang: Lang) -> Result<EngineLink, AppError> {
    let mut store = Store::open(&db)?;
    let state: EngineState = store
        .get_meta("engine_state")?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(EngineState::Idle);
    let (commands, mut rx) = tokio::sync::mpsc::unbounded_channel::<EngineCommand>();
    let (events, events_rx) = tokio::sync::broadcast::channel(64);
    let (status_tx, status) = tokio::sync::watch::channel(EngineStatus { state, ..Default::default() });
    follow_the_daemon(db, status_tx);
    tokio::spawn(async move {
        while let Some(cmd) = rx.recv().await {
            if matches!(cmd, EngineCommand::Shutdown) {
                break;
            }
            let result = match crate::engine::local::apply_local(&mut store, &cmd) {
                Some(r) => r.map_err(|e| e.to_string()),
                None => Err(lang.texts().daemon_owns.to_string()),
            };
            if let Err(reason) = result {
                let _ = events.send(EngineEvent::CommandRejected { reason });
            }
        }
    });
    Ok(EngineLink { commands, events: events_rx, status })
}

/// Keeps the dashboard's view of the daemon current: twice a second, the state the daemon
/// recorded — or `Stopped` once the process named by its pid note is gone (a clean stop, a
/// crash or a kill alike).
fn follow_the_daemon(db: std::path::PathBuf, status: tokio::sync::watch::Sender<EngineStatus>) {
    tokio::spawn(async move {
        let Ok(store) = Store::open(&db) else { return };
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            if status.is_closed() {
                return;
            }
            let state = if crate::runtime::noted_engine_alive(&store) {
                store
                    .get_meta("engine_state")
                    .ok()
                    .flatten()
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or(EngineState::Idle)
            } else {
                EngineState::Stopped
            };
            status.send_if_modified(|s| {
                let changed = s.state != state;
                s.state = state.clone();
                changed
            });
        }
    });
}
