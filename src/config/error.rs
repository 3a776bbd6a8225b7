use std::path::{Path, PathBuf};

use super::parse_error::ParseProblem;
use super::problem::Problem;

/// Everything that can go wrong finding, reading, checking or writing the configuration.
///
/// Messages name the file, the key and the fix; they never contain a secret value.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "no configuration at {} — run `shoptet-raynet-sync setup` (or the dashboard) to create one",
        path.display()
    )]
    NotFound { path: PathBuf },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "{} is not a regular file — pass the path of a config.toml file with --config",
        path.display()
    )]
    NotAFile { path: PathBuf },
    #[error(
        "{} is larger than {} KiB, too large for a configuration file — pass the right file \
         with --config",
        path.display(),
        limit / 1024
    )]
    TooLarge { path: PathBuf, limit: u64 },
    /// Not TOML, or not of this program's shape: `problem` is typed (`Display` in English;
    /// `tui::i18n` says it in the user's language).
    #[error("{}: {problem}", path.display())]
    Parse { path: PathBuf, problem: Box<ParseProblem> },
    /// `problem` is typed (`Display` in English; `tui::i18n` says it in the user's language).
    #[error("{}{key}: {problem}", in_file(path.as_deref()))]
    Invalid { path: Option<PathBuf>, key: String, problem: Problem },
    #[error(
        "cannot find the home directory — pass --config and --data-dir (or set \
         SHOPTET_RAYNET_SYNC_CONFIG and SHOPTET_RAYNET_SYNC_DATA_DIR)"
    )]
    NoHomeDir,
}

impl ConfigError {
    /// The configuration key this error is about, when it is about one.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfigError::Invalid { key, .. } => Some(key),
            _ => None,
        }
    }

    pub(crate) fn invalid(key: &str, problem: impl Into<Problem>) -> Self {
        ConfigError::Invalid { path: None, key: key.to_owned(), problem: problem.into() }
    }

    /// Attaches the file an `Invalid` error came from.
    pub(crate) fn in_path(self, file: Option<&Path>) -> Self {
        match self {
            ConfigError::Invalid { path: None, key, problem } => {
                ConfigError::Invalid { path: file.map(Path::to_path_buf), key, problem }
            }
            other => other,
        }
    }
}

fn in_file(path: Option<&Path>) -> String {
    path.map(|p| format!("{}: ", p.display())).unwrap_or_default()
}
