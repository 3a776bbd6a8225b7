//! The RAYNET writes of a plan, sent as the plan says (with the ids of records created by
//! earlier steps filled in).

use crate::http::ErrorKind;
use crate::store::{Activity, CreateExtIdMode};

use super::{Executor, Run};
use crate::engine::EngineError;
use crate::engine::plan::{Entity, Step};

impl Executor<'_> {
    /// Sends one write; the id of the record it created, for a create.
    pub(super) async fn send(&mut self, step: &Step, run: &Run) -> Result<Option<i64>, EngineError> {
        let raynet = self.raynet;
        match step {
            Step::CreateCompany { body } => return Ok(Some(raynet.create_company(body).await?)),
            Step::AddAddress { company, address } => {
                return Ok(Some(raynet.add_company_address(run.id(*company)?, address).await?));
            }
            Step::SetContactAddress { company, address } => {
                raynet.set_contact_address(run.id(*company)?, run.id(*address)?).await?;
            }
            Step::SetExtId { entity, target, ext_id, refusal_ok } => {
                let id = run.id(*target)?;
                if let Err(e) = raynet.set_ext_id(entity.path(), id, ext_id).await {
                    if !(*refusal_ok && matches!(e.kind, ErrorKind::Permanent | ErrorKind::NotFound)) {
                        return Err(e.into());
                    }
                    tracing::warn!(order = %self.code, record = id, error = %e, "could not set extId on a matched record");
                }
            }
            Step::VerifyExtId { entity, target, ext_id } => {
                self.verify_ext_id(*entity, run.id(*target)?, ext_id).await?
            }
            Step::CreateProduct { body, .. } => return Ok(Some(raynet.create_product(body).await?)),
            Step::AttachLink { entity, target, link } => {
                raynet.add_link_attachment(entity.path(), run.id(*target)?, link).await?;
            }
            Step::CreateBusinessCase { body, company, products } => {
                let mut body = body.clone();
                body.company = run.id(*company)?;
                for (item, product) in products {
                    if let Some(line) = body.items.get_mut(*item) {
                        line.product = Some(run.id(*product)?);
                    }
                }
                return Ok(Some(raynet.create_business_case(&body).await?));
            }
            Step::UpdateBusinessCase { id, update } => raynet.update_business_case(*id, update).await?,
            Step::EditItem { case, item, edit } => raynet.edit_business_case_item(*case, *item, edit).await?,
            Step::AddItem { case, item, product } => {
                let mut item = item.clone();
                if let Some(product) = product {
                    item.product = Some(run.id(*product)?);
                }
                raynet.add_business_case_item(*case, &item).await?;
            }
            Step::DeleteItem { case, item } => raynet.delete_business_case_item(*case, *item).await?,
            _ => {}
        }
        Ok(None)
    }

    /// Makes sure the record just created carries `ext_id`. On the first create of an entity
    /// type it checks whether RAYNET kept the extId of the create body, and remembers the
    /// answer; where RAYNET drops it, the extId is set with `PUT /{entity}/{id}/extId/`. (A
    /// create earlier in the same plan may have settled the question already.)
    async fn verify_ext_id(&mut self, entity: Entity, id: i64, ext_id: &str) -> Result<(), EngineError> {
        let entity = entity.path();
        match self.store.create_ext_id_mode(entity)? {
            Some(CreateExtIdMode::Kept) => return Ok(()),
            Some(CreateExtIdMode::Dropped) => {
                self.raynet.set_ext_id(entity, id, ext_id).await?;
                return Ok(());
            }
            _ => {}
        }
        match self.raynet.find_by_ext_id(entity, ext_id).await? {
            Some(found) if found == id => {
                self.store.set_create_ext_id_mode(entity, CreateExtIdMode::Kept)?;
                self.store.audit(None, &Activity::ExtIdMode { entity: entity.to_string(), kept: true })?;
            }
            Some(other) => {
                // Another record answers to our extId: leave both alone and decide next time.
                tracing::warn!(entity, id, other, ext_id, "the extId of a new record finds another record");
            }
            None => {
                self.raynet.set_ext_id(entity, id, ext_id).await?;
                self.store.set_create_ext_id_mode(entity, CreateExtIdMode::Dropped)?;
                self.store.audit(None, &Activity::ExtIdMode { entity: entity.to_string(), kept: false })?;
            }
        }
        Ok(())
    }
}
