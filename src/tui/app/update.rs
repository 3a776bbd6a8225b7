//! `App::update`: every action lands here and is routed to the part of the state it changes.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::engine::api::{EngineEvent, EngineStatus};
use crate::tui::action::{Action, Pane};
use crate::tui::app::{App, Popup};
use crate::tui::format;
use crate::tui::keymap;

impl App {
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Key(key) => self.on_key(key),
            Action::Quit => self.quit = true,
            Action::Tick(now) => self.on_tick(now),
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.refresh();
            }
            Action::Refresh => self.refresh(),
            Action::NextPane
            | Action::PrevPane
            | Action::GoPane(_)
            | Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => self.navigate(action),
            Action::Open => self.open(),
            Action::Back => self.back(),
            Action::Help => self.popups.push(Popup::Help),
            Action::CycleSort
            | Action::ReverseSort
            | Action::StartFilter
            | Action::ApplyFilter
            | Action::ClearFilter
            | Action::CycleHow
            | Action::ToggleKind => self.on_table_key(action),
            Action::Retry
            | Action::Resync
            | Action::AskSkip
            | Action::ConfirmSkip
            | Action::ChooseClient
            | Action::TogglePause
            | Action::SyncNow => self.on_order_key(action),
            Action::ConfirmDiscard => {
                self.popups.pop();
                self.leave_wizard();
            }
            Action::EditConfig => self.edit_config(),
            Action::RunChecks => self.run_checks(),
            Action::ChecksDone(checks) => self.config_pane.checks_done(checks),
            Action::Engine(ev) => {
                self.on_engine_event(ev);
                self.refresh();
            }
            Action::Status(st) => {
                self.status = Some(st);
                self.refresh();
            }
            Action::NamesResolved { .. }
            | Action::ShoptetTested(_)
            | Action::RaynetTested(_)
            | Action::Saved(_)
            | Action::WebhooksSetUp(_)
            | Action::Wizard(_) => self.on_setup_news(action),
        }
    }

    fn on_tick(&mut self, now: chrono::DateTime<chrono::Utc>) {
        self.now = now;
        self.counts = self.source.counts();
        self.overview = self.source.overview();
        // A slow page (a search over a very large log) is re-read less often.
        if self.pane_is_cheap() {
            self.refresh_pane();
        }
    }

    /// Tab, the pane digits and the cursor keys.
    fn navigate(&mut self, action: Action) {
        let page = self.page_rows() as i64;
        match action {
            Action::NextPane => self.go(self.pane.next()),
            Action::PrevPane => self.go(self.pane.prev()),
            Action::GoPane(p) => self.go(p),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.move_by(i64::MIN / 2),
            Action::Bottom => self.move_by(i64::MAX / 2),
            _ => {}
        }
    }

    /// Sorting and filtering the table on screen; the Matches pane's kind and how.
    fn on_table_key(&mut self, action: Action) {
        match action {
            Action::CycleSort => {
                if let Some(table) = self.table_mut() {
                    table.cycle_sort();
                }
                self.refresh_pane();
            }
            Action::ReverseSort => {
                if let Some(table) = self.table_mut() {
                    table.reverse_sort();
                }
                self.refresh_pane();
            }
            Action::StartFilter => {
                let current = self.table().map(|t| t.search().to_string()).unwrap_or_default();
                self.filter = Some((Input::new(current.clone()), current));
            }
            Action::ApplyFilter => self.filter = None,
            Action::ClearFilter => {
                self.filter = None;
                if let Some(table) = self.table_mut() {
                    table.search_mut().clear();
                    table.reset_window();
                }
                self.refresh_pane();
            }
            Action::CycleHow => {
                self.entities.cycle_how();
                self.refresh_pane();
            }
            Action::ToggleKind => {
                self.entities.toggle_kind();
                self.refresh_pane();
            }
            _ => {}
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
                if let Some(table) = self.table_mut() {
                    *table.search_mut() = value;
                    table.reset_window();
                }
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
        if self.pane == Pane::Configuration {
            self.config_pane.move_by(delta);
            return;
        }
        if self.table_mut().is_some_and(|t| t.move_by(delta, rows)) {
            self.refresh_pane();
        }
    }

    fn back(&mut self) {
        if self.popups.pop().is_some() {
            return;
        }
        if self.filter.is_some() {
            self.update(Action::ClearFilter);
        } else if self.pane == Pane::Configuration {
            self.config_pane.checks = None;
        }
    }

    fn on_engine_event(&mut self, ev: EngineEvent) {
        match ev {
            EngineEvent::CommandRejected { reason } => {
                let reason = format::one_line(&self.t.rejection(&reason, &self.tz()));
                self.flash = Some(format!("{}: {reason}", self.t.command_rejected));
            }
            EngineEvent::StateChanged { state } => {
                let st = self.status.get_or_insert_with(EngineStatus::default);
                st.state = state;
            }
            _ => {}
        }
    }
}
