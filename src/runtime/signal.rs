//! Stopping cleanly: the signals that end the daemon, the dashboard, `sim` and `sync --once`;
//! and SIGHUP, which asks the daemon to reload its configuration.

use super::exit::{EXIT_SIGHUP, EXIT_SIGINT, EXIT_SIGTERM};

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

/// What a signal asks of the daemon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaemonSignal {
    /// SIGINT or SIGTERM (named): finish the order in flight and stop.
    Stop(&'static str),
    /// SIGHUP: read the configuration file again.
    Reload,
}

/// The first of SIGINT, SIGTERM and SIGHUP, as (name, exit code). Installed once, so a signal
/// that arrives while a pass runs is never lost to the default action (dying at once).
pub struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    hup: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    /// Installs the handlers; from here on these signals no longer end the process.
    pub fn install() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                term: signal(SignalKind::terminate()).ok(),
                hup: signal(SignalKind::hangup()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Signals {}
        }
    }

    /// The next signal for the daemon, which stops on SIGINT and SIGTERM and reloads on SIGHUP.
    pub async fn next_for_daemon(&mut self) -> DaemonSignal {
        match self.next().await {
            (_, EXIT_SIGHUP) => DaemonSignal::Reload,
            (name, _) => DaemonSignal::Stop(name),
        }
    }

    pub async fn next(&mut self) -> (&'static str, i32) {
        #[cfg(unix)]
        {
            async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
                match s.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            tokio::select! {
                _ = recv(&mut self.int) => ("SIGINT", EXIT_SIGINT),
                _ = recv(&mut self.term) => ("SIGTERM", EXIT_SIGTERM),
                _ = recv(&mut self.hup) => ("SIGHUP", EXIT_SIGHUP),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            ("SIGINT", EXIT_SIGINT)
        }
    }
}
