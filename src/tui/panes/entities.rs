//! Clients and Products: what the sync matched in RAYNET and what it created.

use ratatui::style::{Color, Style};

use crate::tui::ctx::ViewCtx;
use crate::tui::i18n::Texts;
use crate::tui::panes::table::{Columns, PageRequest, TablePane};
use crate::tui::source::{
    DashboardSource, EntitiesQuery, EntityKind, EntitySort, EntityView, MatchHow, Page,
};
use crate::tui::widgets::table::Col;

/// The Matches table's columns, and which entities it shows: clients or products, matched,
/// created or both.
#[derive(Debug, Clone, Default)]
pub struct Matches {
    pub kind: EntityKind,
    pub how: Option<MatchHow>,
}

pub type EntitiesPane = TablePane<Matches>;

pub fn pane() -> EntitiesPane {
    TablePane::new(Matches::default(), EntitySort::default(), false)
}

impl TablePane<Matches> {
    /// `k`: clients ↔ products.
    pub fn toggle_kind(&mut self) {
        self.columns.kind = match self.columns.kind {
            EntityKind::Client => EntityKind::Product,
            EntityKind::Product => EntityKind::Client,
        };
        self.window.reset();
    }

    /// `h`: all → matched → created → all.
    pub fn cycle_how(&mut self) {
        self.columns.how = match self.columns.how {
            None => Some(MatchHow::Matched),
            Some(MatchHow::Matched) => Some(MatchHow::Created),
            Some(MatchHow::Created) => None,
        };
        self.window.reset();
    }
}

impl Columns for Matches {
    type Row = EntityView;
    type Sort = EntitySort;
    type Query = EntitiesQuery;

    fn sorts(&self) -> &'static [EntitySort] {
        &EntitySort::ALL
    }
    fn query(&self, page: PageRequest<EntitySort>) -> EntitiesQuery {
        EntitiesQuery {
            kind: self.kind,
            how: self.how,
            search: page.search,
            sort: page.sort,
            descending: page.descending,
            offset: page.offset,
            limit: page.limit,
        }
    }
    fn fetch(&self, source: &dyn DashboardSource, query: &EntitiesQuery) -> Result<Page<EntityView>, String> {
        source.entities(query)
    }
    fn title(&self, t: &'static Texts) -> String {
        let kind = match self.kind {
            EntityKind::Client => t.clients,
            EntityKind::Product => t.products,
        };
        let how = match self.how {
            None => t.how_all,
            Some(h) => t.how_name(h),
        };
        format!("{kind} · {how}")
    }
    fn headers(&self, t: &'static Texts) -> Vec<&'static str> {
        vec![t.col_name, t.col_how, t.col_matched_by, t.col_raynet_id, t.col_shoptet_key]
    }
    fn widths(&self) -> Vec<Col> {
        vec![
            Col::FillApart,
            Col::Content { max: 11 },
            Col::Content { max: 12 },
            Col::Content { max: 10 },
            Col::Content { max: 24 },
        ]
    }
    fn cells(&self, e: &EntityView, ctx: &ViewCtx) -> Vec<String> {
        vec![
            e.name.clone(),
            ctx.t.how_name(e.how).to_string(),
            e.matched_by.as_deref().map_or_else(|| "—".into(), |k| ctx.t.match_key(k)),
            e.raynet_id.to_string(),
            e.shoptet_key.clone(),
        ]
    }
    /// Created records in green.
    fn style(&self, e: &EntityView) -> Style {
        match e.how {
            MatchHow::Created => Style::new().fg(Color::Green),
            MatchHow::Matched => Style::new(),
        }
    }
    fn sort_mark(&self, sort: EntitySort, descending: bool) -> Option<(usize, bool)> {
        let col = match sort {
            EntitySort::Name => 0,
            EntitySort::How => 1,
            EntitySort::RaynetId => 3,
            EntitySort::ShoptetKey => 4,
        };
        Some((col, descending))
    }
    fn empty(&self, t: &'static Texts) -> &'static str {
        t.empty_entities
    }
    fn info(&self, e: &EntityView, _ctx: &ViewCtx) -> Option<(String, Style)> {
        Some((format!("▶ {} — {}", e.name, e.shoptet_key), Style::new()))
    }
    fn hint(&self, t: &'static Texts) -> &'static str {
        t.hint_entities
    }
}
