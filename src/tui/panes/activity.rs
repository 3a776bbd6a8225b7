//! Activity log: audit events, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::app::App;
use crate::tui::format;
use crate::tui::source::{ActivityQuery, ActivityView};
use crate::tui::widgets::table::{self, Col, TableSpec};
use crate::tui::widgets::window::Window;

#[derive(Debug, Clone, Default)]
pub struct ActivityPane {
    pub search: String,
    pub window: Window<ActivityView>,
}

impl ActivityPane {
    pub fn query(&self, limit: u64) -> ActivityQuery {
        ActivityQuery { search: self.search.clone(), offset: self.window.offset, limit }
    }

    pub fn render(&self, f: &mut Frame, area: Rect, app: &App) {
        let t = app.t;
        let tz = app.tz();
        let rows = self
            .window
            .page
            .rows
            .iter()
            .map(|a| {
                vec![
                    format::time(a.at, tz),
                    a.order_code.clone().unwrap_or_default(),
                    a.kind.clone(),
                    format::localize_utc(&a.message, tz),
                ]
            })
            .collect();
        let mut title = t.pane_activity.to_string();
        if !self.search.is_empty() {
            title.push_str(&format!(" — /{}", self.search));
        }
        table::render(
            f,
            area,
            TableSpec {
                title,
                headers: vec![t.col_time, t.col_order, t.col_event, t.col_message],
                widths: vec![Col::Fixed(16), Col::Content { max: 12 }, Col::Content { max: 14 }, Col::Fill],
                rows,
                row_styles: Vec::new(),
                selected: self.window.selected_in_page(),
                total: self.window.page.total,
                offset: self.window.offset,
                error: self.window.error.as_deref(),
                empty: t.empty_activity,
                sort: Some((0, true)),
                of: t.of,
            },
        );
    }
}
