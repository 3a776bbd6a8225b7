//! Products and attachments.

use serde_json::{Value, json};

use super::{Db, Entity, now_text};
use crate::sim::raynet::fields::{self, precise, text};
use crate::sim::raynet::reply::SimError;

impl Db {
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
        self.index_ext_ids(Entity::Product, id);
        Ok(id)
    }

    pub(super) fn product_by_code(&self, code: &str) -> Option<&Value> {
        self.products.values().find(|p| p["code"] == code)
    }

    // ------------------------------------------------------------ business case

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
        self.attachments_of.entry((entity, id)).or_default().push(self.attachments.len());
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
