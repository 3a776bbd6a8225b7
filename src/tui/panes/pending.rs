//! Pending orders: found in Shoptet, not yet in RAYNET.

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::i18n::Texts;
use crate::tui::panes::orders::OrderTable;
use crate::tui::panes::table::TablePane;
use crate::tui::source::{OrderSort, OrderState, OrderView};
use crate::tui::widgets::table::Col;

/// The Pending table's columns: code, Shoptet status, customer, total, currency, changed.
#[derive(Debug, Clone)]
pub struct Pending;

pub type PendingPane = TablePane<Pending>;

pub fn pane() -> PendingPane {
    TablePane::new(Pending, OrderSort::Changed, true)
}

impl OrderTable for Pending {
    const STATES: &'static [OrderState] = &[OrderState::Pending, OrderState::Queued];

    fn sorts(&self) -> &'static [OrderSort] {
        &[OrderSort::Code, OrderSort::Status, OrderSort::Customer, OrderSort::Total, OrderSort::Changed]
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
    fn sort_column(&self, sort: OrderSort) -> Option<usize> {
        match sort {
            OrderSort::Code => Some(0),
            OrderSort::Status => Some(1),
            OrderSort::Customer => Some(2),
            OrderSort::Total => Some(3),
            OrderSort::Changed => Some(5),
            OrderSort::Attempts | OrderSort::NextAttempt => None,
        }
    }
    fn empty(&self, t: &'static Texts) -> &'static str {
        t.empty_pending
    }
}
