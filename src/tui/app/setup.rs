//! The glue between the dashboard and the setup wizard: opening it from Configuration, the
//! connection tests' and the save's results, and leaving it.

use crate::tui::action::{Action, Effect, Pane};
use crate::tui::app::{App, Popup};
use crate::tui::i18n::doctor;
use crate::tui::wizard::{Outcome, Step, Wizard};

/// "Saved." followed by what the webhook setup did, when it ran.
fn with_hooks(text: &str, hooks: Option<String>) -> String {
    let Some(h) = hooks else { return text.to_string() };
    let mut chars = h.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    format!("{text} {first}{}.", chars.as_str())
}

impl App {
    /// `e` on Configuration: edit the selected setting, or walk the whole setup.
    pub(super) fn edit_config(&mut self) {
        let w = match (&self.config, self.config_pane.selected_target()) {
            (Some(cfg), Some((step, focus))) => Wizard::edit(
                cfg,
                self.now,
                step,
                focus,
                self.names.shoptet().cloned(),
                self.names.raynet().cloned(),
            ),
            (cfg, _) => {
                let mut w = Wizard::new(cfg.as_ref(), self.now);
                w.shoptet_facts_known(self.names.shoptet().cloned());
                w.raynet_facts_known(self.names.raynet().cloned());
                w
            }
        };
        self.start_wizard_step(w);
    }

    /// Names resolved, a connection test's or the save's result, a wizard key.
    pub(super) fn on_setup_news(&mut self, action: Action) {
        match action {
            Action::NamesResolved { shoptet, raynet } => {
                self.names.resolving = false;
                self.names.shoptet = shoptet.or(self.names.shoptet.take());
                self.names.raynet = raynet.or(self.names.raynet.take());
            }
            Action::ShoptetTested(r) => {
                if let Some(w) = &mut self.wizard {
                    w.shoptet_tested(r);
                }
            }
            Action::RaynetTested(r) => {
                if let Some(w) = &mut self.wizard {
                    w.raynet_tested(r);
                }
            }
            Action::Saved(r) => self.on_saved(r),
            Action::WebhooksSetUp(r) => {
                if let Some(w) = &mut self.wizard {
                    let out = w.webhooks_set_up(r);
                    self.on_wizard_outcome(out);
                }
            }
            Action::Wizard(wa) => {
                if let Some(w) = &mut self.wizard {
                    let out = w.update(wa, self.t);
                    self.on_wizard_outcome(out);
                }
            }
            _ => {}
        }
    }

    /// Closes the wizard without saving (after `setup`, that ends the program).
    pub(super) fn leave_wizard(&mut self) {
        if self.config.is_none() {
            return;
        }
        self.wizard = None;
        if self.setup {
            self.quit = true;
        }
        self.refresh();
    }

    fn start_wizard_step(&mut self, mut w: Wizard) {
        let out = w.enter();
        self.wizard = Some(w);
        self.on_wizard_outcome(out);
    }

    fn on_wizard_outcome(&mut self, out: Outcome) {
        match out {
            Outcome::None => {}
            Outcome::Effect(e) => self.effects.push(e),
            Outcome::Cancel => {
                if self.config.is_none() {
                    return;
                }
                if self.wizard.as_ref().is_some_and(Wizard::changed) {
                    self.popups.push(Popup::ConfirmDiscard);
                } else {
                    let reviewed = self.wizard.as_ref().is_some_and(|w| w.step == Step::Review);
                    let hooks = self.webhooks_done();
                    self.leave_wizard();
                    if reviewed {
                        self.flash = Some(with_hooks(self.t.nothing_changed, hooks));
                    }
                }
            }
        }
    }

    /// What the wizard's webhook setup did, in the user's language.
    fn webhooks_done(&self) -> Option<String> {
        let (report, url) = self.wizard.as_ref()?.webhook_report()?;
        Some(doctor::setup_done(self.lang, report, url))
    }

    /// `d` on Configuration: the doctor's checks of the configuration in force, in the pane.
    pub(super) fn run_checks(&mut self) {
        let Some(cfg) = &self.config else { return };
        self.config_pane.checks_started();
        self.effects.push(Effect::RunChecks(Box::new(cfg.clone())));
    }

    fn on_saved(&mut self, r: Result<(), String>) {
        let Some(w) = &mut self.wizard else {
            return;
        };
        match r {
            Ok(()) => {
                let hooks = self.webhooks_done();
                let Some(w) = &mut self.wizard else { return };
                let saved = w.saved_config();
                let edited = w.editing();
                if let Some(f) = w.shoptet_facts() {
                    self.names.shoptet = Some(Ok(f.clone()));
                }
                if let Some(f) = w.raynet_facts() {
                    self.names.raynet = Some(Ok(f.clone()));
                }
                self.wizard = None;
                self.setup = false;
                if let Some(cfg) = saved {
                    self.config = Some(cfg);
                }
                self.pane = if edited { Pane::Configuration } else { Pane::Overview };
                self.flash = Some(with_hooks(self.t.saved, hooks));
                self.refresh();
            }
            Err(e) => w.save_failed(e),
        }
    }
}
