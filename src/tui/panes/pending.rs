//! Pending orders: found in Shoptet, not yet in RAYNET.

use ratatui::style::Style;

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::i18n::Texts;
use crate::tui::panes::orders;
use crate::tui::panes::table::{Columns, PageRequest, TablePane};
use crate::tui::source::{DashboardSource, OrderSort, OrderState, OrderView, OrdersQuery, Page};
use crate::tui::widgets::table::Col;

/// The Pending table's columns: code, Shoptet status, customer, total, currency, changed.
#[derive(Debug, Clone)]
pub struct Pending;

const STATES: [OrderState; 2] = [OrderState::Pending, OrderState::Queued];

pub type PendingPane = TablePane<Pending>;

pub fn pane() -> PendingPane {
    TablePane::new(Pending, OrderSort::Changed, true)
}

impl Columns for Pending {
    type Row = OrderView;
    type Sort = OrderSort;
    type Query = OrdersQuery;

    fn sorts(&self) -> &'static [OrderSort] {
        &[OrderSort::Code, OrderSort::Status, OrderSort::Customer, OrderSort::Total, OrderSort::Changed]
    }
    fn query(&self, page: PageRequest<OrderSort>) -> OrdersQuery {
        orders::query(&STATES, page)
    }
    fn fetch(&self, source: &dyn DashboardSource, query: &OrdersQuery) -> Result<Page<OrderView>, String> {
        orders::fetch(source, query)
    }
    fn title(&self, t: &'static Texts) -> String {
        t.pane_pending.to_string()
    }
    fn headers(&self, t: &'static Texts) -> Vec<&'static str> {
        vec![t.col_code, t.col_status, t.col_customer, t.col_total, t.col_currency, t.col_changed]
    }
    fn widths(&self) -> Vec<Col> {
        vec![Col::Fixed(10), Col::Fixed(12), Col::Fill, Col::Fixed(11), Col::Fixed(4), Col::Fixed(16)]
    }
    fn cells(&self, o: &OrderView, ctx: &ViewCtx) -> Vec<String> {
        vec![
            o.code.clone(),
            o.status.clone(),
            o.customer.clone(),
            format!("{:>11}", o.total),
            o.currency.clone(),
            format::time_opt(o.changed_at, ctx.tz),
        ]
    }
    fn style(&self, o: &OrderView) -> Style {
        orders::style(o)
    }
    fn sort_mark(&self, sort: OrderSort, descending: bool) -> Option<(usize, bool)> {
        let col = match sort {
            OrderSort::Code => 0,
            OrderSort::Status => 1,
            OrderSort::Customer => 2,
            OrderSort::Total => 3,
            OrderSort::Changed => 5,
            OrderSort::Attempts | OrderSort::NextAttempt => return None,
        };
        Some((col, descending))
    }
    fn empty(&self, t: &'static Texts) -> &'static str {
        t.empty_pending
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
