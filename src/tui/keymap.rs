//! One keymap per mode: drives key lookup, the key bar and the help popup, so they never drift.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::tui::action::{Action, Pane, WizardAction};
use crate::tui::i18n::Texts;
use crate::tui::source::OrderState;

/// What the keyboard is talking to right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal(Pane),
    Filter,
    Help,
    Detail,
    ConfirmSkip,
    /// Leaving the setup editor with unsaved changes: discard them?
    ConfirmDiscard,
    Picker,
    Message,
    Wizard(WizardMode),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardMode {
    /// Text fields; `on_toggle` when the focused field is an on/off switch.
    Form {
        on_toggle: bool,
    },
    Test {
        running: bool,
        ok: bool,
    },
    List {
        multi: bool,
    },
    Review,
}

/// Facts about the current screen that decide which keys are valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyContext {
    pub mode: Mode,
    pub has_rows: bool,
    pub selected_state: Option<OrderState>,
    pub has_engine: bool,
    pub paused: bool,
    /// A search is applied to the current table (Esc clears it).
    pub filtered: bool,
    /// Esc leaves the setup wizard (editing one setting, or on the first step over an
    /// existing configuration) instead of going back a step.
    pub editing: bool,
    /// The review of one edited setting: `e` goes back to the setting.
    pub edit_review: bool,
    /// The Configuration pane shows the doctor's checks (Esc goes back to the settings).
    pub checks: bool,
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    /// How the key is shown, e.g. "Tab", "↑↓", "1-6".
    pub key: &'static str,
    pub label: &'static str,
    pub action: Action,
    /// Shown in the key bar (otherwise only in help).
    pub bar: bool,
}

fn b(code: KeyCode, key: &'static str, label: &'static str, action: Action) -> Binding {
    Binding { code, mods: KeyModifiers::NONE, key, label, action, bar: true }
}

fn hidden(mut binding: Binding) -> Binding {
    binding.bar = false;
    binding
}

fn ctrl_c(t: &Texts) -> Binding {
    Binding {
        code: KeyCode::Char('c'),
        mods: KeyModifiers::CONTROL,
        key: "Ctrl-C",
        label: t.key_quit,
        action: Action::Quit,
        bar: false,
    }
}

/// The keys valid in `ctx`, in key-bar priority order.
pub fn bindings(ctx: &KeyContext, t: &Texts) -> Vec<Binding> {
    use KeyCode::*;
    let mut v = Vec::new();
    match ctx.mode {
        Mode::Normal(pane) => normal(&mut v, pane, ctx, t),
        Mode::Filter => {
            v.push(b(Enter, "Enter", t.key_apply, Action::ApplyFilter));
            v.push(b(Esc, "Esc", t.key_clear, Action::ClearFilter));
        }
        Mode::Help | Mode::Message => {
            v.push(b(Esc, "Esc", t.key_close, Action::Back));
            v.push(hidden(b(Enter, "Enter", t.key_close, Action::Back)));
            v.push(hidden(b(Char('?'), "?", t.key_close, Action::Back)));
            v.push(hidden(b(Char('q'), "q", t.key_close, Action::Back)));
        }
        Mode::Detail => {
            order_actions(&mut v, ctx.selected_state, t);
            v.push(b(Down, "↓", t.key_scroll, Action::Down));
            v.push(hidden(b(Up, "↑", t.key_scroll, Action::Up)));
            v.push(hidden(b(PageDown, "PgDn", t.key_page_down, Action::PageDown)));
            v.push(hidden(b(PageUp, "PgUp", t.key_page_up, Action::PageUp)));
            v.push(b(Esc, "Esc", t.key_close, Action::Back));
            v.push(hidden(b(Char('q'), "q", t.key_close, Action::Back)));
            v.push(hidden(b(Char('?'), "?", t.key_help, Action::Help)));
        }
        Mode::ConfirmDiscard => {
            v.push(b(Char('y'), "y", t.key_discard, Action::ConfirmDiscard));
            v.push(b(Char('n'), "n", t.key_keep_editing, Action::Back));
            v.push(hidden(b(Esc, "Esc", t.key_keep_editing, Action::Back)));
        }
        Mode::ConfirmSkip => {
            v.push(b(Char('y'), "y", t.key_yes_skip, Action::ConfirmSkip));
            v.push(hidden(b(Enter, "Enter", t.key_yes_skip, Action::ConfirmSkip)));
            v.push(b(Char('n'), "n", t.key_cancel, Action::Back));
            v.push(hidden(b(Esc, "Esc", t.key_cancel, Action::Back)));
        }
        Mode::Picker => {
            v.push(b(Enter, "Enter", t.key_choose_this, Action::Open));
            v.push(b(Down, "↓", t.key_down, Action::Down));
            v.push(hidden(b(Up, "↑", t.key_up, Action::Up)));
            v.push(b(Esc, "Esc", t.key_cancel, Action::Back));
        }
        Mode::Wizard(w) => {
            wizard(&mut v, w, ctx, t);
            return v;
        }
    }
    v.push(ctrl_c(t));
    v
}

