//! Why an order waits, as data: what failed and its parameters. The engine classifies its
//! errors into a [`Reason`]; the store keeps it as JSON (in `jobs.last_error` and
//! `decisions.reason`); the front ends render it in the user's language (`tui::i18n::reasons`).
//! Text written by older versions reads back as [`Reason::Legacy`].

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::http::Service;

use super::{ConfigIssue, DecisionChoice};

/// Why an order failed, waits for a decision, or was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// 401/403: the service rejected the configured credentials.
    CredentialsRejected { service: Service },
    /// 429 (or RAYNET's request limit): no more requests before `until`.
    RateLimited { service: Service, until: Option<DateTime<Utc>> },
    /// No answer: connection refused, timeout, broken connection.
    Unreachable { service: Service, request: String },
    /// 5xx or 423: the service cannot answer now. `message` is the service's own text.
    Unavailable { service: Service, request: String, status: u16, message: String },
    /// An answer that is not the JSON we expect (malformed, or a record without its id).
    UnreadableAnswer { service: Service, request: String, status: u16 },
    /// The service refused the request (4xx, a business error); its own words in `message`.
    Refused {
        service: Service,
        request: String,
        status: Option<u16>,
        message: String,
        vendor_code: Option<String>,
    },
    /// 404 of something the sync expected to exist.
    NotFound { service: Service, request: String, message: String },
    /// The order's currency (ISO code) is not a currency in RAYNET.
    CurrencyMissing { iso: String },
    /// Something in the order cannot be used: `field` is the Shoptet field (of item `item`,
    /// counted from 1, when it is about an item).
    OrderData { item: Option<usize>, field: String, problem: DataProblem },
    /// The order's amounts are too large to compute with.
    AmountsTooLarge,
    /// The item lines do not add up to the order's total.
    TotalsMismatch { with_vat: bool, expected: Decimal, got: Decimal },
    /// Several RAYNET clients match the customer by `by` (`reg_number`, `email`, `name`…);
    /// `candidates` are their labels ("Name (#id)").
    Ambiguous { by: String, candidates: Vec<String> },
    /// A person chose the client.
    Decided { choice: DecisionChoice },
    /// A person skipped the order, with their note.
    Skipped { note: Option<String> },
    /// The configuration does not fit the connected shop or CRM. Older versions stored an
    /// English text under `detail`; it reads back as [`ConfigIssue::Text`].
    Configuration {
        #[serde(alias = "detail", deserialize_with = "issue_or_text")]
        issue: ConfigIssue,
    },
    /// The local record failed (disk, database).
    Internal { detail: String },
    /// Text written by an older version, shown as it is.
    Legacy { text: String },
}

/// A configuration issue as stored: typed, or the text an older version wrote.
fn issue_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ConfigIssue, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Issue(ConfigIssue),
        Text(String),
    }
    Ok(match Stored::deserialize(d)? {
        Stored::Issue(issue) => issue,
        Stored::Text(text) => ConfigIssue::from(text),
    })
}

/// What is wrong with a field of the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataProblem {
    Missing,
    /// Neither the price without VAT nor the one with VAT is usable.
    NoPrice,
    NegativeVatRate,
    MissingVatRate,
    /// The amount is 0 but the line has a price.
    PriceWithoutAmount,
    /// The line price cannot be divided by its amount.
    Indivisible,
}

