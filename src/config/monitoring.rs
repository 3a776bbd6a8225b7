//! `[server]` (the status endpoint: `/healthz`, `/metrics`) and `[alerts]` (a command and/or a
//! webhook told when a problem starts and when it ends).

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// The status endpoint; off unless `listen` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// `IP:port` serving `GET /healthz` and `GET /metrics`, e.g. `127.0.0.1:9464`. The webhook
    /// receiver shares it when `webhook.listen` is the same address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
}

impl ServerConfig {
    pub fn is_off(&self) -> bool {
        self.listen.is_none()
    }
}

/// Who is told when a problem (an episode) starts and ends: never once per failure.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsConfig {
    /// Run with `sh -c`, with `SRS_ALERT_KIND`, `SRS_ALERT_STATE` (`start`/`end`),
    /// `SRS_ALERT_TEXT`, `SRS_ALERT_STARTED_AT` and `SRS_ALERT_AT` in its environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// POSTed a JSON object with the same fields. A secret: chat webhooks carry their key in
    /// the URL, so it is masked on screen and never logged.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "super::expose_secret_opt")]
    pub webhook_url: Option<SecretString>,
    /// Minutes without a successful poll of Shoptet before that is a problem. Unset: 15, or
    /// three poll intervals when that is longer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_poll_minutes: Option<u64>,
}

impl AlertsConfig {
    /// Nothing set: the section is left out of a saved file.
    pub fn is_default(&self) -> bool {
        self.command.is_none() && self.webhook_url.is_none() && self.stale_poll_minutes.is_none()
    }

    /// The stale-poll limit in force for a poll every `poll_interval_secs`.
    pub fn stale_poll_minutes(&self, poll_interval_secs: u64) -> u64 {
        self.stale_poll_minutes
            .unwrap_or_else(|| default_stale_poll_minutes().max(3 * poll_interval_secs.div_ceil(60)))
    }
}

pub fn default_stale_poll_minutes() -> u64 {
    15
}