/// A pane's keys: its own actions, the table keys, the engine keys, moving between panes.
fn normal(v: &mut Vec<Binding>, pane: Pane, ctx: &KeyContext, t: &Texts) {
    use KeyCode::*;
    let table = !matches!(pane, Pane::Overview | Pane::Configuration);
    if table && pane != Pane::Entities && ctx.has_rows {
        v.push(b(Enter, "Enter", t.key_open, Action::Open));
    }
    if pane == Pane::Retry && ctx.has_rows {
        order_actions(v, ctx.selected_state, t);
    }
    if pane == Pane::Configuration {
        let d = crate::tui::i18n::doctor::texts(t.lang);
        if ctx.checks {
            v.push(b(Esc, "Esc", d.key_back, Action::Back));
        } else {
            v.push(b(Char('e'), "e", t.key_edit, Action::EditConfig));
        }
        v.push(b(Char('d'), "d", d.key_checks, Action::RunChecks));
    }
    if pane == Pane::Entities {
        v.push(b(Char('k'), "k", t.key_kind, Action::ToggleKind));
        v.push(b(Char('h'), "h", t.key_how, Action::CycleHow));
    }
    if table {
        v.push(b(Char('/'), "/", t.key_filter, Action::StartFilter));
        if ctx.filtered {
            v.push(b(Esc, "Esc", t.key_clear_filter, Action::ClearFilter));
        }
        if pane != Pane::Activity {
            v.push(b(Char('o'), "o", t.key_sort, Action::CycleSort));
            v.push(b(Char('O'), "O", t.key_reverse, Action::ReverseSort));
        }
    }
    if ctx.has_engine {
        let label = if ctx.paused { t.key_resume } else { t.key_pause };
        v.push(b(Char('p'), "p", label, Action::TogglePause));
        v.push(b(Char('S'), "S", t.key_sync_now, Action::SyncNow));
    }
    v.push(b(Tab, "Tab", t.key_next_pane, Action::NextPane));
    v.push(hidden(b(BackTab, "S-Tab", t.key_prev_pane, Action::PrevPane)));
    for (i, pane) in Pane::ALL.into_iter().enumerate() {
        let digit = char::from(b'1' + i as u8);
        v.push(hidden(b(Char(digit), "1-6", t.key_go_pane, Action::GoPane(pane))));
    }
    if table || pane == Pane::Configuration {
        v.push(hidden(b(Up, "↑", t.key_up, Action::Up)));
        v.push(hidden(b(Down, "↓", t.key_down, Action::Down)));
        v.push(hidden(b(PageUp, "PgUp", t.key_page_up, Action::PageUp)));
        v.push(hidden(b(PageDown, "PgDn", t.key_page_down, Action::PageDown)));
        v.push(hidden(b(Home, "Home", t.key_top, Action::Top)));
        v.push(hidden(b(End, "End", t.key_bottom, Action::Bottom)));
    }
    v.push(b(Char('?'), "?", t.key_help, Action::Help));
    v.push(b(Char('q'), "q", t.key_quit, Action::Quit));
}

