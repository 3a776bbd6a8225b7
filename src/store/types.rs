//! The values the store hands out and takes in: states, rows, queries.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A string that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?} (expected one of: {expected})")]
pub struct ParseEnumError {
    pub what: &'static str,
    pub value: String,
    pub expected: String,
}

/// Declares a unit enum stored and shown by name: `as_str`, `ALL`, `Display` and a `FromStr`
/// that also accepts `-` in place of `_`.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ParseEnumError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim().replace('-', "_");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(&wanted))
                    .ok_or_else(|| ParseEnumError {
                        what: $what,
                        value: s.to_string(),
                        expected: $name::ALL
                            .iter()
                            .map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
            }
        }
    };
}

named_enum!(
    /// Where an order stands in the sync.
    OrderState, "order state" {
        Pending => "pending",
        Queued => "queued",
        Synced => "synced",
        Failed => "failed",
        NeedsDecision => "needs_decision",
        Skipped => "skipped",
        Dead => "dead",
    }
);

named_enum!(
    /// What kind of RAYNET record a Shoptet key maps to.
    EntityKind, "entity kind" {
        Client => "client",
        Product => "product",
        BusinessCase => "business_case",
    }
);

named_enum!(
    /// Whether a RAYNET record was found or made by the sync.
    How, "how" {
        Matched => "matched",
        Created => "created",
    }
);

named_enum!(
    /// Job priority: `Low` is backfill; `Normal` jobs are always taken first.
    Priority, "priority" {
        Normal => "normal",
        Low => "low",
    }
);

impl Priority {
    /// The stored rank; lower sorts first.
    pub(crate) fn rank(self) -> i64 {
        match self {
            Priority::Normal => 0,
            Priority::Low => 1,
        }
    }

    pub(crate) fn from_rank(rank: i64) -> Option<Priority> {
        match rank {
            0 => Some(Priority::Normal),
            1 => Some(Priority::Low),
            _ => None,
        }
    }
}

/// What the engine learned about an order from Shoptet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderSeen {
    pub code: String,
    pub change_time: Option<DateTime<FixedOffset>>,
    pub creation_time: Option<DateTime<FixedOffset>>,
    pub status_id: Option<i64>,
    pub status_name: Option<String>,
    /// Company or full name.
    pub customer: Option<String>,
    pub email: Option<String>,
    pub total_with_vat: Option<Decimal>,
    pub currency: Option<String>,
}

/// One order as stored, with its job when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRow {
    pub code: String,
    pub state: OrderState,
    pub change_time: Option<DateTime<FixedOffset>>,
    pub creation_time: Option<DateTime<FixedOffset>>,
    pub status_id: Option<i64>,
    pub status_name: Option<String>,
    pub customer: Option<String>,
    pub email: Option<String>,
    pub total_with_vat: Option<Decimal>,
    pub currency: Option<String>,
    pub synced_hash: Option<String>,
    pub business_case_id: Option<i64>,
    pub synced_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub priority: Option<Priority>,
    pub attempts: u32,
    /// `None` when there is no job or the job is dead.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<super::Reason>,
    pub last_status: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderSort {
    Code,
    ChangeTime,
    CreationTime,
    Customer,
    Total,
    State,
    NextAttempt,
    Attempts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderQuery {
    /// Empty = every state.
    pub states: Vec<OrderState>,
    /// Case-insensitive substring of the code, the customer or the e-mail.
    pub search: Option<String>,
    pub sort: OrderSort,
    pub descending: bool,
    pub offset: u64,
    pub limit: u64,
}

impl Default for OrderQuery {
    fn default() -> Self {
        OrderQuery {
            states: Vec::new(),
            search: None,
            sort: OrderSort::ChangeTime,
            descending: true,
            offset: 0,
            limit: 100,
        }
    }
}

/// One entry of the retry queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub code: String,
    pub priority: Priority,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<super::Reason>,
    pub last_status: Option<u16>,
}

/// A failed attempt to sync an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub reason: super::Reason,
    pub status: Option<u16>,
    /// `None` = give up: the order becomes dead.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// What a person decided for an ambiguous client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionChoice {
    Existing(i64),
    CreateNew,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRow {
    pub code: String,
    pub reason: super::Reason,
    pub candidates: Vec<super::Candidate>,
    pub choice: Option<DecisionChoice>,
    pub created_at: DateTime<Utc>,
}

