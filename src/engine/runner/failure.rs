//! Failure classification (retry later, rate limited, dead, fatal; the typed reason is
//! `EngineError::reason`) and rate-limit pacing.

use crate::http::ErrorKind;
use crate::store::{Activity, Failure, RateLimitRecord};

use super::super::EngineError;
use super::super::api::{EngineEvent, EngineState};
use super::{Engine, OrderOutcome, PassReport};

impl Engine {
    /// Puts a failed order back in the queue (or marks it dead) with a readable reason.
    pub(super) fn fail(
        &mut self,
        code: &str,
        e: EngineError,
        report: &mut PassReport,
    ) -> Result<(), EngineError> {
        let now = self.now();
        let attempts = self.store.job(code)?.map(|j| j.attempts).unwrap_or(0) + 1;
        let (next, status) = match &e {
            EngineError::Api(api) => match api.kind {
                ErrorKind::Auth => {
                    self.note_fatal(&e);
                    tracing::error!(order = code, error = %e, "credentials rejected; sync paused");
                    return Err(e);
                }
                ErrorKind::RateLimited => {
                    let until = api.retry_after.unwrap_or(now + chrono::Duration::seconds(60));
                    if self.blocked_until.is_none_or(|(s, u)| s != api.service || u <= now) {
                        // A new episode of the limit (not every order it stops).
                        self.store.audit(None, &Activity::RateLimited { service: api.service, until })?;
                    }
                    self.blocked_until = Some((api.service, until));
                    self.set_state(EngineState::RateLimited { service: api.service, until });
                    (self.schedule.next_attempt(attempts, now, Some(until)).or(Some(until)), api.status)
                }
                ErrorKind::Transient => {
                    (self.schedule.next_attempt(attempts, now, api.retry_after), api.status)
                }
                ErrorKind::Permanent | ErrorKind::NotFound => (None, api.status),
            },
            EngineError::Store(_) => return Err(e),
            EngineError::Mapping(_) | EngineError::Config(_) | EngineError::CurrencyMissing { .. } => {
                (None, None)
            }
        };
        let reason = e.reason();
        self.store
            .record_failure(code, &Failure { reason: reason.clone(), status, next_attempt_at: next })?;
        tracing::warn!(order = code, attempts, error = %e, retry_at = ?next, "order failed");
        report.failed += 1;
        report.outcomes.push(OrderOutcome {
            code: code.into(),
            result: if next.is_some() { "failed".into() } else { "dead".into() },
            business_case_id: None,
            reason: Some(reason),
            next_attempt_at: next,
        });
        let event = EngineEvent::OrderFailed {
            code: code.into(),
            reason: e.to_string(),
            retry_at: next,
            class: e.class(),
        };
        self.emit(event);
        Ok(())
    }

    pub(super) fn persist_rate_limit(&mut self) {
        let rl = self.raynet.rate_limit();
        if rl.limit.is_some() || rl.remaining.is_some() {
            let record = RateLimitRecord { limit: rl.limit, remaining: rl.remaining, reset: rl.reset };
            let _ = self.store.set_rate_limit("raynet", &record);
        }
    }
}
