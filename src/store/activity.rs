//! What the activity log records, as data: one [`Activity`] per entry, with its parameters.
//! The store keeps it as JSON in `audit.entry` (and its searchable words in `audit.message`);
//! the front ends render it in the user's language (`tui::i18n::activity`). Rows written by
//! older versions read back as [`Activity::Legacy`] with their text.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::http::Service;

use super::{DecisionChoice, EntityKind, How, OrderState, Priority, Reason};

/// One entry of the activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Activity {
    /// A new order was recorded, with its Shoptet status name (or id).
    Seen { status: Option<String> },
    /// Queued for syncing.
    Queued { priority: Priority, due: DateTime<Utc> },
    /// A person asked to retry it now.
    RetryRequested,
    /// Its retry count starts over.
    AttemptsReset,
    /// A person asked for a re-sync: what was synced is forgotten.
    ResyncRequested,
    /// Attempt `attempt` failed; the next one is due at `next_attempt_at`.
    Failed { attempt: u32, reason: Reason, next_attempt_at: DateTime<Utc> },
    /// Attempt `attempt` failed and the sync gave up.
    Dead { attempt: u32, reason: Reason },
    /// A person must choose among `candidates` clients.
    NeedsDecision { reason: Reason, candidates: usize },
    /// A person chose.
    Decided { choice: DecisionChoice },
    /// In RAYNET as this business case.
    Synced { business_case_id: i64 },
    /// The business case was brought in line with the changed order.
    Updated { business_case_id: i64, kept: usize, edited: usize, added: usize, removed: usize, fields: bool },
    /// The order was cancelled: its business case moved to the storno phase.
    Cancelled { business_case_id: i64 },
    /// A person skipped it, with their note.
    Skipped { note: Option<String> },
    /// A skip was undone.
    Unskipped,
    /// It left its final status before it was synced.
    NoLongerFinal,
    /// Its state was set by hand.
    StateSet,
    /// A Shoptet customer or product is linked to a RAYNET record, found (by `matched_by`) or
    /// created.
    Entity {
        kind: EntityKind,
        raynet_id: i64,
        how: How,
        matched_by: Option<String>,
        label: String,
        key: String,
    },
    /// The order was deleted in Shoptet; RAYNET is left as it is.
    DeletedInShoptet,
    /// Whether RAYNET keeps the extId sent with a create of this record type (`company`,
    /// `product`, `businessCase`); when it does not, the extId is set separately.
    ExtIdMode { entity: String, kept: bool },
    /// A backfill queued `queued` orders created since `from`, estimated at `requests` RAYNET
    /// requests.
    Backfill {
        queued: u64,
        from: DateTime<Utc>,
        #[serde(default)]
        requests: Option<u64>,
    },
    /// The service rejected the credentials; they are not tried again for a while.
    LoginBlocked { service: Service },
    /// The service's request limit is reached until `until`.
    RateLimited { service: Service, until: DateTime<Utc> },
    /// A row written by an older version: its kind and text as they were.
    Legacy { kind: String, text: String },
}

/// The state change an entry records, when the state changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChange {
    pub from: OrderState,
    pub to: OrderState,
}

impl Activity {
    /// The stable kind code, stored beside the entry (the log's filters and counts use it).
    pub fn kind(&self) -> &str {
        match self {
            Activity::Seen { .. } => "seen",
            Activity::Queued { .. } => "queued",
            Activity::RetryRequested => "retry",
            Activity::AttemptsReset => "attempts",
            Activity::ResyncRequested => "resync",
            Activity::Failed { .. } => "failed",
            Activity::Dead { .. } => "dead",
            Activity::NeedsDecision { .. } | Activity::Decided { .. } => "decision",
            Activity::Synced { .. } => "synced",
            Activity::Updated { .. } => "updated",
            Activity::Cancelled { .. } => "cancelled",
            Activity::Skipped { .. } => "skipped",
            Activity::Unskipped => "unskipped",
            Activity::NoLongerFinal | Activity::StateSet => "state",
            Activity::Entity { .. } => "entity",
            Activity::DeletedInShoptet => "deleted",
            Activity::ExtIdMode { .. } => "raynet",
            Activity::Backfill { .. } => "backfill",
            Activity::LoginBlocked { .. } => "login",
            Activity::RateLimited { .. } => "rate_limit",
            Activity::Legacy { kind, .. } => kind,
        }
    }

