//! The products of an order's lines: known, matched by code (the oldest), or created.

use crate::http::ErrorKind;
use crate::mapping::{self, LinePlan};
use crate::store::{EntityKind, EntityRecord, How, IntentKind};

use crate::engine::EngineError;
use crate::engine::plan::ProductPlan;

use super::{PRODUCT, Work};

impl Work<'_> {
    /// Finds or creates the RAYNET product of every line that links one.
    pub(super) async fn ensure_products(
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

    pub(super) async fn find_product(&mut self, pcode: &str) -> Result<ProductPlan, EngineError> {
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
    pub(super) async fn product_by_code(&mut self, pcode: &str) -> Result<Option<i64>, EngineError> {
        let found = self.raynet.products_by_code(pcode).await?;
        Ok(mapping::matching::product_by_code(found.iter().map(|p| (p.id, p.code.as_deref())), pcode))
    }

    pub(super) async fn ensure_product(
        &mut self,
        line: &LinePlan,
        pcode: &str,
        order_code: &str,
    ) -> Result<i64, EngineError> {
        let key = mapping::product_ext_id(self.eshop_id(), pcode);
        let intent_key = pcode.to_string();
        let intent = self.store.intent(IntentKind::Product, &intent_key)?;
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
        self.store.set_intent(IntentKind::Product, &intent_key, order_code)?;
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
        self.attach_product_link(shoptet_product.as_ref(), id, fresh).await?;
        self.store.clear_intent(IntentKind::Product, &intent_key)?;
        Ok(id)
    }

    /// The link to the Shoptet product, attached once. A product created just now has no
    /// attachments. One found again was created by an earlier attempt, whose link may have
    /// reached RAYNET without its answer: look first.
    async fn attach_product_link(
        &mut self,
        shoptet_product: Option<&crate::shoptet::models::Product>,
        id: i64,
        fresh: bool,
    ) -> Result<(), EngineError> {
        if let Some(link) = shoptet_product.and_then(mapping::product_link) {
            let already = !fresh && self.raynet.product(id).await?.has_link(&link.link);
            if !already {
                self.raynet.add_link_attachment(PRODUCT, id, &link).await?;
            }
        }
        Ok(())
    }
}
