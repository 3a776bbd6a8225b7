//! The two order tables: Pending orders and the Retry queue.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use crate::tui::action::Pane;
use crate::tui::app::App;
use crate::tui::format;
use crate::tui::source::{OrderSort, OrderState, OrderView, OrdersQuery};
use crate::tui::widgets::table::{self, Col, TableSpec};
use crate::tui::widgets::window::Window;

#[derive(Debug, Clone)]
pub struct OrdersPane {
    pub states: Vec<OrderState>,
    pub search: String,
    pub sort: OrderSort,
    pub descending: bool,
    pub window: Window<OrderView>,
}

impl OrdersPane {
    pub fn new(states: Vec<OrderState>) -> OrdersPane {
        OrdersPane {
            states,
            search: String::new(),
            sort: OrderSort::Changed,
            descending: true,
            window: Window::default(),
        }
    }

    pub fn query(&self, limit: u64) -> OrdersQuery {
        OrdersQuery {
            states: self.states.clone(),
            search: self.search.clone(),
            sort: self.sort,
            descending: self.descending,
            offset: self.window.offset,
            limit,
        }
    }

    /// Next sort column among the ones this table shows.
    pub fn cycle_sort(&mut self) {
        let cols = self.columns();
        let i = cols.iter().position(|c| *c == self.sort).map_or(0, |i| i + 1);
        self.sort = cols[i % cols.len()];
        self.window.reset();
    }

    fn is_retry(&self) -> bool {
        self.states.contains(&OrderState::Failed)
    }

    fn columns(&self) -> &'static [OrderSort] {
        if self.is_retry() {
            &[
                OrderSort::Code,
                OrderSort::Status,
                OrderSort::Attempts,
                OrderSort::NextAttempt,
                OrderSort::Changed,
            ]
        } else {
            &[OrderSort::Code, OrderSort::Status, OrderSort::Customer, OrderSort::Total, OrderSort::Changed]
        }
    }

    pub fn render(&self, f: &mut Frame, area: Rect, app: &App, pane: Pane) {
        let t = app.t;
        let tz = app.tz();
        let retry = pane == Pane::Retry;
        let (headers, widths): (Vec<&str>, Vec<Col>) = if retry {
            (
                vec![t.col_code, t.col_state, t.col_attempts, t.col_next_attempt, t.col_reason],
                vec![
                    Col::Content { max: 12 },
                    Col::Content { max: 16 },
                    Col::Content { max: 6 },
                    Col::Content { max: 16 },
                    Col::Fill,
                ],
            )
        } else {
            (
                vec![t.col_code, t.col_status, t.col_customer, t.col_total, t.col_currency, t.col_changed],
                vec![
                    Col::Fixed(10),
                    Col::Fixed(12),
                    Col::Fill,
                    Col::Fixed(11),
                    Col::Fixed(4),
                    Col::Fixed(16),
                ],
            )
        };
        let rows = self
            .window
            .page
            .rows
            .iter()
            .map(|o| {
                if retry {
                    vec![
                        o.code.clone(),
                        t.state_name(o.state).to_string(),
                        o.attempts.to_string(),
                        format::next_attempt(o.next_attempt, app.now, tz),
                        o.last_error.as_deref().map(|e| format::localize_utc(e, tz)).unwrap_or_default(),
                    ]
                } else {
                    vec![
                        o.code.clone(),
                        o.status.clone(),
                        o.customer.clone(),
                        format!("{:>11}", o.total),
                        o.currency.clone(),
                        format::time_opt(o.changed_at, tz),
                    ]
                }
            })
            .collect();
        let row_styles = self
            .window
            .page
            .rows
            .iter()
            .map(|o| match o.state {
                OrderState::Dead => Style::new().fg(Color::Red),
                OrderState::NeedsDecision => Style::new().fg(Color::Yellow),
                OrderState::Skipped => Style::new().fg(Color::DarkGray),
                _ => Style::new(),
            })
            .collect();
        let sort_col = match (retry, self.sort) {
            (_, OrderSort::Code) => Some(0),
            (_, OrderSort::Status) => Some(1),
            (true, OrderSort::Attempts) => Some(2),
            (true, OrderSort::NextAttempt) => Some(3),
            (false, OrderSort::Customer) => Some(2),
            (false, OrderSort::Total) => Some(3),
            (false, OrderSort::Changed) => Some(5),
            _ => None,
        };
        let mut title = if retry { t.pane_retry } else { t.pane_pending }.to_string();
        if !self.search.is_empty() {
            title.push_str(&format!(" — /{}", self.search));
        }
        table::render(
            f,
            area,
            TableSpec {
                title,
                headers,
                widths,
                rows,
                row_styles,
                selected: self.window.selected_in_page(),
                total: self.window.page.total,
                offset: self.window.offset,
                error: self.window.error.as_deref(),
                empty: if retry { t.empty_retry } else { t.empty_pending },
                sort: sort_col.map(|c| (c, self.descending)),
                of: t.of,
            },
        );
    }
}
