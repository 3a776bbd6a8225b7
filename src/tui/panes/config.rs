//! Configuration: the settings in force, ids resolved to names, secrets masked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};

use secrecy::ExposeSecret;

use crate::config::{Config, mask};
use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::names::Names;
use crate::tui::panes::config_checks::{self, ChecksView};
use crate::tui::probe::label_of;
use crate::tui::wizard::Step;

/// What the Configuration pane shows: the settings in force, where they live, and the names
/// behind their ids.
pub struct ConfigView<'a> {
    pub config: Option<&'a Config>,
    pub path: &'a std::path::Path,
    pub names: &'a Names,
}

/// What `e` opens for each row, in row order: the setting's step and the field to focus
/// (None: the config file itself, which walks through the whole setup).
const ROW_TARGETS: [Option<(Step, usize)>; 19] = [
    None,
    Some((Step::ShoptetConn, 0)),
    Some((Step::ShoptetConn, 0)),
    Some((Step::ShoptetConn, 1)),
    Some((Step::RaynetConn, 0)),
    Some((Step::RaynetConn, 1)),
    Some((Step::RaynetConn, 2)),
    Some((Step::RaynetConn, 3)),
    Some((Step::FinalStatuses, 0)),
    Some((Step::Owner, 0)),
    Some((Step::Phase, 0)),
    Some((Step::Source, 0)),
    Some((Step::Category, 0)),
    Some((Step::StartDate, 0)),
    Some((Step::Options, 0)),
    Some((Step::Options, 1)),
    Some((Step::CancelledStatuses, 0)),
    Some((Step::CancelledPhase, 0)),
    Some((Step::Webhook, 0)),
];

#[derive(Debug, Clone, Default)]
pub struct ConfigPane {
    pub selected: usize,
    /// The doctor's checks, shown instead of the settings after `d` (until Esc).
    pub checks: Option<ChecksView>,
}

impl ConfigPane {
    pub fn move_by(&mut self, delta: i64) {
        if let Some(view) = &mut self.checks {
            view.scroll = (i64::from(view.scroll) + delta).clamp(0, i64::from(u16::MAX)) as u16;
            return;
        }
        let last = ROW_TARGETS.len() as i64 - 1;
        self.selected = (self.selected as i64).saturating_add(delta).clamp(0, last) as usize;
    }

    /// `d`: the checks view opens and shows that they run.
    pub fn checks_started(&mut self) {
        self.checks = Some(ChecksView::default());
    }

    /// The checks' results (dropped when the view was left meanwhile).
    pub fn checks_done(&mut self, checks: Vec<crate::doctor::Check>) {
        if let Some(view) = &mut self.checks {
            view.result = Some(checks);
        }
    }

    /// The step and field `e` edits on the selected row; None walks the whole setup.
    pub fn selected_target(&self) -> Option<(Step, usize)> {
        ROW_TARGETS.get(self.selected).copied().flatten()
    }

    /// (label, value) per row, in `ROW_TARGETS` order.
    pub fn rows(ctx: &ViewCtx, view: &ConfigView<'_>) -> Option<Vec<(&'static str, String)>> {
        let t = ctx.t;
        let cfg = view.config?;
        let shop = view.names.shoptet();
        let crm = view.names.raynet();
        let statuses = shop.map(|s| s.statuses.as_slice());
        let finals =
            cfg.sync.final_status_ids.iter().map(|id| label_of(statuses, *id)).collect::<Vec<_>>().join(", ");
        let eshop = match (&view.names.shoptet, view.names.resolving) {
            (Some(Ok(s)), _) => {
                format!("{} (id {}, {}, {})", s.name, s.eshop_id, s.default_currency, s.timezone)
            }
            (Some(Err(e)), _) => format!("⚠ {}", format::one_line(e)),
            (None, true) => t.resolving.to_string(),
            (None, false) => "—".into(),
        };
        let cancelled = if cfg.sync.cancelled_status_ids.is_empty() {
            "—".to_string()
        } else {
            cfg.sync
                .cancelled_status_ids
                .iter()
                .map(|id| label_of(statuses, *id))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let cancelled_phase = match cfg.sync.cancelled_phase_id {
            Some(id) => label_of(crm.map(|r| r.phases.as_slice()), id),
            None => t.cancelled_phase_none.to_string(),
        };
        let wh = &cfg.webhook;
        let webhook = if wh.enabled {
            // Shoptet calls the public URL, which reaches the receiver listening here.
            format!("{} → {}", wh.public_url.as_deref().unwrap_or("—"), wh.listen.as_deref().unwrap_or("—"))
        } else {
            t.off.to_string()
        };
        Some(vec![
            (t.cfg_file, view.path.display().to_string()),
            (t.cfg_shoptet_url, cfg.shoptet.base_url.clone()),
            (t.cfg_eshop, eshop),
            (t.cfg_token, mask(cfg.shoptet.api_token.expose_secret())),
            (t.cfg_raynet_url, cfg.raynet.base_url.clone()),
            (t.cfg_instance, cfg.raynet.instance.clone()),
            (t.cfg_user, cfg.raynet.username.clone()),
            (t.cfg_api_key, mask(cfg.raynet.api_key.expose_secret())),
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
            (t.cfg_start, format::time(cfg.sync.enabled_at.to_utc(), ctx.tz)),
            (t.cfg_poll, format!("{} s", cfg.sync.poll_interval_secs)),
            (t.cfg_name_template, cfg.sync.name_template.clone()),
            (t.cfg_cancelled, cancelled),
            (t.cfg_cancelled_phase, cancelled_phase),
            (t.cfg_webhook, webhook),
        ])
    }

    pub fn render(&self, f: &mut Frame, area: Rect, ctx: &ViewCtx, view: &ConfigView<'_>) {
        if let Some(checks) = &self.checks {
            config_checks::render(checks, f, area, ctx);
            return;
        }
        let t = ctx.t;
        let block = Block::default().borders(Borders::ALL).title(
            Line::from(format!(" {} ", t.pane_config)).style(Style::new().add_modifier(Modifier::BOLD)),
        );
        let Some(rows) = ConfigPane::rows(ctx, view) else {
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
