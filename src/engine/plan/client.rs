//! Planning the client of an order: a person's decision, the client an earlier order linked
//! (read again only when the store's copy is old), or RAYNET step by step (the first step with
//! hits wins; several hits are ambiguous); else a create with its contact address.

use crate::http::ErrorKind;
use crate::mapping::matching::{self, Hits, MatchKey};
use crate::mapping::{self, LookupStep};
use crate::raynet::client::CompanyFilter;
use crate::raynet::models::Company;
use crate::shoptet::models::Order;
use crate::store::{Candidate, CandidateFacts, DecisionChoice, EntityKind, EntityRecord, How, IntentKind};

use super::planner::Planner;
use super::writes::{Named, Steps};
use super::{ClientPlan, Entity, OrderPlan, Report, Step, Target};
use crate::engine::EngineError;

/// Where the client planning ended.
pub(super) enum ClientOutcome {
    /// The case goes to this client, owned by this owner.
    Ready { company: Target, owner: i64 },
    /// Several clients match: a person decides.
    NeedsDecision,
}

/// A client found in RAYNET by one lookup step (or chosen by a person), as read.
struct Found {
    company: Company,
    by: MatchKey,
}

/// Facts the client planning carries along.
struct Ctx<'o> {
    order: &'o Order,
    key: String,
    intent: bool,
    decided: bool,
}

