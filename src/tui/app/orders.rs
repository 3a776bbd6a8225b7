//! What the order keys do: open an order, retry, re-sync, skip, choose its client; and the
//! engine keys (pause, sync now). Commands go to the engine; the flash line says what was sent.

use crate::engine::api::{ClientChoice, EngineCommand, EngineState};
use crate::tui::action::Action;
use crate::tui::app::{App, Popup};
use crate::tui::i18n::Texts;
use crate::tui::source::OrderState;

impl App {
    /// r, R, s, a, p and S.
    pub(super) fn on_order_key(&mut self, action: Action) {
        match action {
            Action::Retry => {
                if let Some(code) = self.selected_code() {
                    self.send(EngineCommand::Retry { code });
                }
            }
            Action::Resync => self.resync(),
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
            Action::TogglePause => {
                let paused = self.status.as_ref().is_some_and(|s| s.state == EngineState::Paused);
                self.send(if paused { EngineCommand::Resume } else { EngineCommand::Pause });
            }
            Action::SyncNow => {
                self.send(EngineCommand::SyncNow);
            }
            _ => {}
        }
    }

    /// R: sync the order again; on a skipped order the flash says it is un-skipped.
    fn resync(&mut self) {
        if let Some(code) = self.selected_code() {
            let skipped = self.selected_state() == Some(OrderState::Skipped);
            if self.send(EngineCommand::Resync { code: code.clone() }) && skipped {
                self.flash = Some(format!("{}: {} {code}", self.t.command_sent, self.t.key_unskip));
            }
        }
    }

    /// The state of the order the order keys act on.
    fn selected_state(&self) -> Option<OrderState> {
        if let Some(Popup::Detail { detail, .. }) = self.popups.last() {
            return Some(detail.order.state);
        }
        self.table().and_then(|t| t.selected_order()).and_then(|(_, state)| state)
    }

    /// The order the order keys act on: the open detail's, else the selected row's.
    fn selected_code(&self) -> Option<String> {
        if let Some(Popup::Detail { detail, .. }) = self.popups.last() {
            return Some(detail.order.code.clone());
        }
        self.table().and_then(|t| t.selected_order()).map(|(code, _)| code.to_string())
    }

    /// Enter: the picker's choice, else the selected order's detail.
    pub(super) fn open(&mut self) {
        if let Some(Popup::Picker { code, candidates, cursor }) = self.popups.last() {
            let choice = match candidates.get(*cursor) {
                Some(c) => ClientChoice::Existing(c.id),
                None => ClientChoice::CreateNew,
            };
            let code = code.clone();
            self.popups.pop();
            self.resolve(code, choice);
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

    /// Sends the client choice. The same customer's other waiting orders take the same choice
    /// (the engine applies it to them too); the flash says which, before they leave the queue.
    fn resolve(&mut self, code: String, choice: ClientChoice) {
        let client = match choice {
            ClientChoice::Existing(id) => Some(id),
            ClientChoice::CreateNew => None,
        };
        let also = self.source.waiting_siblings(&code, client).unwrap_or_default();
        if self.send(EngineCommand::Resolve { code, choice }) && !also.is_empty() {
            let note = format!("{}: {}", self.t.also_applied(also.len() as u64), also.join(", "));
            self.flash = self.flash.take().map(|f| format!("{f} · {note}"));
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
        EngineCommand::ReloadConfig(_) => "reload".into(),
    }
}
