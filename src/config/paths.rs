use std::path::PathBuf;

use super::ConfigError;

const APP_DIR: &str = "shoptet-raynet-sync";
pub const CONFIG_ENV: &str = "SHOPTET_RAYNET_SYNC_CONFIG";
pub const DATA_DIR_ENV: &str = "SHOPTET_RAYNET_SYNC_DATA_DIR";

/// Where the configuration file and the local data (database, logs, lock) live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
}

impl Paths {
    /// Each path comes from its flag, else its environment variable, else the platform default
    /// (`<config_dir>/shoptet-raynet-sync/config.toml`, `<data_dir>/shoptet-raynet-sync`).
    pub fn resolve(config: Option<PathBuf>, data_dir: Option<PathBuf>) -> Result<Paths, ConfigError> {
        let config_file = match config.or_else(|| env_path(CONFIG_ENV)) {
            Some(p) => p,
            None => base_dirs()?.config_dir().join(APP_DIR).join("config.toml"),
        };
        let data_dir = match data_dir.or_else(|| env_path(DATA_DIR_ENV)) {
            Some(p) => p,
            None => base_dirs()?.data_dir().join(APP_DIR),
        };
        Ok(Paths { config_file, data_dir })
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir.join("sync.db")
    }

    pub fn log_dir(&self) -> PathBuf {
        self.data_dir.join("logs")
    }

    pub fn lock_file(&self) -> PathBuf {
        self.data_dir.join("engine.lock")
    }
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}

fn base_dirs() -> Result<directories::BaseDirs, ConfigError> {
    directories::BaseDirs::new().ok_or(ConfigError::NoHomeDir)
}
