//! Configuration: the settings in force, ids resolved to names, secrets masked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};

use crate::tui::app::App;
use crate::tui::format;
use crate::tui::probe::label_of;
use crate::tui::wizard::Step;

pub const MASK: &str = "••••••••";

/// Each row and the setup step `e` reopens for it.
const ROW_STEPS: [Step; 16] = [
    Step::Review,
    Step::ShoptetConn,
    Step::ShoptetConn,
    Step::ShoptetConn,
    Step::RaynetConn,
    Step::RaynetConn,
    Step::RaynetConn,
    Step::RaynetConn,
    Step::FinalStatuses,
    Step::Owner,
    Step::Phase,
    Step::Source,
    Step::Category,
    Step::StartDate,
    Step::Review,
    Step::Webhook,
];

#[derive(Debug, Clone, Default)]
pub struct ConfigPane {
    pub selected: usize,
}

impl ConfigPane {
    pub fn move_by(&mut self, delta: i64) {
        let last = ROW_STEPS.len() as i64 - 1;
        self.selected = (self.selected as i64 + delta).clamp(0, last) as usize;
    }

    pub fn selected_step(&self) -> Step {
        ROW_STEPS.get(self.selected).copied().unwrap_or(Step::ShoptetConn)
    }

    /// (label, value) per row, in `ROW_STEPS` order.
    pub fn rows(app: &App) -> Option<Vec<(&'static str, String)>> {
        let t = app.t;
        let cfg = app.config.as_ref()?;
        let shop = app.names.shoptet();
        let crm = app.names.raynet();
        let statuses = shop.map(|s| s.statuses.as_slice());
        let finals =
            cfg.sync.final_status_ids.iter().map(|id| label_of(statuses, *id)).collect::<Vec<_>>().join(", ");
        let eshop = match (&app.names.shoptet, app.names.resolving) {
            (Some(Ok(s)), _) => {
                format!("{} (id {}, {}, {})", s.name, s.eshop_id, s.default_currency, s.timezone)
            }
            (Some(Err(e)), _) => format!("⚠ {e}"),
            (None, true) => t.resolving.to_string(),
            (None, false) => "—".into(),
        };
        let wh = &cfg.webhook;
        let webhook = if wh.enabled {
            format!("{} → {}", wh.listen.as_deref().unwrap_or("—"), wh.public_url.as_deref().unwrap_or("—"))
        } else {
            t.off.to_string()
        };
        Some(vec![
            (t.cfg_file, app.config_path.display().to_string()),
            (t.cfg_shoptet_url, cfg.shoptet.base_url.clone()),
            (t.cfg_eshop, eshop),
            (t.cfg_token, MASK.into()),
            (t.cfg_raynet_url, cfg.raynet.base_url.clone()),
            (t.cfg_instance, cfg.raynet.instance.clone()),
            (t.cfg_user, cfg.raynet.username.clone()),
            (t.cfg_api_key, MASK.into()),
            (t.cfg_final_statuses, finals),
            (t.cfg_owner, label_of(crm.map(|r| r.users.as_slice()), cfg.sync.default_owner_id)),
            (t.cfg_phase, label_of(crm.map(|r| r.phases.as_slice()), cfg.sync.business_case_phase_id)),
            (t.cfg_source, label_of(crm.map(|r| r.sources.as_slice()), cfg.sync.source_id)),
            (
                t.cfg_category,
                cfg.sync
                    .category_id
                    .map(|id| label_of(crm.map(|r| r.categories.as_slice()), id))
                    .unwrap_or_else(|| "—".into()),
            ),
            (t.cfg_start, format::time(cfg.sync.enabled_at.to_utc(), app.tz())),
            (t.cfg_poll, format!("{} s", cfg.sync.poll_interval_secs)),
            (t.cfg_webhook, webhook),
        ])
    }

    pub fn render(&self, f: &mut Frame, area: Rect, app: &App) {
        let t = app.t;
        let block = Block::default().borders(Borders::ALL).title(
            Line::from(format!(" {} ", t.pane_config)).style(Style::new().add_modifier(Modifier::BOLD)),
        );
        let Some(rows) = ConfigPane::rows(app) else {
            f.render_widget(Paragraph::new(t.no_config).block(block), area);
            return;
        };
        let label_width = rows.iter().map(|(l, _)| Line::from(*l).width()).max().unwrap_or(10) as u16;
        let table = Table::new(
            rows.into_iter().map(|(l, v)| {
                let style = if v.starts_with('⚠') { Style::new().fg(Color::Red) } else { Style::new() };
                Row::new(vec![l.to_string(), v]).style(style)
            }),
            [Constraint::Length(label_width), Constraint::Fill(1)],
        )
        .block(block)
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ");
        let mut state = TableState::default().with_selected(Some(self.selected));
        f.render_stateful_widget(table, area, &mut state);
    }
}
