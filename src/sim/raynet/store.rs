//! The simulator's records and the RAYNET rules for creating and changing them.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::fields::{self, text};
use super::reply::SimError;

mod case;
use case::hide_line_costs;
mod company;
mod product;

/// Entity types that carry extIds and attachments in the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Company,
    Product,
    BusinessCase,
}

impl Entity {
    pub const ALL: [Entity; 3] = [Entity::Company, Entity::Product, Entity::BusinessCase];

    pub fn path(self) -> &'static str {
        match self {
            Entity::Company => "company",
            Entity::Product => "product",
            Entity::BusinessCase => "businessCase",
        }
    }

    pub fn from_path(s: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.path() == s)
    }
}

/// The seed file layout (`assets/demo/raynet.json`).
/// Not `Debug`: it holds the API key.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Seed {
    pub instance: String,
    pub username: String,
    pub api_key: String,
    #[serde(default)]
    pub user_accounts: Vec<Value>,
    #[serde(default)]
    pub business_case_phases: Vec<Value>,
    #[serde(default)]
    pub contact_sources: Vec<Value>,
    #[serde(default)]
    pub business_case_categories: Vec<Value>,
    #[serde(default)]
    pub currencies: Vec<Value>,
    #[serde(default)]
    pub security_levels: Vec<Value>,
    /// Create bodies (as sent to `PUT /company/`), optionally with `id` and `extIds`.
    #[serde(default)]
    pub companies: Vec<Value>,
    #[serde(default)]
    pub products: Vec<Value>,
    #[serde(default)]
    pub business_cases: Vec<Value>,
}

#[derive(Debug, Clone, Default)]
pub struct Db {
    pub user_accounts: Vec<Value>,
    pub phases: Vec<Value>,
    pub sources: Vec<Value>,
    pub categories: Vec<Value>,
    pub currencies: Vec<Value>,
    pub security_levels: Vec<Value>,
    pub companies: BTreeMap<i64, Value>,
    pub products: BTreeMap<i64, Value>,
    pub cases: BTreeMap<i64, Value>,
    /// `{id, entityName, entityId, link, linkName, file, folder}`.
    pub attachments: Vec<Value>,
    next_id: i64,
    /// Person id used as owner when a create names none (the API user's person).
    default_owner: Option<i64>,
    /// Positions in `attachments` of each record's attachments.
    attachments_of: HashMap<(Entity, i64), Vec<usize>>,
    /// Which record holds each extId (kept with every write that adds or drops one), so a
    /// lookup by extId does not scan every record.
    ext_index: HashMap<(Entity, String), i64>,
    /// Drop `extId` from the create bodies of products and business cases, as RAYNET may do:
    /// its create schemas list no `extId` (documented in prose for a company only,
    /// raynet-api.md §16). Seeds keep their `extIds`.
    pub ignore_create_ext_ids: bool,
}

const RATINGS: &[&str] = &["A", "B", "C"];
const STATES: &[&str] = &["A_POTENTIAL", "B_ACTUAL", "C_DEFERRED", "D_UNATTRACTIVE"];
const ROLES: &[&str] = &["A_SUBSCRIBER", "B_PARTNER", "C_SUPPLIER", "D_RIVAL", "E_OWN"];
const MAX_EXT_IDS: usize = 10;

fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string()
}

impl Db {
    /// Value lists from `seed`; with `with_records` also its companies, products and cases.
    pub fn from_seed(seed: &Seed, with_records: bool) -> Result<Db, SimError> {
        let mut db = Db {
            user_accounts: seed.user_accounts.clone(),
            phases: seed.business_case_phases.clone(),
            sources: seed.contact_sources.clone(),
            categories: seed.business_case_categories.clone(),
            currencies: seed.currencies.clone(),
            security_levels: seed.security_levels.clone(),
            next_id: 1,
            ..Db::default()
        };
        db.default_owner = db
            .user_accounts
            .iter()
            .find(|u| u["username"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(&seed.username)))
            .or_else(|| db.user_accounts.first())
            .and_then(|u| u["person"]["id"].as_i64());
        let lists = [&db.user_accounts, &db.phases, &db.sources, &db.categories, &db.currencies];
        let max_list_id =
            lists.iter().flat_map(|l| l.iter()).filter_map(|v| v["id"].as_i64()).max().unwrap_or(0);
        let max_person =
            db.user_accounts.iter().filter_map(|u| u["person"]["id"].as_i64()).max().unwrap_or(0);
        db.next_id = max_list_id.max(max_person) + 1;
        if with_records {
            let seeded = seed.companies.iter().chain(&seed.products).chain(&seed.business_cases);
            let max_seed = seeded.filter_map(|v| v["id"].as_i64()).max().unwrap_or(0);
            db.next_id = db.next_id.max(max_seed + 1);
            for c in &seed.companies {
                db.create_company(c, false)?;
            }
            for p in &seed.products {
                db.create_product(p, true)?;
            }
            for b in &seed.business_cases {
                db.create_case(b, true, true)?;
            }
        }
        Ok(db)
    }

