//! The command-line front end: argument parsing, the engine lock, and the headless commands.

pub mod args;
mod commands;
mod lock;
mod sim_cmd;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub use args::{Cli, Command, Global};
pub use lock::EngineLock;

use crate::config::{Config, ConfigError, Paths};
use crate::engine::EngineError;
use crate::store::{Store, StoreError};

/// Exit code: everything went through (pending orders are not failures).
pub const EXIT_OK: i32 = 0;
/// Exit code: a fatal error (configuration, credentials, store).
pub const EXIT_FATAL: i32 = 1;
/// Exit code: some orders failed or wait for a decision.
pub const EXIT_ORDERS_WAITING: i32 = 2;
/// Exit code: the command line was wrong (sysexits' EX_USAGE).
pub const EXIT_USAGE: i32 = 64;
/// Exit code of `sync --once` stopped by SIGHUP, SIGINT or SIGTERM: 128 + the signal.
pub const EXIT_SIGHUP: i32 = 129;
pub const EXIT_SIGINT: i32 = 130;
pub const EXIT_SIGTERM: i32 = 143;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
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

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            _ => EXIT_FATAL,
        }
    }

    /// An I/O error met while using the data directory, named as such.
    pub fn data_dir(path: &Path, what: Option<&str>, e: &std::io::Error) -> CliError {
        let reason = io_reason(e);
        CliError::DataDir {
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

/// Runs the parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> i32 {
    // Front ends that log to a file also record a fatal error there; the others log to stderr,
    // where the error is printed once, below.
    let logs_to_file = matches!(
        cli.command,
        None | Some(Command::Setup) | Some(Command::Demo { headless: false })
    ) || matches!(&cli.command, Some(Command::Run(a)) if !(a.log_stderr || crate::logging::under_journald()));
    let result = match cli.command {
        None => checked(&cli.global).and(crate::app::dashboard(&cli.global, false).await),
        Some(Command::Setup) => checked(&cli.global).and(crate::app::dashboard(&cli.global, true).await),
        Some(Command::Demo { headless }) => match ignored_flags(&cli.global, "demo", false) {
            Ok(()) => crate::demo::run(&cli.global, headless).await,
            Err(e) => Err(e),
        },
        Some(Command::Sim { shoptet_port, raynet_port }) => match ignored_flags(&cli.global, "sim", true) {
            Ok(()) => {
                crate::logging::init_stderr(cli.global.log_level.as_deref().or(Some("warn")));
                sim_cmd::run(shoptet_port, raynet_port).await
            }
            Err(e) => Err(e),
        },
        Some(Command::Completions { shell }) => commands::completions(shell),
        Some(Command::Man) => commands::man(),
        Some(cmd) => match checked(&cli.global) {
            Ok(_) => commands::run(&cli.global, cmd).await,
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if logs_to_file {
                tracing::error!(error = %e, "fatal");
            }
            print_error(&e.to_string());
            e.exit_code()
        }
    }
}

/// `error: …` on stderr; bold only when stderr is a terminal (not in cron mail or journald).
pub fn print_error(message: &str) {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
        eprintln!("\x1b[1;31merror:\x1b[0m {message}");
    } else {
        eprintln!("error: {message}");
    }
}

/// Refuses global flags a command would ignore (`demo` and `sim` make their own world).
fn ignored_flags(global: &Global, command: &str, lang_too: bool) -> Result<(), CliError> {
    let mut ignored = Vec::new();
    if global.config.is_some() {
        ignored.push("--config");
    }
    if global.data_dir.is_some() {
        ignored.push("--data-dir");
    }
    if lang_too && global.lang.is_some() {
        ignored.push("--lang");
    }
    if ignored.is_empty() {
        return Ok(());
    }
    Err(CliError::Usage(format!(
        "`{command}` does not use {}: it runs on its own simulated shop and CRM",
        ignored.join(" or ")
    )))
}

/// Resolves the paths and checks that the data directory, when it exists, is a directory.
fn checked(global: &Global) -> Result<Paths, CliError> {
    let paths = paths(global)?;
    check_data_dir(&paths.data_dir)?;
    Ok(paths)
}

/// A data directory that exists must be a directory (a missing one is created when needed).
pub fn check_data_dir(dir: &Path) -> Result<(), CliError> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(CliError::DataDir { path: dir.to_path_buf(), reason: "not a directory".into() }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(CliError::data_dir(dir, None, &e)),
    }
}

/// Paths from flags, environment and defaults.
pub fn paths(global: &Global) -> Result<Paths, CliError> {
    Ok(Paths::resolve(global.config.clone(), global.data_dir.clone())?)
}

pub fn load_config(paths: &Paths) -> Result<Config, CliError> {
    Ok(Config::load(&paths.config_file)?)
}

/// Opens (creating when needed) the store in the data directory.
pub fn open_store(paths: &Paths) -> Result<Store, CliError> {
    private_dir(&paths.data_dir).map_err(|e| CliError::data_dir(&paths.data_dir, None, &e))?;
    let store = Store::open(&paths.database()).map_err(|e| match e {
        StoreError::Sqlite(s) => CliError::DataDir {
            path: paths.data_dir.clone(),
            reason: format!("cannot open the database sync.db: {s}"),
        },
        other => other.into(),
    })?;
    warn_loose_modes(paths);
    Ok(store)
}

/// Logs a warning for each file of the data directory that other users can read (left by an
/// older version, or a copy); the directory itself was checked by `private_dir`.
pub fn warn_loose_modes(paths: &Paths) {
    for loose in crate::config::loose_modes(paths) {
        if loose.path != paths.data_dir && loose.path != paths.config_file {
            tracing::warn!("{loose}");
        }
    }
}

/// Creates the data directory readable by its owner only (0700): it holds customers' names,
/// e-mails and addresses. An existing directory keeps its mode — it may be a shared one — and
/// a warning is logged when others can read it.
pub fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    crate::config::ensure_private_dir(dir)
}
