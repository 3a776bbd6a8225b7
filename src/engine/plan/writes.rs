//! The steps of a plan: the RAYNET writes, the local effects around them (intents, the entity
//! map, the decision), and the reports of what is done once every step before them is.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::mapping::matching::MatchKey;
use crate::raynet::models::{
    AddressInput, BusinessCaseCreate, BusinessCaseItemEdit, BusinessCaseItemInput, BusinessCaseUpdate,
    CompanyCreate, LinkAttachment, ProductCreate,
};
use crate::store::{Candidate, EntityKind, How, IntentKind};

/// A RAYNET record type the sync writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Entity {
    Company,
    Product,
    BusinessCase,
}

impl Entity {
    /// The entity as RAYNET's paths (and the store's create-extId modes) name it.
    pub fn path(self) -> &'static str {
        match self {
            Entity::Company => "company",
            Entity::Product => "product",
            Entity::BusinessCase => "businessCase",
        }
    }
}

/// A RAYNET record a step acts on: one that exists, or the one an earlier step of the same
/// plan creates (`New(i)`: the id step `i` answers with, filled in by the executor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Id(i64),
    New(usize),
}

impl Target {
    /// The id a request body carries before the executor fills in a new record's: the real one,
    /// or a negative stand-in no RAYNET record has (so comparisons never mistake it for one).
    pub fn placeholder(self) -> i64 {
        match self {
            Target::Id(id) => id,
            Target::New(step) => -(step as i64) - 1,
        }
    }

    /// The target a body id stands for (see [`Target::placeholder`]).
    pub fn from_placeholder(id: i64) -> Target {
        if id < 0 { Target::New((-(id + 1)) as usize) } else { Target::Id(id) }
    }
}

/// One step of a plan, carried out in order by the executor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// `PUT /company/` (its id: this step's).
    CreateCompany {
        body: CompanyCreate,
    },
    /// `PUT /company/{id}/address/` (the address id: this step's).
    AddAddress {
        company: Target,
        address: AddressInput,
    },
    /// `POST /company/{id}/address/{addressId}/setContact/`.
    SetContactAddress {
        company: Target,
        address: Target,
    },
    /// `PUT /{entity}/{id}/extId/`; `refusal_ok`: a refusal (4xx) is logged, not a failure.
    SetExtId {
        entity: Entity,
        target: Target,
        ext_id: String,
        refusal_ok: bool,
    },
    /// After the first create of an entity type: whether RAYNET kept the create body's extId
    /// (a lookup by it), setting it when dropped; remembered for the next creates.
    VerifyExtId {
        entity: Entity,
        target: Target,
        ext_id: String,
    },
    /// `PUT /product/` (its id: this step's).
    CreateProduct {
        code: String,
        body: ProductCreate,
    },
    /// `PUT /attachment/{entity}/{id}/` with a link.
    AttachLink {
        entity: Entity,
        target: Target,
        link: LinkAttachment,
    },
    /// `PUT /businessCase/createWithItems` (its id: this step's). `company` and the new products
    /// of `products` (item index, product) are filled into the body by the executor.
    CreateBusinessCase {
        body: BusinessCaseCreate,
        company: Target,
        products: Vec<(usize, Target)>,
    },
    /// `POST /businessCase/{id}/` with the fields that change.
    UpdateBusinessCase {
        id: i64,
        update: BusinessCaseUpdate,
    },
    /// `POST /businessCase/{id}/item/{itemId}/`.
    EditItem {
        case: i64,
        item: i64,
        edit: BusinessCaseItemEdit,
    },
    /// `PUT /businessCase/{id}/item/`; a new product is filled in by the executor.
    AddItem {
        case: i64,
        item: BusinessCaseItemInput,
        product: Option<Target>,
    },
    /// `DELETE /businessCase/{id}/item/{itemId}/`.
    DeleteItem {
        case: i64,
        item: i64,
    },
    /// A create of `kind` for `key` is about to be sent (crash safety).
    SetIntent {
        kind: IntentKind,
        key: String,
    },
    ClearIntent {
        kind: IntentKind,
        key: String,
    },
    /// The entity map learns which RAYNET record a Shoptet key is.
    RecordEntity {
        kind: EntityKind,
        key: String,
        target: Target,
        how: How,
        matched_by: Option<MatchKey>,
        label: String,
        shoptet_ref: Option<String>,
    },
    /// A known client that is gone from RAYNET (merged or deleted) is forgotten.
    ForgetClient {
        key: String,
        raynet_id: i64,
    },
    /// What was just read (or created) of a client: its owner, and that it exists.
    RememberClient {
        target: Target,
        owner: Option<i64>,
    },
    /// Several clients match: the order waits for a person.
    SetDecision {
        matched_by: MatchKey,
        candidates: Vec<Candidate>,
    },
    /// A person's decision was carried out.
    ClearDecision,
    /// True once every step before it is done (the order detail's "what was done").
    Report {
        report: Report,
    },
    /// The order is synced to this business case.
    MarkSynced {
        case: Target,
        created: bool,
        hash: String,
    },
}