/// A Shoptet thing (customer, product, order) mapped to its RAYNET record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRecord {
    pub kind: EntityKind,
    pub shoptet_key: String,
    pub raynet_id: i64,
    pub how: How,
    /// "ext_id", "reg_number", "email", "name" or "code".
    pub matched_by: Option<String>,
    pub label: String,
    pub shoptet_ref: Option<String>,
    pub first_order_code: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityQuery {
    pub kind: EntityKind,
    pub how: Option<How>,
    /// Case-insensitive substring of the key, the label, the reference or the RAYNET id.
    pub search: Option<String>,
    pub sort: EntitySort,
    /// Newest (or last) first when true.
    pub descending: bool,
    pub offset: u64,
    pub limit: u64,
}

/// What entity pages are ordered by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum EntitySort {
    #[default]
    Created,
    Label,
    How,
    RaynetId,
    ShoptetKey,
}

impl EntitySort {
    /// The ORDER BY column (crate-internal).
    pub(crate) fn sql(self) -> &'static str {
        match self {
            EntitySort::Created => "created_at",
            EntitySort::Label => "label COLLATE NOCASE",
            EntitySort::How => "how",
            EntitySort::RaynetId => "raynet_id",
            EntitySort::ShoptetKey => "shoptet_key",
        }
    }
}

impl EntityQuery {
    /// The first page of one kind, newest first.
    pub fn new(kind: EntityKind) -> Self {
        EntityQuery {
            kind,
            how: None,
            search: None,
            sort: EntitySort::Created,
            descending: true,
            offset: 0,
            limit: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub order_code: Option<String>,
    /// The entry's kind code ("synced", "failed", …), as stored.
    pub kind: String,
    pub entry: super::Activity,
    /// The state change the entry records, when the state changed.
    pub change: Option<super::StateChange>,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    /// Case-insensitive substring of the entry's parameters (names, codes, ids, the services'
    /// own messages), its kind or the order code.
    pub search: Option<String>,
    pub order_code: Option<String>,
    pub offset: u64,
    pub limit: u64,
}

impl Default for AuditQuery {
    fn default() -> Self {
        AuditQuery { search: None, order_code: None, offset: 0, limit: 100 }
    }
}

// ---- search text -----------------------------------------------------------------------

/// Base letters and their accented forms, lower case: Czech and Slovak, and the German
/// umlauts of the shop's neighbours ("Café Wien GmbH", "Müller").
const ACCENTED: &[(char, &str)] = &[
    ('a', "áä"),
    ('c', "č"),
    ('d', "ď"),
    ('e', "éě"),
    ('i', "í"),
    ('l', "ĺľ"),
    ('n', "ň"),
    ('o', "óôö"),
    ('r', "řŕ"),
    ('s', "š"),
    ('t', "ť"),
    ('u', "úůü"),
    ('y', "ý"),
    ('z', "ž"),
];

fn base_letter(c: char) -> char {
    ACCENTED.iter().find(|(_, forms)| forms.contains(c)).map_or(c, |(base, _)| *base)
}

/// Lower case without accents: "Kavárna" and "KAVARNA" → "kavarna".
pub fn fold(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).map(base_letter).collect()
}

/// True when `needle` is in `hay` the way searches compare: case never matters; a letter typed
/// without an accent matches it with any accent ("kavarna" finds "Kavárna"), one typed with an
/// accent only that accent ("šť" finds "Šťastná", not "Cust").
pub fn search_matches(hay: &str, needle: &str) -> bool {
    let hay: Vec<char> = hay.chars().flat_map(char::to_lowercase).collect();
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return true;
    }
    let fits = |n: char, h: char| n == h || (has_forms(n) && base_letter(h) == n);
    hay.windows(needle.len()).any(|w| w.iter().zip(&needle).all(|(h, n)| fits(*n, *h)))
}

fn has_forms(c: char) -> bool {
    ACCENTED.iter().any(|(base, _)| *base == c)
}