impl Planner<'_> {
    pub(super) async fn plan_client(
        &mut self,
        order: &Order,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<ClientOutcome, EngineError> {
        let key = matching::customer_key(self.eshop_id(), order);
        let intent = self.store.intent(IntentKind::Client, &key)?.is_some();
        let decision = self.store.decision(&order.code)?;
        let c = Ctx { order, key, intent, decided: decision.is_some() };
        let mut create_new = false;
        match decision.and_then(|d| d.choice) {
            Some(DecisionChoice::Existing(id)) => {
                let company = self.raynet.company(id).await?;
                return self.adopt(&c, Found { company, by: MatchKey::Decision }, steps, plan);
            }
            // "Create new" skips the matching by IČ, e-mail and name, but not the checks that
            // find a client this order already created (a retried create).
            Some(DecisionChoice::CreateNew) => create_new = true,
            None => {}
        }
        if let Some(rec) = self.store.entity(EntityKind::Client, &c.key)?
            && let Some(outcome) = self.known_client(&c, rec, steps, plan).await?
        {
            return Ok(outcome);
        }
        let lookup = matching::lookup_steps(mapping::client_lookup(order, self.eshop_id()), create_new);
        for step in lookup {
            let by = MatchKey::of_step(&step);
            match matching::classify_hits(self.client_hits(&step).await?) {
                Hits::None => continue,
                Hits::One(company) => return self.adopt(&c, Found { company, by }, steps, plan),
                Hits::Ambiguous(hits) => return Ok(self.ambiguous(hits, by, steps, plan)),
            }
        }
        self.create_client(&c, steps, plan)
    }

    /// The client an earlier order linked. Its owner and existence come from the store's copy
    /// while it is recent; otherwise it is read (its owner may have changed, or it may have been
    /// merged away — then it is forgotten and looked up again: `None`).
    async fn known_client(
        &mut self,
        c: &Ctx<'_>,
        rec: EntityRecord,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<Option<ClientOutcome>, EngineError> {
        let id = rec.raynet_id;
        let refresh = self.config.sync.client_refresh_secs;
        let recent = self
            .store
            .client_read(id)?
            .filter(|r| matching::client_read_is_fresh(r.read_at, self.store.now(), refresh));
        let (owner, read) = match recent {
            Some(r) => (r.owner, None),
            None => match self.raynet.company(id).await {
                Ok(company) => {
                    let owner = company.owner.as_ref().map(|o| o.id);
                    steps.push(Step::RememberClient { target: Target::Id(id), owner });
                    (owner, Some(company))
                }
                Err(e) if e.kind == ErrorKind::NotFound => {
                    tracing::warn!(client = id, "a known client is gone from RAYNET; looking it up again");
                    steps.push(Step::ForgetClient { key: c.key.clone(), raynet_id: id });
                    steps.report(Report::ClientGone { raynet_id: id });
                    return Ok(None);
                }
                Err(e) => return Err(e.into()),
            },
        };
        if c.intent {
            // Created by us, but a follow-up (the contact address) did not finish.
            let company = match read {
                Some(company) => company,
                None => self.raynet.company(id).await?,
            };
            self.client_followups(c.order, &company, steps)?;
            steps.push(Step::ClearIntent { kind: IntentKind::Client, key: c.key.clone() });
        }
        steps.report(Report::ClientKnown { raynet_id: id, label: rec.label.clone() });
        let matched_by = rec.matched_by.as_deref().and_then(MatchKey::parse);
        plan.client =
            Some(ClientPlan::Known { raynet_id: id, label: rec.label, matched_by, cached: recent.is_some() });
        let owner = owner.unwrap_or(self.ctx.settings.default_owner_id);
        Ok(Some(ClientOutcome::Ready { company: Target::Id(id), owner }))
    }

    /// The RAYNET companies one lookup step finds, compared locally the way the step says.
    async fn client_hits(&mut self, step: &LookupStep) -> Result<Vec<Company>, EngineError> {
        let found = match step {
            LookupStep::ExtId(ext) => match self.raynet.find_by_ext_id(Entity::Company.path(), ext).await? {
                Some(id) => vec![self.raynet.company(id).await?],
                None => Vec::new(),
            },
            LookupStep::RegNumber(typed) => {
                let mut found = Vec::new();
                for v in matching::reg_number_queries(typed) {
                    found.extend(self.raynet.companies(&CompanyFilter::RegNumber(v)).await?);
                }
                found
            }
            LookupStep::Email(v) => self.raynet.companies(&CompanyFilter::Email(v.clone())).await?,
            LookupStep::Name(v) => self.raynet.companies(&CompanyFilter::Name(v.clone())).await?,
        };
        Ok(matching::confirm_hits(step, found))
    }

    /// Links a client found in RAYNET: ours when our extId found it after an interrupted create
    /// (its follow-ups are finished), somebody else's otherwise (it receives our extId).
    fn adopt(
        &mut self,
        c: &Ctx<'_>,
        found: Found,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<ClientOutcome, EngineError> {
        let Found { company, by } = found;
        let id = company.id;
        let name = company.name.clone().unwrap_or_default();
        let owner = company.owner.as_ref().map(|o| o.id);
        let ours = matching::is_ours(c.intent, by);
        if ours {
            self.client_followups(c.order, &company, steps)?;
        } else if by != MatchKey::ExtId {
            // A matched client may receive our extId; nothing else in it changes.
            let ext_id = c.key.clone();
            steps.push(Step::SetExtId {
                entity: Entity::Company,
                target: Target::Id(id),
                ext_id,
                refusal_ok: true,
            });
        }
        steps.report(if ours {
            Report::ClientResumed { raynet_id: id, name: name.clone() }
        } else {
            Report::ClientMatched { raynet_id: id, name: name.clone(), matched_by: by }
        });
        steps.push(Step::RecordEntity {
            kind: EntityKind::Client,
            key: c.key.clone(),
            target: Target::Id(id),
            how: if ours { How::Created } else { How::Matched },
            matched_by: (!ours).then_some(by),
            label: if name.is_empty() { mapping::client_label(c.order) } else { name.clone() },
            shoptet_ref: c.order.customer_guid.clone().or(c.order.email.clone()),
        });
        steps.push(Step::RememberClient { target: Target::Id(id), owner });
        self.close_client(c, steps);
        plan.client = Some(ClientPlan::Matched { raynet_id: id, name, matched_by: by });
        let owner = matching::case_owner(ours, owner, self.ctx.settings.default_owner_id);
        Ok(ClientOutcome::Ready { company: Target::Id(id), owner })
    }

    /// The intent is cleared, and a person's decision that led here is settled.
    fn close_client(&mut self, c: &Ctx<'_>, steps: &mut Steps) {
        steps.push(Step::ClearIntent { kind: IntentKind::Client, key: c.key.clone() });
        if c.decided {
            steps.push(Step::ClearDecision);
        }
    }

    fn ambiguous(
        &mut self,
        hits: Vec<Company>,
        by: MatchKey,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> ClientOutcome {
        let candidates: Vec<Candidate> = hits
            .iter()
            .map(|c| Candidate {
                raynet_id: c.id,
                name: c.name.clone().unwrap_or_default(),
                matched_by: by.as_str().to_string(),
                facts: company_facts(c),
            })
            .collect();
        let named =
            candidates.iter().map(|c| Named { raynet_id: c.raynet_id, name: c.name.clone() }).collect();
        steps.push(Step::SetDecision { matched_by: by, candidates: candidates.clone() });
        steps.report(Report::ClientAmbiguous { matched_by: by, candidates: named });
        plan.client = Some(ClientPlan::Ambiguous { matched_by: by, candidates });
        ClientOutcome::NeedsDecision
    }

    /// Creates the client (the intent first, so a crash is healed by the extId lookup), then
    /// its contact address.
    fn create_client(
        &mut self,
        c: &Ctx<'_>,
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<ClientOutcome, EngineError> {
        let draft = mapping::client_draft(c.order, &self.ctx.settings)?;
        let mut body = draft.create.clone();
        body.ext_id = Some(c.key.clone());
        let (name, person) = (body.name.clone(), body.person);
        let default_owner = self.ctx.settings.default_owner_id;
        steps.push(Step::SetIntent { kind: IntentKind::Client, key: c.key.clone() });
        let new = steps.push(Step::CreateCompany { body });
        self.ext_id_after_create(Entity::Company, new, &c.key, steps)?;
        steps.push(Step::RecordEntity {
            kind: EntityKind::Client,
            key: c.key.clone(),
            target: new,
            how: How::Created,
            matched_by: None,
            label: name.clone(),
            shoptet_ref: c.order.customer_guid.clone().or(c.order.email.clone()),
        });
        steps.push(Step::RememberClient { target: new, owner: Some(default_owner) });
        if let Some(address) = draft.contact_address.clone() {
            let added = steps.push(Step::AddAddress { company: new, address });
            steps.push(Step::SetContactAddress { company: new, address: added });
        }
        self.close_client(c, steps);
        steps.report(Report::ClientCreated {
            raynet_id: new,
            name: name.clone(),
            person,
            contact_address: draft.contact_address.is_some(),
        });
        plan.client = Some(ClientPlan::Create { name, person });
        Ok(ClientOutcome::Ready { company: new, owner: default_owner })
    }

    /// After an interrupted create of a client (the process stopped, or an answer was lost):
    /// the contact address, once. The earlier attempt may have added the address without
    /// hearing back, and perhaps not made it the contact address yet, so an address of the
    /// client (as just read) with the same fields is reused rather than added again.
    fn client_followups(
        &mut self,
        order: &Order,
        company: &Company,
        steps: &mut Steps,
    ) -> Result<(), EngineError> {
        let draft = mapping::client_draft(order, &self.ctx.settings)?;
        let Some(addr) = draft.contact_address else { return Ok(()) };
        let id = Target::Id(company.id);
        let existing = company.addresses.iter().find(|a| !a.primary && a.same_as(&addr.address));
        match existing {
            Some(a) if a.contact_address => {}
            Some(a) => match a.id {
                Some(addr_id) => {
                    steps.push(Step::SetContactAddress { company: id, address: Target::Id(addr_id) });
                }
                None => tracing::warn!(
                    client = company.id,
                    "the client's delivery address has no id; not made the contact address"
                ),
            },
            None => {
                let added = steps.push(Step::AddAddress { company: id, address: addr });
                steps.push(Step::SetContactAddress { company: id, address: added });
            }
        }
        Ok(())
    }
}

/// What tells a candidate apart: IČ, e-mail, city, owner (rendered by `tui::i18n`).
fn company_facts(c: &Company) -> CandidateFacts {
    let city = c.primary_address.as_ref().and_then(|a| a.address.as_ref()).and_then(|a| a.get("city"));
    CandidateFacts {
        reg_number: c.reg_number.clone(),
        email: c.primary_email().map(str::to_string),
        city: city.and_then(|v| v.as_str()).filter(|s| !s.trim().is_empty()).map(str::to_string),
        owner: c.owner.as_ref().and_then(|o| o.name.clone()),
        legacy: None,
    }
}
