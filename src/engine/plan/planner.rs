//! The planner: every read an order needs — the store (entity map, intents left by an
//! interrupted attempt, decisions, the create-extId modes, recent client reads), RAYNET lookups
//! and Shoptet product details — and nothing written anywhere. The real sync, `--dry-run` and
//! the order detail all plan through here.

use crate::config::Config;
use crate::mapping;
use crate::raynet::client::RaynetClient;
use crate::shoptet::client::ShoptetClient;
use crate::shoptet::models::Order;
use crate::store::{CreateExtIdMode, EntityKind, Store};

use super::writes::Steps;
use super::{ClientPlan, Entity, OrderPlan, Step, Target};
use crate::engine::EngineError;
use crate::engine::context::SyncContext;
use crate::engine::decide::Decision;

/// The store as the planner sees it: reads only (it has no `DerefMut`). Held mutably so the
/// planner's futures stay `Send` (the store is not `Sync`).
pub(crate) struct Reads<'a>(pub &'a mut Store);

impl std::ops::Deref for Reads<'_> {
    type Target = Store;

    fn deref(&self) -> &Store {
        self.0
    }
}

/// Plans orders over the engine's store (read-only), clients and context.
pub(crate) struct Planner<'a> {
    pub store: Reads<'a>,
    pub shoptet: &'a ShoptetClient,
    pub raynet: &'a RaynetClient,
    pub ctx: &'a SyncContext,
    pub config: &'a Config,
}

impl Planner<'_> {
    /// The plan of one order whose decision needs work; any failed read or bad order data is
    /// the error (nothing is written before the plan is complete).
    pub async fn plan(&mut self, order: &Order, decision: Decision) -> Result<OrderPlan, EngineError> {
        let mut plan = OrderPlan::new(order, decision);
        let mut steps = Steps::default();
        self.fill(order, decision, &mut steps, &mut plan).await?;
        plan.steps = if decision.needs_work() { steps.0 } else { Vec::new() };
        Ok(plan)
    }

    /// The plan of one order as far as it can be made; why not, in `problem` (then it lists
    /// no steps). For the dry run and the order detail.
    pub async fn plan_or_problem(&mut self, order: &Order, decision: Decision) -> OrderPlan {
        let mut plan = OrderPlan::new(order, decision);
        let mut steps = Steps::default();
        match self.fill(order, decision, &mut steps, &mut plan).await {
            Ok(()) if decision.needs_work() => plan.steps = steps.0,
            Ok(()) => {}
            Err(e) => plan.problem = Some(e.reason()),
        }
        plan
    }

    async fn fill(
        &mut self,
        order: &Order,
        decision: Decision,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<(), EngineError> {
        let existing = self.existing_business_case(&order.code)?;
        plan.business_case_id = existing;
        match (decision, existing) {
            (Decision::Cancel, Some(id)) => {
                plan.client = Some(ClientPlan::Unchanged { raynet_id: None });
                self.plan_cancel(order, id, steps, plan);
                Ok(())
            }
            (_, Some(id)) => {
                plan.client = Some(ClientPlan::Unchanged { raynet_id: None });
                self.plan_changed_case(order, id, steps, plan).await
            }
            (_, None) => self.plan_new_case(order, steps, plan).await,
        }
    }

    /// The RAYNET business case already linked to this order, if any.
    pub fn existing_business_case(&mut self, code: &str) -> Result<Option<i64>, EngineError> {
        if let Some(row) = self.store.order(code)?
            && let Some(id) = row.business_case_id
        {
            return Ok(Some(id));
        }
        let key = mapping::order_ext_id(self.eshop_id(), code);
        Ok(self.store.entity(EntityKind::BusinessCase, &key)?.map(|e| e.raynet_id))
    }

    pub(super) fn eshop_id(&mut self) -> i64 {
        self.ctx.eshop_id
    }

    pub(super) fn currency_id(&mut self, order: &Order) -> Result<Option<i64>, EngineError> {
        let iso = order.price.currency_code.trim();
        match self.ctx.currency_id(iso) {
            Some(id) => Ok(Some(id)),
            None => Err(EngineError::CurrencyMissing { iso: iso.to_string() }),
        }
    }

    /// What follows a create so that the new record carries our extId: nothing where RAYNET
    /// keeps a create's extId, `PUT …/extId/` where it drops it, and on the first create of the
    /// type (not known yet) the check that finds out — the executor acts on the answer.
    pub(super) fn ext_id_after_create(
        &mut self,
        entity: Entity,
        target: Target,
        ext_id: &str,
        steps: &mut Steps,
    ) -> Result<(), EngineError> {
        let ext_id = ext_id.to_string();
        match self.store.create_ext_id_mode(entity.path())? {
            Some(CreateExtIdMode::Kept) => {}
            Some(CreateExtIdMode::Dropped) => {
                steps.push(Step::SetExtId { entity, target, ext_id, refusal_ok: false });
            }
            None => {
                steps.push(Step::VerifyExtId { entity, target, ext_id });
            }
        }
        Ok(())
    }
}
