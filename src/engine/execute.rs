//! Carrying out one order's plan against RAYNET, idempotently.
//!
//! Every create is preceded by a lookup by extId and carries the extId in its body, and every
//! RAYNET id is recorded in the store as the step that created it completes. A crash between
//! "created in RAYNET" and "recorded here" is healed on the next run: the extId lookup finds the
//! record and adopts it. Follow-up steps of a create (contact address, link attachment) are
//! guarded by an *intent* in the store's meta table, so they are finished after a crash too —
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

use crate::config::Config;
use crate::http::ErrorKind;
use crate::mapping::{self, LinePlan};
use crate::raynet::client::{CompanyFilter, RaynetClient};
use crate::raynet::models::{BusinessCaseUpdate, Company, has_link};
use crate::shoptet::client::ShoptetClient;
use crate::shoptet::models::Order;
use crate::store::{Candidate, DecisionChoice, EntityKind, EntityRecord, How, Store};

use super::EngineError;
use super::context::SyncContext;
use super::decide::Decision;
use super::plan::{ClientPlan, LineView, OrderPlan, ProductPlan};

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

/// How a client lookup ended.
enum ClientFind {
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

const COMPANY: &str = "company";
const PRODUCT: &str = "product";
const BUSINESS_CASE: &str = "businessCase";

/// Store (meta) key of what RAYNET does with the `extId` of an entity type's create body.
fn create_ext_id_key(entity: &str) -> String {
    format!("raynet:create_ext_id:{entity}")
}
/// The extId of the create body finds the new record.
const EXT_ID_KEPT: &str = "kept";
/// It does not: set it with `PUT /{entity}/{id}/extId/` after every create.
const EXT_ID_DROPPED: &str = "dropped";

/// The store key of a Shoptet customer, also its extId in RAYNET.
pub(crate) fn customer_key(eshop_id: i64, order: &Order) -> String {
    mapping::customer_ext_id(eshop_id, order)
        .unwrap_or_else(|| format!("shoptet:{eshop_id}:name:{}", mapping::client_label(order).to_lowercase()))
}

impl Work<'_> {
    fn eshop_id(&self) -> i64 {
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
                self.store.audit(
                    Some(code),
                    "cancelled",
                    &format!("business case #{id} moved to the storno phase"),
                )?;
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

    // ---- client ------------------------------------------------------------------------

    async fn find_client(&mut self, order: &Order) -> Result<ClientFind, EngineError> {
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
        if let Some(rec) = self.store.entity(EntityKind::Client, &key)? {
            // Re-read it: its owner may have changed, or it may have been merged away.
            match self.raynet.company(rec.raynet_id).await {
                Ok(c) => return Ok(ClientFind::Known(rec, c.owner.as_ref().map(|o| o.id))),
                Err(e) if e.kind == ErrorKind::NotFound => {
                    tracing::warn!(
                        client = rec.raynet_id,
                        "a known client is gone from RAYNET; looking it up again"
                    );
                    self.notes.push(format!(
                        "Client #{} no longer exists in RAYNET (merged or deleted): looked up again",
                        rec.raynet_id
                    ));
                    self.store.delete_entity(EntityKind::Client, &key)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        for step in mapping::client_lookup(order, self.eshop_id()) {
            if create_new && !matches!(step, mapping::LookupStep::ExtId(_)) {
                continue;
            }
            let by = step.key_name().to_string();
            let hits: Vec<Company> = match &step {
                mapping::LookupStep::ExtId(ext) => match self.raynet.find_by_ext_id(COMPANY, ext).await? {
                    Some(id) => vec![self.raynet.company(id).await?],
                    None => Vec::new(),
                },
                mapping::LookupStep::RegNumber(typed) => {
                    // IČ without its spaces; as typed too when it has some (RAYNET's filter is
                    // exact), compared locally without spaces.
                    let v = norm(typed);
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
                        .filter(|c| c.reg_number.as_deref().map(norm).as_deref() == Some(&v))
                        .collect()
                }
                mapping::LookupStep::Email(v) => {
                    let found = self.raynet.companies(&CompanyFilter::Email(v.clone())).await?;
                    found
                        .into_iter()
                        .filter(|c| {
                            c.primary_email().is_some_and(|e| e.trim().eq_ignore_ascii_case(v.trim()))
                        })
                        .collect()
                }
                mapping::LookupStep::Name(v) => {
                    // `LIKE_NOCASE` finds the name in any letter case; only the exact name
                    // (trimmed, case-folded) counts.
                    let found = self.raynet.companies(&CompanyFilter::Name(v.clone())).await?;
                    let wanted = name_key(v);
                    found
                        .into_iter()
                        .filter(|c| c.name.as_deref().map(name_key) == Some(wanted.clone()))
                        .collect()
                }
            };
            match hits.len() {
                0 => continue,
                1 => {
                    let c = &hits[0];
                    return Ok(ClientFind::Found {
                        id: c.id,
                        name: c.name.clone().unwrap_or_default(),
                        by,
                        owner: c.owner.as_ref().map(|o| o.id),
                    });
                }
                _ => {
                    let candidates = hits
                        .iter()
                        .map(|c| Candidate {
                            raynet_id: c.id,
                            name: c.name.clone().unwrap_or_default(),
                            matched_by: by.clone(),
                            detail: describe_company(c),
                        })
                        .collect();
                    return Ok(ClientFind::Ambiguous { by, candidates });
                }
            }
        }
        Ok(ClientFind::NotFound)
    }

    /// The client's RAYNET id and owner, matched or created; `None` when a person must decide.
    async fn ensure_client(&mut self, order: &Order) -> Result<Option<(i64, i64)>, EngineError> {
        let code = order.code.clone();
        let key = customer_key(self.eshop_id(), order);
        let intent_key = format!("intent:client:{key}");
        let default_owner = self.ctx.settings.default_owner_id;
        match self.find_client(order).await? {
            ClientFind::Known(rec, owner) => {
                let owner = owner.unwrap_or(default_owner);
                if self.store.get_meta(&intent_key)?.is_some() {
                    // Created by us, but a follow-up (contact address) did not finish.
                    self.finish_client_followups(order, rec.raynet_id).await?;
                    self.store.delete_meta(&intent_key)?;
                }
                self.notes.push(format!(
                    "Client: {} (RAYNET #{}), known from an earlier order",
                    rec.label, rec.raynet_id
                ));
                Ok(Some((rec.raynet_id, owner)))
            }
            ClientFind::Found { id, name, by, owner } => {
                // Ours only when our extId found it; a client matched by IČ, e-mail or name
                // (e.g. created by hand after our create failed) is somebody else's.
                let ours = self.store.get_meta(&intent_key)?.is_some() && by == "ext_id";
                let how = if ours { How::Created } else { How::Matched };
                if ours {
                    self.finish_client_followups(order, id).await?;
                } else if by != "ext_id" {
                    // A matched client may receive our extId; nothing else in it changes.
                    if let Err(e) = self.raynet.set_ext_id(COMPANY, id, &key).await {
                        if !matches!(e.kind, ErrorKind::Permanent | ErrorKind::NotFound) {
                            return Err(e.into());
                        }
                        tracing::warn!(order = %code, client = id, error = %e, "could not set extId on a matched client");
                    }
                }
                let owner = if ours { default_owner } else { owner.unwrap_or(default_owner) };
                self.notes.push(if ours {
                    format!("Client: {name} (RAYNET #{id}) created (finished after an interruption)")
                } else {
                    format!("Client: matched by {} → {name} (RAYNET #{id})", super::plan::by_label(&by))
                });
                self.store.record_entity(&EntityRecord {
                    kind: EntityKind::Client,
                    shoptet_key: key.clone(),
                    raynet_id: id,
                    how,
                    matched_by: (!ours).then_some(by),
                    label: if name.is_empty() { mapping::client_label(order) } else { name },
                    shoptet_ref: order.customer_guid.clone().or(order.email.clone()),
                    first_order_code: Some(code.clone()),
                    created_at: self.store.now(),
                })?;
                self.store.delete_meta(&intent_key)?;
                if self.store.decision(&code)?.is_some() {
                    self.store.clear_decision(&code)?;
                }
                Ok(Some((id, owner)))
            }
            ClientFind::Ambiguous { by, candidates } => {
                let names: Vec<String> =
                    candidates.iter().map(|c| format!("{} (#{})", c.name, c.raynet_id)).collect();
                let reason = format!(
                    "{} RAYNET clients match by {}: {} — choose one or create a new client",
                    candidates.len(),
                    super::plan::by_label(&by),
                    names.join(", ")
                );
                self.store.set_decision(&code, &reason, &candidates)?;
                self.notes.push(format!("Client: ambiguous — {reason}"));
                Ok(None)
            }
            ClientFind::NotFound => {
                let draft = mapping::client_draft(order, &self.ctx.settings)?;
                let mut create = draft.create.clone();
                create.ext_id = Some(key.clone());
                self.store.set_meta(&intent_key, &code)?;
                let id = self.raynet.create_company(&create).await?;
                self.ensure_created_ext_id(COMPANY, id, &key).await?;
                self.store.record_entity(&EntityRecord {
                    kind: EntityKind::Client,
                    shoptet_key: key.clone(),
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
                self.store.delete_meta(&intent_key)?;
                if self.store.decision(&code)?.is_some() {
                    self.store.clear_decision(&code)?;
                }
                self.notes.push(format!(
                    "Client: created {} {} (RAYNET #{id}){}",
                    if create.person { "person" } else { "company" },
                    create.name,
                    if draft.contact_address.is_some() { " with a contact address" } else { "" }
                ));
                Ok(Some((id, default_owner)))
            }
        }
    }

    /// After an interrupted create of a client (the process stopped, or an answer was lost):
    /// the contact address, once. The earlier attempt may have added the address without
    /// hearing back, and perhaps not made it the contact address yet, so the client is read and
    /// an address with the same fields is reused rather than added again.
    async fn finish_client_followups(&mut self, order: &Order, id: i64) -> Result<(), EngineError> {
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

    // ---- products ----------------------------------------------------------------------

    /// Finds or creates the RAYNET product of every line that links one.
    async fn ensure_products(
        &mut self,
        lines: &[LinePlan],
        code: &str,
    ) -> Result<Vec<(LinePlan, Option<i64>)>, EngineError> {
        let mut out = Vec::with_capacity(lines.len());
        for line in lines {
            let product = match (&line.code, line.link_product) {
                (Some(pcode), true) => Some(self.ensure_product(line, pcode, code).await?),
                _ => None,
            };
            out.push((line.clone(), product));
        }
        Ok(out)
    }

    async fn find_product(&mut self, pcode: &str) -> Result<ProductPlan, EngineError> {
        let key = mapping::product_ext_id(self.eshop_id(), pcode);
        let legacy = mapping::legacy_product_ext_id(self.eshop_id(), pcode);
        // A product mapped by an older version sits under its unescaped key; its RAYNET id is
        // all the sync needs, whatever extId the record carries.
        for k in [&key, &legacy] {
            if let Some(rec) = self.store.entity(EntityKind::Product, k)? {
                return Ok(ProductPlan::Known { raynet_id: rec.raynet_id });
            }
        }
        Ok(match self.product_by_code(pcode).await? {
            Some(id) => ProductPlan::Matched { raynet_id: id, matched_by: "code".into() },
            None => ProductPlan::Create,
        })
    }

    /// The oldest RAYNET product whose code is exactly `pcode`.
    async fn product_by_code(&mut self, pcode: &str) -> Result<Option<i64>, EngineError> {
        let found = self.raynet.products_by_code(pcode).await?;
        Ok(found.into_iter().filter(|p| p.code.as_deref() == Some(pcode)).map(|p| p.id).min())
    }

    async fn ensure_product(
        &mut self,
        line: &LinePlan,
        pcode: &str,
        order_code: &str,
    ) -> Result<i64, EngineError> {
        let key = mapping::product_ext_id(self.eshop_id(), pcode);
        let intent_key = format!("intent:product:{pcode}");
        let intent = self.store.get_meta(&intent_key)?;
        let now = self.store.now();
        let record = |id: i64, how: How, by: Option<String>, label: String| EntityRecord {
            kind: EntityKind::Product,
            shoptet_key: key.clone(),
            raynet_id: id,
            how,
            matched_by: by,
            label,
            shoptet_ref: Some(pcode.to_string()),
            first_order_code: Some(order_code.to_string()),
            created_at: now,
        };
        if intent.is_none() {
            match self.find_product(pcode).await? {
                ProductPlan::Known { raynet_id } => {
                    self.notes.push(format!("Product {pcode}: RAYNET #{raynet_id} (known)"));
                    return Ok(raynet_id);
                }
                ProductPlan::Matched { raynet_id, matched_by } => {
                    self.store.record_entity(&record(
                        raynet_id,
                        How::Matched,
                        Some(matched_by),
                        line.name.clone(),
                    ))?;
                    self.notes.push(format!("Product {pcode}: matched by code → RAYNET #{raynet_id}"));
                    return Ok(raynet_id);
                }
                _ => {}
            }
        }
        // Create (or finish a create interrupted by a crash: the extId finds it, or — when it
        // was not set yet — the code does).
        self.store.set_meta(&intent_key, order_code)?;
        let shoptet_product = match self.shoptet.product_by_code(pcode).await {
            Ok(p) => Some(p),
            Err(e) if e.kind == ErrorKind::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        let found = match self.raynet.find_by_ext_id(PRODUCT, &key).await? {
            Some(id) => Some(id),
            None if intent.is_some() => match self.product_by_code(pcode).await? {
                Some(id) => {
                    self.raynet.set_ext_id(PRODUCT, id, &key).await?;
                    Some(id)
                }
                None => None,
            },
            None => None,
        };
        let (id, fresh) = match found {
            Some(id) => (id, false),
            None => {
                let draft = mapping::product_draft(line, shoptet_product.as_ref(), key.clone());
                let id = self.raynet.create_product(&draft).await?;
                self.ensure_created_ext_id(PRODUCT, id, &key).await?;
                (id, true)
            }
        };
        self.store.record_entity(&record(id, How::Created, None, line.name.clone()))?;
        self.notes.push(format!("Product {pcode}: created RAYNET #{id}"));
        if let Some(link) = shoptet_product.as_ref().and_then(mapping::product_link) {
            // A product created just now has no attachments. One found again was created by an
            // earlier attempt, whose link may have reached RAYNET without its answer: look first.
            let already = !fresh && self.raynet.product(id).await?.has_link(&link.link);
            if !already {
                self.raynet.add_link_attachment(PRODUCT, id, &link).await?;
            }
        }
        self.store.delete_meta(&intent_key)?;
        Ok(id)
    }

    // ---- business case -----------------------------------------------------------------

    async fn create_business_case(
        &mut self,
        order: &Order,
        company_id: i64,
        owner: i64,
        lines: &[(LinePlan, Option<i64>)],
    ) -> Result<(i64, bool), EngineError> {
        let code = order.code.as_str();
        let key = mapping::order_ext_id(self.eshop_id(), code);
        let intent_key = format!("intent:business_case:{code}");
        let currency = self.currency_id(order)?;
        let draft =
            mapping::business_case_draft(order, &self.ctx.settings, company_id, owner, currency, lines)?;
        // An intent left by an earlier attempt: that attempt may have created the case.
        let retried = self.store.get_meta(&intent_key)?.is_some();
        self.store.set_meta(&intent_key, code)?;
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
    async fn adopt_business_case(
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
    async fn ensure_created_ext_id(
        &mut self,
        entity: &str,
        id: i64,
        ext_id: &str,
    ) -> Result<(), EngineError> {
        let mode_key = create_ext_id_key(entity);
        match self.store.get_meta(&mode_key)?.as_deref() {
            Some(EXT_ID_KEPT) => return Ok(()),
            Some(EXT_ID_DROPPED) => {
                self.raynet.set_ext_id(entity, id, ext_id).await?;
                return Ok(());
            }
            _ => {}
        }
        match self.raynet.find_by_ext_id(entity, ext_id).await? {
            Some(found) if found == id => {
                self.store.set_meta(&mode_key, EXT_ID_KEPT)?;
                self.store.audit(
                    None,
                    "raynet",
                    &format!("RAYNET keeps the extId sent when creating a {entity}"),
                )?;
            }
            Some(other) => {
                // Another record answers to our extId: leave both alone and decide next time.
                tracing::warn!(entity, id, other, ext_id, "the extId of a new record finds another record");
            }
            None => {
                self.raynet.set_ext_id(entity, id, ext_id).await?;
                self.store.set_meta(&mode_key, EXT_ID_DROPPED)?;
                self.store.audit(
                    None,
                    "raynet",
                    &format!(
                        "RAYNET ignores the extId sent when creating a {entity}: it is set separately from now on"
                    ),
                )?;
            }
        }
        Ok(())
    }

    /// The order link attachment, once (guarded by the intent). A case created just now cannot
    /// have it yet; an adopted one (created before a crash) is checked first.
    async fn finish_business_case(&mut self, order: &Order, id: i64, fresh: bool) -> Result<(), EngineError> {
        let intent_key = format!("intent:business_case:{}", order.code);
        if self.store.get_meta(&intent_key)?.is_none() {
            return Ok(());
        }
        if let Some(link) = mapping::order_link(order) {
            let already = !fresh && has_link(&self.raynet.business_case(id).await?.attachments, &link.link);
            if !already {
                self.raynet.add_link_attachment(BUSINESS_CASE, id, &link).await?;
            }
        }
        self.store.delete_meta(&intent_key)?;
        Ok(())
    }

    fn currency_id(&self, order: &Order) -> Result<Option<i64>, EngineError> {
        let iso = order.price.currency_code.trim();
        match self.ctx.currency_id(iso) {
            Some(id) => Ok(Some(id)),
            None => Err(EngineError::Config(format!(
                "the order is in {iso}, which is not a currency in RAYNET — add {iso} in RAYNET (Nastavení → Měny) and retry"
            ))),
        }
    }

    /// Brings an existing business case in line with the order: lines, amounts, note, currency.
    /// The client and owner stay as they are. Only what differs is written: the case fields
    /// that changed, kept lines edited in place (`POST …/item/{itemId}/`, with their cost), new
    /// lines added (`PUT …/item/`), surplus lines removed — after the additions, so the case is
    /// never without lines. A change of the remark or the status alone writes no line.
    async fn update_business_case(&mut self, order: &Order, id: i64) -> Result<(), EngineError> {
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
        let summary = format!(
            "business case #{id} updated from the changed order: lines {} kept, {} edited, {} added, {} removed{}",
            changes.keep.len(),
            changes.edit.len(),
            changes.add.len(),
            changes.remove.len(),
            if update.is_empty() { "" } else { "; case fields changed" }
        );
        self.notes.push(format!(
            "Lines of business case #{id}: {} kept, {} edited in place, {} added, {} removed",
            changes.keep.len(),
            changes.edit.len(),
            changes.add.len(),
            changes.remove.len()
        ));
        self.store.audit(Some(&order.code), "updated", &summary)?;
        Ok(())
    }

    // ---- dry run -----------------------------------------------------------------------

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

    async fn fill_plan(
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

fn not_linked_reason(line: &LinePlan, order: &Order, s: &mapping::MappingSettings) -> String {
    if !matches!(line.kind, mapping::LineKind::Product) {
        super::plan::line_kind(&line.kind).to_string()
    } else if mapping::is_foreign_currency(order, s) {
        format!("order in {}", order.price.currency_code)
    } else {
        "no product code".to_string()
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

fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A client name as the lookup compares it: trimmed, inner runs of spaces as one, case-folded.
fn name_key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn describe_company(c: &Company) -> Option<String> {
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
