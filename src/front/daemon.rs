//! `run`: the daemon. Polls every poll_interval_secs, processes retries, serves the optional
//! webhook receiver and status endpoint, alerts, and stops cleanly on SIGINT, SIGTERM or SIGHUP.

use std::time::Duration;

use crate::config::{Config, Paths};
use crate::engine::api::EngineCommand;
use crate::engine::{Engine, EngineParts};
use crate::http::RetryPolicy;
use crate::runtime::logging::{self, LogGuard};
use crate::runtime::{
    AppError, EXIT_OK, Global, PidNote, acquire_lock, load_config, open_store, shutdown_signal,
};
use crate::server::{EngineLink, Watch};

/// `run [--log-stderr]`.
pub async fn run(global: &Global, paths: &Paths, log_stderr: bool) -> Result<i32, AppError> {
    let config = load_config(paths)?;
    let _guard = init_logging(global, paths, log_stderr)?;
    let _lock = acquire_lock(paths)?;
    log_start(paths, &config);
    let store = open_store(paths)?;
    let _pid = PidNote::write(paths, "run");
    let served = config.clone();
    let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
    let commands = engine.command_sender();
    let status = engine.status();
    // Health, metrics, alerts and the listeners; the engine's requests are counted under it.
    let link = EngineLink { status: status.clone(), events: engine.subscribe(), commands: commands.clone() };
    let watch = Watch::start(&served, open_store(paths)?, link).await?;
    let task = tokio::spawn(crate::http::observed(watch.observer(), engine.run()));
    shutdown_signal().await;
    tracing::info!("shutdown requested; finishing the order in flight");
    let _ = commands.send(EngineCommand::Shutdown);
    // The order in flight gets a few seconds to finish; past that, stopping mid-step is
    // safe (every step is idempotent) and beats hanging on a slow request.
    let abort = task.abort_handle();
    let in_flight = status.borrow().current_order.is_some();
    let grace = Duration::from_millis(if in_flight { 5_000 } else { 300 });
    if tokio::time::timeout(grace, task).await.is_err() {
        tracing::warn!("the step in flight did not finish within 5 s; stopped it (it is safe to redo)");
        abort.abort();
    }
    watch.stop().await;
    tracing::info!("daemon stopped");
    Ok(EXIT_OK)
}

/// Logs to stderr under systemd (JOURNAL_STREAM) or with `--log-stderr`, else to daily files
/// in the data directory.
fn init_logging(global: &Global, paths: &Paths, log_stderr: bool) -> Result<Option<LogGuard>, AppError> {
    if log_stderr || logging::under_journald() {
        logging::init_stderr(global.log_level.as_deref());
        return Ok(None);
    }
    let guard = logging::init_file(&paths.log_dir(), global.log_level.as_deref())
        .map_err(|e| AppError::data_dir(&paths.data_dir, Some("cannot write the logs"), &e))?;
    eprintln!("shoptet-raynet-sync daemon: logging to {}", paths.log_dir().display());
    Ok(Some(guard))
}

fn log_start(paths: &Paths, config: &Config) {
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        config = %paths.config_file.display(),
        data_dir = %paths.data_dir.display(),
        poll_interval_secs = config.sync.poll_interval_secs,
        webhook = config.webhook.enabled.then(|| config.webhook.listen.clone()).flatten().as_deref(),
        status_endpoint = config.server.listen.as_deref(),
        "daemon started"
    );
}
