//! The engine's interface to its front ends: commands in, events and status out.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use super::problem::{AuthIssue, ConfigIssue, Rejection};
use crate::config::Config;
use crate::store::{ControlCommand, RecordedState, StateKind};

/// What a front end asks the engine to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum EngineCommand {
    /// Poll Shoptet now instead of waiting for the next interval.
    SyncNow,
    /// Run a failed or dead order again now (attempts kept).
    Retry {
        code: String,
    },
    /// Retry every failed and dead order now.
    RetryAll,
    /// Fetch the order again and sync it as if new (attempts reset, hash forgotten).
    Resync {
        code: String,
    },
    /// Stop trying an order; it stays visible as skipped.
    Skip {
        code: String,
        reason: String,
    },
    /// Settle an ambiguous client match: link an existing RAYNET client, or create a new one.
    Resolve {
        code: String,
        choice: ClientChoice,
    },
    /// Sync older, unchanged orders created since this moment (low priority).
    Backfill {
        from: DateTime<Utc>,
    },
    Pause,
    Resume,
    /// Finish or roll back the step in flight, then stop.
    Shutdown,
    /// Switch to a new configuration (the daemon on SIGHUP) once it checks out against both
    /// services; a configuration that does not is refused and the one in force kept.
    #[serde(skip)]
    ReloadConfig(NewConfig),
}

impl EngineCommand {
    /// The form another process leaves in the store for a running engine, for the commands
    /// that travel that way (poll now, pause, resume).
    pub fn as_control(&self) -> Option<ControlCommand> {
        match self {
            EngineCommand::SyncNow => Some(ControlCommand::SyncNow),
            EngineCommand::Pause => Some(ControlCommand::Pause),
            EngineCommand::Resume => Some(ControlCommand::Resume),
            _ => None,
        }
    }
}

impl From<ControlCommand> for EngineCommand {
    fn from(c: ControlCommand) -> EngineCommand {
        match c {
            ControlCommand::SyncNow => EngineCommand::SyncNow,
            ControlCommand::Pause => EngineCommand::Pause,
            ControlCommand::Resume => EngineCommand::Resume,
        }
    }
}

/// A configuration for [`EngineCommand::ReloadConfig`]. Two are equal when they say the same.
#[derive(Debug, Clone)]
pub struct NewConfig(pub Box<Config>);

impl PartialEq for NewConfig {
    fn eq(&self, other: &NewConfig) -> bool {
        serde_json::to_value(&*self.0).ok() == serde_json::to_value(&*other.0).ok()
    }
}

impl Eq for NewConfig {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientChoice {
    Existing(i64),
    CreateNew,
}

/// The engine's overall condition, as shown on the dashboard and by `status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EngineState {
    #[default]
    Starting,
    Idle,
    Syncing,
    Paused,
    /// Waiting for a rate limit to reset.
    RateLimited {
        service: crate::http::Service,
        until: DateTime<Utc>,
    },
    /// Credentials rejected: nothing runs until they are fixed (never hammer the login).
    AuthProblem {
        service: crate::http::Service,
        problem: AuthIssue,
    },
    /// The configuration does not fit the shop or CRM (an unknown owner, phase…): nothing runs
    /// until it is fixed.
    ConfigProblem {
        problem: ConfigIssue,
    },
    Stopped,
}

impl EngineState {
    /// The typed record the store keeps of this state.
    pub fn record(&self) -> RecordedState {
        match self {
            EngineState::Starting => RecordedState::of(StateKind::Starting),
            EngineState::Idle => RecordedState::of(StateKind::Idle),
            EngineState::Syncing => RecordedState::of(StateKind::Syncing),
            EngineState::Paused => RecordedState::of(StateKind::Paused),
            EngineState::RateLimited { service, until } => RecordedState {
                service: Some(*service),
                until: Some(*until),
                ..RecordedState::of(StateKind::RateLimited)
            },
            EngineState::AuthProblem { service, problem } => RecordedState {
                service: Some(*service),
                message: serde_json::to_string(problem).ok(),
                ..RecordedState::of(StateKind::AuthProblem)
            },
            EngineState::ConfigProblem { problem } => RecordedState {
                message: serde_json::to_string(problem).ok(),
                ..RecordedState::of(StateKind::ConfigProblem)
            },
            EngineState::Stopped => RecordedState::of(StateKind::Stopped),
        }
    }

