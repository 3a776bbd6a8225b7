//! Keeping the settings fresh: the context comes from the store's cache (`context.rs`); an engine
//! that runs for days reads the settings again when they are due, and an order for which RAYNET
//! refused one of them (or that needs one they lack) is tried once more with settings read anew.

use crate::http::{CallRecord, ErrorKind, Service};

use super::super::EngineError;
use super::super::calls::recorded;
use super::super::context::{SyncContext, refusal_names_a_setting};
use super::super::execute::Outcome;
use super::Engine;

/// A refusal reads the settings again only when they are older than this: a queue of orders
/// in a currency RAYNET lacks does not read them once per order.
const REFUSAL_RELOAD_GAP: chrono::Duration = chrono::Duration::seconds(60);

impl Engine {
    /// The context for `prepare`: from the store's cache while fresh, else read from both
    /// services (and cached, except in a dry run, which writes nothing).
    pub(super) async fn load_context(&mut self) -> Result<SyncContext, EngineError> {
        let save = self.cache_settings;
        SyncContext::cached(&self.config, &self.shoptet, &self.raynet, &mut self.store, save).await
    }

    /// `prepare` for a run that writes nothing: the settings are not cached.
    pub(super) async fn prepare_read_only(&mut self) -> Result<(), EngineError> {
        self.cache_settings = false;
        let prepared = self.prepare().await;
        self.cache_settings = true;
        prepared
    }

    /// Reads the settings again when `sync.settings_refresh_secs` have passed since they were
    /// read (or RAYNET refused one since): the daemon runs for days.
    pub(super) async fn refresh_settings_if_due(&mut self) -> Result<(), EngineError> {
        let now = self.now();
        let due = self.ctx.as_ref().is_some_and(|c| c.is_due(&self.config, now))
            || self.store.cached_settings().ok().flatten().is_some_and(|c| c.stale);
        if due { self.reload_settings().await } else { Ok(()) }
    }

    /// Reads the settings from both services now. When they cannot be read, the ones in use stay
    /// (logged); rejected credentials and a configuration that no longer fits are errors.
    async fn reload_settings(&mut self) -> Result<(), EngineError> {
        if self.ctx.is_none() {
            return Ok(());
        }
        match self.load_context().await {
            Ok(ctx) => {
                self.ctx = Some(ctx);
                Ok(())
            }
            Err(e) if e.is_fatal() => Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the settings again; the ones read before stay in use");
                Ok(())
            }
        }
    }

    /// One order's work in its own recording scope (`calls.rs`), with its calls. When RAYNET
    /// refused one of the cached settings — or the order needs one they lack, e.g. a currency
    /// added in RAYNET since — the settings are read again (outside the order's scope: that is
    /// no call of the order) and the order is tried once more.
    pub(super) async fn try_order_recorded(
        &mut self,
        code: &str,
    ) -> (Result<Option<Outcome>, EngineError>, Vec<CallRecord>) {
        let (result, mut calls) = recorded(self.try_order(code)).await;
        match self.settings_refusal(&result).await {
            Ok(true) => {}
            Ok(false) => return (result, calls),
            Err(e) => return (Err(e), calls),
        }
        let (again, more) = recorded(self.try_order(code)).await;
        calls.extend(more);
        (again, calls)
    }

    /// When an order's `result` is a refusal of a cached setting and the settings are older
    /// than a minute, reads them again; true when they were (the order is tried once more).
    pub(super) async fn settings_refusal(
        &mut self,
        result: &Result<Option<Outcome>, EngineError>,
    ) -> Result<bool, EngineError> {
        let refused = matches!(result, Err(e) if refuses_a_setting(e));
        let old = self.ctx.as_ref().is_some_and(|c| self.now() - c.read_at >= REFUSAL_RELOAD_GAP);
        if !refused || !old {
            return Ok(false);
        }
        tracing::info!("a setting was refused or missing; reading the settings again");
        self.store.mark_settings_stale()?;
        let before = self.ctx.as_ref().map(|c| c.read_at);
        self.reload_settings().await?;
        self.shared = None;
        // Not read again (the services are unreachable): the refusal stands.
        Ok(self.ctx.as_ref().map(|c| c.read_at) != before)
    }
}

/// Whether an order's failure may come from settings that are out of date: its currency unknown
/// (it may have been added in RAYNET since the settings were read), or RAYNET refusing a write
/// because a user, phase, source, category or currency it names does not exist.
fn refuses_a_setting(e: &EngineError) -> bool {
    match e {
        EngineError::CurrencyMissing { .. } => true,
        EngineError::Api(api) => {
            let missing = api.kind == ErrorKind::NotFound
                || api
                    .code
                    .as_deref()
                    .is_some_and(|c| c == "EntityNotFoundException" || c == "ConversionFailedException");
            api.service == Service::Raynet
                && matches!(api.method.as_str(), "PUT" | "POST")
                && missing
                && refusal_names_a_setting(api)
        }
        EngineError::Store(_) | EngineError::Mapping(_) | EngineError::Config(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::ApiError;

    fn raynet(method: &str, status: u16, code: &str, message: &str) -> EngineError {
        EngineError::from(ApiError {
            service: Service::Raynet,
            method: method.into(),
            path: "/businessCase/createWithItems".into(),
            status: Some(status),
            kind: if status == 404 { ErrorKind::NotFound } else { ErrorKind::Permanent },
            code: Some(code.into()),
            message: message.into(),
            retry_after: None,
            body_excerpt: None,
        })
    }

    #[test]
    fn a_missing_setting_is_a_refusal_a_missing_client_or_a_bad_line_is_not() {
        let nf = "EntityNotFoundException";
        assert!(refuses_a_setting(&raynet("PUT", 404, nf, "Entity [currency] with id [2] not found")));
        assert!(refuses_a_setting(&raynet(
            "POST",
            500,
            nf,
            "Entity [businessCasePhase] with id [9] not found"
        )));
        assert!(refuses_a_setting(&raynet("PUT", 404, nf, "Entity [person] with id [12] not found")));
        assert!(refuses_a_setting(&EngineError::CurrencyMissing { iso: "EUR".into() }));
        assert!(!refuses_a_setting(&EngineError::Config("engine not prepared".into())));
        assert!(!refuses_a_setting(&raynet("PUT", 404, nf, "Entity [company] with id [101] not found")));
        assert!(!refuses_a_setting(&raynet("GET", 404, nf, "Entity [currency] with id [2] not found")));
        assert!(!refuses_a_setting(&raynet(
            "PUT",
            400,
            "ValidationException",
            "items[0].price: must be a number"
        )));
    }
}
