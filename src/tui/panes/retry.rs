//! The Retry queue: failed, dead, waiting-for-a-decision and skipped orders, with why.

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::i18n::Texts;
use crate::tui::panes::orders::OrderTable;
use crate::tui::panes::table::TablePane;
use crate::tui::source::{OrderSort, OrderState, OrderView};
use crate::tui::widgets::table::Col;

/// The Retry table's columns: code, state, attempts, next attempt, reason.
#[derive(Debug, Clone)]
pub struct Retry;

pub type RetryPane = TablePane<Retry>;

pub fn pane() -> RetryPane {
    TablePane::new(Retry, OrderSort::Changed, true)
}

impl OrderTable for Retry {
    /// Skipped orders stay here too, so a skip can be undone with R (re-sync).
    const STATES: &'static [OrderState] =
        &[OrderState::Failed, OrderState::Dead, OrderState::NeedsDecision, OrderState::Skipped];

    fn sorts(&self) -> &'static [OrderSort] {
        &[OrderSort::Code, OrderSort::Status, OrderSort::Attempts, OrderSort::NextAttempt, OrderSort::Changed]
    }
    fn title(&self, t: &'static Texts) -> String {
        t.pane_retry.to_string()
    }
    fn headers(&self, t: &'static Texts) -> Vec<&'static str> {
        vec![t.col_code, t.col_state, t.col_attempts, t.col_next_attempt, t.col_reason]
    }
    fn widths(&self) -> Vec<Col> {
        vec![
            Col::Content { max: 12 },
            Col::Content { max: 16 },
            Col::Content { max: 6 },
            Col::Content { max: 16 },
            Col::Fill,
        ]
    }
    fn cells(&self, o: &OrderView, ctx: &ViewCtx) -> Vec<String> {
        vec![
            o.code.clone(),
            ctx.t.state_name(o.state).to_string(),
            o.attempts.to_string(),
            format::next_attempt(o.next_attempt, ctx.now, ctx.tz),
            o.reason
                .as_ref()
                .map(|r| format::localize_utc(&ctx.t.reason(r, &ctx.tz), ctx.tz))
                .unwrap_or_default(),
        ]
    }
    fn sort_column(&self, sort: OrderSort) -> Option<usize> {
        match sort {
            OrderSort::Code => Some(0),
            OrderSort::Status => Some(1),
            OrderSort::Attempts => Some(2),
            OrderSort::NextAttempt => Some(3),
            OrderSort::Customer | OrderSort::Total | OrderSort::Changed => None,
        }
    }
    fn empty(&self, t: &'static Texts) -> &'static str {
        t.empty_retry
    }
}