/// A candidate as a report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub raynet_id: i64,
    pub name: String,
}

/// Something true of the order once the steps before it are done: what the order detail
/// shows as done, rendered by the front ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "report", rename_all = "snake_case")]
pub enum Report {
    /// A known client no longer exists in RAYNET (merged or deleted): looked up again.
    ClientGone {
        raynet_id: i64,
    },
    ClientKnown {
        raynet_id: i64,
        label: String,
    },
    ClientMatched {
        raynet_id: i64,
        name: String,
        matched_by: MatchKey,
    },
    /// Created by an earlier, interrupted attempt: finished now.
    ClientResumed {
        raynet_id: i64,
        name: String,
    },
    ClientCreated {
        raynet_id: Target,
        name: String,
        person: bool,
        contact_address: bool,
    },
    ClientAmbiguous {
        matched_by: MatchKey,
        candidates: Vec<Named>,
    },
    ProductKnown {
        code: String,
        raynet_id: i64,
    },
    ProductMatched {
        code: String,
        raynet_id: i64,
    },
    ProductCreated {
        code: String,
        raynet_id: Target,
    },
    CaseCreated {
        raynet_id: Target,
        name: String,
        lines: usize,
        total_without_vat: Decimal,
        currency: String,
    },
    /// Created by an earlier, interrupted attempt (found by its extId): brought up to date.
    CaseResumed {
        raynet_id: i64,
        name: String,
        lines: usize,
        total_without_vat: Decimal,
        currency: String,
    },
    /// Found by its name and client after an interruption (RAYNET dropped its extId).
    CaseFoundByName {
        raynet_id: i64,
    },
    CaseLines {
        raynet_id: i64,
        kept: usize,
        edited: usize,
        added: usize,
        removed: usize,
        fields: bool,
    },
    CaseUpdated {
        raynet_id: i64,
    },
    CaseCancelled {
        raynet_id: i64,
    },
}

impl Report {
    /// The report with the ids of records created by the plan filled in.
    pub fn resolved(&self, id: impl Fn(Target) -> Option<i64>) -> Report {
        let fill = |t: &Target| id(*t).map(Target::Id).unwrap_or(*t);
        match self {
            Report::ClientCreated { raynet_id, name, person, contact_address } => Report::ClientCreated {
                raynet_id: fill(raynet_id),
                name: name.clone(),
                person: *person,
                contact_address: *contact_address,
            },
            Report::ProductCreated { code, raynet_id } => {
                Report::ProductCreated { code: code.clone(), raynet_id: fill(raynet_id) }
            }
            Report::CaseCreated { raynet_id, name, lines, total_without_vat, currency } => {
                Report::CaseCreated {
                    raynet_id: fill(raynet_id),
                    name: name.clone(),
                    lines: *lines,
                    total_without_vat: *total_without_vat,
                    currency: currency.clone(),
                }
            }
            other => other.clone(),
        }
    }
}

/// A RAYNET write as the order detail and the dry run list it: what, and on which record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum WriteOp {
    CreateCompany {
        name: String,
    },
    AddAddress {
        company: Target,
    },
    SetContactAddress {
        company: Target,
        address: Target,
    },
    SetExtId {
        entity: Entity,
        target: Target,
    },
    /// Sent only when RAYNET dropped the create's extId.
    VerifyExtId {
        entity: Entity,
        target: Target,
    },
    CreateProduct {
        code: String,
    },
    AttachLink {
        entity: Entity,
        target: Target,
    },
    CreateBusinessCase {
        name: String,
    },
    UpdateBusinessCase {
        id: i64,
    },
    EditItem {
        case: i64,
        item: i64,
    },
    AddItem {
        case: i64,
    },
    DeleteItem {
        case: i64,
        item: i64,
    },
}

