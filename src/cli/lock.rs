//! One engine per data directory: an exclusive lock on a file next to the database.

use std::fs::File;
use std::path::Path;

use super::CliError;

/// Held while an engine runs; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct EngineLock {
    _file: File,
}

impl EngineLock {
    /// Creates the lock file 0600 (and its directory 0700) when missing.
    pub fn acquire(path: &Path) -> Result<EngineLock, CliError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::config::ensure_private_dir(dir)?;
        }
        let file = crate::config::open_private_file(path)?;
        match file.try_lock() {
            Ok(()) => Ok(EngineLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(CliError::Locked(path.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => Err(CliError::Io(e)),
        }
    }
}