    /// The state a record stands for; `None` when a kind that carries data lacks it.
    pub fn from_record(r: &RecordedState) -> Option<EngineState> {
        Some(match r.kind {
            StateKind::Starting => EngineState::Starting,
            StateKind::Idle => EngineState::Idle,
            StateKind::Syncing => EngineState::Syncing,
            StateKind::Paused => EngineState::Paused,
            StateKind::RateLimited => EngineState::RateLimited { service: r.service?, until: r.until? },
            StateKind::AuthProblem => {
                EngineState::AuthProblem { service: r.service?, problem: recorded(r, |t| AuthIssue::from(t)) }
            }
            StateKind::ConfigProblem => {
                EngineState::ConfigProblem { problem: recorded(r, |t| ConfigIssue::from(t)) }
            }
            StateKind::Stopped => EngineState::Stopped,
        })
    }
}

/// A recorded problem: typed (JSON), or the text an older version wrote (`legacy`).
fn recorded<T: serde::de::DeserializeOwned>(r: &RecordedState, legacy: fn(&str) -> T) -> T {
    let text = r.message.as_deref().unwrap_or_default();
    serde_json::from_str(text).unwrap_or_else(|_| legacy(text))
}

/// A snapshot of the engine for the dashboard (sent on a `watch` channel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EngineStatus {
    pub state: EngineState,
    pub last_poll: Option<DateTime<Utc>>,
    pub next_poll: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    /// A first sync or backfill in progress: (done, total).
    pub progress: Option<(u64, u64)>,
    /// What is left of that work: requests, RAYNET's budget, when it ends or waits for a reset.
    pub estimate: Option<super::estimate::Estimate>,
    /// Order being worked on right now (the one started last when several are in flight).
    pub current_order: Option<String>,
    /// How many orders are in flight (the pipelined round works several at once).
    #[serde(default)]
    pub in_flight: u32,
}

/// Something that happened, for live updates of the dashboard and for logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EngineEvent {
    PollStarted,
    PollFinished {
        seen: u64,
        queued: u64,
    },
    OrderSynced {
        code: String,
        business_case_id: i64,
        created: bool,
    },
    OrderFailed {
        code: String,
        reason: String,
        retry_at: Option<DateTime<Utc>>,
        class: FailureClass,
    },
    OrderNeedsDecision {
        code: String,
    },
    OrderSkipped {
        code: String,
    },
    StateChanged {
        state: EngineState,
    },
    /// A command could not be carried out (unknown order, wrong state…).
    CommandRejected {
        reason: Rejection,
    },
}

/// What kind of failure stopped an order (the metrics count failures by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    /// No answer, a timeout, a 5xx, an unreadable answer.
    Transient,
    RateLimited,
    /// Credentials rejected.
    Auth,
    NotFound,
    /// The service refused the request (validation, conflict…).
    Permanent,
    /// The order's own data cannot be synced.
    OrderData,
    Config,
    Store,
}

impl FailureClass {
    pub const ALL: [FailureClass; 8] = [
        FailureClass::Transient,
        FailureClass::RateLimited,
        FailureClass::Auth,
        FailureClass::NotFound,
        FailureClass::Permanent,
        FailureClass::OrderData,
        FailureClass::Config,
        FailureClass::Store,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Transient => "transient",
            FailureClass::RateLimited => "rate_limited",
            FailureClass::Auth => "auth",
            FailureClass::NotFound => "not_found",
            FailureClass::Permanent => "permanent",
            FailureClass::OrderData => "order_data",
            FailureClass::Config => "config",
            FailureClass::Store => "store",
        }
    }
}
