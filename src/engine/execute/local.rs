//! The local effects of a plan: intents, the entity map, client reads, the decision, the
//! reports of what was done, and marking the order synced.

use crate::store::{Activity, EntityKind, EntityRecord, Reason};

use super::{Executor, Outcome, Run};
use crate::engine::EngineError;
use crate::engine::plan::{Report, Step};

impl Executor<'_> {
    /// Applies one local step.
    pub(super) fn apply(&mut self, step: &Step, run: &mut Run) -> Result<(), EngineError> {
        let code = self.code;
        match step {
            Step::SetIntent { kind, key } => self.store.set_intent(*kind, key, code)?,
            Step::ClearIntent { kind, key } => self.store.clear_intent(*kind, key)?,
            Step::RecordEntity { kind, key, target, how, matched_by, label, shoptet_ref } => {
                let created_at = self.store.now();
                self.store.record_entity(&EntityRecord {
                    kind: *kind,
                    shoptet_key: key.clone(),
                    raynet_id: run.id(*target)?,
                    how: *how,
                    matched_by: matched_by.map(|m| m.as_str().to_string()),
                    label: label.clone(),
                    shoptet_ref: shoptet_ref.clone(),
                    first_order_code: Some(code.to_string()),
                    created_at,
                })?;
            }
            Step::ForgetClient { key, raynet_id } => self.forget_client(key, *raynet_id)?,
            Step::RememberClient { target, owner } => {
                self.store.record_client_read(run.id(*target)?, *owner)?
            }
            Step::SetDecision { matched_by, candidates } => {
                let names: Vec<String> =
                    candidates.iter().map(|c| format!("{} (#{})", c.name, c.raynet_id)).collect();
                let reason = Reason::Ambiguous { by: matched_by.as_str().to_string(), candidates: names };
                self.store.set_decision(code, &reason, candidates)?;
                run.outcome = Some(Outcome::NeedsDecision);
            }
            Step::ClearDecision if self.store.decision(code)?.is_some() => self.store.clear_decision(code)?,
            Step::Report { report } => {
                self.audit_report(report)?;
                run.done.push(report.resolved(|t| run.id(t).ok()));
            }
            Step::MarkSynced { case, created, hash } => {
                let id = run.id(*case)?;
                self.store.mark_synced(code, id, hash)?;
                run.outcome = Some(Outcome::Synced { business_case_id: id, created: *created });
            }
            _ => {}
        }
        Ok(())
    }

    /// Forgets a known client that is gone from RAYNET (merged or deleted there).
    pub(crate) fn forget_client(&mut self, key: &str, raynet_id: i64) -> Result<(), EngineError> {
        self.store.delete_entity(EntityKind::Client, key)?;
        self.store.forget_client_read(raynet_id)?;
        Ok(())
    }

    /// The activity log's entries for what a case step did.
    fn audit_report(&mut self, report: &Report) -> Result<(), EngineError> {
        let code = self.code;
        match report {
            Report::CaseCancelled { raynet_id: id } => {
                self.store.audit(Some(code), &Activity::Cancelled { business_case_id: *id })?;
            }
            Report::CaseLines { raynet_id: id, kept, edited, added, removed, fields } => {
                let entry = Activity::Updated {
                    business_case_id: *id,
                    kept: *kept,
                    edited: *edited,
                    added: *added,
                    removed: *removed,
                    fields: *fields,
                };
                self.store.audit(Some(code), &entry)?;
            }
            _ => {}
        }
        Ok(())
    }
}
