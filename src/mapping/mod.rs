//! Pure functions turning a Shoptet order into RAYNET client, product and business-case
//! drafts, following SYNC-RULES.md. No I/O: the engine feeds in what it looked up.

mod business_case;
mod client;
mod error;
mod hash;
mod ids;
mod lines;
pub mod matching;
mod product;

#[cfg(test)]
mod fixtures;

pub use business_case::{
    LineChanges, business_case_draft, case_changes, line_changes, order_link, valid_from,
};
pub use client::{ClientDraft, LookupStep, client_draft, client_label, client_lookup, split_full_name};
pub use error::{ItemProblem, MappingError, PricePart};
pub use hash::content_hash;
pub use ids::{
    customer_ext_id, customer_ext_id_of, escape_ext_part, legacy_product_ext_id, order_ext_id,
    product_code_from_ext_id, product_ext_id, unescape_ext_part,
};
pub use lines::{LineKind, LinePlan, check_totals, is_foreign_currency, plan_lines};
pub use product::{product_draft, product_link};

/// Everything the mapping needs besides the order: e-shop facts and the user's choices.
#[derive(Debug, Clone, PartialEq)]
pub struct MappingSettings {
    pub eshop_id: i64,
    /// E-shop default currency (ISO), from `/api/eshop`.
    pub eshop_currency: String,
    /// RAYNET default currency ISO code (an exchange rate is sent only when the order differs).
    pub crm_currency: String,
    /// E-shop time zone for `validFrom`.
    pub timezone: chrono_tz::Tz,
    /// Business-case name, `{code}` is replaced by the order code.
    pub name_template: String,
    pub default_owner_id: i64,
    pub phase_id: i64,
    pub source_id: i64,
    pub category_id: Option<i64>,
}

/// Trimmed, non-empty text or `None`.
pub(crate) fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}
