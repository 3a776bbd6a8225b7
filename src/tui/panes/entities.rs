//! Clients and Products: what the sync matched in RAYNET and what it created.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use crate::tui::app::App;
use crate::tui::source::{EntitiesQuery, EntityKind, EntitySort, EntityView, MatchHow};
use crate::tui::widgets::table::{self, Col, TableSpec};
use crate::tui::widgets::window::Window;

#[derive(Debug, Clone, Default)]
pub struct EntitiesPane {
    pub kind: EntityKind,
    pub how: Option<MatchHow>,
    pub search: String,
    pub sort: EntitySort,
    pub descending: bool,
    pub window: Window<EntityView>,
}

impl EntitiesPane {
    pub fn query(&self, limit: u64) -> EntitiesQuery {
        EntitiesQuery {
            kind: self.kind,
            how: self.how,
            search: self.search.clone(),
            sort: self.sort,
            descending: self.descending,
            offset: self.window.offset,
            limit,
        }
    }

    pub fn cycle_sort(&mut self) {
        let i = EntitySort::ALL.iter().position(|s| *s == self.sort).map_or(0, |i| i + 1);
        self.sort = EntitySort::ALL[i % EntitySort::ALL.len()];
        self.window.reset();
    }

    pub fn toggle_kind(&mut self) {
        self.kind = match self.kind {
            EntityKind::Client => EntityKind::Product,
            EntityKind::Product => EntityKind::Client,
        };
        self.window.reset();
    }

    pub fn render(&self, f: &mut Frame, area: Rect, app: &App) {
        let t = app.t;
        let rows = self
            .window
            .page
            .rows
            .iter()
            .map(|e| {
                vec![
                    e.name.clone(),
                    t.how_name(e.how).to_string(),
                    e.matched_by.clone().unwrap_or_else(|| "—".into()),
                    e.raynet_id.to_string(),
                    e.shoptet_key.clone(),
                ]
            })
            .collect();
        let row_styles = self
            .window
            .page
            .rows
            .iter()
            .map(|e| match e.how {
                MatchHow::Created => Style::new().fg(Color::Green),
                MatchHow::Matched => Style::new(),
            })
            .collect();
        let sort_col = match self.sort {
            EntitySort::Name => 0,
            EntitySort::How => 1,
            EntitySort::RaynetId => 3,
            EntitySort::ShoptetKey => 4,
        };
        let kind = match self.kind {
            EntityKind::Client => t.clients,
            EntityKind::Product => t.products,
        };
        let how = match self.how {
            None => t.how_all,
            Some(h) => t.how_name(h),
        };
        let mut title = format!("{kind} · {how}");
        if !self.search.is_empty() {
            title.push_str(&format!(" — /{}", self.search));
        }
        table::render(
            f,
            area,
            TableSpec {
                title,
                headers: vec![t.col_name, t.col_how, t.col_matched_by, t.col_raynet_id, t.col_shoptet_key],
                widths: vec![
                    Col::FillApart,
                    Col::Content { max: 11 },
                    Col::Content { max: 12 },
                    Col::Content { max: 10 },
                    Col::Content { max: 24 },
                ],
                rows,
                row_styles,
                selected: self.window.selected_in_page(),
                total: self.window.page.total,
                offset: self.window.offset,
                error: self.window.error.as_deref(),
                empty: t.empty_entities,
                sort: Some((sort_col, self.descending)),
                of: t.of,
            },
        );
    }
}
