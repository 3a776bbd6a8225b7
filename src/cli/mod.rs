//! The command-line front end: argument parsing, the engine lock, and the headless commands.

pub mod args;
mod commands;
mod lock;
mod sim_cmd;

use std::path::PathBuf;

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

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Engine(#[from] EngineError),
    #[error("{0}")]
    Usage(String),
    #[error(
        "another shoptet-raynet-sync engine is running on this data directory ({0}); stop it first or use `status`"
    )]
    Locked(PathBuf),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Runs the parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        None => crate::app::dashboard(&cli.global, false).await,
        Some(Command::Setup) => crate::app::dashboard(&cli.global, true).await,
        Some(Command::Demo { headless }) => crate::demo::run(&cli.global, headless).await,
        Some(Command::Sim { shoptet_port, raynet_port }) => sim_cmd::run(shoptet_port, raynet_port).await,
        Some(cmd) => commands::run(&cli.global, cmd).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            tracing::error!(error = %e, "fatal");
            eprintln!("error: {e}");
            EXIT_FATAL
        }
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
    private_dir(&paths.data_dir)?;
    let store = Store::open(&paths.database())?;
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