    /// Where a write begins: a failed write undoes everything after it with [`Db::undo_to`]
    /// (all or nothing, as RAYNET answers an error). Writes only add records under new ids
    /// and put the record they change back last, so forgetting the new ids is enough — and
    /// costs nothing, unlike a copy of every record per write.
    pub(super) fn mark(&self) -> i64 {
        self.next_id
    }

    pub(super) fn undo_to(&mut self, mark: i64) {
        for records in [&mut self.companies, &mut self.products, &mut self.cases] {
            drop(records.split_off(&mark));
        }
        self.attachments.retain(|a| a["id"].as_i64().is_none_or(|id| id < mark));
        let kept = self.attachments.len();
        self.attachments_of.values_mut().for_each(|at| at.retain(|i| *i < kept));
        self.ext_index.retain(|_, id| *id < mark);
        self.next_id = mark;
    }

    /// Notes the extIds of a record just stored.
    pub(super) fn index_ext_ids(&mut self, entity: Entity, id: i64) {
        let ids: Vec<String> = self
            .store(entity)
            .get(&id)
            .and_then(|r| r["extIds"].as_array())
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect();
        for x in ids {
            self.ext_index.insert((entity, x), id);
        }
    }

    fn take_id(&mut self, wanted: Option<i64>) -> i64 {
        match wanted {
            Some(id) if id > 0 => {
                self.next_id = self.next_id.max(id + 1);
                id
            }
            _ => {
                let id = self.next_id;
                self.next_id += 1;
                id
            }
        }
    }

    // ------------------------------------------------------------ references

    fn person_ref(&self, person_id: i64) -> Result<Value, SimError> {
        self.user_accounts
            .iter()
            .find(|u| u["person"]["id"].as_i64() == Some(person_id))
            .map(|u| json!({"id": person_id, "fullName": u["person"]["fullName"]}))
            .ok_or_else(|| SimError::not_found("person", person_id))
    }

    fn list_ref(list: &[Value], entity: &str, id: i64) -> Result<Value, SimError> {
        list.iter()
            .find(|v| v["id"].as_i64() == Some(id))
            .map(|v| json!({"id": id, "value": v["code01"]}))
            .ok_or_else(|| SimError::not_found(entity, id))
    }

    fn owner_ref(&self, body: &Value) -> Result<Value, SimError> {
        match fields::id(body, "owner")?.or(self.default_owner) {
            Some(id) => self.person_ref(id),
            None => Ok(Value::Null),
        }
    }

    fn store(&self, entity: Entity) -> &BTreeMap<i64, Value> {
        match entity {
            Entity::Company => &self.companies,
            Entity::Product => &self.products,
            Entity::BusinessCase => &self.cases,
        }
    }

    fn store_mut(&mut self, entity: Entity) -> &mut BTreeMap<i64, Value> {
        match entity {
            Entity::Company => &mut self.companies,
            Entity::Product => &mut self.products,
            Entity::BusinessCase => &mut self.cases,
        }
    }

    // ------------------------------------------------------------ detail views

