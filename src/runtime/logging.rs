//! Process-wide tracing setup: a daily-rotating log file for long-running front ends, stderr
//! for headless commands. The filter is `level` when given, else `RUST_LOG`, else `info`.
//!
//! Every line passes through [`crate::config::redact`] before it is written, so a credential
//! echoed in an error body never reaches a log. Log files are created 0600 in a 0700 `logs/`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};

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

/// Logs to `log_dir/shoptet-raynet-sync.YYYY-MM-DD.log` (UTC date), keeping 14 files. The
/// directory is created 0700 (an existing one keeps its mode), the files 0600. Returns an
/// inert guard when a global subscriber is already installed.
pub fn init_file(log_dir: &Path, level: Option<&str>) -> Result<LogGuard, std::io::Error> {
    if tracing::dispatcher::has_been_set() {
        return Ok(LogGuard { _worker: None });
    }
    let filter =
        filter(level).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    crate::config::ensure_private_dir(log_dir)?;
    // Created before the appender opens it, so the first file is private from its first byte.
    crate::config::create_private_file(&log_dir.join(file_name(Utc::now().date_naive())))?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(log_dir)
        .map_err(std::io::Error::other)?;
    let private = PrivateFiles { inner: appender, dir: log_dir.to_path_buf(), day: None };
    let (writer, worker) = tracing_appender::non_blocking(Redacting(private));
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
    // Colour only on a terminal: cron mail and the journal get plain text.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(|| Redacting(Stderr))
        .try_init();
}

/// Wraps each write of a log line to stderr, e.g. a progress bar's `suspend`.
pub type AroundStderr = Box<dyn Fn(&mut dyn FnMut()) + Send + Sync>;

static AROUND_STDERR: std::sync::RwLock<Option<AroundStderr>> = std::sync::RwLock::new(None);

/// While a front end draws on stderr (a progress bar), log lines are written through `around`,
/// so they appear above the drawing instead of tearing it; `None` when it is gone.
pub fn around_stderr(around: Option<AroundStderr>) {
    *AROUND_STDERR.write().unwrap_or_else(|e| e.into_inner()) = around;
}

/// stderr, through [`around_stderr`]'s wrapper when one is set.
struct Stderr;

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut result = Ok(());
        {
            let mut write = || result = io::stderr().write_all(buf);
            match AROUND_STDERR.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
                Some(around) => around(&mut write),
                None => write(),
            }
        }
        result.map(|()| buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

/// Whether the process runs under systemd with its stderr connected to the journal
/// (`JOURNAL_STREAM` is set), where a daemon should log to stderr rather than to files.
pub fn under_journald() -> bool {
    std::env::var_os("JOURNAL_STREAM").is_some_and(|v| !v.is_empty())
}

/// The name the daily appender gives the file of `day`.
fn file_name(day: NaiveDate) -> String {
    format!("{FILE_PREFIX}.{}.log", day.format("%Y-%m-%d"))
}

/// Writes each formatted line with its credentials removed. The formatter hands over one
/// whole event per `write`, so a secret is never split across two calls.
struct Redacting<W>(W);

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) => self.0.write_all(crate::config::redact::redact(text).as_bytes())?,
            Err(_) => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Keeps the appender's files 0600: on the first write of each day, the day's file is created
/// private before the appender rolls over to it, and any of our files left more open (by an
/// older version, or a different clock) is tightened.
struct PrivateFiles<W> {
    inner: W,
    dir: PathBuf,
    day: Option<NaiveDate>,
}

impl<W: Write> Write for PrivateFiles<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let today = Utc::now().date_naive();
        let new_day = self.day != Some(today);
        if new_day {
            let _ = crate::config::create_private_file(&self.dir.join(file_name(today)));
        }
        let n = self.inner.write(buf)?;
        if new_day {
            tighten(&self.dir);
            self.day = Some(today);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Sets 0600 on our log files in `dir` that others may read. Best effort.
#[cfg(unix)]
fn tighten(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let ours =
            entry.file_name().to_str().is_some_and(|n| n.starts_with(FILE_PREFIX) && n.ends_with(".log"));
        let Ok(meta) = entry.metadata() else { continue };
        if ours && meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            let mode = std::fs::Permissions::from_mode(crate::config::PRIVATE_FILE_MODE);
            let _ = std::fs::set_permissions(entry.path(), mode);
        }
    }
}

#[cfg(not(unix))]
fn tighten(_dir: &Path) {}

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
