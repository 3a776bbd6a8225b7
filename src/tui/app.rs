//! The dashboard's state and its single mutation point, `App::update`.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent};
use secrecy::SecretString;
use tokio::sync::mpsc::UnboundedSender;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::config::Config;
use crate::engine::api::{ClientChoice, EngineCommand, EngineEvent, EngineState, EngineStatus};
use crate::tui::Lang;
use crate::tui::action::{Action, Pane};
use crate::tui::i18n::Texts;
use crate::tui::keymap::{self, Binding, KeyContext, Mode};
use crate::tui::panes::activity::ActivityPane;
use crate::tui::panes::config::ConfigPane;
use crate::tui::panes::entities::EntitiesPane;
use crate::tui::panes::orders::OrdersPane;
use crate::tui::probe::{RaynetFacts, SetupProbe, ShoptetFacts};
use crate::tui::source::{
    Candidate, Counts, DashboardSource, MatchHow, OrderDetail, OrderState, OverviewData,
};
use crate::tui::wizard::{Step, Wizard};

/// Work the runner does outside `update` (network, disk); results come back as actions.
#[derive(Debug)]
pub enum Effect {
    TestShoptet {
        base_url: String,
        token: SecretString,
        addon_eshop_url: Option<String>,
    },
    TestRaynet {
        base_url: String,
        instance: String,
        username: String,
        api_key: SecretString,
    },
    /// Fetch both services' lists once so ids can be shown as names.
    ResolveNames(Box<Config>),
    Save(Box<Config>),
}

/// A modal layer over the panes; the top one gets the keys.
#[derive(Debug, Clone)]
pub enum Popup {
    Help,
    Detail {
        detail: Box<OrderDetail>,
        scroll: u16,
    },
    ConfirmSkip {
        code: String,
    },
    Picker {
        code: String,
        candidates: Vec<Candidate>,
        cursor: usize,
    },
    Message {
        title: String,
        text: String,
    },
    /// Leaving the setup editor with changes: discard them?
    ConfirmDiscard,
}

/// What the panes know about names behind configured ids.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub shoptet: Option<Result<ShoptetFacts, String>>,
    pub raynet: Option<Result<RaynetFacts, String>>,
    pub resolving: bool,
}

impl Names {
    pub fn shoptet(&self) -> Option<&ShoptetFacts> {
        self.shoptet.as_ref().and_then(|r| r.as_ref().ok())
    }
    pub fn raynet(&self) -> Option<&RaynetFacts> {
        self.raynet.as_ref().and_then(|r| r.as_ref().ok())
    }
}

/// Everything `App::new` needs; no terminal involved.
pub struct AppInit {
    pub source: Box<dyn DashboardSource>,
    pub config: Option<Config>,
    pub config_path: PathBuf,
    pub commands: Option<UnboundedSender<EngineCommand>>,
    pub status: Option<EngineStatus>,
    pub probe: Arc<dyn SetupProbe>,
    pub lang: Lang,
    pub banner: Option<String>,
    pub now: DateTime<Utc>,
    pub size: (u16, u16),
    /// `setup`: open the guided setup even when a configuration exists (starting from it);
    /// leaving it without saving ends the program.
    pub setup: bool,
}

pub struct App {
    pub lang: Lang,
    pub t: &'static Texts,
    pub source: Box<dyn DashboardSource>,
    pub config: Option<Config>,
    pub config_path: PathBuf,
    pub probe: Arc<dyn SetupProbe>,
    pub commands: Option<UnboundedSender<EngineCommand>>,
    pub status: Option<EngineStatus>,
    pub banner: Option<String>,
    pub now: DateTime<Utc>,
    pub size: (u16, u16),
    pub pane: Pane,
    pub popups: Vec<Popup>,
    pub counts: Result<Counts, String>,
    pub overview: Result<OverviewData, String>,
    pub config_pane: ConfigPane,
    pub pending: OrdersPane,
    pub entities: EntitiesPane,
    pub retry: OrdersPane,
    pub activity: ActivityPane,
    /// The filter being typed, with the search it started from (Esc clears the search).
    pub filter: Option<(Input, String)>,
    pub wizard: Option<Wizard>,
    pub names: Names,
    /// One-line feedback (command sent, engine rejected it…), cleared by the next key.
    pub flash: Option<String>,
    pub quit: bool,
    /// Started as `setup`: leaving the wizard without saving quits.
    pub setup: bool,
    /// How long the current pane's page took to read, and when it was read.
    pane_cost: std::time::Duration,
    pane_read_at: std::time::Instant,
    effects: Vec<Effect>,
}

