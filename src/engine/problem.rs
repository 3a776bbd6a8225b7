//! Why the engine stopped for a person, and why it refused a command — as data, so the front
//! ends say it in the user's language (`tui::i18n::engine_state`). Only text that comes from a
//! vendor (or from an older version) is kept verbatim.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::store::ConfigIssue;
use crate::store::{Reason, StoreError};

/// Why the credentials of a service do not work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthIssue {
    /// The service refused them now: the HTTP status and the service's own words.
    Rejected { status: Option<u16>, said: String },
    /// Refused at `at` and not tried again for an hour, so the service does not block this
    /// address; `said`: what was answered then.
    Blocked { at: DateTime<Utc>, said: String },
    /// Text written by an older version, shown as it is.
    Text { text: String },
}

impl From<&str> for AuthIssue {
    fn from(text: &str) -> AuthIssue {
        AuthIssue::Text { text: text.to_string() }
    }
}

/// In English, for the logs and the health alerts.
impl std::fmt::Display for AuthIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthIssue::Rejected { status: Some(status), said } => write!(f, "HTTP {status}: {said}"),
            AuthIssue::Rejected { status: None, said } | AuthIssue::Text { text: said } => f.write_str(said),
            AuthIssue::Blocked { at, said } => write!(
                f,
                "rejected at {} ({said}); not tried again for an hour",
                at.format("%Y-%m-%d %H:%M UTC")
            ),
        }
    }
}

/// Why a command was not carried out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rejection {
    /// No such order in the local record.
    UnknownOrder { code: String },
    /// A dashboard beside the daemon: only the engine's own process can do it.
    DaemonOwns,
    /// The daemon did not take the command within a few seconds; it was withdrawn.
    NoAnswer,
    /// Trying failed.
    Failed { reason: Reason },
    /// A text as it is.
    Text { text: String },
}

impl From<&str> for Rejection {
    fn from(text: &str) -> Rejection {
        Rejection::Text { text: text.to_string() }
    }
}

impl From<StoreError> for Rejection {
    fn from(e: StoreError) -> Rejection {
        match e {
            StoreError::UnknownOrder(code) => Rejection::UnknownOrder { code },
            e => Rejection::Failed { reason: Reason::Internal { detail: e.to_string() } },
        }
    }
}