/// The wizard's keys: the step's own, then back (or leave), help and the only way out.
fn wizard(v: &mut Vec<Binding>, w: WizardMode, ctx: &KeyContext, t: &Texts) {
    use KeyCode::*;
    let wiz = |code, key, label, a| b(code, key, label, Action::Wizard(a));
    match w {
        WizardMode::Form { on_toggle } => {
            v.push(wiz(Enter, "Enter", t.key_continue, WizardAction::Next));
            v.push(wiz(Tab, "Tab", t.key_next_field, WizardAction::NextField));
            v.push(hidden(wiz(Down, "↓", t.key_next_field, WizardAction::NextField)));
            v.push(hidden(wiz(BackTab, "S-Tab", t.key_prev_field, WizardAction::PrevField)));
            v.push(hidden(wiz(Up, "↑", t.key_prev_field, WizardAction::PrevField)));
            if on_toggle {
                v.push(wiz(Char(' '), "Space", t.key_toggle, WizardAction::Toggle));
            }
        }
        WizardMode::Test { running, ok } => {
            if !running {
                if ok {
                    v.push(wiz(Enter, "Enter", t.key_continue, WizardAction::Next));
                }
                v.push(wiz(Char('r'), "r", t.key_test_again, WizardAction::RetryTest));
                v.push(wiz(Char('e'), "e", t.key_edit, WizardAction::Edit));
            }
        }
        WizardMode::List { multi } => {
            v.push(wiz(Enter, "Enter", t.key_continue, WizardAction::Next));
            if multi {
                v.push(wiz(Char(' '), "Space", t.key_toggle, WizardAction::Toggle));
            }
            v.push(wiz(Down, "↓", t.key_down, WizardAction::Down));
            v.push(hidden(wiz(Up, "↑", t.key_up, WizardAction::Up)));
        }
        WizardMode::Review => {
            v.push(wiz(Enter, "Enter", t.key_save, WizardAction::Next));
            if ctx.edit_review {
                v.push(wiz(Char('e'), "e", t.key_edit, WizardAction::Edit));
            }
            v.push(wiz(Down, "↓", t.key_scroll, WizardAction::Down));
            v.push(hidden(wiz(Up, "↑", t.key_scroll, WizardAction::Up)));
            v.push(hidden(wiz(PageDown, "PgDn", t.key_scroll, WizardAction::PageDown)));
            v.push(hidden(wiz(PageUp, "PgUp", t.key_scroll, WizardAction::PageUp)));
        }
    }
    let esc = if ctx.editing { t.key_leave } else { t.key_back };
    v.push(wiz(Esc, "Esc", esc, WizardAction::Back));
    v.push(hidden(b(F(1), "F1", t.key_help, Action::Help)));
    // Letters are text here, so the only way out is shown.
    let mut quit = ctrl_c(t);
    quit.bar = true;
    v.push(quit);
}

/// Retry-queue actions valid for an order in `state` (none for orders that are fine).
fn order_actions(v: &mut Vec<Binding>, state: Option<OrderState>, t: &Texts) {
    use KeyCode::Char;
    match state {
        Some(OrderState::Failed | OrderState::Dead) => {
            v.push(b(Char('r'), "r", t.key_retry, Action::Retry));
            v.push(b(Char('R'), "R", t.key_resync, Action::Resync));
            v.push(b(Char('s'), "s", t.key_skip, Action::AskSkip));
        }
        Some(OrderState::NeedsDecision) => {
            v.push(b(Char('a'), "a", t.key_choose, Action::ChooseClient));
            v.push(b(Char('R'), "R", t.key_resync, Action::Resync));
            v.push(b(Char('s'), "s", t.key_skip, Action::AskSkip));
        }
        Some(OrderState::Skipped) => {
            // Un-skipping fetches the order again and syncs it as new; `r` does the same
            // rather than nothing, as a skipped order has no attempts to keep.
            v.push(b(Char('R'), "R", t.key_unskip, Action::Resync));
            v.push(hidden(b(Char('r'), "r", t.key_unskip, Action::Resync)));
        }
        _ => {}
    }
}

/// Every order action, whatever the selected order's state, labelled with when it applies.
fn all_order_actions(t: &Texts) -> Vec<Binding> {
    use KeyCode::Char;
    vec![
        b(Char('r'), "r", t.help_retry, Action::Retry),
        b(Char('a'), "a", t.help_choose, Action::ChooseClient),
        b(Char('R'), "R", t.help_resync, Action::Resync),
        b(Char('R'), "R", t.help_unskip, Action::Resync),
        b(Char('s'), "s", t.help_skip, Action::AskSkip),
    ]
}

/// What `?` lists for `ctx`: every key of the pane or popup beneath, including the actions
/// that need a selected row (or a row in a particular state), not only those valid right now.
pub fn help_bindings(ctx: &KeyContext, t: &Texts) -> Vec<Binding> {
    let everything = KeyContext { has_rows: true, selected_state: None, filtered: true, ..*ctx };
    match ctx.mode {
        Mode::Normal(pane) => {
            let mut v = bindings(&everything, t);
            if pane == Pane::Retry {
                let at = v.iter().position(|b| b.code == KeyCode::Enter).map_or(0, |i| i + 1);
                v.splice(at..at, all_order_actions(t));
            }
            v
        }
        Mode::Detail => {
            let mut v = all_order_actions(t);
            v.extend(bindings(&everything, t));
            v
        }
        _ => bindings(ctx, t),
    }
}

/// The action bound to `key` in `bindings`, if any. Shift is implied by the character itself.
pub fn lookup(bindings: &[Binding], key: &KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let strip = |m: KeyModifiers| m.difference(KeyModifiers::SHIFT);
    bindings
        .iter()
        .find(|bd| bd.code == key.code && strip(bd.mods) == strip(key.modifiers))
        .map(|bd| bd.action.clone())
}
