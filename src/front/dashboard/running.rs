//! An engine running as a task of the dashboard, and the link the TUI talks to it through.

use std::sync::Arc;

use crate::engine::Engine;
use crate::engine::api::EngineCommand;
use crate::http::Observer;
use crate::runtime::EngineLock;
use crate::tui::EngineLink;

/// A running engine and the handle the dashboard talks to it through.
pub struct RunningEngine {
    pub link: EngineLink,
    pub(super) commands: tokio::sync::mpsc::UnboundedSender<EngineCommand>,
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

    /// As `start` (without a lock), on the command channel the caller took from `engine`, with
    /// its requests counted by `observer` (`demo --listen`: the status endpoint's metrics).
    pub fn start_observed(
        engine: Engine,
        commands: tokio::sync::mpsc::UnboundedSender<EngineCommand>,
        observer: Option<Arc<dyn Observer>>,
    ) -> RunningEngine {
        let link =
            EngineLink { commands: commands.clone(), events: engine.subscribe(), status: engine.status() };
        let run = engine.run();
        let task = match observer {
            Some(o) => tokio::spawn(crate::http::observed(o, run)),
            None => tokio::spawn(run),
        };
        RunningEngine { link, commands, task, _lock: None }
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
