//! `run`: the daemon. Polls every poll_interval_secs, processes retries, serves the optional
//! webhook receiver and status endpoint, alerts, reloads its configuration on SIGHUP, and stops
//! cleanly on SIGINT or SIGTERM.

use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use crate::config::{Config, Paths};
use crate::engine::api::{EngineCommand, NewConfig};
use crate::engine::{Engine, EngineParts};
use crate::http::RetryPolicy;
use crate::runtime::logging::{self, LogGuard};
use crate::runtime::{
    AppError, DaemonSignal, EXIT_OK, Global, PidNote, Signals, acquire_lock, load_config, open_store,
};
use crate::server::{EngineLink, Watch};

/// `run [--log-stderr]`.
pub async fn run(global: &Global, paths: &Paths, log_stderr: bool) -> Result<i32, AppError> {
    // From here on SIGHUP reloads instead of ending the process.
    let mut signals = Signals::install();
    let config = load_config(paths)?;
    let _guard = init_logging(global, paths, log_stderr)?;
    let _lock = acquire_lock(paths)?;
    log_start(paths, &config);
    let store = open_store(paths)?;
    let _pid = PidNote::write(paths, "run");
    let running = config.clone();
    let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
    let commands = engine.command_sender();
    let status = engine.status();
    // Health, metrics, alerts and the listeners; the engine's requests are counted under it.
    let link = EngineLink { status: status.clone(), events: engine.subscribe(), commands: commands.clone() };
    let watch = Watch::start(&running, open_store(paths)?, link).await?;
    let task = tokio::spawn(crate::http::observed(watch.observer(), engine.run()));
    let signal = loop {
        match signals.next_for_daemon().await {
            DaemonSignal::Reload => reload(paths, &running, &commands),
            DaemonSignal::Stop(name) => break name,
        }
    };
    tracing::info!(signal, "shutdown requested; finishing the order in flight");
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

/// SIGHUP: reads the configuration file again and hands it to the engine, which switches to it
/// once it checks out against both services. A file that does not load is refused here, with
/// the reason on one log line; the one in force stays. The data directory (a flag, not a key)
/// and `[webhook]`, `[server]` and `[alerts]` (the listeners and the alert loop run from the
/// start) change only with a restart.
fn reload(paths: &Paths, running: &Config, commands: &UnboundedSender<EngineCommand>) {
    tracing::info!(config = %paths.config_file.display(), "SIGHUP: reloading the configuration");
    let config = match load_config(paths) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(
                "configuration not reloaded, the one in force stays: {}",
                one_line(&e.to_string())
            );
            return;
        }
    };
    if serde_json::to_value(&config.webhook).ok() != serde_json::to_value(&running.webhook).ok() {
        tracing::warn!(
            "[webhook] changed: that part takes effect after a restart (the listener keeps its settings)"
        );
    }
    let watched = |c: &Config| serde_json::to_value((&c.server, &c.alerts)).ok();
    if watched(&config) != watched(running) {
        tracing::warn!("[server] or [alerts] changed: that part takes effect after a restart");
    }
    let _ = commands.send(EngineCommand::ReloadConfig(NewConfig(Box::new(config))));
}

/// A message that may span lines (a TOML error with its excerpt), as one line.
fn one_line(text: &str) -> String {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
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
