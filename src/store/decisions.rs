//! Ambiguous client matches waiting for a person's decision.

use rusqlite::{OptionalExtension, params};

use super::jobs::enqueue_in;
use super::orders::{change_state, state_of};
use super::{
    Activity, Candidate, DecisionChoice, DecisionRow, OrderState, Priority, Reason, Result, Store,
    StoreError, from_millis, millis,
};

fn corrupt(what: &str, e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

impl Store {
    /// Parks an order until a person picks its client: state NeedsDecision, job removed.
    pub fn set_decision(&mut self, code: &str, reason: &Reason, candidates: &[Candidate]) -> Result<()> {
        let now = self.now();
        let json = serde_json::to_string(candidates).map_err(|e| corrupt("candidates", e))?;
        let tx = self.conn.transaction()?;
        state_of(&tx, code)?;
        tx.prepare_cached(
            "INSERT INTO decisions (code, reason, candidates, choice, created_at) \
             VALUES (?1, ?2, ?3, NULL, ?4) \
             ON CONFLICT (code) DO UPDATE SET reason = excluded.reason, \
             candidates = excluded.candidates, choice = NULL, created_at = excluded.created_at",
        )?
        .execute(params![code, reason.to_stored(), json, millis(now)])?;
        tx.prepare_cached("DELETE FROM jobs WHERE code = ?1")?.execute(params![code])?;
        let entry = Activity::NeedsDecision { reason: reason.clone(), candidates: candidates.len() };
        change_state(&tx, now, code, OrderState::NeedsDecision, &entry, true)?;
        tx.commit()?;
        Ok(())
    }

    pub fn decision(&self, code: &str) -> Result<Option<DecisionRow>> {
        let raw = self
            .conn
            .prepare_cached("SELECT reason, candidates, choice, created_at FROM decisions WHERE code = ?1")?
            .query_row(params![code], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })
            .optional()?;
        let Some((reason, candidates, choice, created_at)) = raw else {
            return Ok(None);
        };
        Ok(Some(DecisionRow {
            code: code.to_string(),
            reason: Reason::from_stored(&reason),
            candidates: serde_json::from_str(&candidates).map_err(|e| corrupt("candidates", e))?,
            choice: choice.map(|c| serde_json::from_str(&c).map_err(|e| corrupt("choice", e))).transpose()?,
            created_at: from_millis(created_at)?,
        }))
    }

    /// Stores a person's choice and queues the order (Normal priority, due now).
    pub fn set_decision_choice(&mut self, code: &str, choice: &DecisionChoice) -> Result<()> {
        let now = self.now();
        let json = serde_json::to_string(choice).map_err(|e| corrupt("choice", e))?;
        let tx = self.conn.transaction()?;
        state_of(&tx, code)?;
        let decided = Reason::Decided { choice: *choice }.to_stored();
        tx.prepare_cached(
            "INSERT INTO decisions (code, reason, candidates, choice, created_at) \
             VALUES (?1, ?2, '[]', ?3, ?4) \
             ON CONFLICT (code) DO UPDATE SET choice = excluded.choice",
        )?
        .execute(params![code, decided, json, millis(now)])?;
        let entry = Activity::Decided { choice: *choice };
        enqueue_in(&tx, now, code, Priority::Normal, now, &entry, true)?;
        tx.commit()?;
        Ok(())
    }

    /// The other orders of `code`'s customer (same e-mail, or same name when it has none) that
    /// wait for a decision `choice` settles: an existing client must be among their candidates.
    /// Sorted by code; empty for an unknown order.
    pub fn decision_siblings(&self, code: &str, choice: &DecisionChoice) -> Result<Vec<String>> {
        let Some(me) = self.order(code)? else { return Ok(Vec::new()) };
        let (column, value) = match (me.email, me.customer) {
            (Some(email), _) => ("o.email", email),
            (None, Some(name)) => ("o.customer", name),
            (None, None) => return Ok(Vec::new()),
        };
        let sql = format!(
            "SELECT o.code, d.candidates FROM orders o JOIN decisions d ON d.code = o.code \
             WHERE o.state = ?1 AND o.code <> ?2 AND {column} = ?3 COLLATE NOCASE \
             AND d.choice IS NULL ORDER BY o.code"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params![OrderState::NeedsDecision.as_str(), code, value], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut codes = Vec::new();
        for (other, json) in rows {
            let candidates: Vec<Candidate> =
                serde_json::from_str(&json).map_err(|e| corrupt("candidates", e))?;
            let fits = match choice {
                DecisionChoice::Existing(id) => candidates.iter().any(|c| c.raynet_id == *id),
                DecisionChoice::CreateNew => true,
            };
            if fits {
                codes.push(other);
            }
        }
        Ok(codes)
    }

    /// Forgets the decision (its candidates and choice); the order's state is left alone.
    pub fn clear_decision(&mut self, code: &str) -> Result<()> {
        self.conn.prepare_cached("DELETE FROM decisions WHERE code = ?1")?.execute(params![code])?;
        Ok(())
    }
}
