//! Planning the products of an order's lines: known (the entity map), matched by code (the
//! oldest), or created — each code once per order — with its link to the shop.

use std::collections::HashMap;

use crate::http::ErrorKind;
use crate::mapping::matching::{self, MatchKey};
use crate::mapping::{self, LinePlan};
use crate::shoptet::models::{Order, Product};
use crate::store::{EntityKind, How, IntentKind};

use super::planner::Planner;
use super::writes::Steps;
use super::{Entity, LineView, NotLinked, OrderPlan, ProductPlan, Report, Step, Target};
use crate::engine::EngineError;

/// Each line with the product it links, if any.
pub(super) type Linked = Vec<(LinePlan, Option<Target>)>;

impl Planner<'_> {
    /// Finds or plans the create of the RAYNET product of every line that links one; the lines
    /// go into the plan with what happens to their products.
    pub(super) async fn plan_products(
        &mut self,
        order: &Order,
        lines: &[LinePlan],
        steps: &mut Steps,
        plan: &mut OrderPlan,
    ) -> Result<Linked, EngineError> {
        let foreign = mapping::is_foreign_currency(order, &self.ctx.settings);
        let mut planned: HashMap<String, (Target, ProductPlan)> = HashMap::new();
        let mut out = Vec::with_capacity(lines.len());
        plan.lines.clear();
        for line in lines {
            let (target, product) = match (&line.code, line.link_product) {
                (Some(code), true) => match planned.get(code) {
                    // The same code twice in one order: one product.
                    Some((t, p)) => (Some(*t), p.clone()),
                    None => {
                        let (t, p) = self.plan_product(line, code, steps).await?;
                        planned.insert(code.clone(), (t, p.clone()));
                        (Some(t), p)
                    }
                },
                _ => (None, ProductPlan::NotLinked { why: NotLinked::of(line, foreign) }),
            };
            plan.lines.push(LineView { line: line.clone(), product });
            out.push((line.clone(), target));
        }
        Ok(out)
    }

    /// The lines as the plan shows them when their products are not looked up (the client
    /// waits for a decision).
    pub(super) fn lines_waiting(&mut self, order: &Order, lines: &[LinePlan], plan: &mut OrderPlan) {
        let foreign = mapping::is_foreign_currency(order, &self.ctx.settings);
        plan.lines = lines
            .iter()
            .map(|line| LineView {
                line: line.clone(),
                product: match (&line.code, line.link_product) {
                    (Some(_), true) => ProductPlan::Waiting,
                    _ => ProductPlan::NotLinked { why: NotLinked::of(line, foreign) },
                },
            })
            .collect();
    }

    async fn plan_product(
        &mut self,
        line: &LinePlan,
        pcode: &str,
        steps: &mut Steps,
    ) -> Result<(Target, ProductPlan), EngineError> {
        let key = mapping::product_ext_id(self.eshop_id(), pcode);
        let intent = self.store.intent(IntentKind::Product, pcode)?.is_some();
        let record = |target: Target, how: How, by: Option<MatchKey>| Step::RecordEntity {
            kind: EntityKind::Product,
            key: key.clone(),
            target,
            how,
            matched_by: by,
            label: line.name.clone(),
            shoptet_ref: Some(pcode.to_string()),
        };
        if !intent {
            // A product mapped by an older version sits under its unescaped key; its RAYNET id
            // is all the sync needs, whatever extId the record carries.
            let legacy = mapping::legacy_product_ext_id(self.eshop_id(), pcode);
            for k in [&key, &legacy] {
                if let Some(rec) = self.store.entity(EntityKind::Product, k)? {
                    let id = rec.raynet_id;
                    steps.report(Report::ProductKnown { code: pcode.into(), raynet_id: id });
                    return Ok((Target::Id(id), ProductPlan::Known { raynet_id: id }));
                }
            }
            if let Some(id) = self.product_by_code(pcode).await? {
                steps.push(record(Target::Id(id), How::Matched, Some(MatchKey::Code)));
                steps.report(Report::ProductMatched { code: pcode.into(), raynet_id: id });
                return Ok((
                    Target::Id(id),
                    ProductPlan::Matched { raynet_id: id, matched_by: MatchKey::Code },
                ));
            }
        }
        // Create (or finish a create interrupted by a crash: the extId finds it, or — when it
        // was not set yet — the code does).
        let shoptet_product = match self.shoptet.product_by_code(pcode).await {
            Ok(p) => Some(p),
            Err(e) if e.kind == ErrorKind::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        let found =
            if matching::lookup_before_create(intent) { self.find_ours(pcode, &key).await? } else { None };
        steps.push(Step::SetIntent { kind: IntentKind::Product, key: pcode.to_string() });
        let (target, fresh) = match found {
            Some((id, by_code)) => {
                if by_code {
                    let ext_id = key.clone();
                    steps.push(Step::SetExtId {
                        entity: Entity::Product,
                        target: Target::Id(id),
                        ext_id,
                        refusal_ok: false,
                    });
                }
                (Target::Id(id), false)
            }
            None => {
                let body = mapping::product_draft(line, shoptet_product.as_ref(), key.clone());
                let new = steps.push(Step::CreateProduct { code: pcode.to_string(), body });
                self.ext_id_after_create(Entity::Product, new, &key, steps)?;
                (new, true)
            }
        };
        steps.push(record(target, How::Created, None));
        steps.report(Report::ProductCreated { code: pcode.into(), raynet_id: target });
        self.plan_product_link(shoptet_product.as_ref(), target, fresh, steps).await?;
        steps.push(Step::ClearIntent { kind: IntentKind::Product, key: pcode.to_string() });
        Ok(match target {
            Target::Id(raynet_id) => (target, ProductPlan::Finish { raynet_id }),
            Target::New(_) => (target, ProductPlan::Create),
        })
    }

    /// After an interrupted create: the product our extId finds, else (RAYNET dropped the
    /// create's extId) the oldest of its code — which then receives the extId (`true`).
    async fn find_ours(&mut self, pcode: &str, key: &str) -> Result<Option<(i64, bool)>, EngineError> {
        if let Some(id) = self.raynet.find_by_ext_id(Entity::Product.path(), key).await? {
            return Ok(Some((id, false)));
        }
        Ok(self.product_by_code(pcode).await?.map(|id| (id, true)))
    }

    /// The oldest RAYNET product whose code is exactly `pcode`.
    async fn product_by_code(&mut self, pcode: &str) -> Result<Option<i64>, EngineError> {
        let found = self.raynet.products_by_code(pcode).await?;
        Ok(matching::product_by_code(found.iter().map(|p| (p.id, p.code.as_deref())), pcode))
    }

    /// The link to the Shoptet product, attached once. A product created now has no
    /// attachments. One found again was created by an earlier attempt, whose link may have
    /// reached RAYNET without its answer: look first.
    async fn plan_product_link(
        &mut self,
        shoptet_product: Option<&Product>,
        target: Target,
        fresh: bool,
        steps: &mut Steps,
    ) -> Result<(), EngineError> {
        let Some(link) = shoptet_product.and_then(mapping::product_link) else { return Ok(()) };
        let already = match target {
            Target::Id(id) if !fresh => self.raynet.product(id).await?.has_link(&link.link),
            _ => false,
        };
        if !already {
            steps.push(Step::AttachLink { entity: Entity::Product, target, link });
        }
        Ok(())
    }
}
