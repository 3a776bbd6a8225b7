//! Where alerts go: a shell command and/or a webhook. Each delivery is short (a time limit),
//! never fatal, and a sink that keeps failing is logged once, not on every alert. Neither
//! sink ever gets a secret: the command runs with a cleared environment (the daemon's may hold
//! `SHOPTET_API_TOKEN` and `RAYNET_API_KEY`), and the texts are redacted.

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::config::AlertsConfig;
use crate::config::redact::redact;

use super::episodes::{Change, EpisodeKind};

/// How long the alert command may run before it is killed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the alert webhook may take to answer.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);
/// What the command keeps of the daemon's environment.
const KEPT_ENV: [&str; 7] = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME"];

/// One alert, as the command (environment) and the webhook (JSON body) receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub kind: EpisodeKind,
    /// `start` or `end`.
    pub state: &'static str,
    pub text: String,
    pub started_at: DateTime<Utc>,
    pub at: DateTime<Utc>,
    /// For an `end`: how long the episode lasted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<i64>,
}

impl Alert {
    pub fn of(change: &Change) -> Alert {
        match change {
            Change::Started(e) => Alert {
                kind: e.kind,
                state: "start",
                text: redact(&e.text).into_owned(),
                started_at: e.started_at,
                at: e.started_at,
                duration_secs: None,
            },
            Change::Ended { episode: e, at } => {
                let lasted = *at - e.started_at;
                Alert {
                    kind: e.kind,
                    state: "end",
                    text: redact(&format!("over after {} min: {}", lasted.num_minutes(), e.text))
                        .into_owned(),
                    started_at: e.started_at,
                    at: *at,
                    duration_secs: Some(lasted.num_seconds()),
                }
            }
        }
    }
}

/// The configured sinks.
pub struct Sinks {
    command: Option<String>,
    webhook: Option<SecretString>,
    http: reqwest::Client,
    command_failing: AtomicBool,
    webhook_failing: AtomicBool,
}

impl Sinks {
    pub fn from_config(a: &AlertsConfig) -> Sinks {
        let http = reqwest::Client::builder()
            .timeout(WEBHOOK_TIMEOUT)
            .user_agent(concat!("shoptet-raynet-sync/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Sinks {
            command: a.command.clone().filter(|c| !c.trim().is_empty()),
            webhook: a.webhook_url.clone(),
            http,
            command_failing: AtomicBool::new(false),
            webhook_failing: AtomicBool::new(false),
        }
    }

    /// Delivers `alert` to every sink; failures are logged, never returned.
    pub async fn deliver(&self, alert: &Alert) {
        if let Some(cmd) = &self.command {
            let result = run_command(cmd, alert).await;
            note(&self.command_failing, "alerts.command", result);
        }
        if let Some(url) = &self.webhook {
            let result = self.post(url, alert).await;
            note(&self.webhook_failing, "alerts.webhook_url", result);
        }
    }

    async fn post(&self, url: &SecretString, alert: &Alert) -> Result<(), String> {
        let reply = self
            .http
            .post(url.expose_secret())
            .json(alert)
            .send()
            .await
            // The URL is a secret: the error must not quote it.
            .map_err(|e| redact(&e.without_url().to_string()).into_owned())?;
        if reply.status().is_success() {
            Ok(())
        } else {
            Err(format!("answered HTTP {}", reply.status().as_u16()))
        }
    }
}

async fn run_command(cmd: &str, alert: &Alert) -> Result<(), String> {
    let mut c = tokio::process::Command::new("sh");
    c.arg("-c").arg(cmd).env_clear();
    for key in KEPT_ENV {
        if let Some(v) = std::env::var_os(key) {
            c.env(key, v);
        }
    }
    c.env("SRS_ALERT_KIND", alert.kind.as_str())
        .env("SRS_ALERT_STATE", alert.state)
        .env("SRS_ALERT_TEXT", &alert.text)
        .env("SRS_ALERT_STARTED_AT", alert.started_at.to_rfc3339())
        .env("SRS_ALERT_AT", alert.at.to_rfc3339())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = c.spawn().map_err(|e| format!("cannot start sh: {e}"))?;
    let out = tokio::time::timeout(COMMAND_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| format!("did not finish within {} s and was stopped", COMMAND_TIMEOUT.as_secs()))?
        .map_err(|e| format!("cannot wait for it: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err.lines().next().unwrap_or("").chars().take(200).collect::<String>();
    Err(redact(&format!("exited with {}: {first}", out.status)).into_owned())
}

/// Logs a sink's failure once (until it works again), and its recovery.
fn note(failing: &AtomicBool, key: &str, result: Result<(), String>) {
    match result {
        Ok(()) => {
            if failing.swap(false, Ordering::Relaxed) {
                tracing::info!(sink = key, "alert delivered again");
            }
        }
        Err(why) => {
            if failing.swap(true, Ordering::Relaxed) {
                tracing::debug!(sink = key, error = %why, "alert not delivered (still failing)");
            } else {
                tracing::warn!(sink = key, error = %why, "alert not delivered; further failures are not logged until it works again");
            }
        }
    }
}
