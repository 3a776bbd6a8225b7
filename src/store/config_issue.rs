//! Why the configuration does not fit the connected shop or CRM, as data: the engine stops for
//! it (`engine::problem`), and an order that failed for it keeps it in its [`super::Reason`].

use serde::{Deserialize, Serialize};

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
