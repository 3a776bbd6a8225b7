//! The dashboard's state and its single mutation point, `App::update`.
//!
//! `update.rs` routes actions, `orders.rs` holds what the order keys do, `setup.rs` the glue
//! to the setup wizard, `read.rs` the reading of the current pane's window. Drawing is not
//! here: `view` reads the state (`App::render`), and nothing here imports `view`.

mod orders;
mod read;
mod setup;
mod update;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use crossterm::event::Event;
use tokio::sync::mpsc::UnboundedSender;
use tui_input::Input;

use crate::config::Config;
use crate::engine::api::{EngineCommand, EngineState, EngineStatus};
use crate::tui::action::{Action, Pane};
use crate::tui::ctx::ViewCtx;
use crate::tui::i18n::{Lang, Texts};
use crate::tui::keymap::{self, Binding, KeyContext, Mode};
use crate::tui::names::Names;
use crate::tui::panes::activity::{self, ActivityPane};
use crate::tui::panes::config::ConfigPane;
use crate::tui::panes::entities::{self, EntitiesPane};
use crate::tui::panes::pending::{self, PendingPane};
use crate::tui::panes::retry::{self, RetryPane};
use crate::tui::panes::table::AnyTable;
use crate::tui::probe::SetupProbe;
use crate::tui::source::{Counts, DashboardSource, OverviewData};
use crate::tui::wizard::{Step, Wizard};

pub use crate::tui::action::Effect;
pub use crate::tui::modal::Popup;

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
    pub pending: PendingPane,
    pub entities: EntitiesPane,
    pub retry: RetryPane,
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

/// Rows under a table: the filter being typed, or the selected row in full.
pub const INFO_ROWS: u16 = 2;

impl App {
    pub fn new(init: AppInit) -> App {
        let mut app = App {
            lang: init.lang,
            t: init.lang.texts(),
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
            pending: pending::pane(),
            entities: entities::pane(),
            retry: retry::pane(),
            activity: activity::pane(init.lang),
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

    /// The zone times are shown in (the e-shop's once known).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.names.zone()
    }

    /// What every pane draws from besides its own state.
    pub fn ctx(&self) -> ViewCtx {
        ViewCtx { t: self.t, tz: self.tz(), now: self.now }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The table pane on screen, if the current pane is one.
    pub fn table(&self) -> Option<&dyn AnyTable> {
        match self.pane {
            Pane::Pending => Some(&self.pending),
            Pane::Retry => Some(&self.retry),
            Pane::Entities => Some(&self.entities),
            Pane::Activity => Some(&self.activity),
            Pane::Overview | Pane::Configuration => None,
        }
    }

    fn table_mut(&mut self) -> Option<&mut dyn AnyTable> {
        match self.pane {
            Pane::Pending => Some(&mut self.pending),
            Pane::Retry => Some(&mut self.retry),
            Pane::Entities => Some(&mut self.entities),
            Pane::Activity => Some(&mut self.activity),
            Pane::Overview | Pane::Configuration => None,
        }
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
        let table = self.table();
        KeyContext {
            mode,
            has_rows: table.is_some_and(|t| t.has_rows()),
            selected_state: detail_state.or(table.and_then(|t| t.selected_order()).and_then(|(_, s)| s)),
            has_engine: self.commands.is_some(),
            paused: self.status.as_ref().is_some_and(|s| s.state == EngineState::Paused),
            filtered: table.is_some_and(|t| !t.search().is_empty()),
            editing: self.wizard.as_ref().is_some_and(Wizard::esc_leaves),
            edit_review: self.wizard.as_ref().is_some_and(|w| w.editing() && w.step == Step::Review),
            checks: self.pane == Pane::Configuration && self.config_pane.checks.is_some(),
        }
    }

    /// Keys valid right now (key bar order).
    pub fn bindings(&self) -> Vec<Binding> {
        keymap::bindings(&self.key_context(self.mode()), self.t)
    }

    /// What the help popup at `depth` lists: every key of the screen beneath it.
    pub fn help_bindings(&self, depth: usize) -> Vec<Binding> {
        keymap::help_bindings(&self.key_context(self.mode_at(depth)), self.t)
    }

    /// Rows a table pane shows at the current terminal size (the page size asked of the source).
    pub fn page_rows(&self) -> u64 {
        // Tabs, status line, key bar, the table's borders and header, the lines under it.
        u64::from(self.size.1.saturating_sub(6 + INFO_ROWS).max(1))
    }

    /// Turns a terminal event into an action, if it means anything here.
    pub fn map_event(&self, event: &Event) -> Option<Action> {
        match event {
            Event::Key(key) => Some(Action::Key(*key)),
            Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
            _ => None,
        }
    }
}