    /// The record as the detail endpoint shows it (with its attachments).
    pub fn detail(&self, entity: Entity, id: i64) -> Result<Value, SimError> {
        let mut record =
            self.store(entity).get(&id).cloned().ok_or_else(|| SimError::not_found(entity.path(), id))?;
        if entity == Entity::BusinessCase {
            hide_line_costs(&mut record);
        }
        self.show_price_as_documented(entity, &mut record);
        record["attachments"] = Value::Array(
            self.attachments_of
                .get(&(entity, id))
                .into_iter()
                .flatten()
                .filter_map(|i| self.attachments.get(*i))
                .map(|a| json!({"id": a["id"], "link": a["link"], "linkName": a["linkName"], "file": a["file"], "folder": a["folder"]}))
                .collect(),
        );
        Ok(record)
    }

    /// A product's standard price is an item of the primary price list, shown as
    /// `primaryPriceListItem {id, price, priceList {id, currency}}` (CS spec examples of
    /// `GET /product/` and the product detail), never as a top-level `price`.
    fn show_price_as_documented(&self, entity: Entity, record: &mut Value) {
        if entity != Entity::Product {
            return;
        }
        let Some(map) = record.as_object_mut() else { return };
        let price = map.remove("price").unwrap_or(Value::Null);
        let currency = self.currencies.first().and_then(|c| c.get("code02").cloned());
        map.insert(
            "primaryPriceListItem".into(),
            json!({"id": map.get("id"), "price": price, "priceList": {"id": 1, "currency": currency}}),
        );
    }

    pub fn records(&self, entity: Entity) -> impl Iterator<Item = &Value> {
        self.store(entity).values()
    }

    /// List rows as `GET /{entity}/` shows them: a business case row has no lines (CS spec
    /// example of `GET /businessCase/`).
    pub fn list_rows(&self, entity: Entity) -> Vec<Value> {
        self.records(entity)
            .map(|r| {
                let mut row = r.clone();
                if entity == Entity::BusinessCase
                    && let Some(map) = row.as_object_mut()
                {
                    map.remove("items");
                }
                self.show_price_as_documented(entity, &mut row);
                row
            })
            .collect()
    }

    pub fn find_by_ext_id(&self, entity: Entity, ext_id: &str) -> Option<i64> {
        self.ext_index.get(&(entity, ext_id.to_string())).copied()
    }

    // ------------------------------------------------------------ extIds

    pub fn add_ext_id(&mut self, entity: Entity, id: i64, ext_id: &str) -> Result<(), SimError> {
        if ext_id.trim().is_empty() {
            return Err(SimError::required("extId"));
        }
        if !self.store(entity).contains_key(&id) {
            return Err(SimError::not_found(entity.path(), id));
        }
        match self.find_by_ext_id(entity, ext_id) {
            Some(owner) if owner == id => return Ok(()),
            Some(_) => return Err(SimError::duplicate_ext_id(ext_id)),
            None => {}
        }
        let record =
            self.store_mut(entity).get_mut(&id).ok_or_else(|| SimError::not_found(entity.path(), id))?;
        let mut ids: Vec<Value> = record["extIds"].as_array().cloned().unwrap_or_default();
        if ids.len() >= MAX_EXT_IDS {
            return Err(SimError::invalid("extId", "exceeds the limit of 10 external ids"));
        }
        ids.push(Value::String(ext_id.to_string()));
        record["extIds"] = Value::Array(ids);
        bump_version(record);
        self.ext_index.insert((entity, ext_id.to_string()), id);
        Ok(())
    }

    pub fn remove_ext_id(&mut self, entity: Entity, id: i64, ext_id: &str) -> Result<(), SimError> {
        let record =
            self.store_mut(entity).get_mut(&id).ok_or_else(|| SimError::not_found(entity.path(), id))?;
        let ids: Vec<Value> = record["extIds"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|x| x != ext_id)
            .collect();
        record["extIds"] = if ids.is_empty() { Value::Null } else { Value::Array(ids) };
        let key = (entity, ext_id.to_string());
        if self.ext_index.get(&key) == Some(&id) {
            self.ext_index.remove(&key);
        }
        Ok(())
    }

