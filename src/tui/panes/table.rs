//! One sortable, filterable table over a paged query. The Pending, Retry, Matches and Log panes
//! are each a `TablePane` with their own `Columns`: what they ask the source for and how a row
//! looks. Sorting, the filter, the window of fetched rows and drawing live here once.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use crate::tui::ctx::ViewCtx;
use crate::tui::i18n::Texts;
use crate::tui::source::{DashboardSource, OrderState, Page};
use crate::tui::widgets::table::{self, Col, TableSpec};
use crate::tui::widgets::window::Window;

/// The part of a query every table shares: the filter, the sort and the window.
#[derive(Debug, Clone)]
pub struct PageRequest<S> {
    pub search: String,
    pub sort: S,
    pub descending: bool,
    pub offset: u64,
    pub limit: u64,
}

/// What makes one table pane itself: its query, its columns and the lines under it.
pub trait Columns {
    type Row: Clone + PartialEq;
    type Sort: Copy + PartialEq + 'static;
    type Query;

    /// The sorts `o` cycles through, in order; empty for a table in a fixed order.
    fn sorts(&self) -> &'static [Self::Sort];
    /// The query for one window of rows.
    fn query(&self, page: PageRequest<Self::Sort>) -> Self::Query;
    fn fetch(&self, source: &dyn DashboardSource, query: &Self::Query) -> Result<Page<Self::Row>, String>;
    /// The table's name (the search is added after it).
    fn title(&self, t: &'static Texts) -> String;
    fn headers(&self, t: &'static Texts) -> Vec<&'static str>;
    fn widths(&self) -> Vec<Col>;
    fn cells(&self, row: &Self::Row, ctx: &ViewCtx) -> Vec<String>;
    fn style(&self, _row: &Self::Row) -> Style {
        Style::new()
    }
    /// The header marked as sorted, and whether downwards.
    fn sort_mark(&self, sort: Self::Sort, descending: bool) -> Option<(usize, bool)>;
    /// Shown instead of an empty table.
    fn empty(&self, t: &'static Texts) -> &'static str;
    /// The selected row in full under the table (where the table cuts it); None shows the hint.
    fn info(&self, row: &Self::Row, ctx: &ViewCtx) -> Option<(String, Style)>;
    /// The keys worth knowing here, under the table when no row says more.
    fn hint(&self, t: &'static Texts) -> &'static str;
    /// The order a row is about, and its state when the row is an order: Enter opens it and
    /// the order keys act on it.
    fn order<'r>(&self, _row: &'r Self::Row) -> Option<(&'r str, Option<OrderState>)> {
        None
    }
    /// Whether Enter (and the order keys) have something to act on.
    fn has_rows(&self, window: &Window<Self::Row>) -> bool {
        window.page.total > 0
    }
    /// Newest first, with the cursor on the top row following the newest (the log).
    const FOLLOWS_NEWEST: bool = false;
}

/// A table pane: its columns, the search applied to it, its sort and the fetched window.
#[derive(Debug, Clone)]
pub struct TablePane<C: Columns> {
    pub columns: C,
    pub search: String,
    pub sort: C::Sort,
    pub descending: bool,
    pub window: Window<C::Row>,
}

impl<C: Columns> TablePane<C> {
    pub fn new(columns: C, sort: C::Sort, descending: bool) -> TablePane<C> {
        TablePane { columns, search: String::new(), sort, descending, window: Window::default() }
    }

    /// The query for a window of `limit` rows at the current offset.
    pub fn query(&self, limit: u64) -> C::Query {
        self.columns.query(PageRequest {
            search: self.search.clone(),
            sort: self.sort,
            descending: self.descending,
            offset: self.window.offset,
            limit,
        })
    }

    fn fetch(&self, source: &dyn DashboardSource, rows: u64) -> Result<Page<C::Row>, String> {
        self.columns.fetch(source, &self.query(rows))
    }

    /// Next sort column among the ones this table shows.
    pub fn cycle_sort(&mut self) {
        let sorts = self.columns.sorts();
        if sorts.is_empty() {
            return;
        }
        let i = sorts.iter().position(|s| *s == self.sort).map_or(0, |i| i + 1);
        self.sort = sorts[i % sorts.len()];
        self.window.reset();
    }

    /// Reads the window of `rows` rows: at most two fetches, the second only when the result
    /// shrank under the window.
    pub fn read(&mut self, source: &dyn DashboardSource, rows: u64) {
        if C::FOLLOWS_NEWEST {
            self.read_following(source, rows);
            return;
        }
        for _ in 0..2 {
            let result = self.fetch(source, rows);
            if !self.window.set(result, rows) {
                break;
            }
        }
    }

    /// Newest first: rows arriving push the rest down. With the cursor on the top row it
    /// follows the newest; anywhere else it stays on the row it was on.
    fn read_following(&mut self, source: &dyn DashboardSource, rows: u64) {
        let following = self.window.selected == 0;
        let total_before = self.window.page.total;
        let kept = self.window.selected_row().cloned();
        let mut result = self.fetch(source, rows);
        if !following
            && let (Ok(page), Some(kept)) = (&result, &kept)
            && page.total > total_before
        {
            let arrived = page.total - total_before;
            self.window.selected += arrived;
            self.window.offset += arrived;
            result = self.fetch(source, rows);
            // Old rows may have been pruned meanwhile: find the row itself in the page.
            let w = &mut self.window;
            if let Ok(page) = &result
                && page.rows.get((w.selected - w.offset) as usize) != Some(kept)
                && let Some(i) = page.rows.iter().position(|r| r == kept)
            {
                w.selected = w.offset + i as u64;
            }
        }
        if self.window.set(result, rows) {
            let again = self.fetch(source, rows);
            self.window.set(again, rows);
        }
    }

    pub fn render(&self, f: &mut Frame, area: Rect, ctx: &ViewCtx) {
        let t = ctx.t;
        let rows = self.window.page.rows.iter().map(|r| self.columns.cells(r, ctx)).collect();
        let row_styles = self.window.page.rows.iter().map(|r| self.columns.style(r)).collect();
        let mut title = self.columns.title(t);
        if !self.search.is_empty() {
            title.push_str(&format!(" — /{}", self.search));
        }
        table::render(
            f,
            area,
            TableSpec {
                title,
                headers: self.columns.headers(t),
                widths: self.columns.widths(),
                rows,
                row_styles,
                selected: self.window.selected_in_page(),
                total: self.window.page.total,
                offset: self.window.offset,
                error: self.window.error.as_deref(),
                empty: self.columns.empty(t),
                sort: self.columns.sort_mark(self.sort, self.descending),
                of: t.of,
            },
        );
    }
}

/// Any table pane, whatever its rows: what the app does with the one on screen.
pub trait AnyTable {
    fn search(&self) -> &str;
    fn search_mut(&mut self) -> &mut String;
    fn reset_window(&mut self);
    /// Moves the selection; true when the window moved (the rows must be read again).
    fn move_by(&mut self, delta: i64, rows: u64) -> bool;
    fn cycle_sort(&mut self);
    fn reverse_sort(&mut self);
    fn read(&mut self, source: &dyn DashboardSource, rows: u64);
    fn has_rows(&self) -> bool;
    /// The selected row's order and, when the row is an order, its state.
    fn selected_order(&self) -> Option<(&str, Option<OrderState>)>;
    /// The lines under the table: the selected row in full, or the pane's hint.
    fn info(&self, ctx: &ViewCtx) -> (String, Style);
    fn render(&self, f: &mut Frame, area: Rect, ctx: &ViewCtx);
}

impl<C: Columns> AnyTable for TablePane<C> {
    fn search(&self) -> &str {
        &self.search
    }
    fn search_mut(&mut self) -> &mut String {
        &mut self.search
    }
    fn reset_window(&mut self) {
        self.window.reset();
    }
    fn move_by(&mut self, delta: i64, rows: u64) -> bool {
        self.window.move_by(delta, rows)
    }
    fn cycle_sort(&mut self) {
        TablePane::cycle_sort(self);
    }
    fn reverse_sort(&mut self) {
        if !self.columns.sorts().is_empty() {
            self.descending ^= true;
        }
    }
    fn read(&mut self, source: &dyn DashboardSource, rows: u64) {
        TablePane::read(self, source, rows);
    }
    fn has_rows(&self) -> bool {
        self.columns.has_rows(&self.window)
    }
    fn selected_order(&self) -> Option<(&str, Option<OrderState>)> {
        self.window.selected_row().and_then(|r| self.columns.order(r))
    }
    fn info(&self, ctx: &ViewCtx) -> (String, Style) {
        let row = self.window.selected_row().and_then(|r| self.columns.info(r, ctx));
        row.unwrap_or_else(|| (self.columns.hint(ctx.t).to_string(), Style::new().fg(Color::DarkGray)))
    }
    fn render(&self, f: &mut Frame, area: Rect, ctx: &ViewCtx) {
        TablePane::render(self, f, area, ctx);
    }
}
