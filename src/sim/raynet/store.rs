//! The simulator's records and the RAYNET rules for creating and changing them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::fields::{self, country_name, money, precise, text};
use super::reply::SimError;

/// Entity types that carry extIds and attachments in the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
            self.attachments
                .iter()
                .filter(|a| a["entityName"] == entity.path() && a["entityId"].as_i64() == Some(id))
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
        self.store(entity)
            .iter()
            .find(|(_, r)| r["extIds"].as_array().is_some_and(|ids| ids.iter().any(|x| x == ext_id)))
            .map(|(id, _)| *id)
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

    // ------------------------------------------------------------ company

    /// `PUT /company/`. `strict` = the API's validation; seeds and test helpers get defaults.
    pub fn create_company(&mut self, body: &Value, strict: bool) -> Result<i64, SimError> {
        if !body.is_object() {
            return Err(SimError::bad_json("expected an object"));
        }
        let name = text(body, "name").ok_or_else(|| SimError::required("name"))?;
        let rating = enum_field(body, "rating", RATINGS, Some("A"), strict)?;
        let state = enum_field(body, "state", STATES, Some("B_ACTUAL"), strict)?;
        let role = enum_field(body, "role", ROLES, Some("A_SUBSCRIBER"), strict)?;
        let person = fields::boolean(body, "person")?;
        let last_name = text(body, "lastName");
        if person && last_name.is_none() {
            return Err(SimError::invalid("lastName", "is required for a natural person"));
        }
        let owner = self.owner_ref(body)?;
        let source = match fields::id(body, "contactSource")? {
            Some(id) => Db::list_ref(&self.sources, "contactSource", id)?,
            None => Value::Null,
        };
        let ext_ids = self.ext_ids_for_create(Entity::Company, body, !strict)?;
        let inputs: Vec<Value> = match body.get("addresses") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.clone(),
            Some(_) => return Err(SimError::invalid("addresses", "must be an array")),
        };
        let mut addresses = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            addresses.push(self.make_address(input, &format!("addresses[{i}]"))?);
        }
        if addresses.is_empty() {
            addresses.push(self.make_address(&json!({"address": {"name": "Sídlo"}}), "addresses[0]")?);
        }
        if let Some(first) = addresses.first_mut() {
            first["primary"] = json!(true);
            first["contactAddress"] = json!(true);
        }
        let id = self.take_id(if strict { None } else { fields::id(body, "id")? });
        if self.companies.contains_key(&id) {
            return Err(SimError::invalid("id", "is already used"));
        }
        let mut company = json!({
            "id": id,
            "name": name,
            "person": person,
            "titleBefore": text(body, "titleBefore"),
            "firstName": text(body, "firstName"),
            "lastName": last_name,
            "titleAfter": text(body, "titleAfter"),
            "regNumber": text(body, "regNumber"),
            "taxNumber": text(body, "taxNumber"),
            "taxNumber2": text(body, "taxNumber2"),
            "taxPayer": text(body, "taxPayer"),
            "rating": rating,
            "state": state,
            "role": role,
            "owner": owner,
            "contactSource": source,
            "notice": text(body, "notice"),
            "addresses": addresses,
            "extIds": ext_ids,
            "_version": 1,
            "rowInfo.createdAt": now_text(),
        });
        refresh_company(&mut company);
        self.companies.insert(id, company);
        Ok(id)
    }

    fn make_address(&mut self, input: &Value, path: &str) -> Result<Value, SimError> {
        let address = input
            .get("address")
            .filter(|a| a.is_object())
            .ok_or_else(|| SimError::required(&format!("{path}.address")))?;
        let name =
            text(address, "name").ok_or_else(|| SimError::required(&format!("{path}.address.name")))?;
        let code = text(address, "country");
        let info = input.get("contactInfo").cloned().unwrap_or(Value::Null);
        let id = self.take_id(None);
        Ok(json!({
            "id": id,
            "primary": false,
            "contactAddress": false,
            "address": {
                "name": name,
                "street": text(address, "street"),
                "city": text(address, "city"),
                "province": text(address, "province"),
                "zipCode": text(address, "zipCode"),
                "country": code.as_deref().map(country_name),
                "countryCode": code.map(|c| c.to_ascii_uppercase()),
            },
            "contactInfo": {
                "email": text(&info, "email"),
                "email2": text(&info, "email2"),
                "tel1": text(&info, "tel1"),
                "tel1Type": text(&info, "tel1Type"),
                "tel2": text(&info, "tel2"),
                "tel2Type": text(&info, "tel2Type"),
                "www": text(&info, "www"),
                "doNotSendMM": false,
            },
            "territory": input.get("territory").cloned().unwrap_or(Value::Null),
        }))
    }

    /// `PUT /company/{id}/address/` → the new (non-primary) address id.
    pub fn add_address(&mut self, company_id: i64, body: &Value) -> Result<i64, SimError> {
        if !self.companies.contains_key(&company_id) {
            return Err(SimError::not_found("company", company_id));
        }
        let address = self.make_address(body, "address")?;
        let id = address["id"].as_i64().unwrap_or_default();
        let company =
            self.companies.get_mut(&company_id).ok_or_else(|| SimError::not_found("company", company_id))?;
        if let Some(list) = company["addresses"].as_array_mut() {
            list.push(address);
        }
        bump_version(company);
        refresh_company(company);
        Ok(id)
    }

    /// `POST /company/{id}/address/{addressId}/setContact/` (or `setPrimary`).
    pub fn set_address_flag(&mut self, company_id: i64, address_id: i64, flag: &str) -> Result<(), SimError> {
        let company =
            self.companies.get_mut(&company_id).ok_or_else(|| SimError::not_found("company", company_id))?;
        let list = company["addresses"]
            .as_array_mut()
            .ok_or_else(|| SimError::not_found("companyAddress", address_id))?;
        if !list.iter().any(|a| a["id"].as_i64() == Some(address_id)) {
            return Err(SimError::not_found("companyAddress", address_id));
        }
        for a in list.iter_mut() {
            a[flag] = json!(a["id"].as_i64() == Some(address_id));
        }
        bump_version(company);
        refresh_company(company);
        Ok(())
    }

    // ------------------------------------------------------------ product

    /// `PUT /product/`.
    pub fn create_product(&mut self, body: &Value, seeded: bool) -> Result<i64, SimError> {
        if !body.is_object() {
            return Err(SimError::bad_json("expected an object"));
        }
        let code = text(body, "code").ok_or_else(|| SimError::required("code"))?;
        let name = text(body, "name").ok_or_else(|| SimError::required("name"))?;
        if self.product_by_code(&code).is_some() {
            return Err(SimError::new(
                400,
                "TranslatedApplicationException",
                format!("exception.duplicateKey: product code [{code}] is already used"),
                format!("Produkt s kódem [{code}] již existuje"),
            ));
        }
        let ext_ids = self.ext_ids_for_create(Entity::Product, body, seeded)?;
        let price = fields::number(body, "price")?;
        let tax_rate = fields::number(body, "taxRate")?;
        let cost = fields::number(body, "cost")?;
        let wanted =
            if seeded { fields::id(body, "id")?.filter(|i| !self.products.contains_key(i)) } else { None };
        let id = self.take_id(wanted);
        self.products.insert(
            id,
            json!({
                "id": id,
                "code": code,
                "name": name,
                "unit": text(body, "unit"),
                "description": text(body, "description"),
                "taxRate": tax_rate.map(precise),
                "price": price.map(precise),
                "cost": cost.map(precise),
                "category": Value::Null,
                "productLine": Value::Null,
                "extIds": ext_ids,
                "_version": 1,
                "rowInfo.createdAt": now_text(),
            }),
        );
        Ok(id)
    }

    fn product_by_code(&self, code: &str) -> Option<&Value> {
        self.products.values().find(|p| p["code"] == code)
    }

    // ------------------------------------------------------------ business case

    /// `PUT /businessCase/` (`with_items` = `PUT /businessCase/createWithItems`). All or nothing.
    pub fn create_case(&mut self, body: &Value, with_items: bool, seeded: bool) -> Result<i64, SimError> {
        let before = self.clone();
        let result = self.create_case_inner(body, with_items, seeded);
        if result.is_err() {
            *self = before;
        }
        result
    }

    fn create_case_inner(&mut self, body: &Value, with_items: bool, seeded: bool) -> Result<i64, SimError> {
        if !body.is_object() {
            return Err(SimError::bad_json("expected an object"));
        }
        let name = text(body, "name").ok_or_else(|| SimError::required("name"))?;
        let company_id = fields::id(body, "company")?.ok_or_else(|| SimError::required("company"))?;
        let company =
            self.companies.get(&company_id).ok_or_else(|| SimError::not_found("company", company_id))?;
        let company_ref = json!({"id": company_id, "name": company["name"]});
        let owner = self.owner_ref(body)?;
        let phase_id = match fields::id(body, "businessCasePhase")? {
            Some(id) => id,
            None => self
                .phases
                .first()
                .and_then(|p| p["id"].as_i64())
                .ok_or_else(|| SimError::required("businessCasePhase"))?,
        };
        let phase = Db::list_ref(&self.phases, "businessCasePhase", phase_id)?;
        let source = opt_list_ref(&self.sources, "contactSource", fields::id(body, "source")?)?;
        let category = opt_list_ref(&self.categories, "businessCaseCategory", fields::id(body, "category")?)?;
        let currency_id =
            fields::id(body, "currency")?.or_else(|| self.currencies.first().and_then(|c| c["id"].as_i64()));
        let currency = opt_list_ref(&self.currencies, "currency", currency_id)?;
        let exchange_rate = fields::number(body, "exchangeRate")?.unwrap_or(1.0);
        let total = fields::number(body, "totalAmount")?;
        let ext_ids = self.ext_ids_for_create(Entity::BusinessCase, body, seeded)?;
        let mut items = Vec::new();
        if with_items {
            match body.get("items") {
                None | Some(Value::Null) => {}
                Some(Value::Array(list)) => {
                    for (i, item) in list.iter().enumerate() {
                        items.push(self.make_item(item, &format!("items[{i}]"), LineFields::Insert)?);
                    }
                }
                Some(_) => return Err(SimError::invalid("items", "must be an array")),
            }
        }
        let seeded_id =
            if seeded { fields::id(body, "id")?.filter(|i| !self.cases.contains_key(i)) } else { None };
        let id = self.take_id(seeded_id);
        let mut case = json!({
            "id": id,
            "code": format!("OP-{id}"),
            "name": name,
            "company": company_ref,
            "person": Value::Null,
            "owner": owner,
            "businessCasePhase": phase,
            "status": Value::Null,
            "source": source,
            "category": category,
            "currency": currency,
            "exchangeRate": precise(exchange_rate),
            "validFrom": fields::date(body, "validFrom")?,
            "validTill": Value::Null,
            "probability": body.get("probability").cloned().unwrap_or(Value::Null),
            "description": text(body, "description"),
            "totalAmount": total.map(money),
            "totalAmountWithTax": Value::Null,
            "items": items,
            "extIds": ext_ids,
            "_version": 1,
            "rowInfo.createdAt": now_text(),
        });
        self.refresh_case(&mut case);
        self.cases.insert(id, case);
        Ok(id)
    }

    /// One business-case line; an unknown `productCode` creates the product (as RAYNET does).
    /// `accepts` says which members the endpoint takes: the lines of `POST /businessCase/{id}/`
    /// document no `product` and no `cost`, so those are ignored there.
    ///
    /// Stored in the documented detail shape (EN spec example of `GET /businessCase/{id}/`,
    /// raynet-api.md §16): the product under `priceListItem.product`, `priceListItem: null` for
    /// a line without product. `cost` is kept too, for the dump only; the detail hides it.
    fn make_item(&mut self, item: &Value, path: &str, accepts: LineFields) -> Result<Value, SimError> {
        if !item.is_object() {
            return Err(SimError::invalid(path, "must be an object"));
        }
        let at = |f: &str| format!("{path}.{f}");
        let num =
            |f: &str| fields::number(item, f).map_err(|_| SimError::invalid(&at(f), "must be a number"));
        let sent_cost = match accepts {
            LineFields::Insert => num("cost")?,
            LineFields::CaseEdit => None,
        };
        let product_id = match accepts {
            LineFields::Insert => {
                fields::id(item, "product").map_err(|_| SimError::invalid(&at("product"), "must be an id"))?
            }
            LineFields::CaseEdit => None,
        };
        let product = if let Some(pid) = product_id {
            Some(self.products.get(&pid).cloned().ok_or_else(|| SimError::not_found("product", pid))?)
        } else if let Some(code) = text(item, "productCode") {
            match self.product_by_code(&code) {
                Some(p) => Some(p.clone()),
                None => {
                    let name = text(item, "name").ok_or_else(|| SimError::required(&at("name")))?;
                    let pid = self.create_product(
                        &json!({
                            "code": code, "name": name, "unit": item.get("unit"), "price": item.get("price"),
                            "taxRate": item.get("taxRate"), "cost": sent_cost,
                        }),
                        false,
                    )?;
                    self.products.get(&pid).cloned()
                }
            }
        } else {
            None
        };
        let p = product.clone().unwrap_or(Value::Null);
        let name =
            text(item, "name").or_else(|| text(&p, "name")).ok_or_else(|| SimError::required(&at("name")))?;
        let price = num("price")?.or_else(|| p["price"].as_f64()).unwrap_or(0.0);
        let tax_rate = num("taxRate")?.or_else(|| p["taxRate"].as_f64()).unwrap_or(0.0);
        let count = num("count")?.unwrap_or(1.0);
        let discount = num("discountPercent")?.unwrap_or(0.0);
        let cost = sent_cost.or_else(|| p["cost"].as_f64());
        let id = self.take_id(None);
        Ok(json!({
            "id": id,
            "priceListItem": product.as_ref().map(price_list_item),
            "name": name,
            "description": text(item, "description"),
            "price": precise(price),
            "taxRate": precise(tax_rate),
            "unit": text(item, "unit").or_else(|| text(&p, "unit")),
            "discountPercent": precise(discount),
            "count": precise(count),
            "cost": cost.map(precise),
        }))
    }

    /// Applies a partial edit of a line to `line` (no product relink); `cost` only where the
    /// endpoint takes it.
    fn edit_item(line: &mut Value, edit: &Value, path: &str, accepts: LineFields) -> Result<(), SimError> {
        let at = |f: &str| format!("{path}.{f}");
        if let Some(name) = text(edit, "name") {
            line["name"] = json!(name);
        }
        let numbers: &[&str] = match accepts {
            LineFields::Insert => &["price", "cost", "taxRate", "count", "discountPercent"],
            LineFields::CaseEdit => &["price", "taxRate", "count", "discountPercent"],
        };
        for key in numbers {
            if let Some(v) =
                fields::number(edit, key).map_err(|_| SimError::invalid(&at(key), "must be a number"))?
            {
                line[*key] = precise(v);
            }
        }
        for key in ["unit", "description"] {
            if edit.get(key).is_some() {
                line[key] = json!(text(edit, key));
            }
        }
        Ok(())
    }

    /// `POST /businessCase/{id}/`: only present fields change; `items[]` with `id` edit that
    /// line, without `id` add one; lines not mentioned stay.
    pub fn update_case(&mut self, id: i64, body: &Value) -> Result<(), SimError> {
        let before = self.clone();
        let result = self.update_case_inner(id, body);
        if result.is_err() {
            *self = before;
        }
        result
    }

    fn update_case_inner(&mut self, id: i64, body: &Value) -> Result<(), SimError> {
        if !body.is_object() {
            return Err(SimError::bad_json("expected an object"));
        }
        let mut case = self.cases.get(&id).cloned().ok_or_else(|| SimError::not_found("businessCase", id))?;
        if body.get("name").is_some() {
            case["name"] = json!(text(body, "name").ok_or_else(|| SimError::required("name"))?);
        }
        if let Some(cid) = fields::id(body, "company")? {
            let c = self.companies.get(&cid).ok_or_else(|| SimError::not_found("company", cid))?;
            case["company"] = json!({"id": cid, "name": c["name"]});
        }
        if let Some(pid) = fields::id(body, "owner")? {
            case["owner"] = self.person_ref(pid)?;
        }
        if let Some(v) = fields::id(body, "businessCasePhase")? {
            case["businessCasePhase"] = Db::list_ref(&self.phases, "businessCasePhase", v)?;
        }
        if let Some(v) = fields::id(body, "source")? {
            case["source"] = Db::list_ref(&self.sources, "contactSource", v)?;
        }
        if let Some(v) = fields::id(body, "category")? {
            case["category"] = Db::list_ref(&self.categories, "businessCaseCategory", v)?;
        }
        if let Some(v) = fields::id(body, "currency")? {
            case["currency"] = Db::list_ref(&self.currencies, "currency", v)?;
        }
        if let Some(v) = fields::number(body, "exchangeRate")? {
            case["exchangeRate"] = precise(v);
        }
        if let Some(v) = fields::number(body, "totalAmount")? {
            case["totalAmount"] = money(v);
        }
        for key in ["validFrom", "validTill"] {
            if body.get(key).is_some() {
                case[key] = json!(fields::date(body, key)?);
            }
        }
        if body.get("description").is_some() {
            case["description"] = json!(text(body, "description"));
        }
        match body.get("items") {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => {
                for (i, edit) in list.iter().enumerate() {
                    let path = format!("items[{i}]");
                    match fields::id(edit, "id")
                        .map_err(|_| SimError::invalid(&format!("{path}.id"), "must be an id"))?
                    {
                        Some(item_id) => {
                            let lines = case["items"]
                                .as_array_mut()
                                .ok_or_else(|| SimError::not_found("businessCaseItem", item_id))?;
                            let line = lines
                                .iter_mut()
                                .find(|l| l["id"].as_i64() == Some(item_id))
                                .ok_or_else(|| SimError::not_found("businessCaseItem", item_id))?;
                            Db::edit_item(line, edit, &path, LineFields::CaseEdit)?;
                        }
                        None => {
                            let line = self.make_item(edit, &path, LineFields::CaseEdit)?;
                            push_item(&mut case, line);
                        }
                    }
                }
            }
            Some(_) => return Err(SimError::invalid("items", "must be an array")),
        }
        bump_version(&mut case);
        self.refresh_case(&mut case);
        self.cases.insert(id, case);
        Ok(())
    }

    /// `PUT /businessCase/{id}/item/`.
    pub fn add_item(&mut self, case_id: i64, body: &Value) -> Result<i64, SimError> {
        if !self.cases.contains_key(&case_id) {
            return Err(SimError::not_found("businessCase", case_id));
        }
        let before = self.clone();
        let line = match self.make_item(body, "item", LineFields::Insert) {
            Ok(l) => l,
            Err(e) => {
                *self = before;
                return Err(e);
            }
        };
        let line_id = line["id"].as_i64().unwrap_or_default();
        self.change_case(case_id, |case| push_item(case, line))?;
        Ok(line_id)
    }

    /// `POST /businessCase/{id}/item/{itemId}/`.
    pub fn edit_item_of(&mut self, case_id: i64, item_id: i64, body: &Value) -> Result<(), SimError> {
        let mut case =
            self.cases.get(&case_id).cloned().ok_or_else(|| SimError::not_found("businessCase", case_id))?;
        let line = case["items"]
            .as_array_mut()
            .and_then(|l| l.iter_mut().find(|l| l["id"].as_i64() == Some(item_id)))
            .ok_or_else(|| SimError::not_found("businessCaseItem", item_id))?;
        Db::edit_item(line, body, "item", LineFields::Insert)?;
        self.change_case(case_id, |c| *c = case)
    }

    /// `DELETE /businessCase/{id}/item/{itemId}/`.
    pub fn delete_item(&mut self, case_id: i64, item_id: i64) -> Result<(), SimError> {
        let case = self.cases.get(&case_id).ok_or_else(|| SimError::not_found("businessCase", case_id))?;
        if !case["items"].as_array().is_some_and(|l| l.iter().any(|l| l["id"].as_i64() == Some(item_id))) {
            return Err(SimError::not_found("businessCaseItem", item_id));
        }
        self.change_case(case_id, |c| {
            if let Some(lines) = c["items"].as_array_mut() {
                lines.retain(|l| l["id"].as_i64() != Some(item_id));
            }
        })
    }

    fn change_case(&mut self, id: i64, f: impl FnOnce(&mut Value)) -> Result<(), SimError> {
        let mut case = self.cases.get(&id).cloned().ok_or_else(|| SimError::not_found("businessCase", id))?;
        f(&mut case);
        bump_version(&mut case);
        self.refresh_case(&mut case);
        self.cases.insert(id, case);
        Ok(())
    }

    /// Derives `status` from the phase and the totals from the lines.
    fn refresh_case(&self, case: &mut Value) {
        let phase_id = case["businessCasePhase"]["id"].as_i64();
        let status = self
            .phases
            .iter()
            .find(|p| p["id"].as_i64() == phase_id)
            .and_then(|p| p["strValue01"].as_str())
            .unwrap_or("B_ACTIVE")
            .to_string();
        case["status"] = json!(status);
        let lines = case["items"].as_array().cloned().unwrap_or_default();
        if lines.is_empty() {
            let total = case["totalAmount"].as_f64().unwrap_or(0.0);
            case["totalAmount"] = money(total);
            case["totalAmountWithTax"] = money(total);
            return;
        }
        let (mut net, mut gross) = (0.0, 0.0);
        for l in &lines {
            let f = |k: &str| l[k].as_f64().unwrap_or(0.0);
            let line =
                ((f("price") * f("count") * (1.0 - f("discountPercent") / 100.0)) * 100.0).round() / 100.0;
            net += line;
            gross += line * (1.0 + f("taxRate") / 100.0);
        }
        case["totalAmount"] = money(net);
        case["totalAmountWithTax"] = money(gross);
    }

    // ------------------------------------------------------------ attachments

    /// `PUT /attachment/{entity}/{id}/` with a link (or an uploaded file's fields).
    pub fn add_attachment(&mut self, entity: Entity, id: i64, body: &Value) -> Result<i64, SimError> {
        if !self.store(entity).contains_key(&id) {
            return Err(SimError::not_found(entity.path(), id));
        }
        let link = text(body, "link");
        let file = text(body, "uuid").map(|uuid| {
            json!({"uuid": uuid, "fileName": body.get("fileName"), "contentType": body.get("contentType"), "size": body.get("fileSize")})
        });
        if link.is_none() && file.is_none() {
            return Err(SimError::required("link"));
        }
        let attachment_id = self.take_id(None);
        self.attachments.push(json!({
            "id": attachment_id,
            "entityName": entity.path(),
            "entityId": id,
            "link": link,
            "linkName": text(body, "linkName"),
            "file": file,
            "folder": Value::Null,
        }));
        Ok(attachment_id)
    }
}

