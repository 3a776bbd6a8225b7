//! One engine per data directory: an exclusive lock on a file next to the database, and a
//! note in the store's engine snapshot naming the process that holds it (for `status`).

use std::fs::File;
use std::path::Path;

use chrono::Utc;

use super::AppError;
use crate::config::Paths;
use crate::store::{EngineProcess, Store};

/// Held while an engine runs; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct EngineLock {
    _file: File,
}

impl EngineLock {
    /// Creates the lock file 0600 (and its directory 0700) when missing.
    pub fn acquire(path: &Path) -> Result<EngineLock, AppError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::config::ensure_private_dir(dir)?;
        }
        let file = crate::config::open_private_file(path)?;
        match file.try_lock() {
            Ok(()) => Ok(EngineLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(AppError::Locked(path.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => Err(AppError::Io(e)),
        }
    }
}

/// The engine lock, with an I/O failure named as the data directory's.
pub fn acquire_lock(paths: &Paths) -> Result<EngineLock, AppError> {
    EngineLock::acquire(&paths.lock_file()).map_err(|e| match e {
        AppError::Io(io) => {
            AppError::data_dir(&paths.data_dir, Some("cannot create the lock file engine.lock"), &io)
        }
        other => other,
    })
}

/// Whether an engine (daemon, dashboard or a sync) holds this data directory's lock now.
pub fn engine_running(paths: &Paths) -> bool {
    matches!(EngineLock::acquire(&paths.lock_file()), Err(AppError::Locked(_)))
}

/// Notes in the store which process runs the engine (for `status`); removed when dropped.
pub struct PidNote {
    paths: Paths,
}

impl PidNote {
    pub fn write(paths: &Paths, command: &str) -> PidNote {
        let note = EngineProcess { pid: std::process::id(), command: command.to_string(), since: Utc::now() };
        if let Ok(mut store) = Store::open(&paths.database()) {
            let _ = store.set_engine_process(&note);
        }
        PidNote { paths: paths.clone() }
    }
}

impl Drop for PidNote {
    fn drop(&mut self) {
        if let Ok(mut store) = Store::open(&self.paths.database()) {
            let _ = store.clear_engine_process(std::process::id());
        }
    }
}

/// Whether the process named by the engine's pid note is alive (`false` without a note). Where
/// `/proc` is missing, a note counts as alive.
pub fn noted_engine_alive(store: &Store) -> bool {
    noted_engine(store).is_some()
}

/// The process the engine's pid note names, when it is alive.
pub fn noted_engine(store: &Store) -> Option<EngineProcess> {
    store.snapshot().ok()?.process.filter(|p| process_alive(u64::from(p.pid)))
}

/// Whether process `pid` exists (read from `/proc`; `true` where there is no `/proc`).
pub fn process_alive(pid: u64) -> bool {
    let proc = std::path::Path::new("/proc");
    if !proc.is_dir() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}
