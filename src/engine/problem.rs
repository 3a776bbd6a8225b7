//! Why the engine stopped for a person, and why it refused a command — as data, so the front
//! ends say it in the user's language (`tui::i18n::engine_state`). Only text that comes from a
//! vendor (or from an older version) is kept verbatim.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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

/// Why the configuration does not fit the connected shop or CRM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConfigIssue {
    /// `sync.default_owner_id` is not a RAYNET user; `valid`: "id (name)" of each user.
    UnknownOwner { id: i64, valid: Vec<String> },
    /// A configured id (`key`, e.g. `sync.source_id`) is not in RAYNET's list; `valid`:
    /// "id (label)" of each entry.
    UnknownId { key: String, id: i64, valid: Vec<String> },
    /// A reloaded configuration reaches another e-shop than this data directory's.
    OtherEshop { new_id: i64, old_id: i64 },
    /// The engine was asked to work before it loaded the shop and the CRM.
    NotPrepared,
    /// Any other text (an internal inconsistency, or a state an older version recorded).
    Text { text: String },
}

impl From<&str> for ConfigIssue {
    fn from(text: &str) -> ConfigIssue {
        match text {
            "engine not prepared" => ConfigIssue::NotPrepared,
            _ => ConfigIssue::Text { text: text.to_string() },
        }
    }
}

impl From<String> for ConfigIssue {
    fn from(text: String) -> ConfigIssue {
        ConfigIssue::from(text.as_str())
    }
}

/// In English, for the logs and `EngineError`'s text (users read it through `tui::i18n`).
impl std::fmt::Display for ConfigIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigIssue::UnknownOwner { id, valid } => write!(
                f,
                "sync.default_owner_id = {id} is not the person id of a RAYNET user; use one of: {}",
                valid.join(", ")
            ),
            ConfigIssue::UnknownId { key, id, valid } => {
                write!(f, "{key} = {id} does not exist in RAYNET; use one of: {}", valid.join(", "))
            }
            ConfigIssue::OtherEshop { new_id, old_id } => write!(
                f,
                "the new configuration reaches another e-shop (id {new_id}, this data directory belongs \
                 to id {old_id}); use another data directory for it"
            ),
            ConfigIssue::NotPrepared => f.write_str("engine not prepared"),
            ConfigIssue::Text { text } => f.write_str(text),
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
