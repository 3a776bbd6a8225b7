//! Carrying out one order's plan against RAYNET and the store — the plan's steps, in order, and
//! nothing else: no lookups of its own and no matching decisions (the planner made them).
//!
//! Crash safety is in the order of the steps the planner lays out. Every create carries the
//! extId in its body, and every RAYNET id is recorded in the store as the step that created it
//! completes. Before a create the planner puts an *intent* (`Store::set_intent`), cleared once
//! the create and its follow-ups (contact address, link attachment) are done. A crash — or a
//! lost answer — between "created in RAYNET" and "recorded here" leaves the intent, and the
//! next plan, seeing it, looks the record up by its extId (and, where RAYNET drops a create's
//! extId, by the product's code or the case's name and client), adopts it and reads it to add
//! only what is missing. Without an intent nothing of ours can be in RAYNET, so no lookup is
//! made and a record created in this run is not read again: the normal path costs no extra
//! request.
//!
//! RAYNET documents `extId` in a create body for a company only. The first create of each
//! entity type is followed by a "verify extId" step: a lookup by the extId, and when it does not
//! find the new record, `PUT /{entity}/{id}/extId/` — then and after every later create of that
//! type, as the store remembers.

mod local;
mod remote;

use crate::http::ErrorKind;
use crate::raynet::client::RaynetClient;
use crate::store::Store;

use crate::engine::EngineError;
use crate::engine::plan::{OrderPlan, Report, Step, Target};

/// What became of one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Synced { business_case_id: i64, created: bool },
    NeedsDecision,
}

/// Carries out plans for one order over the store and RAYNET.
pub(crate) struct Executor<'a> {
    pub store: &'a mut Store,
    pub raynet: &'a RaynetClient,
    /// The order whose plan this is.
    pub code: &'a str,
}

/// How a plan's execution ended.
pub(crate) struct Executed {
    /// The outcome (none when the plan neither syncs nor parks the order), or the error of the
    /// step that failed; nothing after that step was done.
    pub result: Result<Option<Outcome>, EngineError>,
    /// The reports reached, with the ids of the records the plan created.
    pub done: Vec<Report>,
    /// The index of the step that failed.
    pub failed_at: Option<usize>,
}

/// The state of one run through a plan.
pub(super) struct Run {
    /// The id each step answered with, by step index.
    ids: Vec<Option<i64>>,
    done: Vec<Report>,
    outcome: Option<Outcome>,
}

impl Run {
    /// The id of a record the plan acts on.
    fn id(&self, t: Target) -> Result<i64, EngineError> {
        match t {
            Target::Id(id) => Ok(id),
            Target::New(step) => self.ids.get(step).copied().flatten().ok_or_else(|| {
                // The planner only refers to records of earlier steps, which answered with an
                // id or stopped the run: a planner bug, stopped loudly.
                EngineError::Config(format!("internal: plan step {step} gave no record id").into())
            }),
        }
    }
}

impl Executor<'_> {
    /// Carries out `plan`'s steps in order, stopping at the first that fails.
    pub async fn run(&mut self, plan: &OrderPlan) -> Executed {
        let mut run = Run { ids: vec![None; plan.steps.len()], done: Vec::new(), outcome: None };
        for (i, step) in plan.steps.iter().enumerate() {
            let result = match step.write() {
                Some(_) => self.send(step, &run).await.map(|id| run.ids[i] = id),
                None => self.apply(step, &mut run),
            };
            if let Err(e) = result {
                return Executed { result: Err(e), done: run.done, failed_at: Some(i) };
            }
        }
        Executed { result: Ok(run.outcome), done: run.done, failed_at: None }
    }
}

impl Executed {
    /// The client whose business-case create RAYNET refused because the client is gone
    /// (merged or deleted since the store last read it): the plan trusted the store's copy.
    pub fn client_gone(&self, plan: &OrderPlan) -> Option<i64> {
        let cached = plan.client_cached()?;
        let step = plan.steps.get(self.failed_at?)?;
        let Step::CreateBusinessCase { company: Target::Id(company), .. } = step else { return None };
        let EngineError::Api(e) = self.result.as_ref().err()? else { return None };
        let gone = e.kind == ErrorKind::NotFound || e.code.as_deref() == Some("EntityNotFoundException");
        // A refused currency, phase or owner is no gone client (the settings are read again).
        let gone = gone && !crate::engine::context::refusal_names_a_setting(e);
        (gone && *company == cached).then_some(cached)
    }
}
