//! A fatal error as the user reads it, in the `--lang` language: the common ones are worded
//! by `tui::i18n::cli`, an engine error by its typed reason; the rest keep their own text.

use crate::config::ConfigError;
use crate::runtime::AppError;
use crate::tui::i18n::Texts;

pub fn said(t: &Texts, e: &AppError) -> String {
    let cli = t.cli();
    let shown = |p: &std::path::Path| p.display().to_string();
    match e {
        AppError::Config(ConfigError::NotFound { path }) => cli.err_no_config(&shown(path)),
        AppError::Config(ConfigError::Invalid { path, key, problem }) => {
            cli.err_invalid(&path.as_deref().map(shown).unwrap_or_default(), key, &t.config_problem(problem))
        }
        AppError::Config(ConfigError::Parse { path, problem }) => {
            cli.err_unreadable(&shown(path), &t.config_parse(problem))
        }
        AppError::NoDatabase(path) => cli.err_no_database(&shown(path)),
        AppError::Locked(path) => cli.err_locked(&shown(path)),
        AppError::DataDir { path, reason } => cli.err_data_dir(&shown(path), reason),
        AppError::Engine(e) => crate::front::oneshot::render::engine_error(t, e),
        other => other.to_string(),
    }
}
