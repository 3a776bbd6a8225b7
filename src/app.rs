//! TEMPORARY: the dashboard front end lands with the TUI.
use std::io::IsTerminal;

use crate::cli::{CliError, EXIT_FATAL, Global};

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
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

pub async fn dashboard(_g: &Global, _setup: bool) -> Result<i32, CliError> {
    if !require_terminal() {
        return Ok(EXIT_FATAL);
    }
    eprintln!("The dashboard is not built yet; use the headless commands.");
    Ok(EXIT_FATAL)
}

pub async fn demo_dashboard(g: &Global) -> Result<i32, CliError> {
    dashboard(g, false).await
}
