//! The guided setup: a step state machine over a draft; nothing is written before review.

pub mod build;
mod fields;
mod flow;
mod hooks;
pub mod render;
pub mod step;
pub mod validate;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use secrecy::{ExposeSecret, SecretString};
use tui_input::Input;

use crate::config::{self, Config};
use crate::tui::action::Effect;
use crate::tui::format;
use crate::tui::i18n::Texts;
use crate::tui::keymap::WizardMode;
use crate::tui::probe::{Choice, RaynetFacts, ShoptetFacts};
pub use hooks::WebhookState;
pub use step::Step;
use validate::Field;

/// A live connection test and its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestState<T> {
    NotRun,
    Running,
    Ok(T),
    Failed(String),
}

impl<T> TestState<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            TestState::Ok(v) => Some(v),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    Idle,
    Saving,
    Failed(String),
}

/// What the app must do after a wizard update.
#[derive(Debug)]
pub enum Outcome {
    None,
    Effect(Effect),
    /// Leave the wizard (only possible when a config exists); the app asks first when
    /// something was changed.
    Cancel,
}

/// Why the wizard is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// No configuration yet: every step in turn.
    FirstRun,
    /// Every step in turn over an existing configuration (`setup`, or the Config file row).
    Walk,
    /// One setting from the Configuration pane: its step, then review. Connection steps are
    /// tested first, and a step that needs a service's lists tests that service first.
    Edit { target: Step },
}

pub struct Wizard {
    pub step: Step,
    pub focus: usize,
    pub shoptet_url: Input,
    pub shoptet_token: Input,
    pub raynet_url: Input,
    pub instance: Input,
    pub username: Input,
    pub api_key: Input,
    pub start: Input,
    pub listen: Input,
    pub public_url: Input,
    pub webhook_enabled: bool,
    /// Fetch a new signature key on save even though one is stored.
    pub renew_key: bool,
    /// A signature key fetched by this setup (goes into the saved file; never shown).
    signature_key: Option<SecretString>,
    /// The webhook setup that runs when the review is confirmed.
    pub webhooks: WebhookState,
    /// Addon OAuth access token instead of a private API token.
    pub addon: bool,
    pub eshop_url: Input,
    pub poll: Input,
    pub name_template: Input,
    /// The start date was set by a person (first run: it follows the shop's zone until then).
    start_touched: bool,
    /// The start field was typed into (otherwise an existing `enabled_at` is kept exactly).
    start_edited: bool,
    pub shoptet: TestState<ShoptetFacts>,
    pub raynet: TestState<RaynetFacts>,
    pub final_statuses: Vec<i64>,
    pub owner: Option<i64>,
    pub phase: Option<i64>,
    pub source: Option<i64>,
    pub category: Option<i64>,
    pub cancelled_statuses: Vec<i64>,
    pub cancelled_phase: Option<i64>,
    pub purpose: Purpose,
    pub cursor: usize,
    pub review_scroll: u16,
    /// Field to focus when the step opens (editing one setting of a form).
    pending_focus: Option<usize>,
    /// Shown under a list when Enter was refused (e.g. no final status chosen).
    pub list_problem: Option<&'static str>,
    pub save: SaveState,
    pub base: Option<Config>,
    saving: Option<Config>,
}

