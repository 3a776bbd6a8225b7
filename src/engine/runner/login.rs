//! Login guard: loading the context, remembering rejected credentials so they are not tried again for an hour.

use crate::http::{ErrorKind, Service};
use crate::store::{Activity, LoginBlock};

use super::super::EngineError;
use super::super::api::{AuthIssue, EngineState};
use super::Engine;

impl Engine {
    /// Loads (once) what the engine needs to know about the shop and the CRM.
    pub async fn prepare(&mut self) -> Result<(), EngineError> {
        if self.ctx.is_some() {
            return Ok(());
        }
        // Credentials rejected recently are not tried again (each try is a failed login, and
        // RAYNET blocks an address after 20): not until they change, or an hour has passed.
        for service in [Service::Shoptet, Service::Raynet] {
            if let Some(e) = self.login_block(service)? {
                let err = EngineError::from(e);
                self.note_fatal(&err);
                return Err(err);
            }
        }
        match self.load_context().await {
            Ok(ctx) => {
                self.ctx = Some(ctx);
                Ok(())
            }
            Err(e) => {
                self.note_fatal(&e);
                Err(e)
            }
        }
    }

    pub(super) fn note_fatal(&mut self, e: &EngineError) {
        match e {
            EngineError::Api(api) if api.kind == ErrorKind::Auth => {
                if api.status.is_some() {
                    let block = LoginBlock {
                        fingerprint: self.credentials_fingerprint(api.service),
                        at: self.now(),
                        message: api.message.clone(),
                    };
                    let _ = self.store.set_login_block(service_key(api.service), &block);
                    let _ = self.store.audit(None, &Activity::LoginBlocked { service: api.service });
                }
                let problem = self.auth_issue(api);
                self.auth_problem = Some((api.service, problem.clone()));
                self.set_state(EngineState::AuthProblem { service: api.service, problem });
            }
            EngineError::Config(problem) => {
                self.config_problem = Some(problem.clone());
                self.set_state(EngineState::ConfigProblem { problem: problem.clone() });
            }
            _ => {}
        }
    }

    /// What the refusal `api` says: sent now and refused, or not sent (refused within the hour).
    fn auth_issue(&self, api: &crate::http::ApiError) -> AuthIssue {
        let block = self.store.login_block(service_key(api.service)).ok().flatten();
        match (api.status, block) {
            (None, Some(b)) => AuthIssue::Blocked { at: b.at, said: b.message },
            (status, _) => AuthIssue::Rejected { status, said: api.message.clone() },
        }
    }

    /// A hash of the configured credentials of a service (never the secret itself).
    pub(super) fn credentials_fingerprint(&self, service: Service) -> String {
        use secrecy::ExposeSecret;
        use sha1::{Digest, Sha1};
        let mut h = Sha1::new();
        match service {
            Service::Shoptet => {
                h.update(self.config.shoptet.base_url.as_bytes());
                h.update(self.config.shoptet.api_token.expose_secret().as_bytes());
            }
            Service::Raynet => {
                h.update(self.config.raynet.instance.as_bytes());
                h.update(self.config.raynet.username.as_bytes());
                h.update(self.config.raynet.api_key.expose_secret().as_bytes());
            }
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The remembered rejection of the current credentials, if it is recent.
    pub(super) fn login_block(
        &mut self,
        service: Service,
    ) -> Result<Option<crate::http::ApiError>, EngineError> {
        let key = service_key(service);
        // An unreadable record counts as none (it is dropped below).
        let block = self.store.login_block(key).ok().flatten();
        let same = block.as_ref().is_some_and(|b| b.fingerprint == self.credentials_fingerprint(service));
        match block.map(|b| (b.at, b.message)) {
            Some((at, message)) if same && self.now() - at < chrono::Duration::hours(1) => {
                Ok(Some(crate::http::ApiError {
                    service,
                    method: "—".into(),
                    path: "(not sent)".into(),
                    status: None,
                    kind: ErrorKind::Auth,
                    code: None,
                    message: format!(
                        "these credentials were rejected at {} ({}); fix them in the configuration — they are not tried again for an hour, so {service} does not block this address",
                        at.format("%Y-%m-%d %H:%M UTC"),
                        message
                    ),
                    retry_after: Some(at + chrono::Duration::hours(1)),
                    body_excerpt: None,
                }))
            }
            _ => {
                self.store.clear_login_block(key)?;
                Ok(None)
            }
        }
    }
}

fn service_key(s: Service) -> &'static str {
    match s {
        Service::Shoptet => "shoptet",
        Service::Raynet => "raynet",
    }
}
