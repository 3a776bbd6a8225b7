//! The plan of one order: what the planner read and decided — the client, each line's product,
//! the business-case action — and the exact, ordered steps the executor carries out. Data only;
//! the front ends render it in the user's language (`tui::i18n::plan`).

mod case;
mod client;
mod planner;
mod product;
mod writes;

pub(crate) use planner::{Planner, Reads};
pub use writes::{Entity, Named, Report, Step, Target, WriteOp};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::engine::decide::Decision;
use crate::mapping::matching::MatchKey;
use crate::mapping::{LineKind, LinePlan};
use crate::shoptet::models::Order;
use crate::store::{Candidate, Reason};

/// What the decision asks for, as the plan says it (`create`, `update`, …): the decision itself.
pub use super::decide::Decision as Action;

/// The order's client, as the planner found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ClientPlan {
    /// Already linked by an earlier order (local map); `cached`: its owner and existence come
    /// from the store's recent read, not from a read now.
    Known {
        raynet_id: i64,
        label: String,
        matched_by: Option<MatchKey>,
        cached: bool,
    },
    Matched {
        raynet_id: i64,
        name: String,
        matched_by: MatchKey,
    },
    Create {
        name: String,
        person: bool,
    },
    Ambiguous {
        matched_by: MatchKey,
        candidates: Vec<Candidate>,
    },
    /// The business case exists; its client is never changed.
    Unchanged {
        raynet_id: Option<i64>,
    },
}

/// Why a line links no product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotLinked {
    Shipping,
    Payment,
    Discount,
    Rounding,
    Other,
    /// A product line of an order in a foreign currency.
    ForeignCurrency,
    NoCode,
}

impl NotLinked {
    pub(crate) fn of(line: &LinePlan, foreign: bool) -> NotLinked {
        match line.kind {
            LineKind::Shipping => NotLinked::Shipping,
            LineKind::Payment => NotLinked::Payment,
            LineKind::Discount => NotLinked::Discount,
            LineKind::Rounding => NotLinked::Rounding,
            LineKind::Other => NotLinked::Other,
            LineKind::Product if foreign => NotLinked::ForeignCurrency,
            LineKind::Product => NotLinked::NoCode,
        }
    }
}

/// A line's product, as the planner found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ProductPlan {
    Known {
        raynet_id: i64,
    },
    Matched {
        raynet_id: i64,
        matched_by: MatchKey,
    },
    Create,
    /// Created by an earlier, interrupted attempt (found again): finished now.
    Finish {
        raynet_id: i64,
    },
    /// Plain named line: not a product, no code, or a foreign-currency order.
    NotLinked {
        why: NotLinked,
    },
    /// Not looked up: the client waits for a person's decision first.
    Waiting,
}

/// One line of the plan: the mapped line and what happens to its product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineView {
    #[serde(flatten)]
    pub line: LinePlan,
    pub product: ProductPlan,
}

/// What happens to the order's business case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CaseAction {
    Create {
        name: String,
    },
    /// Created by an earlier, interrupted attempt (found by extId, or by name and client):
    /// brought up to date.
    Resume {
        raynet_id: i64,
        found_by: MatchKey,
    },
    Update {
        raynet_id: i64,
        fields: bool,
        kept: usize,
        edited: usize,
        added: usize,
        removed: usize,
    },
    Cancel {
        raynet_id: i64,
        phase: Option<i64>,
    },
}

/// The whole plan of one order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderPlan {
    pub code: String,
    pub action: Action,
    pub status: Option<String>,
    pub customer: String,
    pub client: Option<ClientPlan>,
    pub business_case_id: Option<i64>,
    pub currency: String,
    pub exchange_rate: Option<Decimal>,
    pub lines: Vec<LineView>,
    pub total_without_vat: Decimal,
    pub total_with_vat: Decimal,
    #[serde(rename = "business_case")]
    pub case: Option<CaseAction>,
    /// What the executor does, in order; `Target::New(i)` is the id step `i` creates.
    pub steps: Vec<Step>,
    /// Why the plan could not be made (bad order data, unknown currency, a failed read).
    pub problem: Option<Reason>,
}

impl OrderPlan {
    /// A plan with nothing decided yet.
    pub fn new(order: &Order, decision: Decision) -> OrderPlan {
        OrderPlan {
            code: order.code.clone(),
            action: decision,
            status: order.status.as_ref().map(|s| s.name.clone()),
            customer: crate::mapping::client_label(order),
            client: None,
            business_case_id: None,
            currency: order.price.currency_code.clone(),
            exchange_rate: order.price.exchange_rate,
            lines: Vec::new(),
            total_without_vat: order.price.without_vat,
            total_with_vat: order.price.with_vat,
            case: None,
            steps: Vec::new(),
            problem: None,
        }
    }

    /// The RAYNET writes the plan intends, in order.
    pub fn writes(&self) -> Vec<WriteOp> {
        self.steps.iter().filter_map(Step::write).collect()
    }

    /// What becomes true as the plan is carried out, in order.
    pub fn reports(&self) -> Vec<&Report> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::Report { report } => Some(report),
                _ => None,
            })
            .collect()
    }

    /// Whether the client's owner and existence come from the store's recent read.
    pub fn client_cached(&self) -> Option<i64> {
        match &self.client {
            Some(ClientPlan::Known { raynet_id, cached: true, .. }) => Some(*raynet_id),
            _ => None,
        }
    }
}
