//! The plan for one order, as `--dry-run`, the order detail view and the logs show it: for each
//! entity, matched (by what) or will be created.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::mapping::{LineKind, LinePlan};
use crate::store::Candidate;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ClientPlan {
    /// Already linked by an earlier order (local map).
    Known {
        raynet_id: i64,
        label: String,
        matched_by: Option<String>,
    },
    Matched {
        raynet_id: i64,
        name: String,
        matched_by: String,
    },
    Create {
        name: String,
        person: bool,
    },
    Ambiguous {
        matched_by: String,
        candidates: Vec<Candidate>,
    },
    /// The business case exists; its client is never changed.
    Unchanged {
        raynet_id: Option<i64>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ProductPlan {
    Known {
        raynet_id: i64,
    },
    Matched {
        raynet_id: i64,
        matched_by: String,
    },
    Create,
    /// Plain named line: not a product, no code, or a foreign-currency order.
    NotLinked {
        why: String,
    },
}

/// One line of the plan: the mapped line and what happens to its product.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineView {
    #[serde(flatten)]
    pub line: LinePlan,
    pub product: ProductPlan,
}

pub fn line_kind(kind: &LineKind) -> &'static str {
    match kind {
        LineKind::Product => "product",
        LineKind::Shipping => "shipping",
        LineKind::Payment => "payment",
        LineKind::Discount => "discount",
        LineKind::Rounding => "rounding",
        LineKind::Other => "other",
    }
}

/// The whole plan of one order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderPlan {
    pub code: String,
    /// `create`, `update`, `cancel`, `unchanged`, `pending`, `out_of_scope`.
    pub action: String,
    pub status: Option<String>,
    pub customer: String,
    pub client: Option<ClientPlan>,
    pub business_case_id: Option<i64>,
    pub currency: String,
    pub exchange_rate: Option<Decimal>,
    pub lines: Vec<LineView>,
    pub total_without_vat: Decimal,
    pub total_with_vat: Decimal,
    /// Why the plan could not be made (bad order data, unknown currency…).
    pub problem: Option<String>,
}

impl fmt::Display for ClientPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientPlan::Known { raynet_id, label, matched_by } => match matched_by {
                Some(by) => write!(f, "known client {label} (RAYNET #{raynet_id}, matched by {by})"),
                None => write!(f, "known client {label} (RAYNET #{raynet_id})"),
            },
            ClientPlan::Matched { raynet_id, name, matched_by } => {
                write!(f, "matched by {} → {name} (RAYNET #{raynet_id})", by_label(matched_by))
            }
            ClientPlan::Create { name, person } => {
                write!(f, "will create {} {name}", if *person { "person" } else { "company" })
            }
            ClientPlan::Ambiguous { matched_by, candidates } => {
                let names: Vec<String> =
                    candidates.iter().map(|c| format!("{} (#{})", c.name, c.raynet_id)).collect();
                write!(f, "AMBIGUOUS by {}: {} — needs a decision", by_label(matched_by), names.join(", "))
            }
            ClientPlan::Unchanged { raynet_id } => match raynet_id {
                Some(id) => write!(f, "unchanged (RAYNET #{id})"),
                None => write!(f, "unchanged"),
            },
        }
    }
}

impl fmt::Display for ProductPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProductPlan::Known { raynet_id } => write!(f, "product #{raynet_id}"),
            ProductPlan::Matched { raynet_id, matched_by } => {
                write!(f, "matched by {} → product #{raynet_id}", by_label(matched_by))
            }
            ProductPlan::Create => write!(f, "will create product"),
            ProductPlan::NotLinked { why } => write!(f, "plain line ({why})"),
        }
    }
}

/// Human words for the key an entity matched by.
pub fn by_label(key: &str) -> &str {
    match key {
        "ext_id" => "extId",
        "reg_number" => "IČ",
        "email" => "e-mail",
        "name" => "name",
        "code" => "code",
        "decision" => "your decision",
        other => other,
    }
}

impl fmt::Display for OrderPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Order {} — {} [{}] → {}",
            self.code,
            self.customer,
            self.status.as_deref().unwrap_or("?"),
            self.action
        )?;
        if let Some(p) = &self.problem {
            writeln!(f, "  problem: {p}")?;
        }
        if let Some(c) = &self.client {
            writeln!(f, "  client: {c}")?;
        }
        if let Some(id) = self.business_case_id {
            writeln!(f, "  business case: RAYNET #{id}")?;
        }
        for LineView { line: l, product } in &self.lines {
            writeln!(
                f,
                "  {:<9} {:<18} {} × {} = {} ({}% VAT) — {}",
                line_kind(&l.kind),
                truncate(&l.name, 18),
                l.amount.normalize(),
                l.price.round_dp(2),
                l.total_without_vat,
                l.vat_rate.normalize(),
                product
            )?;
        }
        let rate = self.exchange_rate.map(|r| format!(", rate {r}")).unwrap_or_default();
        writeln!(
            f,
            "  total: {} {} without VAT, {} with VAT{rate}",
            self.total_without_vat, self.currency, self.total_with_vat
        )
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).chain(['…']).collect() }
}
