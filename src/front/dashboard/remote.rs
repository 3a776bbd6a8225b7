//! The dashboard's link when another process (the daemon) holds the engine.

use crate::engine::api::{EngineCommand, EngineEvent, EngineState, EngineStatus};
use crate::runtime::AppError;
use crate::store::Store;
use crate::tui::{EngineLink, Lang};

/// A link for a dashboard opened while the daemon runs: commands that only change the local
/// record (retry, re-sync, skip, resolve) are written to the store, where the daemon picks
/// them up within a second; the others are refused with a note.
pub(super) fn remote_link(db: std::path::PathBuf, lang: Lang) -> Result<EngineLink, AppError> {
    let mut store = Store::open(&db)?;
    let state: EngineState = store
        .get_meta("engine_state")?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(EngineState::Idle);
    let (commands, mut rx) = tokio::sync::mpsc::unbounded_channel::<EngineCommand>();
    let (events, events_rx) = tokio::sync::broadcast::channel(64);
    let (status_tx, status) = tokio::sync::watch::channel(EngineStatus { state, ..Default::default() });
    tokio::spawn(async move {
        let _keep = status_tx;
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
