//! What the two order tables (Pending and Retry) share: the query by state, the row colours,
//! the reason line under the table and the order keys; each says only its states and columns
//! ([`OrderTable`]).

use ratatui::style::{Color, Style};

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::i18n::Texts;
use crate::tui::panes::table::{Columns, PageRequest};
use crate::tui::source::{DashboardSource, OrderSort, OrderState, OrderView, OrdersQuery, Page};
use crate::tui::widgets::table::Col;

/// A table of the orders in some states: what Pending and Retry do not share.
pub trait OrderTable {
    /// The states the table lists.
    const STATES: &'static [OrderState];
    /// The sorts `o` cycles through, in order.
    fn sorts(&self) -> &'static [OrderSort];
    fn title(&self, t: &'static Texts) -> String;
    fn headers(&self, t: &'static Texts) -> Vec<&'static str>;
    fn widths(&self) -> Vec<Col>;
    fn cells(&self, o: &OrderView, ctx: &ViewCtx) -> Vec<String>;
    /// The column marked when the table is sorted by `sort` (none for a sort it does not show).
    fn sort_column(&self, sort: OrderSort) -> Option<usize>;
    /// Shown instead of an empty table.
    fn empty(&self, t: &'static Texts) -> &'static str;
}

impl<T: OrderTable> Columns for T {
    type Row = OrderView;
    type Sort = OrderSort;
    type Query = OrdersQuery;

    fn sorts(&self) -> &'static [OrderSort] {
        OrderTable::sorts(self)
    }
    fn query(&self, page: PageRequest<OrderSort>) -> OrdersQuery {
        query(T::STATES, page)
    }
    fn fetch(&self, source: &dyn DashboardSource, query: &OrdersQuery) -> Result<Page<OrderView>, String> {
        fetch(source, query)
    }
    fn title(&self, t: &'static Texts) -> String {
        OrderTable::title(self, t)
    }
    fn headers(&self, t: &'static Texts) -> Vec<&'static str> {
        OrderTable::headers(self, t)
    }
    fn widths(&self) -> Vec<Col> {
        OrderTable::widths(self)
    }
    fn cells(&self, o: &OrderView, ctx: &ViewCtx) -> Vec<String> {
        OrderTable::cells(self, o, ctx)
    }
    fn style(&self, o: &OrderView) -> Style {
        style(o)
    }
    fn sort_mark(&self, sort: OrderSort, descending: bool) -> Option<(usize, bool)> {
        self.sort_column(sort).map(|col| (col, descending))
    }
    fn empty(&self, t: &'static Texts) -> &'static str {
        OrderTable::empty(self, t)
    }
    fn info(&self, o: &OrderView, ctx: &ViewCtx) -> Option<(String, Style)> {
        info(o, ctx)
    }
    fn hint(&self, t: &'static Texts) -> &'static str {
        t.hint_tables
    }
    fn order<'r>(&self, o: &'r OrderView) -> Option<(&'r str, Option<OrderState>)> {
        order(o)
    }
}

/// The orders in `states`, one window of them.
pub fn query(states: &[OrderState], page: PageRequest<OrderSort>) -> OrdersQuery {
    OrdersQuery {
        states: states.to_vec(),
        search: page.search,
        sort: page.sort,
        descending: page.descending,
        offset: page.offset,
        limit: page.limit,
    }
}

pub fn fetch(source: &dyn DashboardSource, query: &OrdersQuery) -> Result<Page<OrderView>, String> {
    source.orders(query)
}

/// Dead in red, waiting for a decision in yellow, skipped greyed out.
pub fn style(o: &OrderView) -> Style {
    match o.state {
        OrderState::Dead => Style::new().fg(Color::Red),
        OrderState::NeedsDecision => Style::new().fg(Color::Yellow),
        OrderState::Skipped => Style::new().fg(Color::DarkGray),
        _ => Style::new(),
    }
}

/// Why the order waits, in full, coloured by how bad it is.
pub fn info(o: &OrderView, ctx: &ViewCtx) -> Option<(String, Style)> {
    let reason = o.reason.as_ref()?;
    let color = match o.state {
        OrderState::Failed | OrderState::Dead => Color::Red,
        OrderState::Skipped => Color::DarkGray,
        _ => Color::Yellow,
    };
    let text = format::localize_utc(&ctx.t.reason(reason, &ctx.tz), ctx.tz);
    Some((format!("⚠ {text}"), Style::new().fg(color)))
}

/// The order a row is, with its state.
pub fn order(o: &OrderView) -> Option<(&str, Option<OrderState>)> {
    Some((o.code.as_str(), Some(o.state)))
}