impl Wizard {
    /// A draft prefilled from `base` (editing) or with defaults (first run).
    pub fn new(base: Option<&Config>, now: DateTime<Utc>) -> Wizard {
        let s = |v: &str| Input::new(v.to_string());
        let start_default = now.format("%Y-%m-%d %H:%M").to_string();
        let defaults = build::default_sync();
        let sync = base.map(|c| &c.sync).or(defaults.as_ref());
        let mut w = Wizard {
            step: Step::ShoptetConn,
            focus: 0,
            shoptet_url: s(&config::default_shoptet_url()),
            shoptet_token: s(""),
            raynet_url: s(&config::default_raynet_url()),
            instance: s(""),
            username: s(""),
            api_key: s(""),
            start: s(&start_default),
            listen: s("0.0.0.0:8080"),
            public_url: s(""),
            webhook_enabled: false,
            renew_key: false,
            signature_key: None,
            webhooks: WebhookState::NotRun,
            addon: false,
            eshop_url: s(""),
            poll: s(&sync.map_or(300, |c| c.poll_interval_secs).to_string()),
            name_template: s(sync.map_or("Objednávka {code}", |c| c.name_template.as_str())),
            start_touched: false,
            start_edited: false,
            shoptet: TestState::NotRun,
            raynet: TestState::NotRun,
            final_statuses: Vec::new(),
            owner: None,
            phase: None,
            source: None,
            category: None,
            cancelled_statuses: sync.map(|c| c.cancelled_status_ids.clone()).unwrap_or_default(),
            cancelled_phase: sync.and_then(|c| c.cancelled_phase_id),
            purpose: Purpose::FirstRun,
            cursor: 0,
            review_scroll: 0,
            pending_focus: None,
            list_problem: None,
            save: SaveState::Idle,
            base: None,
            saving: None,
        };
        if let Some(c) = base {
            w.shoptet_url = s(&c.shoptet.base_url);
            w.shoptet_token = s(c.shoptet.api_token.expose_secret());
            w.raynet_url = s(&c.raynet.base_url);
            w.instance = s(&c.raynet.instance);
            w.username = s(&c.raynet.username);
            w.api_key = s(c.raynet.api_key.expose_secret());
            w.start = s(&c.sync.enabled_at.format("%Y-%m-%d %H:%M").to_string());
            w.listen = s(c.webhook.listen.as_deref().unwrap_or("0.0.0.0:8080"));
            w.public_url = s(c.webhook.public_url.as_deref().unwrap_or(""));
            w.webhook_enabled = c.webhook.enabled;
            w.addon = c.shoptet.auth == config::ShoptetAuth::Addon;
            w.eshop_url = s(c.shoptet.eshop_url.as_deref().unwrap_or(""));
            w.start_touched = true;
            w.final_statuses = c.sync.final_status_ids.clone();
            w.owner = Some(c.sync.default_owner_id);
            w.phase = Some(c.sync.business_case_phase_id);
            w.source = Some(c.sync.source_id);
            w.category = c.sync.category_id;
            w.purpose = Purpose::Walk;
            w.base = Some(c.clone());
        }
        w
    }

    /// An editor for one setting of `base`: opens `step` (through the connection test that
    /// provides its lists, when they are not known yet) with `focus` on the setting's field.
    pub fn edit(
        base: &Config,
        now: DateTime<Utc>,
        step: Step,
        focus: usize,
        shoptet: Option<ShoptetFacts>,
        raynet: Option<RaynetFacts>,
    ) -> Wizard {
        let mut w = Wizard::new(Some(base), now);
        w.shoptet_facts_known(shoptet);
        w.raynet_facts_known(raynet);
        w.purpose = Purpose::Edit { target: step };
        w.jump_to(step);
        w.pending_focus = (w.step == step).then_some(focus);
        w
    }

    /// True while one setting is edited from Configuration.
    pub fn editing(&self) -> bool {
        matches!(self.purpose, Purpose::Edit { .. })
    }

    /// Esc leaves the wizard here (rather than going back a step).
    pub fn esc_leaves(&self) -> bool {
        self.editing() || (self.purpose == Purpose::Walk && self.step == Step::ShoptetConn)
    }

    /// Whether the draft differs from the configuration it started from (always true on a
    /// first run). Leaving with changes asks first.
    pub fn changed(&self) -> bool {
        let Some(base) = &self.base else { return true };
        match build::config(self) {
            Ok(cfg) => !build::same(&cfg, base),
            Err(_) => true,
        }
    }

    pub fn shoptet_facts(&self) -> Option<&ShoptetFacts> {
        self.shoptet.ok()
    }

    pub fn raynet_facts(&self) -> Option<&RaynetFacts> {
        self.raynet.ok()
    }

    /// Lists already fetched elsewhere (the Configuration pane's name lookup).
    pub fn shoptet_facts_known(&mut self, facts: Option<ShoptetFacts>) {
        if let Some(f) = facts {
            self.shoptet = TestState::Ok(f);
        }
    }

