//! Moving through the wizard: opening a step, the tests' results, the keys, and save.

use chrono_tz::Tz;
use secrecy::SecretString;
use tui_input::Input;

use crate::config::Config;
use crate::tui::action::{Effect, WizardAction};
use crate::tui::format;
use crate::tui::i18n::Texts;
use crate::tui::probe::{RaynetFacts, ShoptetFacts};
use crate::tui::wizard::validate::{self, Field};
use crate::tui::wizard::{Outcome, Purpose, SaveState, Step, TestState, Wizard, build};

impl Wizard {
    /// Work to start when a step opens (the connection tests).
    pub fn enter(&mut self) -> Outcome {
        self.focus = self.pending_focus.take().unwrap_or(0);
        self.list_problem = None;
        self.review_scroll = 0;
        let choices = self.choices();
        let selected = match self.step {
            Step::FinalStatuses => self.final_statuses.first().copied(),
            Step::CancelledStatuses => self.cancelled_statuses.first().copied(),
            s => self.single_choice(s),
        };
        let none = usize::from(self.step.has_none_option());
        self.cursor = selected.and_then(|id| choices.iter().position(|c| c.id == id)).map_or(0, |i| i + none);
        match self.step {
            Step::ShoptetTest => {
                self.shoptet = TestState::Running;
                Outcome::Effect(Effect::TestShoptet {
                    base_url: self.shoptet_url.value().trim().trim_end_matches('/').to_string(),
                    token: SecretString::from(self.shoptet_token.value().trim().to_string()),
                    addon_eshop_url: self.addon.then(|| self.eshop_url.value().trim().to_string()),
                })
            }
            Step::RaynetTest => {
                self.raynet = TestState::Running;
                Outcome::Effect(Effect::TestRaynet {
                    base_url: self.raynet_url.value().trim().trim_end_matches('/').to_string(),
                    instance: self.instance.value().trim().to_string(),
                    username: self.username.value().trim().to_string(),
                    api_key: SecretString::from(self.api_key.value().trim().to_string()),
                })
            }
            _ => Outcome::None,
        }
    }

    pub fn shoptet_tested(&mut self, r: Result<ShoptetFacts, String>) {
        self.shoptet = match r {
            Ok(f) => {
                if self.final_statuses.is_empty() {
                    let default = if f.statuses.iter().any(|s| s.id == -3) {
                        Some(-3)
                    } else {
                        f.statuses.first().map(|s| s.id)
                    };
                    self.final_statuses.extend(default);
                }
                if !self.start_touched {
                    let tz = format::zone(Some(&f.timezone));
                    if let Some(dt) = validate::parse_start(self.start.value(), Tz::UTC) {
                        let local = dt.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
                        self.start = Input::new(local);
                    }
                }
                TestState::Ok(f)
            }
            Err(e) => TestState::Failed(e),
        };
    }

    pub fn raynet_tested(&mut self, r: Result<RaynetFacts, String>) {
        self.raynet = match r {
            Ok(f) => TestState::Ok(f),
            Err(e) => TestState::Failed(e),
        };
    }

    /// Writes the draft: `Effect::Save`, or, over an existing configuration with nothing
    /// changed, nothing (leaving the wizard).
    pub(super) fn save(&mut self) -> Outcome {
        if self.base.is_some() && !self.changed() {
            return Outcome::Cancel;
        }
        match build::config(self) {
            Ok(cfg) => {
                self.save = SaveState::Saving;
                self.saving = Some(cfg.clone());
                Outcome::Effect(Effect::Save(Box::new(cfg)))
            }
            Err(e) => {
                self.save = SaveState::Failed(e);
                Outcome::None
            }
        }
    }

    pub fn save_failed(&mut self, e: String) {
        self.saving = None;
        self.save = SaveState::Failed(e);
    }

    /// The configuration that was handed to save, once it succeeded.
    pub fn saved_config(&mut self) -> Option<Config> {
        self.saving.take()
    }

    fn go(&mut self, step: Step) -> Outcome {
        self.step = step;
        self.enter()
    }

    /// The step after `from` once it is done.
    fn after(&self, from: Step) -> Step {
        let Purpose::Edit { target } = self.purpose else {
            return from.next();
        };
        match from {
            Step::ShoptetConn => Step::ShoptetTest,
            Step::RaynetConn => Step::RaynetTest,
            Step::ShoptetTest if target == Step::ShoptetConn => Step::Review,
            Step::RaynetTest if target == Step::RaynetConn => Step::Review,
            // A detour that fetched the lists the setting needs: now the setting itself.
            Step::ShoptetTest | Step::RaynetTest => target,
            _ => Step::Review,
        }
    }