    /// The words a search of the log finds the entry by: its parameters (names, codes, ids,
    /// the services' own messages), in no particular language.
    pub fn search_text(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        match self {
            Activity::Seen { status } => words.extend(status.clone()),
            Activity::Failed { attempt, reason, .. } | Activity::Dead { attempt, reason } => {
                words.push(attempt.to_string());
                reason.search_words(&mut words);
            }
            Activity::NeedsDecision { reason, .. } => reason.search_words(&mut words),
            Activity::Decided { choice: DecisionChoice::Existing(id) } => words.push(id.to_string()),
            Activity::Synced { business_case_id }
            | Activity::Updated { business_case_id, .. }
            | Activity::Cancelled { business_case_id } => words.push(business_case_id.to_string()),
            Activity::Skipped { note } => words.extend(note.clone()),
            Activity::Entity { raynet_id, matched_by, label, key, .. } => {
                words.extend([raynet_id.to_string(), label.clone(), key.clone()]);
                words.extend(matched_by.clone());
            }
            Activity::ExtIdMode { entity, .. } => words.push(entity.clone()),
            Activity::Backfill { queued, .. } => words.push(queued.to_string()),
            Activity::LoginBlocked { service } | Activity::RateLimited { service, .. } => {
                words.push(service.to_string())
            }
            Activity::Legacy { text, .. } => words.push(text.clone()),
            Activity::Queued { .. }
            | Activity::RetryRequested
            | Activity::AttemptsReset
            | Activity::ResyncRequested
            | Activity::Decided { choice: DecisionChoice::CreateNew }
            | Activity::Unskipped
            | Activity::NoLongerFinal
            | Activity::StateSet
            | Activity::DeletedInShoptet => {}
        }
        words.retain(|w| !w.is_empty());
        words.join(" ")
    }

    /// An entry as stored (`entry` column), or `None` for `Legacy`, whose text is the row.
    pub(crate) fn to_stored(&self) -> Option<String> {
        match self {
            Activity::Legacy { .. } => None,
            _ => Some(super::redacted_json(self)),
        }
    }

    /// A stored entry: the typed JSON, or — for rows without one, or one this version cannot
    /// read — the row's kind and text.
    pub(crate) fn from_stored(entry: Option<&str>, kind: &str, message: &str) -> Activity {
        entry
            .and_then(|e| serde_json::from_str(e).ok())
            .unwrap_or_else(|| Activity::Legacy { kind: kind.to_string(), text: message.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_rows_without_one_read_as_their_text() {
        let a = Activity::Failed {
            attempt: 2,
            reason: Reason::CurrencyMissing { iso: "USD".into() },
            next_attempt_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        };
        let stored = a.to_stored().unwrap();
        assert_eq!(Activity::from_stored(Some(&stored), "failed", "2 USD"), a);
        assert_eq!(
            Activity::from_stored(None, "synced", "queued → synced: business case 9"),
            Activity::Legacy { kind: "synced".into(), text: "queued → synced: business case 9".into() }
        );
        assert_eq!(Activity::from_stored(Some("{\"what\":\"later\"}"), "later", "x").kind(), "later");
    }

    #[test]
    fn the_search_text_holds_the_parameters() {
        let a = Activity::Entity {
            kind: EntityKind::Client,
            raynet_id: 104,
            how: How::Matched,
            matched_by: Some("email".into()),
            label: "Kavárna Slunce".into(),
            key: "shoptet:1:customer:abc".into(),
        };
        let text = a.search_text();
        assert!(text.contains("104") && text.contains("Kavárna Slunce") && text.contains("email"), "{text}");
        assert_eq!(Activity::Unskipped.search_text(), "");
    }
}