/// A page that takes this long to read is re-read on ticks only every `SLOW_PANE_EVERY`.
const SLOW_PANE: std::time::Duration = std::time::Duration::from_millis(40);
const SLOW_PANE_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

impl App {
    pub fn new(init: AppInit) -> App {
        let t = init.lang.texts();
        let mut app = App {
            lang: init.lang,
            t,
            source: init.source,
            config: init.config,
            config_path: init.config_path,
            probe: init.probe,
            commands: init.commands,
            status: init.status,
            banner: init.banner,
            now: init.now,
            size: init.size,
            pane: Pane::Overview,
            popups: Vec::new(),
            counts: Ok(Counts::default()),
            overview: Ok(OverviewData::default()),
            config_pane: ConfigPane::default(),
            pending: OrdersPane::new(vec![OrderState::Pending, OrderState::Queued]),
            entities: EntitiesPane::default(),
            // Skipped orders stay here too, so a skip can be undone with R (re-sync).
            retry: OrdersPane::new(vec![
                OrderState::Failed,
                OrderState::Dead,
                OrderState::NeedsDecision,
                OrderState::Skipped,
            ]),
            activity: ActivityPane::default(),
            filter: None,
            wizard: None,
            names: Names::default(),
            flash: None,
            quit: false,
            setup: init.setup,
            pane_cost: std::time::Duration::ZERO,
            pane_read_at: std::time::Instant::now(),
            effects: Vec::new(),
        };
        match &app.config {
            None => app.wizard = Some(Wizard::new(None, app.now)),
            Some(cfg) => {
                if app.setup {
                    app.wizard = Some(Wizard::new(Some(cfg), app.now));
                }
                app.names.resolving = true;
                app.effects.push(Effect::ResolveNames(Box::new(cfg.clone())));
            }
        }
        app.refresh();
        app
    }

    /// Side effects requested since the last call, for the runner to carry out.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Draws the whole screen.
    pub fn render(&self, f: &mut ratatui::Frame) {
        crate::tui::view::render(self, f);
    }