/// `search_matches` as a GLOB pattern ("kavarna" → "*[kK][aáä…AÁÄ…]…*"); None when the needle
/// has no letter that takes accents, so a plain (indexed) substring search finds the same rows.
pub(crate) fn accent_glob(needle: &str) -> Option<String> {
    let lower: String = needle.chars().flat_map(char::to_lowercase).collect();
    if !lower.chars().any(|c| has_forms(base_letter(c))) {
        return None;
    }
    let mut p = String::from("*");
    for c in lower.chars() {
        let forms = ACCENTED.iter().find(|(base, _)| *base == c).map_or("", |(_, forms)| forms);
        let all: String = std::iter::once(c).chain(forms.chars()).collect();
        let upper: String = all.chars().flat_map(char::to_uppercase).collect();
        match c {
            '*' | '?' | '[' => p.push_str(&format!("[{c}]")),
            _ if all == upper => p.push(c),
            _ => p.push_str(&format!("[{all}{upper}]")),
        }
    }
    p.push('*');
    Some(p)
}

/// Lower-case spellings of `c` that `search_matches` accepts for it.
fn spellings(c: char) -> Vec<char> {
    let forms = ACCENTED.iter().find(|(base, _)| *base == c).map_or("", |(_, forms)| forms);
    std::iter::once(c).chain(forms.chars()).collect()
}

/// An FTS5 query for the trigram index that every text `search_matches` finds contains
/// (each trigram of the needle in any of its spellings); it may find more, so the caller
/// checks the rows with `accent_glob`. None for needles shorter than a trigram, or with so
/// many spellings that a scan is as quick.
pub(crate) fn accent_trigrams(needle: &str) -> Option<String> {
    const MAX_TERMS: usize = 400;
    let lower: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    let mut groups = Vec::new();
    let mut terms = 0;
    for w in lower.windows(3) {
        let mut variants = vec![String::new()];
        for c in w {
            variants = variants
                .iter()
                .flat_map(|v| spellings(*c).into_iter().map(move |s| format!("{v}{s}")))
                .collect();
        }
        terms += variants.len();
        if terms > MAX_TERMS {
            break;
        }
        let quoted: Vec<String> =
            variants.iter().map(|v| format!("\"{}\"", v.replace('"', "\"\""))).collect();
        groups.push(format!("({})", quoted.join(" OR ")));
    }
    (!groups.is_empty()).then(|| groups.join(" AND "))
}

#[cfg(test)]
mod search_text_tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Kavárna ŠŤASTNÁ Žluťoučký kůň"), "kavarna stastna zlutoucky kun");
        assert_eq!(fold("2026000128"), "2026000128");
    }

    #[test]
    fn letters_typed_plain_match_any_accent_and_accents_typed_match_only_themselves() {
        assert!(search_matches("Kavárna Slunce", "kavarna"));
        assert!(search_matches("Kavárna Slunce", "KAVÁRNA"));
        assert!(search_matches("KAVÁRNA", "kavárna"));
        assert!(search_matches("Šťastná", "stastna"));
        assert!(!search_matches("Cust 07", "šť"));
        assert!(!search_matches("Kavarna", "kavárna"));
        assert!(search_matches("anything", ""));
    }

    #[test]
    fn the_glob_says_the_same_and_escapes_wildcards() {
        assert_eq!(accent_glob("2026-01"), None, "nothing to fold: the indexed search does");
        let p = accent_glob("Ka*").expect("has letters with accents");
        assert!(p.starts_with("*[kK]"), "{p}");
        assert!(p.contains("[aáäAÁÄ]") && p.contains("[*]") && p.ends_with('*'), "{p}");
        assert_eq!(accent_glob("šť").as_deref(), Some("*[šŠ][ťŤ]*"));
    }

    #[test]
    fn the_index_query_asks_for_every_spelling_of_each_trigram() {
        assert_eq!(accent_trigrams("ka"), None, "shorter than a trigram");
        let q = accent_trigrams("Kava").expect("two trigrams");
        assert_eq!(
            q,
            "(\"kav\" OR \"káv\" OR \"käv\") AND (\"ava\" OR \"avá\" OR \"avä\" OR \"áva\" OR \"ává\" \
             OR \"ávä\" OR \"äva\" OR \"ävá\" OR \"ävä\")"
        );
        assert!(accent_trigrams("šťa\"x").is_some_and(|q| q.contains("\"ťa\"\"\"")));
    }
}
