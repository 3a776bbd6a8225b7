//! The business case: created (or adopted after a crash), updated, moved to storno; the extId of a create.

use crate::mapping::{self, LinePlan};
use crate::raynet::models::has_link;
use crate::shoptet::models::Order;
use crate::store::{Activity, CreateExtIdMode, EntityKind, EntityRecord, How, IntentKind};

use crate::engine::EngineError;

use super::{BUSINESS_CASE, Work};

impl Work<'_> {
    pub(super) async fn create_business_case(
        &mut self,
        order: &Order,
        company_id: i64,
        owner: i64,
        lines: &[(LinePlan, Option<i64>)],
    ) -> Result<(i64, bool), EngineError> {
        let code = order.code.as_str();
        let key = mapping::order_ext_id(self.eshop_id(), code);
        let intent_key = code.to_string();
        let currency = self.currency_id(order)?;
        let draft =
            mapping::business_case_draft(order, &self.ctx.settings, company_id, owner, currency, lines)?;
        // An intent left by an earlier attempt: that attempt may have created the case.
        let retried = self.store.intent(IntentKind::BusinessCase, &intent_key)?.is_some();
        self.store.set_intent(IntentKind::BusinessCase, &intent_key, code)?;
        let found = match self.raynet.find_by_ext_id(BUSINESS_CASE, &key).await? {
            Some(id) => Some(id),
            None if retried => self.adopt_business_case(&draft.name, company_id, &key).await?,
            None => None,
        };
        let (id, created) = match found {
            Some(id) => (id, false),
            None => {
                let id = self.raynet.create_business_case(&draft).await?;
                self.ensure_created_ext_id(BUSINESS_CASE, id, &key).await?;
                (id, true)
            }
        };
        self.store.record_entity(&EntityRecord {
            kind: EntityKind::BusinessCase,
            shoptet_key: key,
            raynet_id: id,
            how: How::Created,
            matched_by: None,
            label: draft.name.clone(),
            shoptet_ref: Some(code.to_string()),
            first_order_code: Some(code.to_string()),
            created_at: self.store.now(),
        })?;
        if created {
            self.finish_business_case(order, id, true).await?;
        } else {
            // Found by extId: created before an interruption, perhaps from an older version of
            // the order — bring it up to date (this also finishes its attachment).
            self.update_business_case(order, id).await?;
        }
        self.notes.push(format!(
            "Business case #{id}: {} \"{}\", {} lines, {} {} without VAT, with the order link",
            if created { "created" } else { "found by extId (created before an interruption)" },
            draft.name,
            draft.items.len(),
            crate::money::money(order.price.without_vat),
            order.price.currency_code
        ));
        Ok((id, created))
    }

    /// After an interrupted attempt whose case the extId does not find (RAYNET dropped the
    /// create's extId and the set-extId never came): the case of this name and client, which
    /// then receives the extId.
    pub(super) async fn adopt_business_case(
        &mut self,
        name: &str,
        company_id: i64,
        key: &str,
    ) -> Result<Option<i64>, EngineError> {
        let found = self.raynet.business_cases_named(name, company_id).await?;
        let Some(id) = found.iter().filter(|c| c.name.as_deref() == Some(name)).map(|c| c.id).min() else {
            return Ok(None);
        };
        self.raynet.set_ext_id(BUSINESS_CASE, id, key).await?;
        self.notes.push(format!("Business case #{id}: found by name and client after an interruption"));
        Ok(Some(id))
    }

    /// Makes sure the record just created carries `ext_id`. On the first create of an entity
    /// type it checks whether RAYNET kept the extId of the create body, and remembers the
    /// answer; where RAYNET drops it, the extId is set with `PUT /{entity}/{id}/extId/`.
    pub(super) async fn ensure_created_ext_id(
        &mut self,
        entity: &str,
        id: i64,
        ext_id: &str,
    ) -> Result<(), EngineError> {
        match self.store.create_ext_id_mode(entity)? {
            Some(CreateExtIdMode::Kept) => return Ok(()),
            Some(CreateExtIdMode::Dropped) => {
                self.raynet.set_ext_id(entity, id, ext_id).await?;
                return Ok(());
            }
            _ => {}
        }
        match self.raynet.find_by_ext_id(entity, ext_id).await? {
            Some(found) if found == id => {
                self.store.set_create_ext_id_mode(entity, CreateExtIdMode::Kept)?;
                self.store.audit(None, &Activity::ExtIdMode { entity: entity.to_string(), kept: true })?;
            }
            Some(other) => {
                // Another record answers to our extId: leave both alone and decide next time.
                tracing::warn!(entity, id, other, ext_id, "the extId of a new record finds another record");
            }
            None => {
                self.raynet.set_ext_id(entity, id, ext_id).await?;
                self.store.set_create_ext_id_mode(entity, CreateExtIdMode::Dropped)?;
                self.store.audit(None, &Activity::ExtIdMode { entity: entity.to_string(), kept: false })?;
            }
        }
        Ok(())
    }

    /// The order link attachment, once (guarded by the intent). A case created just now cannot
    /// have it yet; an adopted one (created before a crash) is checked first.
    pub(super) async fn finish_business_case(
        &mut self,
        order: &Order,
        id: i64,
        fresh: bool,
    ) -> Result<(), EngineError> {
        let intent_key = order.code.clone();
        if self.store.intent(IntentKind::BusinessCase, &intent_key)?.is_none() {
            return Ok(());
        }
        if let Some(link) = mapping::order_link(order) {
            let already = !fresh && has_link(&self.raynet.business_case(id).await?.attachments, &link.link);
            if !already {
                self.raynet.add_link_attachment(BUSINESS_CASE, id, &link).await?;
            }
        }
        self.store.clear_intent(IntentKind::BusinessCase, &intent_key)?;
        Ok(())
    }

    pub(super) fn currency_id(&self, order: &Order) -> Result<Option<i64>, EngineError> {
        let iso = order.price.currency_code.trim();
        match self.ctx.currency_id(iso) {
            Some(id) => Ok(Some(id)),
            None => Err(EngineError::CurrencyMissing { iso: iso.to_string() }),
        }
    }

    /// Brings an existing business case in line with the order: lines, amounts, note, currency.
    /// The client and owner stay as they are. Only what differs is written: the case fields
    /// that changed, kept lines edited in place (`POST …/item/{itemId}/`, with their cost), new
    /// lines added (`PUT …/item/`), surplus lines removed — after the additions, so the case is
    /// never without lines. A change of the remark or the status alone writes no line.
    pub(super) async fn update_business_case(&mut self, order: &Order, id: i64) -> Result<(), EngineError> {
        let lines = mapping::plan_lines(order, &self.ctx.settings)?;
        mapping::check_totals(order, &lines)?;
        let bc = self.raynet.business_case(id).await?;
        let company = bc.company.as_ref().map(|c| c.id).unwrap_or_default();
        let owner = bc.owner.as_ref().map(|o| o.id).unwrap_or(self.ctx.settings.default_owner_id);
        let linked = self.ensure_products(&lines, &order.code).await?;
        let currency = self.currency_id(order)?;
        let draft =
            mapping::business_case_draft(order, &self.ctx.settings, company, owner, currency, &linked)?;
        // A case moved to storno by a cancellation comes back when the order is final again.
        let status = order.status_id();
        let is_final = status.is_some_and(|s| self.config.sync.final_status_ids.contains(&s));
        let in_storno = self.config.sync.cancelled_phase_id.is_some()
            && bc.business_case_phase.as_ref().map(|p| p.id) == self.config.sync.cancelled_phase_id;
        let phase = (is_final && in_storno).then_some(self.ctx.settings.phase_id);
        let update = mapping::case_changes(&bc, &draft, phase);
        if !update.is_empty() {
            self.raynet.update_business_case(id, &update).await?;
        }
        let changes = mapping::line_changes(&bc.items, &draft.items);
        for (item_id, edit) in &changes.edit {
            self.raynet.edit_business_case_item(id, *item_id, edit).await?;
        }
        for item in &changes.add {
            self.raynet.add_business_case_item(id, item).await?;
        }
        for item_id in &changes.remove {
            self.raynet.delete_business_case_item(id, *item_id).await?;
        }
        self.finish_business_case(order, id, false).await?;
        self.notes.push(format!(
            "Lines of business case #{id}: {} kept, {} edited in place, {} added, {} removed",
            changes.keep.len(),
            changes.edit.len(),
            changes.add.len(),
            changes.remove.len()
        ));
        let entry = Activity::Updated {
            business_case_id: id,
            kept: changes.keep.len(),
            edited: changes.edit.len(),
            added: changes.add.len(),
            removed: changes.remove.len(),
            fields: !update.is_empty(),
        };
        self.store.audit(Some(&order.code), &entry)?;
        Ok(())
    }
}