    /// The zone times are shown in (the e-shop's once known).
    pub fn tz(&self) -> chrono_tz::Tz {
        crate::tui::format::zone(self.names.shoptet().map(|s| s.timezone.as_str()))
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn mode(&self) -> Mode {
        self.mode_at(self.popups.len())
    }

    /// The mode with only the first `depth` popups open (help lists the keys beneath it).
    pub fn mode_at(&self, depth: usize) -> Mode {
        if let Some(p) = depth.checked_sub(1).and_then(|i| self.popups.get(i)) {
            return match p {
                Popup::Help => Mode::Help,
                Popup::Detail { .. } => Mode::Detail,
                Popup::ConfirmSkip { .. } => Mode::ConfirmSkip,
                Popup::Picker { .. } => Mode::Picker,
                Popup::Message { .. } => Mode::Message,
                Popup::ConfirmDiscard => Mode::ConfirmDiscard,
            };
        }
        if let Some(w) = &self.wizard {
            return Mode::Wizard(w.mode());
        }
        if self.filter.is_some() {
            return Mode::Filter;
        }
        Mode::Normal(self.pane)
    }

    pub fn key_context(&self, mode: Mode) -> KeyContext {
        let detail_state = match (mode, self.popups.last()) {
            (Mode::Detail, Some(Popup::Detail { detail, .. })) => Some(detail.order.state),
            _ => None,
        };
        let (has_rows, selected_state) = match self.pane {
            Pane::Pending => {
                (self.pending.window.page.total > 0, self.pending.window.selected_row().map(|o| o.state))
            }
            Pane::Retry => {
                (self.retry.window.page.total > 0, self.retry.window.selected_row().map(|o| o.state))
            }
            Pane::Entities => (self.entities.window.page.total > 0, None),
            Pane::Activity => {
                (self.activity.window.selected_row().is_some_and(|a| a.order_code.is_some()), None)
            }
            _ => (false, None),
        };
        let filtered = match self.pane {
            Pane::Pending => !self.pending.search.is_empty(),
            Pane::Retry => !self.retry.search.is_empty(),
            Pane::Entities => !self.entities.search.is_empty(),
            Pane::Activity => !self.activity.search.is_empty(),
            _ => false,
        };
        KeyContext {
            mode,
            has_rows,
            selected_state: detail_state.or(selected_state),
            has_engine: self.commands.is_some(),
            paused: self.status.as_ref().is_some_and(|s| s.state == EngineState::Paused),
            filtered,
            editing: self.wizard.as_ref().is_some_and(Wizard::esc_leaves),
            edit_review: self.wizard.as_ref().is_some_and(|w| w.editing() && w.step == Step::Review),
        }
    }

    /// Keys valid right now (key bar order).
    pub fn bindings(&self) -> Vec<Binding> {
        keymap::bindings(&self.key_context(self.mode()), self.t)
    }

    /// Rows a table pane shows at the current terminal size (the page size asked of the source).
    pub fn page_rows(&self) -> u64 {
        // Tabs, status line, key bar, the table's borders and header, the lines under it.
        u64::from(self.size.1.saturating_sub(6 + crate::tui::view::INFO_ROWS).max(1))
    }

    /// Turns a terminal event into an action, if it means anything here.
    pub fn map_event(&self, event: &Event) -> Option<Action> {
        match event {
            Event::Key(key) => Some(Action::Key(*key)),
            Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
            _ => None,
        }
    }

    pub fn update(&mut self, action: Action) {
        match action {
            Action::Key(key) => self.on_key(key),
            Action::Quit => self.quit = true,
            Action::Tick(now) => {
                self.now = now;
                self.counts = self.source.counts();
                self.overview = self.source.overview();
                // A slow page (a search over a very large log) is re-read less often.
                if self.pane_cost < SLOW_PANE || self.pane_read_at.elapsed() >= SLOW_PANE_EVERY {
                    self.refresh_pane();
                }
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.refresh();
            }
            Action::Refresh => self.refresh(),
            Action::NextPane => self.go(self.pane.next()),
            Action::PrevPane => self.go(self.pane.prev()),
            Action::GoPane(p) => self.go(p),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.page_rows() as i64)),
            Action::PageDown => self.move_by(self.page_rows() as i64),
            Action::Top => self.move_by(i64::MIN / 2),
            Action::Bottom => self.move_by(i64::MAX / 2),
            Action::Open => self.open(),
            Action::Back => self.back(),
            Action::Help => self.popups.push(Popup::Help),
            Action::CycleSort => {
                match self.pane {
                    Pane::Pending => self.pending.cycle_sort(),
                    Pane::Retry => self.retry.cycle_sort(),
                    Pane::Entities => self.entities.cycle_sort(),
                    _ => {}
                }
                self.refresh_pane();
            }
            Action::ReverseSort => {
                match self.pane {
                    Pane::Pending => self.pending.descending ^= true,
                    Pane::Retry => self.retry.descending ^= true,
                    Pane::Entities => self.entities.descending ^= true,
                    _ => {}
                }
                self.refresh_pane();
            }
            Action::StartFilter => {
                let current = self.search_mut().map(|s| s.clone()).unwrap_or_default();
                self.filter = Some((Input::new(current.clone()), current));
            }
            Action::ApplyFilter => self.filter = None,
            Action::ClearFilter => {
                self.filter = None;
                if let Some(s) = self.search_mut() {
                    s.clear();
                }
                self.reset_window();
                self.refresh_pane();
            }
            Action::CycleHow => {
                self.entities.how = match self.entities.how {
                    None => Some(MatchHow::Matched),
                    Some(MatchHow::Matched) => Some(MatchHow::Created),
                    Some(MatchHow::Created) => None,
                };
                self.entities.window.reset();
                self.refresh_pane();
            }
            Action::ToggleKind => {
                self.entities.toggle_kind();
                self.refresh_pane();
            }
            Action::Retry => {
                if let Some(code) = self.selected_code() {
                    self.send(EngineCommand::Retry { code });
                }
            }
            Action::Resync => {
                if let Some(code) = self.selected_code() {
                    let skipped = self.selected_state() == Some(OrderState::Skipped);
                    if self.send(EngineCommand::Resync { code: code.clone() }) && skipped {
                        self.flash = Some(format!("{}: {} {code}", self.t.command_sent, self.t.key_unskip));
                    }
                }
            }
            Action::AskSkip => {
                if let Some(code) = self.selected_code() {
                    self.popups.push(Popup::ConfirmSkip { code });
                }
            }
            Action::ConfirmSkip => {
                if let Some(Popup::ConfirmSkip { code }) = self.popups.pop() {
                    let reason = self.t.skip_reason.to_string();
                    self.send(EngineCommand::Skip { code, reason });
                }
            }
            Action::ChooseClient => self.open_picker(),
            Action::ConfirmDiscard => {
                self.popups.pop();
                self.leave_wizard();
            }
            Action::TogglePause => {
                let paused = self.status.as_ref().is_some_and(|s| s.state == EngineState::Paused);
                self.send(if paused { EngineCommand::Resume } else { EngineCommand::Pause });
            }
            Action::SyncNow => {
                self.send(EngineCommand::SyncNow);
            }
            Action::EditConfig => {
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
            Action::Engine(ev) => {
                self.on_engine_event(ev);
                self.refresh();
            }
            Action::Status(st) => {
                self.status = Some(st);
                self.refresh();
            }
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
            Action::Wizard(wa) => {
                if let Some(w) = &mut self.wizard {
                    let out = w.update(wa, self.t);
                    self.on_wizard_outcome(out);
                }
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent) {
        self.flash = None;
        let bindings = self.bindings();
        if let Some(action) = keymap::lookup(&bindings, &key) {
            self.update(action);
            return;
        }
        // Unbound keys are text for the field being edited, if any.
        let event = Event::Key(key);
        if let Some(w) = &mut self.wizard
            && self.popups.is_empty()
        {
            w.input(&event);
        } else if let Some((input, _)) = &mut self.filter {
            if input.handle_event(&event).is_some() {
                let value = input.value().to_string();
                if let Some(s) = self.search_mut() {
                    *s = value;
                }
                self.reset_window();
                self.refresh_pane();
            }
        } else if key.code == KeyCode::Esc && !self.popups.is_empty() {
            self.popups.pop();
        }
    }

    fn go(&mut self, pane: Pane) {
        self.pane = pane;
        self.refresh_pane();
    }

    fn search_mut(&mut self) -> Option<&mut String> {
        match self.pane {
            Pane::Pending => Some(&mut self.pending.search),
            Pane::Retry => Some(&mut self.retry.search),
            Pane::Entities => Some(&mut self.entities.search),
            Pane::Activity => Some(&mut self.activity.search),
            _ => None,
        }
    }

    fn reset_window(&mut self) {
        match self.pane {
            Pane::Pending => self.pending.window.reset(),
            Pane::Retry => self.retry.window.reset(),
            Pane::Entities => self.entities.window.reset(),
            Pane::Activity => self.activity.window.reset(),
            _ => {}
        }
    }

    fn move_by(&mut self, delta: i64) {
        let rows = self.page_rows();
        if let Some(Popup::Detail { scroll, .. }) = self.popups.last_mut() {
            let d = delta.clamp(-(u16::MAX as i64), u16::MAX as i64) as i32;
            *scroll = (*scroll as i32 + d).clamp(0, u16::MAX as i32) as u16;
            return;
        }
        if let Some(Popup::Picker { cursor, candidates, .. }) = self.popups.last_mut() {
            let last = candidates.len() as i64; // the extra "create new" entry
            *cursor = (*cursor as i64 + delta).clamp(0, last) as usize;
            return;
        }
        let moved = match self.pane {
            Pane::Pending => self.pending.window.move_by(delta, rows),
            Pane::Retry => self.retry.window.move_by(delta, rows),
            Pane::Entities => self.entities.window.move_by(delta, rows),
            Pane::Activity => self.activity.window.move_by(delta, rows),
            Pane::Configuration => {
                self.config_pane.move_by(delta);
                false
            }
            Pane::Overview => false,
        };
        if moved {
            self.refresh_pane();
        }
    }

    /// The state of the order the order keys act on.
    fn selected_state(&self) -> Option<OrderState> {
        if let Some(Popup::Detail { detail, .. }) = self.popups.last() {
            return Some(detail.order.state);
        }
        match self.pane {
            Pane::Pending => self.pending.window.selected_row().map(|o| o.state),
            Pane::Retry => self.retry.window.selected_row().map(|o| o.state),
            _ => None,
        }
    }

    /// The order the order keys act on: the open detail's, else the selected row's.
    fn selected_code(&self) -> Option<String> {
        if let Some(Popup::Detail { detail, .. }) = self.popups.last() {
            return Some(detail.order.code.clone());
        }
        match self.pane {
            Pane::Pending => self.pending.window.selected_row().map(|o| o.code.clone()),
            Pane::Retry => self.retry.window.selected_row().map(|o| o.code.clone()),
            Pane::Activity => self.activity.window.selected_row().and_then(|a| a.order_code.clone()),
            _ => None,
        }
    }

    fn open(&mut self) {
        if let Some(Popup::Picker { code, candidates, cursor }) = self.popups.last() {
            let choice = match candidates.get(*cursor) {
                Some(c) => ClientChoice::Existing(c.id),
                None => ClientChoice::CreateNew,
            };
            let code = code.clone();
            self.popups.pop();
            // The same customer's other waiting orders take the same choice (the engine applies
            // it to them too); say which, before they leave the queue.
            let client = match choice {
                ClientChoice::Existing(id) => Some(id),
                ClientChoice::CreateNew => None,
            };
            let also = self.source.waiting_siblings(&code, client).unwrap_or_default();
            if self.send(EngineCommand::Resolve { code, choice }) && !also.is_empty() {
                let note = format!("{}: {}", self.t.also_applied(also.len() as u64), also.join(", "));
                self.flash = self.flash.take().map(|f| format!("{f} · {note}"));
            }
            return;
        }
        if let Some(code) = self.selected_code() {
            match self.source.order_detail(&code) {
                Ok(Some(detail)) => self.popups.push(Popup::Detail { detail: Box::new(detail), scroll: 0 }),
                Ok(None) => self.message(self.t.not_found, format!("{} {code}", self.t.order)),
                Err(e) => self.message(self.t.source_error, e),
            }
        }
    }

    fn open_picker(&mut self) {
        let Some(code) = self.selected_code() else {
            return;
        };
        match self.source.order_detail(&code) {
            Ok(Some(detail)) => {
                self.popups.push(Popup::Picker { code, candidates: detail.candidates, cursor: 0 })
            }
            Ok(None) => self.message(self.t.not_found, format!("{} {code}", self.t.order)),
            Err(e) => self.message(self.t.source_error, e),
        }
    }

    fn back(&mut self) {
        if self.popups.pop().is_some() {
            return;
        }
        if self.filter.is_some() {
            self.update(Action::ClearFilter);
        }
    }

    /// Closes the wizard without saving (after `setup`, that ends the program).
    fn leave_wizard(&mut self) {
        if self.config.is_none() {
            return;
        }
        self.wizard = None;
        if self.setup {
            self.quit = true;
        }
        self.refresh();
    }

    fn message(&mut self, title: &str, text: String) {
        self.popups.push(Popup::Message { title: title.to_string(), text });
    }

    /// Hands `cmd` to the engine and says so; false when there is no engine to take it.
    fn send(&mut self, cmd: EngineCommand) -> bool {
        let name = command_name(&cmd, self.t);
        let sent = match &self.commands {
            Some(tx) => tx.send(cmd).is_ok(),
            None => false,
        };
        self.flash = Some(if sent {
            format!("{}: {name}", self.t.command_sent)
        } else {
            self.t.engine_not_running.to_string()
        });
        sent
    }

    fn on_engine_event(&mut self, ev: EngineEvent) {
        match ev {
            EngineEvent::CommandRejected { reason } => {
                let reason = crate::tui::format::one_line(&reason);
                self.flash = Some(format!("{}: {reason}", self.t.command_rejected));
            }
            EngineEvent::StateChanged { state } => {
                let st = self.status.get_or_insert_with(EngineStatus::default);
                st.state = state;
            }
            _ => {}
        }
    }

    fn start_wizard_step(&mut self, mut w: Wizard) {
        let out = w.enter();
        self.wizard = Some(w);
        self.on_wizard_outcome(out);
    }

    fn on_wizard_outcome(&mut self, out: crate::tui::wizard::Outcome) {
        use crate::tui::wizard::Outcome;
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
                    self.leave_wizard();
                    if reviewed {
                        self.flash = Some(self.t.nothing_changed.to_string());
                    }
                }
            }
        }
    }

    fn on_saved(&mut self, r: Result<(), String>) {
        let Some(w) = &mut self.wizard else {
            return;
        };
        match r {
            Ok(()) => {
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
                self.flash = Some(self.t.saved.to_string());
                self.refresh();
            }
            Err(e) => w.save_failed(e),
        }
    }

    /// Re-reads the headline figures and the visible window of the current pane.
    pub fn refresh(&mut self) {
        self.counts = self.source.counts();
        self.overview = self.source.overview();
        self.refresh_pane();
    }

    fn refresh_pane(&mut self) {
        let started = std::time::Instant::now();
        self.read_pane();
        self.pane_cost = started.elapsed();
        self.pane_read_at = std::time::Instant::now();
    }

    fn read_pane(&mut self) {
        if self.pane == Pane::Activity {
            self.refresh_activity();
            return;
        }
        let rows = self.page_rows();
        let src = self.source.as_ref();
        // At most two fetches: the second only when the result shrank under the window.
        for _ in 0..2 {
            let again = match self.pane {
                Pane::Pending => self.pending.window.set(src.orders(&self.pending.query(rows)), rows),
                Pane::Retry => self.retry.window.set(src.orders(&self.retry.query(rows)), rows),
                Pane::Entities => self.entities.window.set(src.entities(&self.entities.query(rows)), rows),
                Pane::Activity => self.activity.window.set(src.activity(&self.activity.query(rows)), rows),
                Pane::Overview | Pane::Configuration => false,
            };
            if !again {
                break;
            }
        }
    }

    /// The activity log is newest first: rows arriving push the rest down. With the cursor on
    /// the top row it follows the newest; anywhere else it stays on the row it was on.
    fn refresh_activity(&mut self) {
        let rows = self.page_rows();
        let following = self.activity.window.selected == 0;
        let total_before = self.activity.window.page.total;
        let kept = self.activity.window.selected_row().cloned();
        let mut result = self.source.activity(&self.activity.query(rows));
        if !following
            && let (Ok(page), Some(kept)) = (&result, &kept)
            && page.total > total_before
        {
            let arrived = page.total - total_before;
            self.activity.window.selected += arrived;
            self.activity.window.offset += arrived;
            result = self.source.activity(&self.activity.query(rows));
            // Old rows may have been pruned meanwhile: find the row itself in the page.
            let w = &mut self.activity.window;
            if let Ok(page) = &result
                && page.rows.get((w.selected - w.offset) as usize) != Some(kept)
                && let Some(i) = page.rows.iter().position(|r| r == kept)
            {
                w.selected = w.offset + i as u64;
            }
        }
        if self.activity.window.set(result, rows) {
            let again = self.source.activity(&self.activity.query(rows));
            self.activity.window.set(again, rows);
        }
    }
}

fn command_name(cmd: &EngineCommand, t: &Texts) -> String {
    match cmd {
        EngineCommand::SyncNow => t.key_sync_now.into(),
        EngineCommand::Retry { code } => format!("{} {code}", t.key_retry),
        EngineCommand::RetryAll => t.key_retry.into(),
        EngineCommand::Resync { code } => format!("{} {code}", t.key_resync),
        EngineCommand::Skip { code, .. } => format!("{} {code}", t.key_skip),
        EngineCommand::Resolve { code, choice } => match choice {
            ClientChoice::Existing(id) => format!("{code} → {} #{id}", t.client_word),
            ClientChoice::CreateNew => format!("{code} → {}", t.new_client),
        },
        EngineCommand::Backfill { from } => format!("backfill {from}"),
        EngineCommand::Pause => t.key_pause.into(),
        EngineCommand::Resume => t.key_resume.into(),
        EngineCommand::Shutdown => "shutdown".into(),
    }
}
