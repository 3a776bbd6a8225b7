//! One engine per data directory: an exclusive lock on a file next to the database.

use std::fs::{File, OpenOptions};
use std::path::Path;

use super::CliError;

/// Held while an engine runs; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct EngineLock {
    _file: File,
}

impl EngineLock {
    pub fn acquire(path: &Path) -> Result<EngineLock, CliError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(EngineLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(CliError::Locked(path.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => Err(CliError::Io(e)),
        }
    }
}
