//! Czech and English UI text: every string lives in `cs.rs` and `en.rs`, one field of `Texts`
//! each, so both languages stay complete (a missing field does not compile).

mod activity;
mod candidate;
pub mod cli;
mod config_parse;
mod config_problem;
mod cs;
pub mod doctor;
mod en;
mod engine_state;
pub mod plan;
mod progress;
mod reasons;
pub mod setup;
#[cfg(test)]
mod words_tests;

use crate::tui::action::Pane;
use crate::tui::source::{MatchHow, OrderState};

pub use cs::CS;
pub use en::EN;

/// The UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Cs,
    #[default]
    En,
}

impl Lang {
    /// From `LC_ALL`, `LC_MESSAGES` or `LANG` (first one set); Czech for `cs*`, else English.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
            .unwrap_or(Lang::En)
    }

    /// "cs", "cs_CZ.UTF-8", "czech", "en", "en_US.UTF-8", "C"…; None for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let code = s.split(['_', '-', '.', '@']).next().unwrap_or("");
        match code {
            "cs" | "cz" | "czech" | "cestina" | "čeština" => Some(Lang::Cs),
            "en" | "english" | "c" | "posix" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Cs => &CS,
            Lang::En => &EN,
        }
    }
}

impl Texts {
    /// "need attention" with Czech plural forms (1 vyžaduje, 2–4 vyžadují, 5+ vyžaduje).
    pub fn attention(&self, n: u64) -> &'static str {
        if self.lang == Lang::Cs && (2..=4).contains(&n) {
            "vyžadují pozornost"
        } else {
            self.need_attention
        }
    }

    /// "also applied to 2 more orders", for a client choice the customer's other orders share.
    pub fn also_applied(&self, n: u64) -> String {
        match (self.lang, n) {
            (Lang::Cs, 1) => "také použito u 1 další objednávky".to_string(),
            (Lang::Cs, n) => format!("také použito u {n} dalších objednávek"),
            (Lang::En, 1) => "also applied to 1 more order".to_string(),
            (Lang::En, n) => format!("also applied to {n} more orders"),
        }
    }
}

impl Texts {
    pub fn state_name(&self, s: OrderState) -> &'static str {
        match s {
            OrderState::Pending => self.st_pending,
            OrderState::Queued => self.st_queued,
            OrderState::Synced => self.st_synced,
            OrderState::Failed => self.st_failed,
            OrderState::NeedsDecision => self.st_needs_decision,
            OrderState::Skipped => self.st_skipped,
            OrderState::Dead => self.st_dead,
        }
    }

    pub fn how_name(&self, h: MatchHow) -> &'static str {
        match h {
            MatchHow::Matched => self.how_matched,
            MatchHow::Created => self.how_created,
        }
    }

    pub fn pane_tab(&self, p: Pane) -> &'static str {
        match p {
            Pane::Overview => self.tab_overview,
            Pane::Configuration => self.tab_config,
            Pane::Pending => self.tab_pending,
            Pane::Entities => self.tab_entities,
            Pane::Retry => self.tab_retry,
            Pane::Activity => self.tab_activity,
        }
    }
}

