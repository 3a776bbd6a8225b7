//! The dashboard front end: wires the store, the engine and the setup probe into the TUI.

mod probe;
mod store_source;

use std::io::IsTerminal;
use std::sync::Arc;

pub use probe::ClientProbe;
pub use store_source::StoreSource;

use crate::cli::{CliError, EXIT_FATAL, EXIT_OK, EngineLock, Global};
use crate::config::{Config, ConfigError};
use crate::engine::api::EngineCommand;
use crate::engine::retry::RetrySchedule;
use crate::engine::{Engine, EngineParts};
use crate::http::RetryPolicy;
use crate::store::Store;
use crate::tui::{DashboardDeps, EngineLink, Lang};

/// Resolves on Ctrl-C, SIGTERM or SIGHUP.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).ok();
        let mut hup = signal(SignalKind::hangup()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async { match term.as_mut() { Some(s) => { s.recv().await; } None => std::future::pending::<()>().await } } => {}
            _ = async { match hup.as_mut() { Some(s) => { s.recv().await; } None => std::future::pending::<()>().await } } => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

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

/// A running engine and the handle the dashboard talks to it through.
pub struct RunningEngine {
    pub link: EngineLink,
    commands: tokio::sync::mpsc::UnboundedSender<EngineCommand>,
    task: tokio::task::JoinHandle<()>,
    _lock: Option<EngineLock>,
}

impl RunningEngine {
    pub fn start(mut engine: Engine, lock: Option<EngineLock>) -> RunningEngine {
        let commands = engine.command_sender();
        let link =
            EngineLink { commands: commands.clone(), events: engine.subscribe(), status: engine.status() };
        let task = tokio::spawn(engine.run());
        RunningEngine { link, commands, task, _lock: lock }
    }

    pub fn link(&self) -> EngineLink {
        EngineLink {
            commands: self.commands.clone(),
            events: self.link.events.resubscribe(),
            status: self.link.status.clone(),
        }
    }

    pub async fn stop(self) {
        let _ = self.commands.send(EngineCommand::Shutdown);
        let _ = self.task.await;
    }
}

/// `shoptet-raynet-sync` (no subcommand) and `setup`.
pub async fn dashboard(global: &Global, setup: bool) -> Result<i32, CliError> {
    if !require_terminal() {
        return Ok(EXIT_FATAL);
    }
    let paths = crate::cli::paths(global)?;
    let config = match Config::load(&paths.config_file) {
        Ok(c) => Some(c),
        Err(ConfigError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let _log = crate::logging::init_file(&paths.log_dir(), global.log_level.as_deref())?;
    crate::cli::private_dir(&paths.data_dir)?;
    let db = paths.database();
    let store = Store::open(&db)?;

    let mut banner = None;
    let running: Arc<std::sync::Mutex<Option<RunningEngine>>> = Arc::new(std::sync::Mutex::new(None));
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
            Err(CliError::Locked(_)) => {
                banner = Some(lang(global).texts().banner_remote.to_string());
                link = Some(remote_link(db.clone(), lang(global))?);
            }
            Err(e) => return Err(e),
        }
    }

    let config_path = paths.config_file.clone();
    let lock_path = paths.lock_file();
    let run2 = running.clone();
    let on_save = Box::new(move |cfg: &Config| -> Result<Option<EngineLink>, String> {
        cfg.save(&config_path).map_err(|e| e.to_string())?;
        let mut guard = run2.lock().unwrap_or_else(|e| e.into_inner());
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
    });
    let deps = DashboardDeps {
        source: Box::new(StoreSource::new(store, config.clone())),
        // `setup` starts from the configuration in force, if there is one.
        config,
        setup,
        config_path: paths.config_file.clone(),
        engine: link,
        probe: Arc::new(ClientProbe::new(RetryPolicy::default())),
        on_save,
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

/// A link for a dashboard opened while the daemon runs: commands that only change the local
/// record (retry, re-sync, skip, resolve) are written to the store, where the daemon picks
/// them up within a second; the others are refused with a note.
fn remote_link(db: std::path::PathBuf, lang: Lang) -> Result<EngineLink, CliError> {
    use crate::engine::api::{EngineEvent, EngineState, EngineStatus};
    let mut store = Store::open(&db)?;
    let state: EngineState = store
        .get_meta("engine_state")?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(EngineState::Idle);
    let (commands, mut rx) = tokio::sync::mpsc::unbounded_channel::<EngineCommand>();
    let (events, events_rx) = tokio::sync::broadcast::channel(64);
    let (status_tx, status) = tokio::sync::watch::channel(EngineStatus { state, ..Default::default() });
    tokio::spawn(async move {
        let _keep = status_tx;
        while let Some(cmd) = rx.recv().await {
            if matches!(cmd, EngineCommand::Shutdown) {
                break;
            }
            let result = match crate::engine::local::apply_local(&mut store, &cmd) {
                Some(r) => r.map_err(|e| e.to_string()),
                None => Err(lang.texts().daemon_owns.to_string()),
            };
            if let Err(reason) = result {
                let _ = events.send(EngineEvent::CommandRejected { reason });
            }
        }
    });
    Ok(EngineLink { commands, events: events_rx, status })
}

/// `demo`: the dashboard over the simulators, with the engine running and orders arriving.
pub async fn demo_dashboard(global: &Global) -> Result<i32, CliError> {
    if !require_terminal() {
        return Ok(EXIT_FATAL);
    }
    let env = crate::demo::DemoEnv::start().await?;
    let _log = crate::logging::init_file(&env.paths.log_dir(), global.log_level.as_deref())?;
    env.inject_faults();
    let engine = env.engine()?;
    let running = RunningEngine::start(engine, None);
    let activity = tokio::spawn(crate::demo::drive_activity(env.shoptet.clone(), running.commands.clone()));
    let link = running.link();
    let cmds = running.commands.clone();
    let db = env.paths.database();
    let deps = DashboardDeps {
        source: Box::new(StoreSource::new(Store::open(&db)?, Some(env.config.clone()))),
        config: Some(env.config.clone()),
        setup: false,
        config_path: env.paths.config_file.clone(),
        engine: Some(link),
        probe: Arc::new(ClientProbe::new(crate::demo::demo_policy())),
        on_save: Box::new(move |_cfg: &Config| {
            let _ = cmds.send(EngineCommand::SyncNow);
            Err("the demo configuration is fixed; run `shoptet-raynet-sync setup` for your own shop".into())
        }),
        lang: lang(global),
        // Short: it shares the top line with the pane tabs at 80 columns.
        banner: Some("DEMO".to_string()),
    };
    let result = crate::tui::run_dashboard(deps).await;
    activity.abort();
    running.stop().await;
    result?;
    Ok(EXIT_OK)
}

/// The retry schedule of the daemon (exposed for tests).
pub fn default_schedule() -> RetrySchedule {
    RetrySchedule::default()
}