impl WriteOp {
    /// The request: method and path (`{new}` where a record the plan creates goes).
    pub fn request(&self) -> (&'static str, String) {
        let t = |t: &Target| match t {
            Target::Id(id) => id.to_string(),
            Target::New(_) => "{new}".to_string(),
        };
        match self {
            WriteOp::CreateCompany { .. } => ("PUT", "/company/".into()),
            WriteOp::AddAddress { company } => ("PUT", format!("/company/{}/address/", t(company))),
            WriteOp::SetContactAddress { company, address } => {
                ("POST", format!("/company/{}/address/{}/setContact/", t(company), t(address)))
            }
            WriteOp::SetExtId { entity, target } | WriteOp::VerifyExtId { entity, target } => {
                ("PUT", format!("/{}/{}/extId/", entity.path(), t(target)))
            }
            WriteOp::CreateProduct { .. } => ("PUT", "/product/".into()),
            WriteOp::AttachLink { entity, target } => {
                ("PUT", format!("/attachment/{}/{}/", entity.path(), t(target)))
            }
            WriteOp::CreateBusinessCase { .. } => ("PUT", "/businessCase/createWithItems".into()),
            WriteOp::UpdateBusinessCase { id } => ("POST", format!("/businessCase/{id}/")),
            WriteOp::EditItem { case, item } => ("POST", format!("/businessCase/{case}/item/{item}/")),
            WriteOp::AddItem { case } => ("PUT", format!("/businessCase/{case}/item/")),
            WriteOp::DeleteItem { case, item } => ("DELETE", format!("/businessCase/{case}/item/{item}/")),
        }
    }
}

impl Step {
    /// The RAYNET write this step sends, if it is one.
    pub fn write(&self) -> Option<WriteOp> {
        Some(match self {
            Step::CreateCompany { body } => WriteOp::CreateCompany { name: body.name.clone() },
            Step::AddAddress { company, .. } => WriteOp::AddAddress { company: *company },
            Step::SetContactAddress { company, address } => {
                WriteOp::SetContactAddress { company: *company, address: *address }
            }
            Step::SetExtId { entity, target, .. } => WriteOp::SetExtId { entity: *entity, target: *target },
            Step::VerifyExtId { entity, target, .. } => {
                WriteOp::VerifyExtId { entity: *entity, target: *target }
            }
            Step::CreateProduct { code, .. } => WriteOp::CreateProduct { code: code.clone() },
            Step::AttachLink { entity, target, .. } => {
                WriteOp::AttachLink { entity: *entity, target: *target }
            }
            Step::CreateBusinessCase { body, .. } => WriteOp::CreateBusinessCase { name: body.name.clone() },
            Step::UpdateBusinessCase { id, .. } => WriteOp::UpdateBusinessCase { id: *id },
            Step::EditItem { case, item, .. } => WriteOp::EditItem { case: *case, item: *item },
            Step::AddItem { case, .. } => WriteOp::AddItem { case: *case },
            Step::DeleteItem { case, item } => WriteOp::DeleteItem { case: *case, item: *item },
            _ => return None,
        })
    }
}

/// A plan's steps as they are written down.
#[derive(Debug, Default)]
pub(super) struct Steps(pub(super) Vec<Step>);

impl Steps {
    /// Appends `step`; the target of the record it creates.
    pub(super) fn push(&mut self, step: Step) -> Target {
        self.0.push(step);
        Target::New(self.0.len() - 1)
    }

    pub(super) fn report(&mut self, report: Report) {
        self.0.push(Step::Report { report });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_never_look_like_a_record_and_come_back_to_their_step() {
        for t in [Target::Id(0), Target::Id(42), Target::New(0), Target::New(7)] {
            assert_eq!(Target::from_placeholder(t.placeholder()), t);
        }
        assert!(Target::New(0).placeholder() < 0);
    }

    #[test]
    fn reports_get_the_ids_of_new_records() {
        let r = Report::ProductCreated { code: "A".into(), raynet_id: Target::New(3) };
        let filled = r.resolved(|t| (t == Target::New(3)).then_some(99));
        assert_eq!(filled, Report::ProductCreated { code: "A".into(), raynet_id: Target::Id(99) });
    }
}
