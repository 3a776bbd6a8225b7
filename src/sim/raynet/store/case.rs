//! Business cases and their lines.

use serde_json::{Value, json};

use super::{Db, Entity, bump_version, now_text, opt_list_ref};
use crate::sim::raynet::fields::{self, money, precise, text};
use crate::sim::raynet::reply::SimError;

impl Db {
    /// `PUT /businessCase/` (`with_items` = `PUT /businessCase/createWithItems`). All or nothing.
    pub fn create_case(&mut self, body: &Value, with_items: bool, seeded: bool) -> Result<i64, SimError> {
        let mark = self.mark();
        let result = self.create_case_inner(body, with_items, seeded);
        if result.is_err() {
            self.undo_to(mark);
        }
        result
    }

    pub(super) fn create_case_inner(
        &mut self,
        body: &Value,
        with_items: bool,
        seeded: bool,
    ) -> Result<i64, SimError> {
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
        self.index_ext_ids(Entity::BusinessCase, id);
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
        let mark = self.mark();
        let result = self.update_case_inner(id, body);
        if result.is_err() {
            self.undo_to(mark);
        }
        result
    }

    pub(super) fn update_case_inner(&mut self, id: i64, body: &Value) -> Result<(), SimError> {
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
        let mark = self.mark();
        let line = match self.make_item(body, "item", LineFields::Insert) {
            Ok(l) => l,
            Err(e) => {
                self.undo_to(mark);
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

    pub(super) fn change_case(&mut self, id: i64, f: impl FnOnce(&mut Value)) -> Result<(), SimError> {
        let mut case = self.cases.get(&id).cloned().ok_or_else(|| SimError::not_found("businessCase", id))?;
        f(&mut case);
        bump_version(&mut case);
        self.refresh_case(&mut case);
        self.cases.insert(id, case);
        Ok(())
    }

    /// Derives `status` from the phase and the totals from the lines.
    pub(super) fn refresh_case(&self, case: &mut Value) {
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
pub(super) fn hide_line_costs(case: &mut Value) {
    for line in case["items"].as_array_mut().into_iter().flatten() {
        if let Some(map) = line.as_object_mut() {
            map.remove("cost");
        }
    }
}

fn push_item(case: &mut Value, line: Value) {
    match case["items"].as_array_mut() {
        Some(lines) => lines.push(line),
        None => case["items"] = json!([line]),
    }
}
