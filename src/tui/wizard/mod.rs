//! The guided setup: a step state machine over a draft; nothing is written before review.

pub mod build;
pub mod render;
pub mod validate;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use crossterm::event::Event;
use secrecy::{ExposeSecret, SecretString};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::config::{self, Config};
use crate::tui::action::WizardAction;
use crate::tui::app::Effect;
use crate::tui::format;
use crate::tui::i18n::Texts;
use crate::tui::keymap::WizardMode;
use crate::tui::probe::{Choice, RaynetFacts, ShoptetFacts};
use validate::Field;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    ShoptetConn,
    ShoptetTest,
    RaynetConn,
    RaynetTest,
    FinalStatuses,
    Owner,
    Phase,
    Source,
    Category,
    StartDate,
    Webhook,
    Review,
    /// Poll interval and business-case name (edited from Configuration; defaults on first run).
    Options,
    /// Shoptet statuses that mean "cancelled" (may be none).
    CancelledStatuses,
    /// Phase a synced case moves to when its order is cancelled (or none).
    CancelledPhase,
}

impl Step {
    pub const ALL: [Step; 12] = [
        Step::ShoptetConn,
        Step::ShoptetTest,
        Step::RaynetConn,
        Step::RaynetTest,
        Step::FinalStatuses,
        Step::Owner,
        Step::Phase,
        Step::Source,
        Step::Category,
        Step::StartDate,
        Step::Webhook,
        Step::Review,
    ];

    /// Settings the guided walk leaves at their defaults; they are edited from Configuration.
    pub const EXTRA: [Step; 3] = [Step::Options, Step::CancelledStatuses, Step::CancelledPhase];

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    fn next(self) -> Step {
        Step::ALL.get(self.index() + 1).copied().unwrap_or(Step::Review)
    }

    fn prev(self) -> Option<Step> {
        self.index().checked_sub(1).map(|i| Step::ALL[i])
    }

    /// Lists that offer "none" as their first entry.
    pub fn has_none_option(self) -> bool {
        matches!(self, Step::Category | Step::CancelledPhase)
    }

    /// Lists where several entries can be ticked.
    pub fn is_multi(self) -> bool {
        matches!(self, Step::FinalStatuses | Step::CancelledStatuses)
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Step::ShoptetConn => {
                &[Field::ShoptetUrl, Field::ShoptetToken, Field::ShoptetAddon, Field::EshopUrl]
            }
            Step::RaynetConn => &[Field::RaynetUrl, Field::Instance, Field::Username, Field::ApiKey],
            Step::StartDate => &[Field::Start],
            Step::Webhook => &[Field::WebhookEnabled, Field::Listen, Field::PublicUrl],
            Step::Options => &[Field::PollInterval, Field::NameTemplate],
            _ => &[],
        }
    }
}

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
                        Some(Field::WebhookEnabled | Field::ShoptetAddon)
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

    pub fn input_of(&self, field: Field) -> Option<&Input> {
        Some(match field {
            Field::ShoptetUrl => &self.shoptet_url,
            Field::ShoptetToken => &self.shoptet_token,
            Field::RaynetUrl => &self.raynet_url,
            Field::Instance => &self.instance,
            Field::Username => &self.username,
            Field::ApiKey => &self.api_key,
            Field::Start => &self.start,
            Field::Listen => &self.listen,
            Field::PublicUrl => &self.public_url,
            Field::EshopUrl => &self.eshop_url,
            Field::PollInterval => &self.poll,
            Field::NameTemplate => &self.name_template,
            Field::WebhookEnabled | Field::ShoptetAddon => return None,
        })
    }

    fn input_mut(&mut self, field: Field) -> Option<&mut Input> {
        Some(match field {
            Field::ShoptetUrl => &mut self.shoptet_url,
            Field::ShoptetToken => &mut self.shoptet_token,
            Field::RaynetUrl => &mut self.raynet_url,
            Field::Instance => &mut self.instance,
            Field::Username => &mut self.username,
            Field::ApiKey => &mut self.api_key,
            Field::Start => &mut self.start,
            Field::Listen => &mut self.listen,
            Field::PublicUrl => &mut self.public_url,
            Field::EshopUrl => &mut self.eshop_url,
            Field::PollInterval => &mut self.poll,
            Field::NameTemplate => &mut self.name_template,
            Field::WebhookEnabled | Field::ShoptetAddon => return None,
        })
    }

    pub fn problem(&self, field: Field, t: &'static Texts) -> Option<&'static str> {
        let value = self.input_of(field).map(Input::value).unwrap_or("");
        let sw = validate::Switches { addon: self.addon, webhook: self.webhook_enabled };
        validate::problem(field, value, sw, self.tz(), t)
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

    /// Typed text for the focused field.
    pub fn input(&mut self, event: &Event) {
        if let Some(field) = self.focused_field()
            && let Some(input) = self.input_mut(field)
            && input.handle_event(event).is_some()
            && field == Field::Start
        {
            self.start_touched = true;
            self.start_edited = true;
        }
    }

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
                if self.focused_field() == Some(Field::ShoptetAddon) {
                    self.addon ^= true;
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
                Outcome::None
            }
            WizardAction::RetryTest => self.enter(),
            WizardAction::Next => self.next(t),
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
            // Over an existing configuration with nothing changed there is nothing to write.
            Step::Review if self.base.is_some() && !self.changed() => return Outcome::Cancel,
            Step::Review => {
                return match build::config(self) {
                    Ok(cfg) => {
                        self.save = SaveState::Saving;
                        self.saving = Some(cfg.clone());
                        Outcome::Effect(Effect::Save(Box::new(cfg)))
                    }
                    Err(e) => {
                        self.save = SaveState::Failed(e);
                        Outcome::None
                    }
                };
            }
            _ => {}
        }
        self.go(self.after(self.step))
    }

    /// "Step 3 of 12: RAYNET connection".
    pub fn progress_line(&self, t: &'static Texts) -> String {
        match self.purpose {
            Purpose::Edit { target } => format!("{}: {}", t.editing, t.step_title(target)),
            _ => format!(
                "{} {}/{}: {}",
                t.step,
                self.step.index() + 1,
                Step::ALL.len(),
                t.step_title(self.step)
            ),
        }
    }
}
