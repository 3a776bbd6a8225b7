//! The alert loop: looks at the health every few seconds, opens and closes episodes in the
//! store (so a restart does not alert an open one again) and tells the sinks.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};

use crate::engine::api::EngineState;
use crate::store::{EpisodeRecord, StoreError};

use super::Monitor;
use super::episodes::{self, Change, Episode, EpisodeKind};
use super::sinks::{Alert, Sinks};

/// How often the daemon looks.
pub const CHECK_EVERY: Duration = Duration::from_secs(10);

/// How long a starting engine is given to say how it is before its episodes are judged.
const STARTUP_GRACE: chrono::Duration = chrono::Duration::seconds(60);

pub struct Alerts {
    monitor: Arc<Monitor>,
    sinks: Sinks,
    started_at: DateTime<Utc>,
}

impl Alerts {
    pub fn new(monitor: Arc<Monitor>, sinks: Sinks) -> Alerts {
        let started_at = monitor.now();
        Alerts { monitor, sinks, started_at }
    }

    /// One look: the episodes that started or ended are recorded, logged and delivered.
    pub async fn tick(&self) -> Result<Vec<Change>, StoreError> {
        let report = self.monitor.report()?;
        if report.snapshot.engine == Some(EngineState::Starting)
            && report.at - self.started_at < STARTUP_GRACE
        {
            // The engine has not said yet how it is (after a restart, an open credentials
            // episode would otherwise end, and start again a moment later). An engine that
            // cannot even start (no network) is judged after the grace.
            return Ok(Vec::new());
        }
        let changes = {
            let mut store = self.monitor.store();
            let open: Vec<Episode> = store
                .open_episodes()?
                .into_iter()
                .filter_map(|r| {
                    // A kind this version does not know (written by a newer one) is left alone.
                    let kind = EpisodeKind::parse(&r.kind)?;
                    Some(Episode { kind, started_at: r.started_at, text: r.text })
                })
                .collect();
            // Milliseconds, as the store keeps them: the end alert names the same start as the first.
            let changes = episodes::changes(&open, &report.health, report.at.trunc_subsecs(3));
            // Recorded before it is delivered: a crash in between loses one alert rather
            // than sending it twice.
            for c in &changes {
                match c {
                    Change::Started(e) => store.open_episode(&EpisodeRecord {
                        kind: e.kind.as_str().into(),
                        started_at: e.started_at,
                        text: e.text.clone(),
                    })?,
                    Change::Ended { episode, .. } => store.close_episode(episode.kind.as_str())?,
                }
            }
            changes
        };
        for c in &changes {
            let alert = Alert::of(c);
            match c {
                Change::Started(_) => {
                    tracing::warn!(kind = alert.kind.as_str(), text = %alert.text, "problem started")
                }
                Change::Ended { .. } => {
                    tracing::info!(kind = alert.kind.as_str(), text = %alert.text, "problem over")
                }
            }
            self.sinks.deliver(&alert).await;
        }
        Ok(changes)
    }

    /// Looks every `every` until dropped (the daemon aborts the task on stop).
    pub async fn run(self, every: Duration) {
        let mut failing = false;
        loop {
            match self.tick().await {
                Ok(_) => failing = false,
                Err(e) if !failing => {
                    failing = true;
                    tracing::warn!(error = %e, "cannot check the health for alerts");
                }
                Err(_) => {}
            }
            tokio::time::sleep(every).await;
        }
    }
}
