//! Terminal setup and teardown: raw mode + alternate screen, restored on exit, panic,
//! SIGTERM and SIGHUP.

use std::io;

use ratatui::DefaultTerminal;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// Enters the TUI screen. `ratatui::try_init` also installs a panic hook that restores the
/// terminal before the panic message is printed.
pub fn init() -> io::Result<DefaultTerminal> {
    ratatui::try_init()
}

/// Leaves the TUI screen; safe to call more than once.
pub fn restore() {
    if let Err(e) = ratatui::try_restore() {
        tracing::warn!("could not restore the terminal: {e}");
    }
}

/// Restores the terminal when dropped, so every exit path (errors included) cleans up.
pub struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// SIGTERM and SIGHUP, which end the dashboard like `q` does.
pub struct Signals {
    term: Signal,
    hup: Signal,
}

impl Signals {
    pub fn new() -> io::Result<Signals> {
        Ok(Signals { term: signal(SignalKind::terminate())?, hup: signal(SignalKind::hangup())? })
    }

    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hup.recv() => {}
        }
    }
}
