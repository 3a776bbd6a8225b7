//! Everything that watches a running engine from beside it, started and stopped as one: the
//! health monitor (on its own store connection), the counters fed by the transport and the
//! engine's events, the alert loop, and the listeners of [`super::start`].

use std::sync::Arc;

use tokio::sync::{broadcast, mpsc, watch};

use crate::config::Config;
use crate::engine::api::{EngineCommand, EngineEvent, EngineStatus};
use crate::health::{Alerts, Live, Monitor, Rules, Sinks, alerts};
use crate::http::Observer;
use crate::store::Store;

use super::ServerHandle;

pub struct Watch {
    live: Arc<Live>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    servers: Vec<ServerHandle>,
}

/// What the watch needs of the engine.
pub struct EngineLink {
    pub status: watch::Receiver<EngineStatus>,
    pub events: broadcast::Receiver<EngineEvent>,
    pub commands: mpsc::UnboundedSender<EngineCommand>,
}

impl Watch {
    /// Starts the watch over `store` (a connection of its own) for the engine behind `link`.
    pub async fn start(config: &Config, store: Store, link: EngineLink) -> std::io::Result<Watch> {
        let live = Live::new();
        let monitor = Monitor::new(store, live.clone(), Rules::from_config(config)).with_engine(link.status);
        let monitor = Arc::new(monitor);
        let alerts = Alerts::new(monitor.clone(), Sinks::from_config(&config.alerts));
        let tasks = vec![
            tokio::spawn(live.clone().follow(link.events)),
            tokio::spawn(alerts.run(alerts::CHECK_EVERY)),
        ];
        let servers = super::start(config, link.commands, monitor).await?;
        Ok(Watch { live, tasks, servers })
    }

    /// The observer to run the engine under ([`crate::http::observed`]), so its requests count.
    pub fn observer(&self) -> Arc<dyn Observer> {
        self.live.clone()
    }

    pub async fn stop(self) {
        for t in self.tasks {
            t.abort();
        }
        for s in self.servers {
            s.stop().await;
        }
    }
}
