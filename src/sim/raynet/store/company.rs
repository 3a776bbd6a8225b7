//! Clients and their addresses.

use serde_json::{Value, json};

use super::{Db, Entity, RATINGS, ROLES, STATES, bump_version, enum_field, now_text};
use crate::sim::raynet::fields::{self, country_name, text};
use crate::sim::raynet::reply::SimError;

impl Db {
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
        self.index_ext_ids(Entity::Company, id);
        Ok(id)
    }

    pub(super) fn make_address(&mut self, input: &Value, path: &str) -> Result<Value, SimError> {
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
}

/// Keeps `primaryAddress` / `contactAddress` in step with the flags in `addresses`.
fn refresh_company(company: &mut Value) {
    let list = company["addresses"].as_array().cloned().unwrap_or_default();
    let pick = |flag: &str| list.iter().find(|a| a[flag] == true).cloned().unwrap_or(Value::Null);
    company["primaryAddress"] = pick("primary");
    company["contactAddress"] = pick("contactAddress");
}
