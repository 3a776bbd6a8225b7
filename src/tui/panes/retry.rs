//! The Retry queue: failed, dead, waiting-for-a-decision and skipped orders, with why.

use ratatui::style::Style;

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::i18n::Texts;
use crate::tui::panes::orders;
use crate::tui::panes::table::{Columns, PageRequest, TablePane};
use crate::tui::source::{DashboardSource, OrderSort, OrderState, OrderView, OrdersQuery, Page};
use crate::tui::widgets::table::Col;

/// The Retry table's columns: code, state, attempts, next attempt, reason.
#[derive(Debug, Clone)]
pub struct Retry;

/// Skipped orders stay here too, so a skip can be undone with R (re-sync).
const STATES: [OrderState; 4] =
    [OrderState::Failed, OrderState::Dead, OrderState::NeedsDecision, OrderState::Skipped];

pub type RetryPane = TablePane<Retry>;

pub fn pane() -> RetryPane {
    TablePane::new(Retry, OrderSort::Changed, true)
}

impl Columns for Retry {
    type Row = OrderView;
    type Sort = OrderSort;
    type Query = OrdersQuery;

    fn sorts(&self) -> &'static [OrderSort] {
        &[OrderSort::Code, OrderSort::Status, OrderSort::Attempts, OrderSort::NextAttempt, OrderSort::Changed]
    }
    fn query(&self, page: PageRequest<OrderSort>) -> OrdersQuery {
        orders::query(&STATES, page)
    }
    fn fetch(&self, source: &dyn DashboardSource, query: &OrdersQuery) -> Result<Page<OrderView>, String> {
        orders::fetch(source, query)
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
    fn style(&self, o: &OrderView) -> Style {
        orders::style(o)
    }
    fn sort_mark(&self, sort: OrderSort, descending: bool) -> Option<(usize, bool)> {
        let col = match sort {
            OrderSort::Code => 0,
            OrderSort::Status => 1,
            OrderSort::Attempts => 2,
            OrderSort::NextAttempt => 3,
            OrderSort::Customer | OrderSort::Total | OrderSort::Changed => return None,
        };
        Some((col, descending))
    }
    fn empty(&self, t: &'static Texts) -> &'static str {
        t.empty_retry
    }
    fn info(&self, o: &OrderView, ctx: &ViewCtx) -> Option<(String, Style)> {
        orders::info(o, ctx)
    }
    fn hint(&self, t: &'static Texts) -> &'static str {
        t.hint_tables
    }
    fn order<'r>(&self, o: &'r OrderView) -> Option<(&'r str, Option<OrderState>)> {
        orders::order(o)
    }
}
