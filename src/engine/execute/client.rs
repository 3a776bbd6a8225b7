//! The client of an order: known, matched (extId, IČ, e-mail, name), ambiguous, or created.

use crate::http::ErrorKind;
use crate::mapping::{self, matching, matching::Hits};
use crate::raynet::client::CompanyFilter;
use crate::raynet::models::Company;
use crate::shoptet::models::Order;
use crate::store::{Candidate, DecisionChoice, EntityKind, EntityRecord, How, IntentKind, Reason};

use crate::engine::EngineError;

use super::{COMPANY, Work, customer_key};

impl Work<'_> {
    /// Looks the order's client up: a person's decision first, then the client an earlier
    /// order linked, then RAYNET step by step (the first step with hits wins; several hits
    /// are ambiguous).
    pub(super) async fn find_client(&mut self, order: &Order) -> Result<ClientFind, EngineError> {
        let key = customer_key(self.eshop_id(), order);
        let mut create_new = false;
        if let Some(decision) = self.store.decision(&order.code)? {
            match decision.choice {
                Some(DecisionChoice::Existing(id)) => {
                    let c = self.raynet.company(id).await?;
                    return Ok(ClientFind::Found {
                        id,
                        name: c.name.clone().unwrap_or_default(),
                        by: "decision".into(),
                        owner: c.owner.as_ref().map(|o| o.id),
                    });
                }
                // "Create new" skips the matching by IČ, e-mail and name, but not the checks
                // that find a client this order already created (a retried create).
                Some(DecisionChoice::CreateNew) => create_new = true,
                None => {}
            }
        }
        if let Some(found) = self.known_client(&key).await? {
            return Ok(found);
        }
        for step in mapping::client_lookup(order, self.eshop_id()) {
            if create_new && !matches!(step, mapping::LookupStep::ExtId(_)) {
                continue;
            }
            let by = step.key_name().to_string();
            let hits = self.client_hits(&step).await?;
            if let Some(found) = classify_hits(hits, by) {
                return Ok(found);
            }
        }
        Ok(ClientFind::NotFound)
    }

    /// The client an earlier order linked, re-read (its owner may have changed, or it may have
    /// been merged away — then it is forgotten and looked up again).
    async fn known_client(&mut self, key: &str) -> Result<Option<ClientFind>, EngineError> {
        let Some(rec) = self.store.entity(EntityKind::Client, key)? else { return Ok(None) };
        match self.raynet.company(rec.raynet_id).await {
            Ok(c) => Ok(Some(ClientFind::Known(rec, c.owner.as_ref().map(|o| o.id)))),
            Err(e) if e.kind == ErrorKind::NotFound => {
                tracing::warn!(
                    client = rec.raynet_id,
                    "a known client is gone from RAYNET; looking it up again"
                );
                self.notes.push(format!(
                    "Client #{} no longer exists in RAYNET (merged or deleted): looked up again",
                    rec.raynet_id
                ));
                self.store.delete_entity(EntityKind::Client, key)?;
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The RAYNET companies one lookup step finds, compared locally the way the step says.
    async fn client_hits(&mut self, step: &mapping::LookupStep) -> Result<Vec<Company>, EngineError> {
        Ok(match step {
            mapping::LookupStep::ExtId(ext) => match self.raynet.find_by_ext_id(COMPANY, ext).await? {
                Some(id) => vec![self.raynet.company(id).await?],
                None => Vec::new(),
            },
            mapping::LookupStep::RegNumber(typed) => {
                // IČ without its spaces; as typed too when it has some (RAYNET's filter is
                // exact), compared locally without spaces.
                let v = matching::reg_number_key(typed);
                let mut found = self.raynet.companies(&CompanyFilter::RegNumber(v.clone())).await?;
                let typed = typed.trim();
                if typed != v {
                    for c in self.raynet.companies(&CompanyFilter::RegNumber(typed.to_string())).await? {
                        if !found.iter().any(|f| f.id == c.id) {
                            found.push(c);
                        }
                    }
                }
                found
                    .into_iter()
                    .filter(|c| c.reg_number.as_deref().is_some_and(|r| matching::same_reg_number(r, &v)))
                    .collect()
            }
            mapping::LookupStep::Email(v) => {
                let found = self.raynet.companies(&CompanyFilter::Email(v.clone())).await?;
                found
                    .into_iter()
                    .filter(|c| c.primary_email().is_some_and(|e| matching::same_email(e, v)))
                    .collect()
            }
            mapping::LookupStep::Name(v) => {
                // `LIKE_NOCASE` finds the name in any letter case; only the exact name
                // (trimmed, case-folded) counts.
                let found = self.raynet.companies(&CompanyFilter::Name(v.clone())).await?;
                found
                    .into_iter()
                    .filter(|c| c.name.as_deref().is_some_and(|n| matching::same_name(n, v)))
                    .collect()
            }
        })
    }

    /// The client's RAYNET id and owner, matched or created; `None` when a person must decide.
    pub(super) async fn ensure_client(&mut self, order: &Order) -> Result<Option<(i64, i64)>, EngineError> {
        let key = customer_key(self.eshop_id(), order);
        let intent_key = key.to_string();
        let default_owner = self.ctx.settings.default_owner_id;
        match self.find_client(order).await? {
            ClientFind::Known(rec, owner) => {
                let owner = owner.unwrap_or(default_owner);
                if self.store.intent(IntentKind::Client, &intent_key)?.is_some() {
                    // Created by us, but a follow-up (contact address) did not finish.
                    self.finish_client_followups(order, rec.raynet_id).await?;
                    self.store.clear_intent(IntentKind::Client, &intent_key)?;
                }
                self.notes.push(format!(
                    "Client: {} (RAYNET #{}), known from an earlier order",
                    rec.label, rec.raynet_id
                ));
                Ok(Some((rec.raynet_id, owner)))
            }
            ClientFind::Found { id, name, by, owner } => {
                self.adopt_client(order, &key, Found { id, name, by, owner }).await.map(Some)
            }
            ClientFind::Ambiguous { by, candidates } => {
                let names: Vec<String> =
                    candidates.iter().map(|c| format!("{} (#{})", c.name, c.raynet_id)).collect();
                self.notes.push(format!(
                    "Client: ambiguous — {} RAYNET clients match by {}: {} — choose one or create a new client",
                    candidates.len(),
                    crate::engine::plan::by_label(&by),
                    names.join(", ")
                ));
                let reason = Reason::Ambiguous { by: by.to_string(), candidates: names };
                self.store.set_decision(&order.code, &reason, &candidates)?;
                Ok(None)
            }
            ClientFind::NotFound => self.create_client(order, &key).await.map(Some),
        }
    }

    /// Links a client found in RAYNET: ours when our extId found it after an interrupted
    /// create (its follow-ups are finished), somebody else's otherwise (it receives our extId).
    async fn adopt_client(
        &mut self,
        order: &Order,
        key: &str,
        found: Found,
    ) -> Result<(i64, i64), EngineError> {
        let Found { id, name, by, owner } = found;
        let code = order.code.clone();
        let intent_key = key.to_string();
        let default_owner = self.ctx.settings.default_owner_id;
        // Ours only when our extId found it; a client matched by IČ, e-mail or name
        // (e.g. created by hand after our create failed) is somebody else's.
        let ours = self.store.intent(IntentKind::Client, &intent_key)?.is_some() && by == "ext_id";
        let how = if ours { How::Created } else { How::Matched };
        if ours {
            self.finish_client_followups(order, id).await?;
        } else if by != "ext_id" {
            // A matched client may receive our extId; nothing else in it changes.
            if let Err(e) = self.raynet.set_ext_id(COMPANY, id, key).await {
                if !matches!(e.kind, ErrorKind::Permanent | ErrorKind::NotFound) {
                    return Err(e.into());
                }
                tracing::warn!(order = %code, client = id, error = %e, "could not set extId on a matched client");
            }
        }
        let owner = matching::case_owner(ours, owner, default_owner);
        self.notes.push(if ours {
            format!("Client: {name} (RAYNET #{id}) created (finished after an interruption)")
        } else {
            format!("Client: matched by {} → {name} (RAYNET #{id})", crate::engine::plan::by_label(&by))
        });
        self.store.record_entity(&EntityRecord {
            kind: EntityKind::Client,
            shoptet_key: key.to_string(),
            raynet_id: id,
            how,
            matched_by: (!ours).then_some(by),
            label: if name.is_empty() { mapping::client_label(order) } else { name },
            shoptet_ref: order.customer_guid.clone().or(order.email.clone()),
            first_order_code: Some(code.clone()),
            created_at: self.store.now(),
        })?;
        self.store.clear_intent(IntentKind::Client, &intent_key)?;
        if self.store.decision(&code)?.is_some() {
            self.store.clear_decision(&code)?;
        }
        Ok((id, owner))
    }

    /// Creates the client (the intent first, so a crash is healed by the extId lookup), then
    /// its contact address.
    async fn create_client(&mut self, order: &Order, key: &str) -> Result<(i64, i64), EngineError> {
        let code = order.code.clone();
        let intent_key = key.to_string();
        let draft = mapping::client_draft(order, &self.ctx.settings)?;
        let mut create = draft.create.clone();
        create.ext_id = Some(key.to_string());
        self.store.set_intent(IntentKind::Client, &intent_key, &code)?;
        let id = self.raynet.create_company(&create).await?;
        self.ensure_created_ext_id(COMPANY, id, key).await?;
        self.store.record_entity(&EntityRecord {
            kind: EntityKind::Client,
            shoptet_key: key.to_string(),
            raynet_id: id,
            how: How::Created,
            matched_by: None,
            label: create.name.clone(),
            shoptet_ref: order.customer_guid.clone().or(order.email.clone()),
            first_order_code: Some(code.clone()),
            created_at: self.store.now(),
        })?;
        if let Some(addr) = &draft.contact_address {
            let addr_id = self.raynet.add_company_address(id, addr).await?;
            self.raynet.set_contact_address(id, addr_id).await?;
        }
        self.store.clear_intent(IntentKind::Client, &intent_key)?;
        if self.store.decision(&code)?.is_some() {
            self.store.clear_decision(&code)?;
        }
        self.notes.push(format!(
            "Client: created {} {} (RAYNET #{id}){}",
            if create.person { "person" } else { "company" },
            create.name,
            if draft.contact_address.is_some() { " with a contact address" } else { "" }
        ));
        Ok((id, self.ctx.settings.default_owner_id))
    }

    /// After an interrupted create of a client (the process stopped, or an answer was lost):
    /// the contact address, once. The earlier attempt may have added the address without
    /// hearing back, and perhaps not made it the contact address yet, so the client is read and
    /// an address with the same fields is reused rather than added again.
    pub(super) async fn finish_client_followups(
        &mut self,
        order: &Order,
        id: i64,
    ) -> Result<(), EngineError> {
        let draft = mapping::client_draft(order, &self.ctx.settings)?;
        let Some(addr) = &draft.contact_address else { return Ok(()) };
        let company = self.raynet.company(id).await?;
        let existing = company.addresses.iter().find(|a| !a.primary && a.same_as(&addr.address));
        match existing {
            Some(a) if a.contact_address => {}
            Some(a) => match a.id {
                Some(addr_id) => self.raynet.set_contact_address(id, addr_id).await?,
                None => tracing::warn!(
                    client = id,
                    "the client's delivery address has no id; not made the contact address"
                ),
            },
            None => {
                let addr_id = self.raynet.add_company_address(id, addr).await?;
                self.raynet.set_contact_address(id, addr_id).await?;
            }
        }
        Ok(())
    }
}

/// How a client lookup ended.
pub(super) enum ClientFind {
    /// Linked by an earlier order and still present in RAYNET (with its current owner).
    Known(EntityRecord, Option<i64>),
    Found {
        id: i64,
        name: String,
        by: String,
        owner: Option<i64>,
    },
    Ambiguous {
        by: String,
        candidates: Vec<Candidate>,
    },
    NotFound,
}

pub(super) fn describe_company(c: &Company) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(r) = &c.reg_number {
        parts.push(format!("IČ {r}"));
    }
    if let Some(e) = c.primary_email() {
        parts.push(e.to_string());
    }
    if let Some(o) = c.owner.as_ref().and_then(|o| o.name.clone()) {
        parts.push(format!("owner {o}"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A client found in RAYNET by one lookup step (or chosen by a person).
struct Found {
    id: i64,
    name: String,
    by: String,
    owner: Option<i64>,
}

/// What the hits of one lookup step mean: none (go on), one (found), several (ambiguous).
fn classify_hits(hits: Vec<Company>, by: String) -> Option<ClientFind> {
    match matching::classify_hits(hits) {
        Hits::None => None,
        Hits::One(c) => Some(ClientFind::Found {
            id: c.id,
            name: c.name.clone().unwrap_or_default(),
            by,
            owner: c.owner.as_ref().map(|o| o.id),
        }),
        Hits::Ambiguous(hits) => {
            let candidates = hits
                .iter()
                .map(|c| Candidate {
                    raynet_id: c.id,
                    name: c.name.clone().unwrap_or_default(),
                    matched_by: by.clone(),
                    detail: describe_company(c),
                })
                .collect();
            Some(ClientFind::Ambiguous { by, candidates })
        }
    }
}
