//! Process-wide tracing setup: a daily-rotating log file for long-running front ends, stderr
//! for headless commands. The filter is `level` when given, else `RUST_LOG`, else `info`.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::EnvFilter;

const FILE_PREFIX: &str = "shoptet-raynet-sync";
const KEEP_FILES: usize = 14;

/// Keeps the background log writer alive; dropping it flushes the remaining lines.
#[must_use = "logs are lost when the guard is dropped"]
pub struct LogGuard {
    _worker: Option<WorkerGuard>,
}

/// Logs to `log_dir/shoptet-raynet-sync.YYYY-MM-DD.log`, keeping 14 files. Returns an inert
/// guard when a global subscriber is already installed.
pub fn init_file(log_dir: &Path, level: Option<&str>) -> Result<LogGuard, std::io::Error> {
    if tracing::dispatcher::has_been_set() {
        return Ok(LogGuard { _worker: None });
    }
    let filter =
        filter(level).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    std::fs::create_dir_all(log_dir)?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(log_dir)
        .map_err(std::io::Error::other)?;
    let (writer, worker) = tracing_appender::non_blocking(appender);
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .is_ok();
    Ok(LogGuard { _worker: installed.then_some(worker) })
}

/// Logs to stderr; does nothing when a global subscriber is already installed. An unusable
/// `level` falls back to `info`.
pub fn init_stderr(level: Option<&str>) {
    if tracing::dispatcher::has_been_set() {
        return;
    }
    let filter = filter(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

fn filter(level: Option<&str>) -> Result<EnvFilter, tracing_subscriber::filter::ParseError> {
    match level.map(str::trim).filter(|l| !l.is_empty()) {
        Some(l) => EnvFilter::try_new(l),
        None => Ok(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))),
    }
}

#[cfg(test)]
mod tests {
    use super::filter;

    #[test]
    fn bad_level_is_rejected() {
        assert!(filter(Some("info,[[[")).is_err());
        assert!(filter(Some("debug")).is_ok());
    }
}