impl Reason {
    /// The stable machine code (`reason_code` in JSON output).
    pub fn code(&self) -> &'static str {
        match self {
            Reason::CredentialsRejected { .. } => "credentials_rejected",
            Reason::RateLimited { .. } => "rate_limited",
            Reason::Unreachable { .. } => "unreachable",
            Reason::Unavailable { .. } => "unavailable",
            Reason::UnreadableAnswer { .. } => "unreadable_answer",
            Reason::Refused { .. } => "refused",
            Reason::NotFound { .. } => "not_found",
            Reason::CurrencyMissing { .. } => "currency_missing",
            Reason::OrderData { .. } => "order_data",
            Reason::AmountsTooLarge => "amounts_too_large",
            Reason::TotalsMismatch { .. } => "totals_mismatch",
            Reason::Ambiguous { .. } => "ambiguous",
            Reason::Decided { .. } => "decided",
            Reason::Skipped { .. } => "skipped",
            Reason::Configuration { .. } => "configuration",
            Reason::Internal { .. } => "internal",
            Reason::Legacy { .. } => "legacy",
        }
    }

    /// As stored: JSON, with credentials in its texts redacted.
    pub(crate) fn to_stored(&self) -> String {
        super::redacted_json(self)
    }

    /// A stored reason: typed JSON, or the text an older version wrote.
    pub(crate) fn from_stored(text: &str) -> Reason {
        serde_json::from_str(text).unwrap_or_else(|_| Reason::Legacy { text: text.to_string() })
    }

    /// Its parameters as text, for searching.
    pub(crate) fn search_words(&self, out: &mut Vec<String>) {
        let mut add = |s: &str| out.push(s.to_string());
        match self {
            Reason::CredentialsRejected { service } | Reason::RateLimited { service, .. } => {
                add(&service.to_string())
            }
            Reason::Unreachable { service, request } | Reason::UnreadableAnswer { service, request, .. } => {
                add(&service.to_string());
                add(request);
            }
            Reason::Unavailable { service, request, message, .. }
            | Reason::Refused { service, request, message, .. }
            | Reason::NotFound { service, request, message } => {
                add(&service.to_string());
                add(request);
                add(message);
            }
            Reason::CurrencyMissing { iso } => add(iso),
            Reason::OrderData { field, .. } => add(field),
            Reason::Ambiguous { candidates, .. } => candidates.iter().for_each(|c| add(c)),
            Reason::Configuration { issue } => add(&issue.to_string()),
            Reason::Skipped { note: Some(text) }
            | Reason::Internal { detail: text }
            | Reason::Legacy { text } => add(text),
            Reason::AmountsTooLarge
            | Reason::TotalsMismatch { .. }
            | Reason::Decided { .. }
            | Reason::Skipped { note: None } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_round_trips_and_old_text_reads_as_legacy() {
        let r = Reason::TotalsMismatch {
            with_vat: true,
            expected: Decimal::new(12100, 2),
            got: Decimal::new(12000, 2),
        };
        assert_eq!(Reason::from_stored(&r.to_stored()), r);
        let old = "RAYNET PUT /company/ → HTTP 400: Povinná položka name chybí (ValidationException)";
        assert_eq!(Reason::from_stored(old), Reason::Legacy { text: old.into() });
        assert_eq!(Reason::from_stored("{\"code\":\"from_the_future\"}").code(), "legacy");
    }

    #[test]
    fn a_configuration_reason_keeps_its_issue_and_old_text_reads_back() {
        let r = Reason::Configuration { issue: ConfigIssue::OtherEshop { new_id: 2, old_id: 1 } };
        assert_eq!(Reason::from_stored(&r.to_stored()), r);
        let old = r#"{"code":"configuration","detail":"sync.source_id = 9 does not exist in RAYNET"}"#;
        assert_eq!(
            Reason::from_stored(old),
            Reason::Configuration {
                issue: ConfigIssue::Text { text: "sync.source_id = 9 does not exist in RAYNET".into() }
            }
        );
    }

    #[test]
    fn codes_are_the_serde_tags() {
        let r = Reason::RateLimited { service: Service::Raynet, until: None };
        let v: serde_json::Value = serde_json::from_str(&r.to_stored()).unwrap();
        assert_eq!(v["code"], r.code());
        let r = Reason::Legacy { text: "x".into() };
        let v: serde_json::Value = serde_json::from_str(&r.to_stored()).unwrap();
        assert_eq!(v["code"], r.code());
    }
}
