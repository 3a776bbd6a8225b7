//! Command handling and the daemon loop. Commands come on the channel of the process that
//! runs the engine and, in the loop, from the store (`poll-now`, a dashboard beside the daemon).

use chrono::{DateTime, Utc};

use super::super::EngineError;
use super::super::api::{EngineCommand, EngineEvent, EngineState, Rejection};
use super::{Engine, PassReport};

impl Engine {
    pub(super) async fn handle_pending_commands(&mut self) {
        self.commands_waiting();
        for c in std::mem::take(&mut self.stashed) {
            self.handle(c).await;
        }
    }

    /// Takes the commands that arrived (on the channel or in the store) into `stashed`; true
    /// when any waits there — the orders in flight finish before they are carried out.
    pub(super) fn commands_waiting(&mut self) -> bool {
        if let Some(rx) = self.commands.as_mut() {
            while let Ok(c) = rx.try_recv() {
                self.stashed.push(c);
            }
        }
        let from_store = self.store_commands();
        self.stashed.extend(from_store);
        !self.stashed.is_empty()
    }

    /// The commands other processes left in the store, when this engine takes them (in the
    /// daemon loop; a one-off pass leaves them for the daemon).
    fn store_commands(&mut self) -> Vec<EngineCommand> {
        if !self.takes_store_commands {
            return Vec::new();
        }
        match self.store.take_commands() {
            Ok(cmds) => cmds.into_iter().map(EngineCommand::from).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the commands left for the engine");
                Vec::new()
            }
        }
    }

    /// Carries out one command; a rejected one is reported as an event.
    pub async fn handle(&mut self, cmd: EngineCommand) {
        if let Some(r) = super::super::local::apply_local(&mut self.store, &cmd) {
            match r {
                Ok(()) => {
                    if let EngineCommand::Skip { code, .. } = cmd {
                        self.emit(EngineEvent::OrderSkipped { code });
                    }
                }
                Err(e) => self.emit(EngineEvent::CommandRejected { reason: e.into() }),
            }
            return;
        }
        let result: Result<(), EngineError> = match cmd {
            EngineCommand::SyncNow => {
                tracing::info!("poll requested");
                self.poll_requested = true;
                Ok(())
            }
            EngineCommand::ReloadConfig(new) => {
                self.reload(*new.0).await;
                Ok(())
            }
            EngineCommand::Backfill { from } => {
                let from = from.with_timezone(&self.config.sync.enabled_at.timezone());
                self.backfill(from).await.map(|_| ())
            }
            EngineCommand::Pause => {
                self.paused = true;
                self.set_state(EngineState::Paused);
                Ok(())
            }
            EngineCommand::Resume => {
                self.paused = false;
                self.auth_problem = None;
                self.config_problem = None;
                self.blocked_until = None;
                self.poll_requested = true;
                self.ctx = None;
                self.set_state(EngineState::Idle);
                Ok(())
            }
            EngineCommand::Shutdown => {
                self.shutdown = true;
                Ok(())
            }
            // Applied to the store above.
            EngineCommand::Retry { .. }
            | EngineCommand::RetryAll
            | EngineCommand::Resync { .. }
            | EngineCommand::Skip { .. }
            | EngineCommand::Resolve { .. } => Ok(()),
        };
        if let Err(e) = result {
            self.emit(EngineEvent::CommandRejected { reason: Rejection::Failed { reason: e.reason() } });
        }
    }

    /// The daemon: polls every `poll_interval_secs`, works due retries, obeys commands (looking
    /// for those left in the store every 250 ms, also between polls), and returns after
    /// `Shutdown` (the order in flight is finished first).
    pub async fn run(mut self) {
        self.takes_store_commands = true;
        if let Err(e) = self.store.clear_commands() {
            tracing::warn!(error = %e, "cannot clear the commands left for an earlier engine");
        }
        // An earlier process's long work is not this one's.
        self.clear_recorded_progress();
        let mut next_poll = self.now();
        let mut rx = self.commands.take();
        loop {
            if let Some(r) = rx.as_mut() {
                while let Ok(c) = r.try_recv() {
                    self.handle(c).await;
                }
            }
            for c in self.store_commands() {
                self.handle(c).await;
            }
            self.commands = rx.take();
            if self.shutdown {
                break;
            }
            let ready = !self.paused && self.auth_problem.is_none() && self.config_problem.is_none();
            let more = ready && self.prepare_for_daemon().await && self.daemon_pass(&mut next_poll).await;
            rx = self.commands.take();
            if self.shutdown {
                break;
            }
            if more {
                // More work waits: no pause (the clients pace the requests).
                self.commands = rx.take();
                continue;
            }
            let wait = tokio::time::sleep(std::time::Duration::from_millis(250));
            match rx.as_mut() {
                Some(r) => tokio::select! {
                    c = r.recv() => match c {
                        Some(c) => self.handle(c).await,
                        None => break,
                    },
                    _ = wait => {}
                },
                None => wait.await,
            }
        }
        if let Err(e) = self.store.set_next_poll(None) {
            tracing::warn!(error = %e, "cannot record that no poll is scheduled");
        }
        self.clear_recorded_progress();
        self.set_state(EngineState::Stopped);
    }

    /// Loads the context if needed; after a failure to reach the services, not before 30 s.
    async fn prepare_for_daemon(&mut self) -> bool {
        let now = self.now();
        if self.ctx.is_none() && now < self.next_prepare {
            return false;
        }
        match self.prepare().await {
            Ok(()) => true,
            Err(e) if e.is_fatal() => {
                tracing::error!(error = %e, "sync paused: fix the configuration or credentials, then restart or resume");
                false
            }
            Err(e) => {
                self.next_prepare = now + chrono::Duration::seconds(30);
                tracing::warn!(error = %e, "cannot reach the services yet; trying again in 30 s");
                false
            }
        }
    }

    /// One turn of the daemon: a poll when one is due or asked for, then a window of due jobs.
    /// True when more work waits.
    async fn daemon_pass(&mut self, next_poll: &mut DateTime<Utc>) -> bool {
        let mut report = PassReport::default();
        let now = self.now();
        if self.poll_requested || now >= *next_poll {
            self.poll_requested = false;
            // Read each time: a reloaded configuration may change it.
            let interval = chrono::Duration::seconds(self.config.sync.poll_interval_secs as i64);
            *next_poll = now + interval;
            let next = *next_poll;
            self.status.send_modify(|s| s.next_poll = Some(next));
            if let Err(e) = self.store.set_next_poll(Some(next)) {
                tracing::warn!(error = %e, "cannot record the next poll");
            }
            self.set_state(EngineState::Syncing);
            if let Err(e) = self.poll(&mut report).await {
                if e.is_fatal() {
                    self.note_fatal(&e);
                }
                tracing::warn!(error = %e, "poll failed");
                report.poll_error = Some(e.reason());
            }
        }
        let more = match self.work_due(&mut report, false).await {
            Ok(more) => more,
            Err(e) => {
                tracing::error!(error = %e, "sync stopped");
                false
            }
        };
        let busy = matches!(self.status.borrow().state, EngineState::Syncing | EngineState::Starting);
        if !more && (report.seen > 0 || report.synced > 0 || report.failed > 0 || busy) {
            self.finish_pass_state();
        }
        self.flush_progress();
        more
    }
}
