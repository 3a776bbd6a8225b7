//! The webhook part of saving: confirming the review first sets up our webhooks at Shoptet
//! (register or move them to the public URL, or remove them when turned off; fetch a
//! signature key when none is stored or asked for), then saves the file with the key in it.
//! A refusal keeps the review open with the reason and what to do; nothing is saved then.

use secrecy::SecretString;

use crate::config::Config;
use crate::tui::action::Effect;
use crate::tui::probe::ShoptetAccess;
use crate::tui::wizard::{Outcome, Purpose, Step, Wizard, build};
use crate::webhooks::{Desired, Job, Report, SetupError};

/// Where the webhook setup of this wizard stands.
#[derive(Debug, Clone, Default)]
pub enum WebhookState {
    #[default]
    NotRun,
    Running,
    /// Done for this wish (a later change of the webhook settings runs it again).
    Done {
        desired: Desired,
        report: Report,
    },
    Failed(SetupError),
}

impl Wizard {
    /// Whether a signature key is stored (or was fetched by this setup).
    pub fn key_stored(&self) -> bool {
        self.signature_key.is_some() || self.base.as_ref().is_some_and(|c| c.webhook.signature_key.is_some())
    }

    /// What the webhook setup did, once it ran.
    pub fn webhook_report(&self) -> Option<(&Report, Option<&str>)> {
        match &self.webhooks {
            WebhookState::Done { desired, report } => {
                let url = match desired {
                    Desired::On { url, .. } => Some(url.as_str()),
                    Desired::Off { .. } => None,
                };
                Some((report, url))
            }
            _ => None,
        }
    }

    /// Enter on the review: the webhook setup when one is due, else the save.
    pub(super) fn confirm(&mut self) -> Outcome {
        if matches!(self.webhooks, WebhookState::Running) {
            // Enter again while Shoptet answers: one setup at a time.
            return Outcome::None;
        }
        let cfg = match build::config(self) {
            Ok(cfg) => cfg,
            Err(_) => return self.save(),
        };
        let Some(job) = self.webhook_job(&cfg) else { return self.save() };
        if let WebhookState::Done { desired, .. } = &self.webhooks
            && *desired == job.desired
            && !job.renew_key
        {
            return self.save();
        }
        self.webhooks = WebhookState::Running;
        Outcome::Effect(Effect::SetUpWebhooks { shop: self.shoptet_access(), job })
    }

    /// The webhook setup's result: a fetched key joins the draft and the file is saved; a
    /// refusal stays on the review.
    pub fn webhooks_set_up(&mut self, r: Result<Report, SetupError>) -> Outcome {
        if !matches!(self.webhooks, WebhookState::Running) {
            return Outcome::None;
        }
        let desired = match build::config(self).ok().and_then(|cfg| self.webhook_job(&cfg)) {
            Some(job) => job.desired,
            None => return Outcome::None,
        };
        match r {
            Ok(report) => {
                if let Some(key) = &report.key {
                    self.signature_key = Some(key.clone());
                    self.renew_key = false;
                }
                self.webhooks = WebhookState::Done { desired, report };
                self.save()
            }
            Err(e) => {
                self.webhooks = WebhookState::Failed(e);
                Outcome::None
            }
        }
    }

    /// What the setup must do at Shoptet for `cfg`: only when the webhook settings are part
    /// of this run (a whole walk, or editing the Webhook row) and webhooks are or were on.
    fn webhook_job(&self, cfg: &Config) -> Option<Job> {
        if matches!(self.purpose, Purpose::Edit { target } if target != Step::Webhook) {
            return None;
        }
        let old_url = self.base.as_ref().and_then(|b| b.webhook.public_url.clone());
        if cfg.webhook.enabled {
            let url = cfg.webhook.public_url.clone()?;
            let previous = old_url.filter(|u| *u != url).into_iter().collect();
            let renew_key = self.renew_key || cfg.webhook.signature_key.is_none();
            return Some(Job { desired: Desired::On { url, previous }, renew_key });
        }
        let was_on = self.base.as_ref().is_some_and(|b| b.webhook.enabled);
        let ours: Vec<String> = old_url.into_iter().collect();
        (was_on && !ours.is_empty()).then_some(Job { desired: Desired::Off { ours }, renew_key: false })
    }

    fn shoptet_access(&self) -> ShoptetAccess {
        ShoptetAccess {
            base_url: self.shoptet_url.value().trim().trim_end_matches('/').to_string(),
            token: SecretString::from(self.shoptet_token.value().trim().to_string()),
            addon_eshop_url: self.addon.then(|| self.eshop_url.value().trim().to_string()),
        }
    }
}
