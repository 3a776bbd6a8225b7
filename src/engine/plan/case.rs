//! Planning the business case: created (or, after an interrupted create, found again and brought
//! up to date), updated with only what differs, or moved to the storno phase.

use crate::mapping::matching::{self, MatchKey};
use crate::mapping::{self, LinePlan};
use crate::raynet::models::{BusinessCaseUpdate, has_link};
use crate::shoptet::models::Order;
use crate::store::{EntityKind, How, IntentKind};

use super::client::ClientOutcome;
use super::planner::Planner;
use super::product::Linked;
use super::writes::Steps;
use super::{CaseAction, Entity, OrderPlan, Report, Step, Target};
use crate::engine::EngineError;

/// The case an order's create makes: its extId (the store key), name and number of lines.
struct Made {
    key: String,
    name: String,
    lines: usize,
}

impl Made {
    /// The entity map's record of the case.
    fn record(&self, order: &Order, target: Target) -> Step {
        Step::RecordEntity {
            kind: EntityKind::BusinessCase,
            key: self.key.clone(),
            target,
            how: How::Created,
            matched_by: None,
            label: self.name.clone(),
            shoptet_ref: Some(order.code.clone()),
        }
    }
}

/// The draft's lines with the ids their products will have (placeholders for new ones).
fn with_placeholders(linked: &[(LinePlan, Option<Target>)]) -> Vec<(LinePlan, Option<i64>)> {
    linked.iter().map(|(l, t)| (l.clone(), t.map(Target::placeholder))).collect()
}