    pub fn update(&mut self, action: WizardAction, t: &'static Texts) -> Outcome {
        match action {
            WizardAction::Back if self.editing() => Outcome::Cancel,
            WizardAction::Back => match self.step {
                Step::ShoptetTest => self.go(Step::ShoptetConn),
                Step::RaynetTest => self.go(Step::RaynetConn),
                Step::ShoptetConn => Outcome::Cancel,
                s => match s.prev() {
                    Some(p) if matches!(p, Step::ShoptetTest | Step::RaynetTest) => {
                        // Do not re-run a test just by walking back over it.
                        self.step = p;
                        Outcome::None
                    }
                    Some(p) => self.go(p),
                    None => Outcome::Cancel,
                },
            },
            WizardAction::Edit => match (self.step, self.purpose) {
                (Step::ShoptetTest, _) => self.go(Step::ShoptetConn),
                (Step::RaynetTest, _) => self.go(Step::RaynetConn),
                (Step::Review, Purpose::Edit { target }) => self.go(target),
                _ => Outcome::None,
            },
            WizardAction::NextField | WizardAction::Down => {
                let n = self.step.fields().len();
                if n > 0 {
                    self.focus = (self.focus + 1) % n;
                } else {
                    self.move_cursor(1);
                }
                Outcome::None
            }
            WizardAction::PrevField | WizardAction::Up => {
                let n = self.step.fields().len();
                if n > 0 {
                    self.focus = (self.focus + n - 1) % n;
                } else {
                    self.move_cursor(-1);
                }
                Outcome::None
            }
            WizardAction::PageDown => {
                self.move_cursor(10);
                Outcome::None
            }
            WizardAction::PageUp => {
                self.move_cursor(-10);
                Outcome::None
            }
            WizardAction::Toggle => {
                self.toggle(t);
                Outcome::None
            }
            WizardAction::RetryTest => self.enter(),
            WizardAction::Next => self.next(t),
        }
    }

    /// Space: flips the focused switch, or ticks the list entry under the cursor.
    fn toggle(&mut self, t: &'static Texts) {
        if self.focused_field() == Some(Field::ShoptetAddon) {
            self.addon ^= true;
        } else if self.focused_field() == Some(Field::RenewKey) {
            // Without a stored key one is fetched anyway; there is nothing to choose.
            self.renew_key = self.key_stored() && !self.renew_key;
        } else if self.step == Step::Webhook {
            self.webhook_enabled ^= true;
        } else if self.step.is_multi()
            && let Some(id) = self.choices().get(self.cursor).map(|c| c.id)
        {
            self.list_problem = None;
            if self.step == Step::FinalStatuses {
                if let Some(i) = self.final_statuses.iter().position(|x| *x == id) {
                    self.final_statuses.remove(i);
                } else {
                    // A status is final or cancelled, never both (the file would be refused).
                    self.final_statuses.push(id);
                    self.cancelled_statuses.retain(|x| *x != id);
                }
            } else if let Some(i) = self.cancelled_statuses.iter().position(|x| *x == id) {
                self.cancelled_statuses.remove(i);
            } else if self.final_statuses.contains(&id) {
                self.list_problem = Some(t.err_final_and_cancelled);
            } else {
                self.cancelled_statuses.push(id);
            }
        }
    }

    fn move_cursor(&mut self, delta: i64) {
        if self.step == Step::Review {
            self.review_scroll = (i64::from(self.review_scroll) + delta).clamp(0, 500) as u16;
            return;
        }
        let n = self.choices().len() as i64 + i64::from(self.step.has_none_option());
        self.cursor = (self.cursor as i64 + delta).clamp(0, (n - 1).max(0)) as usize;
    }

    fn next(&mut self, t: &'static Texts) -> Outcome {
        let fields = self.step.fields();
        if let Some(i) = fields.iter().position(|f| self.problem(*f, t).is_some()) {
            self.focus = i;
            return Outcome::None;
        }
        let picked = self.choice_at_cursor();
        match self.step {
            Step::ShoptetTest if self.shoptet.ok().is_none() => return Outcome::None,
            Step::RaynetTest if self.raynet.ok().is_none() => return Outcome::None,
            Step::FinalStatuses if self.final_statuses.is_empty() => {
                self.list_problem = Some(t.err_pick_one);
                return Outcome::None;
            }
            Step::CancelledStatuses
                if self.final_statuses.iter().any(|id| self.cancelled_statuses.contains(id)) =>
            {
                self.list_problem = Some(t.err_final_and_cancelled);
                return Outcome::None;
            }
            Step::Owner | Step::Phase | Step::Source if picked.is_none() => {
                self.list_problem = Some(t.err_pick_one);
                return Outcome::None;
            }
            Step::Owner => self.owner = picked,
            Step::Phase => self.phase = picked,
            Step::Source => self.source = picked,
            Step::Category => self.category = picked,
            Step::CancelledPhase => self.cancelled_phase = picked,
            Step::Review => return self.confirm(),
            _ => {}
        }
        self.go(self.after(self.step))
    }
}
