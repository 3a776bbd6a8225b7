//! One order in flight: everything its plan and execution need, owned (a store connection of
//! its own, clones of the clients, the context and configuration of the round), so several run
//! at once on the engine's task while the engine itself stays free to take their results.

use std::collections::HashSet;
use std::sync::Arc;

use crate::config::Config;
use crate::mapping::{self, LookupStep};
use crate::raynet::client::RaynetClient;
use crate::shoptet::client::ShoptetClient;
use crate::shoptet::models::Order;
use crate::store::{EntityKind, Store};

use super::super::EngineError;
use super::super::context::SyncContext;
use super::super::decide::Decision;
use super::super::execute::{Executed, Executor};
use super::super::plan::{OrderPlan, Planner, Reads, Report};

/// What one order's work borrows: the sequential path lends the engine's own parts, a lane its
/// owned ones.
pub(super) struct Parts<'a> {
    pub store: &'a mut Store,
    pub shoptet: &'a ShoptetClient,
    pub raynet: &'a RaynetClient,
    pub ctx: &'a SyncContext,
    pub config: &'a Config,
}

impl Parts<'_> {
    fn planner(&mut self) -> Planner<'_> {
        Planner {
            store: Reads(&mut *self.store),
            shoptet: self.shoptet,
            raynet: self.raynet,
            ctx: self.ctx,
            config: self.config,
        }
    }

    /// Plans the order and carries the plan out. When RAYNET refuses the case because the
    /// client the store remembered is gone (merged or deleted since it was last read), the
    /// client is forgotten and the order planned and carried out again — once.
    pub async fn plan_and_execute(
        &mut self,
        order: &Order,
        decision: Decision,
    ) -> Result<(OrderPlan, Executed), EngineError> {
        let plan = self.planner().plan(order, decision).await?;
        let executed = self.executor(&order.code).run(&plan).await;
        let Some(gone) = executed.client_gone(&plan) else { return Ok((plan, executed)) };
        tracing::warn!(order = %order.code, client = gone, "RAYNET refused the case: its client is gone; looking it up again");
        let key = mapping::matching::customer_key(self.ctx.eshop_id, order);
        self.executor(&order.code).forget_client(&key, gone)?;
        let plan = self.planner().plan(order, decision).await?;
        let again = self.executor(&order.code).run(&plan).await;
        let mut done = vec![Report::ClientGone { raynet_id: gone }];
        done.extend(again.done);
        Ok((plan, Executed { done, ..again }))
    }

    fn executor<'b>(&'b mut self, code: &'b str) -> Executor<'b> {
        Executor { store: &mut *self.store, raynet: self.raynet, code }
    }
}

/// The owned parts of one order in flight.
pub(super) struct Lane {
    pub store: Store,
    pub shoptet: ShoptetClient,
    pub raynet: RaynetClient,
    pub ctx: Arc<SyncContext>,
    pub config: Arc<Config>,
}

/// What a lane brings back: itself (its connection is used again), the order, and the result.
pub(super) struct LaneDone {
    pub lane: Lane,
    pub order: Order,
    pub result: Result<(OrderPlan, Executed), EngineError>,
}

impl Lane {
    pub async fn run(mut self, order: Order, decision: Decision) -> LaneDone {
        let mut parts = Parts {
            store: &mut self.store,
            shoptet: &self.shoptet,
            raynet: &self.raynet,
            ctx: &self.ctx,
            config: &self.config,
        };
        let result = parts.plan_and_execute(&order, decision).await;
        LaneDone { lane: self, order, result }
    }
}

/// What two orders in flight at once must not share: the customer (the orders of one customer
/// go one after the other, in order), and what an order may create — a client not linked yet
/// (every value it is looked up by: two orders that could match or create the same client take
/// turns) and a product not linked yet (its code: one create per code; an order that needs a
/// product another order is creating waits, then finds it known). Products and clients the
/// store knows are shared freely.
pub(super) fn order_keys(
    store: &Store,
    eshop_id: i64,
    order: &Order,
) -> Result<HashSet<String>, EngineError> {
    let mut keys = HashSet::new();
    let customer = mapping::matching::customer_key(eshop_id, order);
    if store.entity(EntityKind::Client, &customer)?.is_none() {
        for step in mapping::client_lookup(order, eshop_id) {
            let value = match &step {
                LookupStep::ExtId(v) | LookupStep::Email(v) => v.trim().to_lowercase(),
                LookupStep::RegNumber(v) => v.split_whitespace().collect(),
                LookupStep::Name(v) => v.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase(),
            };
            keys.insert(format!("{}:{value}", step.key_name()));
        }
    }
    keys.insert(format!("customer:{customer}"));
    for code in order.items.iter().filter_map(|i| i.code.as_deref()) {
        let known = [mapping::product_ext_id(eshop_id, code), mapping::legacy_product_ext_id(eshop_id, code)]
            .iter()
            .map(|k| store.entity(EntityKind::Product, k))
            .collect::<Result<Vec<_>, _>>()?;
        if known.iter().all(Option::is_none) {
            keys.insert(format!("product:{code}"));
        }
    }
    Ok(keys)
}