impl Planner<'_> {
    /// A synced order now cancelled: its case moves to the storno phase.
    pub(super) fn plan_cancel(&mut self, order: &Order, id: i64, steps: &mut Steps, plan: &mut OrderPlan) {
        let phase = self.config.sync.cancelled_phase_id;
        let update = BusinessCaseUpdate { business_case_phase: phase, ..Default::default() };
        if !update.is_empty() {
            steps.push(Step::UpdateBusinessCase { id, update });
        }
        steps.report(Report::CaseCancelled { raynet_id: id });
        steps.push(Step::MarkSynced {
            case: Target::Id(id),
            created: false,
            hash: mapping::content_hash(order),
        });
        plan.case = Some(CaseAction::Cancel { raynet_id: id, phase });
    }

    /// A synced order that changed: its case is brought up to date (the client stays).
    pub(super) async fn plan_changed_case(
        &mut self,
        order: &Order,
        id: i64,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<(), EngineError> {
        let intent = self.store.intent(IntentKind::BusinessCase, &order.code)?.is_some();
        self.plan_update(order, id, None, intent, steps, plan).await?;
        steps.report(Report::CaseUpdated { raynet_id: id });
        steps.push(Step::MarkSynced {
            case: Target::Id(id),
            created: false,
            hash: mapping::content_hash(order),
        });
        Ok(())
    }

    /// An order never synced: everything that can be checked locally is checked first, then
    /// the client, the products and the case.
    pub(super) async fn plan_new_case(
        &mut self,
        order: &Order,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<(), EngineError> {
        self.currency_id(order)?;
        let lines = mapping::plan_lines(order, &self.ctx.settings)?;
        mapping::check_totals(order, &lines)?;
        let (company, owner) = match self.plan_client(order, steps, plan).await? {
            ClientOutcome::Ready { company, owner } => (company, owner),
            ClientOutcome::NeedsDecision => {
                self.lines_waiting(order, &lines, plan);
                return Ok(());
            }
        };
        let linked = self.plan_products(order, &lines, steps, plan).await?;
        self.plan_create(order, company, owner, &linked, steps, plan).await
    }

    async fn plan_create(
        &mut self,
        order: &Order,
        company: Target,
        owner: i64,
        linked: &Linked,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<(), EngineError> {
        let code = order.code.as_str();
        let key = mapping::order_ext_id(self.eshop_id(), code);
        let currency = self.currency_id(order)?;
        let placeholders = with_placeholders(linked);
        let draft = mapping::business_case_draft(
            order,
            &self.ctx.settings,
            company.placeholder(),
            owner,
            currency,
            &placeholders,
        )?;
        // An intent left by an earlier attempt: that attempt may have created the case.
        let retried = self.store.intent(IntentKind::BusinessCase, code)?.is_some();
        let found = if matching::lookup_before_create(retried) {
            self.find_case(&key, &draft.name, company).await?
        } else {
            None
        };
        steps.push(Step::SetIntent { kind: IntentKind::BusinessCase, key: code.to_string() });
        let made = Made { key, name: draft.name.clone(), lines: draft.items.len() };
        if let Some(found) = found {
            return self.plan_resume(order, found, &made, linked, steps, plan).await;
        }
        let products: Vec<(usize, Target)> = linked
            .iter()
            .enumerate()
            .filter_map(|(i, (_, t))| match t {
                Some(t @ Target::New(_)) => Some((i, *t)),
                _ => None,
            })
            .collect();
        let new = steps.push(Step::CreateBusinessCase { body: draft, company, products });
        self.ext_id_after_create(Entity::BusinessCase, new, &made.key, steps)?;
        steps.push(made.record(order, new));
        if let Some(link) = mapping::order_link(order) {
            steps.push(Step::AttachLink { entity: Entity::BusinessCase, target: new, link });
        }
        steps.push(Step::ClearIntent { kind: IntentKind::BusinessCase, key: code.to_string() });
        steps.report(Report::CaseCreated {
            raynet_id: new,
            name: made.name.clone(),
            lines: made.lines,
            total_without_vat: order.price.without_vat,
            currency: order.price.currency_code.clone(),
        });
        steps.push(Step::MarkSynced { case: new, created: true, hash: mapping::content_hash(order) });
        plan.case = Some(CaseAction::Create { name: made.name });
        Ok(())
    }

    /// A case created by an earlier, interrupted attempt, found again: it receives the extId if
    /// it was found by name, is recorded, and is brought up to date — perhaps it was made from
    /// an older version of the order (this also finishes its attachment).
    async fn plan_resume(
        &mut self,
        order: &Order,
        (id, found_by): (i64, MatchKey),
        made: &Made,
        linked: &Linked,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<(), EngineError> {
        if found_by == MatchKey::Name {
            let ext_id = made.key.clone();
            let target = Target::Id(id);
            steps.push(Step::SetExtId { entity: Entity::BusinessCase, target, ext_id, refusal_ok: false });
            steps.report(Report::CaseFoundByName { raynet_id: id });
        }
        steps.push(made.record(order, Target::Id(id)));
        self.plan_update(order, id, Some(linked), true, steps, plan).await?;
        steps.report(Report::CaseResumed {
            raynet_id: id,
            name: made.name.clone(),
            lines: made.lines,
            total_without_vat: order.price.without_vat,
            currency: order.price.currency_code.clone(),
        });
        steps.push(Step::MarkSynced {
            case: Target::Id(id),
            created: false,
            hash: mapping::content_hash(order),
        });
        plan.case = Some(CaseAction::Resume { raynet_id: id, found_by });
        Ok(())
    }

    /// After an interrupted create: the case our extId finds; else (RAYNET dropped the create's
    /// extId and the set-extId never came) the case of this name and client, which then
    /// receives the extId.
    async fn find_case(
        &mut self,
        key: &str,
        name: &str,
        company: Target,
    ) -> Result<Option<(i64, MatchKey)>, EngineError> {
        if let Some(id) = self.raynet.find_by_ext_id(Entity::BusinessCase.path(), key).await? {
            return Ok(Some((id, MatchKey::ExtId)));
        }
        // A client created by this plan has no cases yet.
        let Target::Id(company) = company else { return Ok(None) };
        let found = self.raynet.business_cases_named(name, company).await?;
        Ok(found
            .iter()
            .filter(|c| c.name.as_deref() == Some(name))
            .map(|c| c.id)
            .min()
            .map(|id| (id, MatchKey::Name)))
    }

    /// Brings an existing business case in line with the order: lines, amounts, note, currency.
    /// The client and owner stay as they are. Only what differs is written: the case fields
    /// that changed, kept lines edited in place (`POST …/item/{itemId}/`, with their cost), new
    /// lines added (`PUT …/item/`), surplus lines removed — after the additions, so the case is
    /// never without lines. A change of the remark or the status alone writes no line. With an
    /// intent (an interrupted create), the order link is attached unless the case has it.
    async fn plan_update(
        &mut self,
        order: &Order,
        id: i64,
        linked: Option<&Linked>,
        intent: bool,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<(), EngineError> {
        let settings = &self.ctx.settings;
        let lines = mapping::plan_lines(order, settings)?;
        mapping::check_totals(order, &lines)?;
        let bc = self.raynet.business_case(id).await?;
        let company = bc.company.as_ref().map(|c| c.id).unwrap_or_default();
        let owner = bc.owner.as_ref().map(|o| o.id).unwrap_or(settings.default_owner_id);
        let linked = match linked {
            Some(l) => l.clone(),
            None => self.plan_products(order, &lines, steps, plan).await?,
        };
        let currency = self.currency_id(order)?;
        let draft = mapping::business_case_draft(
            order,
            settings,
            company,
            owner,
            currency,
            &with_placeholders(&linked),
        )?;
        let is_final = order.status_id().is_some_and(|s| self.config.sync.final_status_ids.contains(&s));
        let phase = matching::phase_after_storno(
            is_final,
            bc.business_case_phase.as_ref().map(|p| p.id),
            self.config.sync.cancelled_phase_id,
            settings.phase_id,
        );
        let update = mapping::case_changes(&bc, &draft, phase);
        let fields = !update.is_empty();
        if fields {
            steps.push(Step::UpdateBusinessCase { id, update });
        }
        let changes = mapping::line_changes(&bc.items, &draft.items);
        for (item, edit) in &changes.edit {
            steps.push(Step::EditItem { case: id, item: *item, edit: edit.clone() });
        }
        for item in &changes.add {
            let product = item.product.filter(|p| *p < 0).map(Target::from_placeholder);
            steps.push(Step::AddItem { case: id, item: item.clone(), product });
        }
        for item in &changes.remove {
            steps.push(Step::DeleteItem { case: id, item: *item });
        }
        if intent {
            if let Some(link) = mapping::order_link(order)
                && !has_link(&bc.attachments, &link.link)
            {
                steps.push(Step::AttachLink { entity: Entity::BusinessCase, target: Target::Id(id), link });
            }
            steps.push(Step::ClearIntent { kind: IntentKind::BusinessCase, key: order.code.clone() });
        }
        let (kept, edited, added, removed) =
            (changes.keep.len(), changes.edit.len(), changes.add.len(), changes.remove.len());
        steps.report(Report::CaseLines { raynet_id: id, kept, edited, added, removed, fields });
        plan.case = Some(CaseAction::Update { raynet_id: id, fields, kept, edited, added, removed });
        Ok(())
    }
}
