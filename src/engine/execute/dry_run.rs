//! The plan of one order, read-only (dry run and the order detail).

use crate::mapping::{self, LinePlan};
use crate::shoptet::models::Order;

use crate::engine::EngineError;
use crate::engine::decide::Decision;
use crate::engine::plan::{ClientPlan, LineView, OrderPlan, ProductPlan};

use super::client::ClientFind;
use super::{Work, decision_name};

impl Work<'_> {
    /// The plan of one order, with read-only lookups only.
    pub async fn plan_order(&mut self, order: &Order, decision: Decision) -> OrderPlan {
        let mut plan = OrderPlan {
            code: order.code.clone(),
            action: decision_name(decision).into(),
            status: order.status.as_ref().map(|s| s.name.clone()),
            customer: mapping::client_label(order),
            client: None,
            business_case_id: None,
            currency: order.price.currency_code.clone(),
            exchange_rate: order.price.exchange_rate,
            lines: Vec::new(),
            total_without_vat: order.price.without_vat,
            total_with_vat: order.price.with_vat,
            problem: None,
        };
        if let Err(e) = self.fill_plan(order, decision, &mut plan).await {
            plan.problem = Some(e.to_string());
        }
        plan
    }

    pub(super) async fn fill_plan(
        &mut self,
        order: &Order,
        decision: Decision,
        plan: &mut OrderPlan,
    ) -> Result<(), EngineError> {
        let lines = mapping::plan_lines(order, &self.ctx.settings)?;
        let existing = self.existing_business_case(&order.code)?;
        plan.business_case_id = existing;
        if decision.needs_work() || matches!(decision, Decision::Pending | Decision::Unchanged) {
            plan.client = Some(match existing {
                Some(_) => ClientPlan::Unchanged { raynet_id: None },
                None => match self.find_client(order).await? {
                    ClientFind::Known(r, _) => {
                        ClientPlan::Known { raynet_id: r.raynet_id, label: r.label, matched_by: r.matched_by }
                    }
                    ClientFind::Found { id, name, by, .. } => {
                        ClientPlan::Matched { raynet_id: id, name, matched_by: by }
                    }
                    ClientFind::Ambiguous { by, candidates } => {
                        ClientPlan::Ambiguous { matched_by: by, candidates }
                    }
                    ClientFind::NotFound => {
                        let draft = mapping::client_draft(order, &self.ctx.settings)?;
                        ClientPlan::Create { name: draft.create.name.clone(), person: draft.create.person }
                    }
                },
            });
        }
        for line in &lines {
            let product = match (&line.code, line.link_product) {
                (Some(code), true) => self.find_product(code).await?,
                _ => ProductPlan::NotLinked { why: not_linked_reason(line, order, &self.ctx.settings) },
            };
            plan.lines.push(LineView { line: line.clone(), product });
        }
        mapping::check_totals(order, &lines)?;
        Ok(())
    }
}

pub(super) fn not_linked_reason(line: &LinePlan, order: &Order, s: &mapping::MappingSettings) -> String {
    if !matches!(line.kind, mapping::LineKind::Product) {
        crate::engine::plan::line_kind(&line.kind).to_string()
    } else if mapping::is_foreign_currency(order, s) {
        format!("order in {}", order.price.currency_code)
    } else {
        "no product code".to_string()
    }
}
