//! Activity log: audit events, newest first.

use ratatui::style::Style;

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::i18n::Texts;
use crate::tui::panes::table::{Columns, PageRequest, TablePane};
use crate::tui::source::{ActivityQuery, ActivityView, DashboardSource, OrderState, Page};
use crate::tui::widgets::table::Col;
use crate::tui::widgets::window::Window;

/// The Log table's columns: time, order, event, message. Always newest first.
#[derive(Debug, Clone, Default)]
pub struct Log;

pub type ActivityPane = TablePane<Log>;

pub fn pane() -> ActivityPane {
    TablePane::new(Log, (), true)
}

/// The entry in the user's language; times written in UTC by older versions follow the zone.
fn line(a: &ActivityView, ctx: &ViewCtx) -> String {
    format::localize_utc(&ctx.t.audit_line(&a.entry, a.change, &ctx.tz), ctx.tz)
}

impl Columns for Log {
    type Row = ActivityView;
    type Sort = ();
    type Query = ActivityQuery;
    const FOLLOWS_NEWEST: bool = true;

    fn sorts(&self) -> &'static [()] {
        &[]
    }
    fn query(&self, page: PageRequest<()>) -> ActivityQuery {
        ActivityQuery { search: page.search, offset: page.offset, limit: page.limit }
    }
    fn fetch(
        &self,
        source: &dyn DashboardSource,
        query: &ActivityQuery,
    ) -> Result<Page<ActivityView>, String> {
        source.activity(query)
    }
    fn title(&self, t: &'static Texts) -> String {
        t.pane_activity.to_string()
    }
    fn headers(&self, t: &'static Texts) -> Vec<&'static str> {
        vec![t.col_time, t.col_order, t.col_event, t.col_message]
    }
    fn widths(&self) -> Vec<Col> {
        vec![Col::Fixed(16), Col::Content { max: 12 }, Col::Content { max: 14 }, Col::Fill]
    }
    fn cells(&self, a: &ActivityView, ctx: &ViewCtx) -> Vec<String> {
        vec![
            format::time(a.at, ctx.tz),
            a.order_code.clone().unwrap_or_default(),
            ctx.t.activity_kind(a.entry.kind()),
            // The Event column says what happened; the line under the table adds the state change.
            format::localize_utc(&ctx.t.activity(&a.entry, &ctx.tz), ctx.tz),
        ]
    }
    fn sort_mark(&self, _sort: (), _descending: bool) -> Option<(usize, bool)> {
        Some((0, true))
    }
    fn empty(&self, t: &'static Texts) -> &'static str {
        t.empty_activity
    }
    fn info(&self, a: &ActivityView, ctx: &ViewCtx) -> Option<(String, Style)> {
        Some((line(a, ctx), Style::new()))
    }
    fn hint(&self, t: &'static Texts) -> &'static str {
        t.hint_activity
    }
    /// A log line about an order opens that order.
    fn order<'r>(&self, a: &'r ActivityView) -> Option<(&'r str, Option<OrderState>)> {
        a.order_code.as_deref().map(|code| (code, None))
    }
    /// Enter is offered only on a line about an order.
    fn has_rows(&self, window: &Window<ActivityView>) -> bool {
        window.selected_row().is_some_and(|a| a.order_code.is_some())
    }
}
