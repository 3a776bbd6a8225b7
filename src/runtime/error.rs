//! The error every front end reports: one message on stderr and an exit code.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::exit::{EXIT_FATAL, EXIT_USAGE};
use crate::config::ConfigError;
use crate::engine::EngineError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Engine(#[from] EngineError),
    /// The command line itself is wrong: exit code 64.
    #[error("{0}")]
    Usage(String),
    /// The command is understood but refused (e.g. an order in the wrong state).
    #[error("{0}")]
    Refused(String),
    #[error("no database at {} yet: run `shoptet-raynet-sync sync --once` or `run` first", .0.display())]
    NoDatabase(PathBuf),
    /// The data directory (database, logs, lock) cannot be used.
    #[error("data directory {}: {reason}", path.display())]
    DataDir { path: PathBuf, reason: String },
    #[error(
        "another shoptet-raynet-sync engine is running on this data directory ({0}); stop it first or use `status`"
    )]
    Locked(PathBuf),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl AppError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Usage(_) => EXIT_USAGE,
            _ => EXIT_FATAL,
        }
    }

    /// An I/O error met while using the data directory, named as such.
    pub fn data_dir(path: &Path, what: Option<&str>, e: &std::io::Error) -> AppError {
        let reason = io_reason(e);
        AppError::DataDir {
            path: path.to_path_buf(),
            reason: match what {
                Some(w) => format!("{w}: {reason}"),
                None => reason,
            },
        }
    }
}

/// An OS error in words, without the "(os error N)" tail.
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotADirectory | K::AlreadyExists => "not a directory".into(),
        K::PermissionDenied => "permission denied".into(),
        K::NotFound => "does not exist".into(),
        K::ReadOnlyFilesystem => "on a read-only file system".into(),
        K::StorageFull => "the disk is full".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_lowercase(),
                None => text,
            }
        }
    }
}

/// `error: …` on stderr; bold only when stderr is a terminal (not in cron mail or journald).
pub fn print_error(message: &str) {
    print_error_as("error", message);
}

/// `print_error` with the word for "error" in the user's language.
pub fn print_error_as(label: &str, message: &str) {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
        eprintln!("\x1b[1;31m{label}:\x1b[0m {message}");
    } else {
        eprintln!("{label}: {message}");
    }
}
