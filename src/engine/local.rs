//! Commands that only change the local record (the retry queue and decisions). The engine,
//! a dashboard beside a running daemon, and the CLI all apply them through here.

use crate::store::{DecisionChoice, Store, StoreError};

use super::api::{ClientChoice, EngineCommand};

/// Applies `cmd` to the store when it needs nothing but the store; `None` for commands only
/// a running engine can carry out (poll now, backfill, pause, resume, shutdown).
pub fn apply_local(store: &mut Store, cmd: &EngineCommand) -> Option<Result<(), StoreError>> {
    Some(match cmd {
        EngineCommand::Retry { code } => store.retry_now(code),
        EngineCommand::RetryAll => store.retry_all().map(|_| ()),
        EngineCommand::Resync { code } => resync(store, code),
        EngineCommand::Skip { code, reason } => store.skip(code, reason),
        EngineCommand::Resolve { code, choice } => store.set_decision_choice(code, &decision_choice(choice)),
        EngineCommand::SyncNow
        | EngineCommand::Backfill { .. }
        | EngineCommand::Pause
        | EngineCommand::Resume
        | EngineCommand::Shutdown => return None,
    })
}

/// Fetch again and sync as if new: the hash is forgotten, attempts start over, due now.
pub fn resync(store: &mut Store, code: &str) -> Result<(), StoreError> {
    store.forget_hash(code)?;
    store.reset_attempts(code)?;
    store.retry_now(code)
}

pub fn decision_choice(choice: &ClientChoice) -> DecisionChoice {
    match choice {
        ClientChoice::Existing(id) => DecisionChoice::Existing(*id),
        ClientChoice::CreateNew => DecisionChoice::CreateNew,
    }
}