/// Which members a line body may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineFields {
    /// `createWithItems`, `PUT …/item/` and `POST …/item/{itemId}/`: `product` and `cost` too.
    Insert,
    /// `items[]` of `POST /businessCase/{id}/`: no `product`, no `cost` (CS and EN spec
    /// `businessCaseEdit`).
    CaseEdit,
}

/// `priceListItem` of a line made from `product`: its row of the default price list (the
/// simulator has that one price list only and gives the row the product's id).
fn price_list_item(product: &Value) -> Value {
    json!({
        "id": product["id"],
        "price": product["price"].as_f64().map(precise).unwrap_or(json!(0)),
        "product": {
            "id": product["id"],
            "code": product["code"],
            "category": product["category"],
            "productLine": product["productLine"],
        },
        "priceList": {"id": 1, "code": "Default"},
    })
}

/// The detail of a business case shows no `cost` of its lines.
fn hide_line_costs(case: &mut Value) {
    for line in case["items"].as_array_mut().into_iter().flatten() {
        if let Some(map) = line.as_object_mut() {
            map.remove("cost");
        }
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

fn push_item(case: &mut Value, line: Value) {
    match case["items"].as_array_mut() {
        Some(lines) => lines.push(line),
        None => case["items"] = json!([line]),
    }
}

/// Keeps `primaryAddress` / `contactAddress` in step with the flags in `addresses`.
fn refresh_company(company: &mut Value) {
    let list = company["addresses"].as_array().cloned().unwrap_or_default();
    let pick = |flag: &str| list.iter().find(|a| a[flag] == true).cloned().unwrap_or(Value::Null);
    company["primaryAddress"] = pick("primary");
    company["contactAddress"] = pick("contactAddress");
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