    /// Validates a create body's `extId` (or seed `extIds`) before anything is stored. With
    /// `ignore_create_ext_ids`, the `extId` of a product or business case sent through the API
    /// is dropped (`seeded` records keep theirs).
    fn ext_ids_for_create(&self, entity: Entity, body: &Value, seeded: bool) -> Result<Value, SimError> {
        let mut ids: Vec<String> = body["extIds"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let honoured = seeded || entity == Entity::Company || !self.ignore_create_ext_ids;
        if let Some(one) = text(body, "extId").filter(|_| honoured)
            && !ids.contains(&one)
        {
            ids.push(one);
        }
        if ids.len() > MAX_EXT_IDS {
            return Err(SimError::invalid("extId", "exceeds the limit of 10 external ids"));
        }
        for x in &ids {
            if self.find_by_ext_id(entity, x).is_some() {
                return Err(SimError::duplicate_ext_id(x));
            }
        }
        Ok(if ids.is_empty() { Value::Null } else { json!(ids) })
    }
}

fn opt_list_ref(list: &[Value], entity: &str, id: Option<i64>) -> Result<Value, SimError> {
    id.map(|id| Db::list_ref(list, entity, id)).transpose().map(|v| v.unwrap_or(Value::Null))
}

fn enum_field(
    body: &Value,
    key: &str,
    allowed: &[&str],
    default: Option<&str>,
    strict: bool,
) -> Result<String, SimError> {
    match text(body, key) {
        Some(v) if allowed.contains(&v.as_str()) => Ok(v),
        Some(_) => Err(SimError::invalid(key, &format!("must be one of {}", allowed.join(", ")))),
        None if strict => Err(SimError::required(key)),
        None => Ok(default.unwrap_or_default().to_string()),
    }
}

fn bump_version(record: &mut Value) {
    let v = record["_version"].as_i64().unwrap_or(0);
    record["_version"] = json!(v + 1);
    record["rowInfo.updatedAt"] = json!(now_text());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Db {
        let seed = Seed {
            instance: "i".into(),
            username: "u@x.cz".into(),
            api_key: "k".into(),
            user_accounts: vec![
                json!({"id": 3, "username": "u@x.cz", "person": {"id": 12, "fullName": "Petra Malá"}}),
            ],
            business_case_phases: vec![json!({"id": 1, "code01": "Nový", "strValue01": "B_ACTIVE"})],
            currencies: vec![json!({"id": 1, "code01": "Kč", "code02": "CZK"})],
            companies: vec![json!({"id": 10, "name": "Firma"})],
            ..Seed::default()
        };
        Db::from_seed(&seed, true).expect("seed")
    }

    #[test]
    fn a_failing_line_undoes_products_created_for_earlier_lines() {
        let mut db = db();
        let body = json!({"name": "OP", "company": 10, "items": [
            {"productCode": "NEW-1", "name": "Nový produkt", "price": 10, "count": 1},
            {"product": 999, "price": 1}
        ]});
        let err = db.create_case(&body, true, false).unwrap_err();
        assert_eq!(err.status, 404);
        assert!(db.products.is_empty());
        assert!(db.cases.is_empty());
    }

    #[test]
    fn line_prices_keep_their_decimals_and_totals_round_to_the_cent() {
        let mut db = db();
        let body = json!({"name": "OP", "company": 10, "items": [
            {"name": "Třetina", "price": 33.333333, "count": 3, "taxRate": 21}
        ]});
        let id = db.create_case(&body, true, false).unwrap();
        let case = &db.cases[&id];
        assert_eq!(case["items"][0]["price"], json!(33.333333));
        assert_eq!(case["totalAmount"], json!(100.0));
        assert_eq!(case["totalAmountWithTax"], json!(121.0));
        assert_eq!(case["owner"]["id"], 12, "the API user's person owns it by default");
        assert_eq!(case["currency"]["id"], 1);
    }

    #[test]
    fn ext_ids_are_idempotent_on_one_record_and_capped_at_ten() {
        let mut db = db();
        db.add_ext_id(Entity::Company, 10, "a").unwrap();
        db.add_ext_id(Entity::Company, 10, "a").unwrap();
        assert_eq!(db.companies[&10]["extIds"], json!(["a"]));
        for i in 0..9 {
            db.add_ext_id(Entity::Company, 10, &format!("x{i}")).unwrap();
        }
        assert_eq!(db.add_ext_id(Entity::Company, 10, "eleventh").unwrap_err().status, 400);
        db.remove_ext_id(Entity::Company, 10, "a").unwrap();
        assert!(db.find_by_ext_id(Entity::Company, "a").is_none());
    }
}