    pub fn raynet_facts_known(&mut self, facts: Option<RaynetFacts>) {
        if let Some(f) = facts {
            self.raynet = TestState::Ok(f);
        }
    }

    /// Opens `step` directly (from Configuration); steps that need lists fall back to
    /// the connection step that provides them.
    pub fn jump_to(&mut self, step: Step) {
        let needs_shop = matches!(step, Step::FinalStatuses | Step::StartDate | Step::CancelledStatuses);
        let needs_crm =
            matches!(step, Step::Owner | Step::Phase | Step::Source | Step::Category | Step::CancelledPhase);
        self.step = if needs_shop && self.shoptet.ok().is_none() {
            Step::ShoptetConn
        } else if needs_crm && self.raynet.ok().is_none() {
            Step::RaynetConn
        } else {
            step
        };
    }

    pub fn tz(&self) -> Tz {
        format::zone(self.shoptet.ok().map(|f| f.timezone.as_str()))
    }

    pub fn mode(&self) -> WizardMode {
        match self.step {
            Step::ShoptetConn | Step::RaynetConn | Step::StartDate | Step::Webhook | Step::Options => {
                WizardMode::Form {
                    on_toggle: matches!(
                        self.focused_field(),
                        Some(Field::WebhookEnabled | Field::ShoptetAddon | Field::RenewKey)
                    ),
                }
            }
            Step::ShoptetTest => WizardMode::Test {
                running: self.shoptet == TestState::Running,
                ok: self.shoptet.ok().is_some(),
            },
            Step::RaynetTest => WizardMode::Test {
                running: self.raynet == TestState::Running,
                ok: self.raynet.ok().is_some(),
            },
            Step::FinalStatuses | Step::CancelledStatuses => WizardMode::List { multi: true },
            Step::Owner | Step::Phase | Step::Source | Step::Category | Step::CancelledPhase => {
                WizardMode::List { multi: false }
            }
            Step::Review => WizardMode::Review,
        }
    }

    pub fn focused_field(&self) -> Option<Field> {
        self.step.fields().get(self.focus).copied()
    }

    /// The choices the current list step offers (Category starts with "none").
    pub fn choices(&self) -> Vec<Choice> {
        let crm = self.raynet.ok();
        match self.step {
            Step::FinalStatuses => self.shoptet.ok().map(|s| s.statuses.clone()).unwrap_or_default(),
            Step::Owner => crm.map(|r| r.users.clone()).unwrap_or_default(),
            Step::Phase => crm.map(|r| r.phases.clone()).unwrap_or_default(),
            Step::Source => crm.map(|r| r.sources.clone()).unwrap_or_default(),
            Step::Category => crm.map(|r| r.categories.clone()).unwrap_or_default(),
            Step::CancelledStatuses => self.shoptet.ok().map(|s| s.statuses.clone()).unwrap_or_default(),
            Step::CancelledPhase => crm.map(|r| r.phases.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The value a single-choice list step holds now.
    pub fn single_choice(&self, step: Step) -> Option<i64> {
        match step {
            Step::Owner => self.owner,
            Step::Phase => self.phase,
            Step::Source => self.source,
            Step::Category => self.category,
            Step::CancelledPhase => self.cancelled_phase,
            _ => None,
        }
    }

    /// The id the list's cursor is on (None on a "none" entry or an empty list).
    pub fn choice_at_cursor(&self) -> Option<i64> {
        let i = if self.step.has_none_option() { self.cursor.checked_sub(1)? } else { self.cursor };
        self.choices().get(i).map(|c| c.id)
    }

    /// "Step 3 of 12: RAYNET connection".
    pub fn progress_line(&self, t: &'static Texts) -> String {
        match self.purpose {
            Purpose::Edit { target } => format!("{}: {}", t.editing, target.title(t)),
            _ => format!("{} {}/{}: {}", t.step, self.step.index() + 1, Step::ALL.len(), self.step.title(t)),
        }
    }
}
