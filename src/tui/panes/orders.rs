//! What the two order tables (Pending and Retry) share: the query by state, the row colours
//! and the reason line under the table.

use ratatui::style::{Color, Style};

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::panes::table::PageRequest;
use crate::tui::source::{DashboardSource, OrderSort, OrderState, OrderView, OrdersQuery, Page};

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
