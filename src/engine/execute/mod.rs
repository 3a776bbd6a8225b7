//! Carrying out one order's plan against RAYNET, idempotently.
//!
//! Every create is preceded by a lookup by extId and carries the extId in its body, and every
//! RAYNET id is recorded in the store as the step that created it completes. A crash between
//! "created in RAYNET" and "recorded here" is healed on the next run: the extId lookup finds the
//! record and adopts it. Follow-up steps of a create (contact address, link attachment) are
//! guarded by an *intent* in the store (`Store::set_intent`), so they are finished after a crash too —
//! once: when the intent shows that an earlier attempt may have reached RAYNET (its answer lost,
//! or the process stopped), the record is read first and only what is missing is added. A
//! record created in this run is not read again, so the normal path costs no extra request.
//!
//! RAYNET documents `extId` in a create body for a company only. The first create of each
//! entity type checks that the extId finds the new record; when it does not, the extId is set
//! with `PUT /{entity}/{id}/extId/` — then and after every later create of that type, as the
//! store remembers. The crash window between such a create and its extId is closed by the
//! intent and a second way to find the record: a product by its code, a business case by its
//! name and client.

mod business_case;
mod client;
mod dry_run;
mod product;

use crate::config::Config;
use crate::mapping;
use crate::raynet::client::RaynetClient;
use crate::raynet::models::BusinessCaseUpdate;
use crate::shoptet::client::ShoptetClient;
use crate::shoptet::models::Order;
use crate::store::{Activity, EntityKind, Store};

use crate::engine::EngineError;
use crate::engine::context::SyncContext;
use crate::engine::decide::Decision;

/// What became of one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Synced { business_case_id: i64, created: bool },
    NeedsDecision,
}

/// One unit of work: the order, the services and the store.
pub(crate) struct Work<'a> {
    pub store: &'a mut Store,
    pub shoptet: &'a ShoptetClient,
    pub raynet: &'a RaynetClient,
    pub ctx: &'a SyncContext,
    pub config: &'a Config,
    /// What was done, one line per step, for the order detail view.
    pub notes: Vec<String>,
}

pub(super) const COMPANY: &str = "company";
pub(super) const PRODUCT: &str = "product";
pub(super) const BUSINESS_CASE: &str = "businessCase";

/// The store key of a Shoptet customer, also its extId in RAYNET.
pub(crate) fn customer_key(eshop_id: i64, order: &Order) -> String {
    mapping::matching::customer_key(eshop_id, order)
}

impl Work<'_> {
    pub(super) fn eshop_id(&self) -> i64 {
        self.ctx.eshop_id
    }

    /// The RAYNET business case already linked to this order, if any.
    pub fn existing_business_case(&self, code: &str) -> Result<Option<i64>, EngineError> {
        if let Some(row) = self.store.order(code)?
            && let Some(id) = row.business_case_id
        {
            return Ok(Some(id));
        }
        let key = mapping::order_ext_id(self.eshop_id(), code);
        Ok(self.store.entity(EntityKind::BusinessCase, &key)?.map(|e| e.raynet_id))
    }

    /// Syncs one order whose decision needs work. The caller records failures.
    pub async fn sync_order(&mut self, order: &Order, decision: Decision) -> Result<Outcome, EngineError> {
        let hash = mapping::content_hash(order);
        let code = order.code.as_str();
        let existing = self.existing_business_case(code)?;
        match (decision, existing) {
            (Decision::Cancel, Some(id)) => {
                let phase = self.config.sync.cancelled_phase_id;
                let update = BusinessCaseUpdate { business_case_phase: phase, ..Default::default() };
                if !update.is_empty() {
                    self.raynet.update_business_case(id, &update).await?;
                }
                self.store.audit(Some(code), &Activity::Cancelled { business_case_id: id })?;
                self.store.mark_synced(code, id, &hash)?;
                Ok(Outcome::Synced { business_case_id: id, created: false })
            }
            (_, Some(id)) => {
                self.update_business_case(order, id).await?;
                self.notes
                    .push(format!("Business case #{id}: updated from the changed order (client unchanged)"));
                self.store.mark_synced(code, id, &hash)?;
                Ok(Outcome::Synced { business_case_id: id, created: false })
            }
            (_, None) => {
                // Everything that can be checked locally is checked before anything is written.
                self.currency_id(order)?;
                let lines = mapping::plan_lines(order, &self.ctx.settings)?;
                mapping::check_totals(order, &lines)?;
                let (company_id, owner) = match self.ensure_client(order).await? {
                    Some(c) => c,
                    None => return Ok(Outcome::NeedsDecision),
                };
                let linked = self.ensure_products(&lines, code).await?;
                let (id, created) = self.create_business_case(order, company_id, owner, &linked).await?;
                self.store.mark_synced(code, id, &hash)?;
                Ok(Outcome::Synced { business_case_id: id, created })
            }
        }
    }
}

pub(crate) fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Create => "create",
        Decision::Update => "update",
        Decision::Cancel => "cancel",
        Decision::Unchanged => "unchanged",
        Decision::Pending => "pending",
        Decision::OutOfScope => "out_of_scope",
    }
}