/// Every piece of UI text, one field each.
pub struct Texts {
    /// The language these texts are in (plural forms and sentences built in code follow it).
    pub lang: Lang,
    pub pane_overview: &'static str,
    pub pane_config: &'static str,
    pub pane_pending: &'static str,
    pub pane_entities: &'static str,
    pub pane_retry: &'static str,
    pub pane_activity: &'static str,
    pub tab_overview: &'static str,
    pub tab_config: &'static str,
    pub tab_pending: &'static str,
    pub tab_entities: &'static str,
    pub tab_retry: &'static str,
    pub tab_activity: &'static str,
    pub st_pending: &'static str,
    pub st_queued: &'static str,
    pub st_synced: &'static str,
    pub st_failed: &'static str,
    pub st_needs_decision: &'static str,
    pub st_skipped: &'static str,
    pub st_dead: &'static str,
    pub how_matched: &'static str,
    pub how_created: &'static str,
    pub how_all: &'static str,
    pub key_quit: &'static str,
    pub key_open: &'static str,
    pub key_retry: &'static str,
    pub key_resync: &'static str,
    pub key_skip: &'static str,
    pub key_choose: &'static str,
    pub key_edit: &'static str,
    pub key_kind: &'static str,
    pub key_how: &'static str,
    pub key_filter: &'static str,
    pub key_sort: &'static str,
    pub key_reverse: &'static str,
    pub key_pause: &'static str,
    pub key_resume: &'static str,
    pub key_sync_now: &'static str,
    pub key_next_pane: &'static str,
    pub key_prev_pane: &'static str,
    pub key_go_pane: &'static str,
    pub key_up: &'static str,
    pub key_down: &'static str,
    pub key_page_up: &'static str,
    pub key_page_down: &'static str,
    pub key_top: &'static str,
    pub key_bottom: &'static str,
    pub key_help: &'static str,
    pub key_apply: &'static str,
    pub key_clear: &'static str,
    pub key_close: &'static str,
    pub key_scroll: &'static str,
    pub key_yes_skip: &'static str,
    pub key_cancel: &'static str,
    pub key_choose_this: &'static str,
    pub key_continue: &'static str,
    pub key_next_field: &'static str,
    pub key_prev_field: &'static str,
    pub key_toggle: &'static str,
    pub key_test_again: &'static str,
    pub key_save: &'static str,
    pub key_back: &'static str,
    pub col_code: &'static str,
    pub col_state: &'static str,
    pub col_status: &'static str,
    pub col_customer: &'static str,
    pub col_total: &'static str,
    pub col_currency: &'static str,
    pub col_changed: &'static str,
    pub col_attempts: &'static str,
    pub col_next_attempt: &'static str,
    pub col_reason: &'static str,
    pub col_name: &'static str,
    pub col_how: &'static str,
    pub col_matched_by: &'static str,
    pub col_raynet_id: &'static str,
    pub col_shoptet_key: &'static str,
    pub col_time: &'static str,
    pub col_order: &'static str,
    pub col_event: &'static str,
    pub col_message: &'static str,
    pub of: &'static str,
    pub empty_pending: &'static str,
    pub empty_retry: &'static str,
    pub empty_entities: &'static str,
    pub empty_activity: &'static str,
    pub hint_tables: &'static str,
    pub hint_entities: &'static str,
    pub hint_activity: &'static str,
    pub engine: &'static str,
    pub engine_none: &'static str,
    pub engine_starting: &'static str,
    pub engine_running: &'static str,
    /// After the order shown, how many more are in flight: "+2 more".
    pub more_in_flight: &'static str,
    pub engine_paused: &'static str,
    pub engine_rate_limited: &'static str,
    pub until: &'static str,
    pub engine_auth: &'static str,
    pub auth_hint: &'static str,
    pub engine_config: &'static str,
    pub engine_stopped: &'static str,
    pub last_sync: &'static str,
    pub next_poll: &'static str,
    pub rate_limits: &'static str,
    pub clients: &'static str,
    pub products: &'static str,
    pub matched_n: &'static str,
    pub created_n: &'static str,
    pub orders: &'static str,
    pub first_sync: &'static str,
    pub per_hour: &'static str,
    pub need_attention: &'static str,
    pub source_error: &'static str,
    pub not_found: &'static str,
    pub order: &'static str,
    pub command_sent: &'static str,
    pub command_rejected: &'static str,
    pub engine_not_running: &'static str,
    pub skip_reason: &'static str,
    pub saved: &'static str,
    pub help_title: &'static str,
    pub confirm_skip_title: &'static str,
    pub confirm_skip_q: &'static str,
    pub confirm_skip_note: &'static str,
    pub picker_title: &'static str,
    pub create_new_client: &'static str,
    pub admin_link: &'static str,
    pub shoptet_data: &'static str,
    pub plan: &'static str,
    pub raynet_ids: &'static str,
    pub candidates: &'static str,
    pub api_calls: &'static str,
    pub audit: &'static str,
    pub cfg_file: &'static str,
    pub cfg_shoptet_url: &'static str,
    pub cfg_eshop: &'static str,
    pub cfg_token: &'static str,
    pub cfg_raynet_url: &'static str,
    pub cfg_instance: &'static str,
    pub cfg_user: &'static str,
    pub cfg_api_key: &'static str,
    pub cfg_final_statuses: &'static str,
    pub cfg_owner: &'static str,
    pub cfg_phase: &'static str,
    pub cfg_source: &'static str,
    pub cfg_category: &'static str,
    pub cfg_start: &'static str,
    pub cfg_poll: &'static str,
    pub cfg_webhook: &'static str,
    pub resolving: &'static str,
    pub off: &'static str,
    pub on: &'static str,
    pub no_config: &'static str,
    pub wizard_title: &'static str,
    pub step: &'static str,
    pub eshop: &'static str,
    pub currencies: &'static str,
    pub default_currency: &'static str,
    pub timezone: &'static str,
    pub statuses: &'static str,
    pub instance: &'static str,
    pub users: &'static str,
    pub phases: &'static str,
    pub sources: &'static str,
    pub testing: &'static str,
    pub test_ok: &'static str,
    pub test_failed: &'static str,
    pub test_failed_hint: &'static str,
    pub none_option: &'static str,
    pub err_pick_one: &'static str,
    pub list_empty: &'static str,
    pub incomplete: &'static str,
    pub review_hint: &'static str,
    pub saving: &'static str,
    pub save_failed: &'static str,
    pub not_needed: &'static str,
    pub f_shoptet_addon: &'static str,
    pub f_eshop_url: &'static str,
    pub err_eshop_url: &'static str,
    pub f_shoptet_url: &'static str,
    pub f_shoptet_token: &'static str,
    pub f_raynet_url: &'static str,
    pub f_instance: &'static str,
    pub f_username: &'static str,
    pub f_api_key: &'static str,
    pub f_start: &'static str,
    pub f_webhook: &'static str,
    pub f_listen: &'static str,
    pub f_public_url: &'static str,
    pub err_url: &'static str,
    pub err_shoptet_token_empty: &'static str,
    pub err_api_key_empty: &'static str,
    pub err_token_spaces: &'static str,
    pub err_instance: &'static str,
    pub err_email: &'static str,
    pub err_start: &'static str,
    pub err_listen: &'static str,
    pub err_public_url: &'static str,
    pub s_shoptet_conn: &'static str,
    pub s_shoptet_test: &'static str,
    pub s_raynet_conn: &'static str,
    pub s_raynet_test: &'static str,
    pub s_final: &'static str,
    pub s_owner: &'static str,
    pub s_phase: &'static str,
    pub s_source: &'static str,
    pub s_category: &'static str,
    pub s_start: &'static str,
    pub s_webhook: &'static str,
    pub s_review: &'static str,
    pub i_shoptet_conn: &'static str,
    pub i_shoptet_test: &'static str,
    pub i_raynet_conn: &'static str,
    pub i_raynet_test: &'static str,
    pub i_final: &'static str,
    pub i_owner: &'static str,
    pub i_phase: &'static str,
    pub i_source: &'static str,
    pub i_category: &'static str,
    pub i_start: &'static str,
    pub i_webhook: &'static str,
    pub i_review: &'static str,
    pub key_clear_filter: &'static str,
    pub key_discard: &'static str,
    pub key_keep_editing: &'static str,
    pub key_leave: &'static str,
    pub key_unskip: &'static str,
    pub help_retry: &'static str,
    pub help_choose: &'static str,
    pub help_resync: &'static str,
    pub help_unskip: &'static str,
    pub help_skip: &'static str,
    pub editing: &'static str,
    pub err_poll: &'static str,
    pub err_name_template: &'static str,
    pub err_final_and_cancelled: &'static str,
    pub f_poll: &'static str,
    pub f_name_template: &'static str,
    pub review_unchanged: &'static str,
    pub cfg_name_template: &'static str,
    pub cfg_cancelled: &'static str,
    pub cfg_cancelled_phase: &'static str,
    pub cancelled_phase_none: &'static str,
    pub client_word: &'static str,
    pub new_client: &'static str,
    pub due_now: &'static str,
    pub in_time: &'static str,
    pub s_options: &'static str,
    pub s_cancelled: &'static str,
    pub s_cancelled_phase: &'static str,
    pub i_options: &'static str,
    pub i_cancelled: &'static str,
    pub i_cancelled_phase: &'static str,
    pub confirm_discard_title: &'static str,
    pub confirm_discard_q: &'static str,
    pub not_in_raynet_yet: &'static str,
    pub now_label: &'static str,
    pub banner_remote: &'static str,
    pub daemon_owns: &'static str,
    pub daemon_no_answer: &'static str,
    pub changes: &'static str,
    pub nothing_changed: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_strings_pick_the_language() {
        assert_eq!(Lang::parse("cs_CZ.UTF-8"), Some(Lang::Cs));
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("C"), Some(Lang::En));
        assert_eq!(Lang::parse("de_DE.UTF-8"), None);
    }

    #[test]
    fn czech_texts_differ_from_english() {
        assert_ne!(CS.pane_overview, EN.pane_overview);
        assert!(CS.pane_pending.starts_with('Č'));
    }
}
