//! Where the configuration, database, logs and lock live, and opening them.

use std::path::Path;

use super::{AppError, Global};
use crate::config::{Config, Paths};
use crate::store::{Store, StoreError};

/// Resolves the paths and checks that the data directory, when it exists, is a directory.
pub fn checked(global: &Global) -> Result<Paths, AppError> {
    let paths = paths(global)?;
    check_data_dir(&paths.data_dir)?;
    Ok(paths)
}

/// A data directory that exists must be a directory (a missing one is created when needed).
pub fn check_data_dir(dir: &Path) -> Result<(), AppError> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(AppError::DataDir { path: dir.to_path_buf(), reason: "not a directory".into() }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(AppError::data_dir(dir, None, &e)),
    }
}

/// Paths from flags, environment and defaults.
pub fn paths(global: &Global) -> Result<Paths, AppError> {
    Ok(Paths::resolve(global.config.clone(), global.data_dir.clone())?)
}

pub fn load_config(paths: &Paths) -> Result<Config, AppError> {
    Ok(Config::load(&paths.config_file)?)
}

/// Opens (creating when needed) the store in the data directory.
pub fn open_store(paths: &Paths) -> Result<Store, AppError> {
    private_dir(&paths.data_dir).map_err(|e| AppError::data_dir(&paths.data_dir, None, &e))?;
    let store = Store::open(&paths.database()).map_err(|e| database_error(paths, e))?;
    warn_loose_modes(paths);
    Ok(store)
}

/// Opens the store of a data directory that must already hold one (the read-only commands).
pub fn open_existing(paths: &Paths) -> Result<Store, AppError> {
    let db = paths.database();
    if !db.exists() {
        return Err(AppError::NoDatabase(db));
    }
    Store::open(&db).map_err(|e| database_error(paths, e))
}

/// A database that SQLite cannot open is named as the data directory's problem.
fn database_error(paths: &Paths, e: StoreError) -> AppError {
    match e {
        StoreError::Sqlite(s) => AppError::DataDir {
            path: paths.data_dir.clone(),
            reason: format!("cannot open the database sync.db: {s}"),
        },
        other => other.into(),
    }
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
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    crate::config::ensure_private_dir(dir)
}
