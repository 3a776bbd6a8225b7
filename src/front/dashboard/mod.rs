//! The dashboard front end: wires the store, the engine and the setup probe into the TUI, over
//! your shop (`shoptet-raynet-sync`, `setup`) or the demo world (`demo`).

mod demo;
mod probe;
mod remote;
pub use remote::remote_link;
mod running;
mod store_source;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use demo::demo;
pub use probe::ClientProbe;
pub use running::RunningEngine;
pub use store_source::StoreSource;

use crate::config::{Config, ConfigError, Paths};
use crate::engine::{Engine, EngineParts};
use crate::http::RetryPolicy;
use crate::runtime::{AppError, EXIT_FATAL, EXIT_OK, EngineLock, Global, private_dir};
use crate::store::Store;
use crate::tui::{DashboardDeps, EngineLink, Lang};

/// The engine the dashboard runs, if any; replaced when the wizard saves a configuration.
type Slot = Arc<Mutex<Option<RunningEngine>>>;
type OnSave = Box<dyn FnMut(&Config) -> Result<Option<EngineLink>, String> + Send>;

fn lang(global: &Global) -> Lang {
    global.lang.as_deref().and_then(Lang::parse).unwrap_or_else(Lang::from_env)
}

fn require_terminal() -> bool {
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        return true;
    }
    eprintln!(
        "The dashboard needs a terminal, and this is not one.\n\
         Headless, use: `shoptet-raynet-sync run` (the daemon), `sync --once [--dry-run]`, `status`, `orders`,\n\
         or `demo --headless` to try it against the simulators."
    );
    false
}

/// `shoptet-raynet-sync` (no subcommand) and `setup`.
pub async fn run(global: &Global, paths: &Paths, setup: bool) -> Result<i32, AppError> {
    if !require_terminal() {
        return Ok(EXIT_FATAL);
    }
    let config = match Config::load(&paths.config_file) {
        Ok(c) => Some(c),
        Err(ConfigError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let _log = crate::runtime::logging::init_file(&paths.log_dir(), global.log_level.as_deref())?;
    private_dir(&paths.data_dir)?;
    let db = paths.database();
    let store = Store::open(&db)?;

    let mut banner = None;
    let running: Slot = Arc::new(Mutex::new(None));
    let mut link = None;
    if let (Some(cfg), false) = (&config, setup) {
        match EngineLock::acquire(&paths.lock_file()) {
            Ok(lock) => {
                let engine = Engine::new(EngineParts::from_config(
                    cfg.clone(),
                    Store::open(&db)?,
                    RetryPolicy::default(),
                )?);
                let r = RunningEngine::start(engine, Some(lock));
                link = Some(r.link());
                *running.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            }
            Err(AppError::Locked(_)) => {
                banner = Some(lang(global).texts().banner_remote.to_string());
                link = Some(remote::remote_link(db.clone(), lang(global))?);
            }
            Err(e) => return Err(e),
        }
    }

    let deps = DashboardDeps {
        source: Box::new(StoreSource::new(store, config.clone())),
        // `setup` starts from the configuration in force, if there is one.
        config,
        setup,
        config_path: paths.config_file.clone(),
        engine: link,
        probe: Arc::new(
            ClientProbe::new(RetryPolicy::default()).with_paths(paths.clone()).with_lang(lang(global)),
        ),
        on_save: restart_on_save(paths.config_file.clone(), paths.lock_file(), db, running.clone()),
        lang: lang(global),
        banner,
    };
    crate::tui::run_dashboard(deps).await?;
    let r = running.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(r) = r {
        r.stop().await;
    }
    Ok(EXIT_OK)
}

/// Saving the wizard's configuration writes the file and restarts the engine with it.
fn restart_on_save(config_path: PathBuf, lock_path: PathBuf, db: PathBuf, running: Slot) -> OnSave {
    Box::new(move |cfg: &Config| -> Result<Option<EngineLink>, String> {
        cfg.save(&config_path).map_err(|e| e.to_string())?;
        let mut guard = running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = guard.take() {
            // Restart with the new settings; the old engine finishes its order in flight.
            tokio::spawn(old.stop());
        }
        let lock = EngineLock::acquire(&lock_path).ok();
        let store = Store::open(&db).map_err(|e| e.to_string())?;
        let parts = EngineParts::from_config(cfg.clone(), store, RetryPolicy::default())
            .map_err(|e| e.to_string())?;
        let r = RunningEngine::start(Engine::new(parts), lock);
        let link = r.link();
        *guard = Some(r);
        Ok(Some(link))
    })
}
