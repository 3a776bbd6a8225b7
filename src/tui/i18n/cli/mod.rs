//! The command line's own words (headers, labels, summary lines, progress) in Czech and
//! English: labels are fields of [`CliTexts`] (`cs.rs`, `en.rs`), sentences with numbers are
//! methods with both languages in one `match`. `--json` never goes through here.

mod actions;
mod commands;
mod cs;
mod en;
mod errors;
mod sentences;

use crate::store::OrderState;

use super::{Lang, Texts};

/// Every fixed piece of command-line text, one field each.
pub struct CliTexts {
    pub lang: Lang,
    /// Before a fatal error on stderr ("error: …").
    pub error_label: &'static str,
    /// `orders`' column headers: code, state, Shoptet status, customer, total, currency,
    /// attempts, next attempt, reason.
    pub head: [&'static str; 9],
    pub l_database: &'static str,
    pub l_logs: &'static str,
    pub logs_note: &'static str,
    pub l_eshop: &'static str,
    pub l_engine: &'static str,
    pub engine_holds: &'static str,
    pub not_running: &'static str,
    pub l_last_state: &'static str,
    pub l_cursor: &'static str,
    pub not_yet: &'static str,
    pub l_last_poll: &'static str,
    pub l_last_sync: &'static str,
    pub never: &'static str,
    pub l_raynet_requests: &'static str,
    pub unknown: &'static str,
    pub l_orders: &'static str,
    pub order: &'static str,
    pub l_state: &'static str,
    pub l_status: &'static str,
    pub l_customer: &'static str,
    pub l_total: &'static str,
    pub l_changed: &'static str,
    pub l_business_case: &'static str,
    pub l_attempts: &'static str,
    pub l_admin: &'static str,
    pub candidates: &'static str,
    pub plan: &'static str,
    pub done: &'static str,
    pub calls: &'static str,
    pub history: &'static str,
    pub now: &'static str,
    pub nothing_to_do: &'static str,
    pub nothing_queued: &'static str,
    pub first_sync: &'static str,
    pub backfill: &'static str,
    pub backlog: &'static str,
    pub never_ends: &'static str,
    pub bar_orders: &'static str,
    pub retry_later: &'static str,
    pub picks_up: &'static str,
    pub webhooks_key_reload: &'static str,
    pub webhooks_mismatch: &'static str,
    pub stored: &'static str,
    pub none: &'static str,
    pub on: &'static str,
    pub off: &'static str,
}

impl Texts {
    /// The command line's words in this language.
    pub fn cli(&self) -> &'static CliTexts {
        match self.lang {
            Lang::Cs => &cs::CS,
            Lang::En => &en::EN,
        }
    }
}

impl CliTexts {
    /// An order state as the command line names it (`needs-decision` in English, as typed in
    /// `--state`; words in Czech).
    pub fn state(&self, s: OrderState) -> String {
        self.outcome(s.as_str())
    }
}

#[cfg(test)]
mod tests;
