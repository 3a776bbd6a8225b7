//! Activity log: audit events, newest first. Its search finds entries by the words shown (in
//! the dashboard's language), their kind codes, order codes and parameters.

use ratatui::style::Style;

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::i18n::{Lang, Texts};
use crate::tui::panes::table::{Columns, PageRequest, TablePane};
use crate::tui::source::{ActivityQuery, ActivityView, DashboardSource, OrderState, Page};
use crate::tui::widgets::table::Col;
use crate::tui::widgets::window::Window;

/// The Log table's columns: time, order, event, message. Always newest first. `lang`: the
/// language whose words the search matches.
#[derive(Debug, Clone, Default)]
pub struct Log {
    lang: Lang,
}

pub type ActivityPane = TablePane<Log>;

pub fn pane(lang: Lang) -> ActivityPane {
    TablePane::new(Log { lang }, (), true)
}

/// A search reads the log in pages of this many entries…
const SEARCH_BATCH: u64 = 500;
/// …and looks through the newest this many.
const SEARCH_DEPTH: u64 = 20_000;

impl Log {
    /// Whether `a` holds `needle`: in the words shown for it, or its codes and parameters.
    fn matches(&self, a: &ActivityView, needle: &str) -> bool {
        let t = self.lang.texts();
        let found = |hay: &str| crate::store::search_matches(hay, needle);
        found(&t.audit_line(&a.entry, a.change, &chrono::Utc))
            || found(&t.activity_kind(a.entry.kind()))
            || found(a.entry.kind())
            || found(&a.entry.search_text())
            || a.order_code.as_deref().is_some_and(found)
    }

    /// The page of entries that match `query.search` (newest first), and how many match.
    fn search(
        &self,
        source: &dyn DashboardSource,
        query: &ActivityQuery,
    ) -> Result<Page<ActivityView>, String> {
        let needle = query.search.trim();
        let (mut rows, mut total, mut offset) = (Vec::new(), 0u64, 0u64);
        while offset < SEARCH_DEPTH {
            let all = ActivityQuery { search: String::new(), offset, limit: SEARCH_BATCH };
            let page = source.activity(&all)?;
            let read = page.rows.len() as u64;
            for a in page.rows.into_iter().filter(|a| self.matches(a, needle)) {
                if total >= query.offset && (rows.len() as u64) < query.limit {
                    rows.push(a);
                }
                total += 1;
            }
            if read < SEARCH_BATCH {
                break;
            }
            offset += read;
        }
        Ok(Page { rows, total })
    }
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
        if query.search.trim().is_empty() { source.activity(query) } else { self.search(source, query) }
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
