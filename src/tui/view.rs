//! Draws the whole screen from `App` state: tabs, status line, the pane, key bar, popups.
//! Each pane gets a `ViewCtx` and its own state, not the `App`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Tabs};

use crate::tui::action::Pane;
use crate::tui::app::{App, INFO_ROWS, Popup};
use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::panes::config::ConfigView;
use crate::tui::panes::overview::{self, OverviewView};
use crate::tui::panes::table::AnyTable;
use crate::tui::widgets::{keybar, popup};
use crate::tui::wizard::{self, Wizard};

impl App {
    /// Draws the whole screen.
    pub fn render(&self, f: &mut Frame) {
        render(self, f);
    }
}

pub fn render(app: &App, f: &mut Frame) {
    let ctx = app.ctx();
    let [tabs_area, status_area, main_area, keys_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(f.area());
    match &app.wizard {
        Some(w) => render_wizard(app, w, f, [tabs_area, status_area, main_area], &ctx),
        None => render_dashboard(app, f, [tabs_area, status_area, main_area], &ctx),
    }
    f.render_widget(Paragraph::new(keybar::line(&app.bindings(), keys_area.width)), keys_area);
    for (i, p) in app.popups.iter().enumerate() {
        let help = match p {
            Popup::Help => app.help_bindings(i),
            _ => Vec::new(),
        };
        popup::render(f, main_area, &ctx, p, &help);
    }
}

/// The setup wizard: its title (and the banner), where it is, the step.
fn render_wizard(
    app: &App,
    w: &Wizard,
    f: &mut Frame,
    [tabs_area, status_area, main_area]: [Rect; 3],
    ctx: &ViewCtx,
) {
    let t = ctx.t;
    let title = Line::from(vec![
        Span::styled(format!(" {} ", t.wizard_title), Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(app.banner.clone().map(|b| format!(" [{b}]")).unwrap_or_default()),
    ]);
    f.render_widget(Paragraph::new(title).style(Style::new().bg(Color::Blue).fg(Color::White)), tabs_area);
    f.render_widget(Paragraph::new(w.progress_line(t)), status_area);
    wizard::render::render(w, f, main_area, ctx);
}

/// The dashboard: tabs, the status line (with the banner where it fits), the pane.
fn render_dashboard(app: &App, f: &mut Frame, [tabs_area, status_area, main_area]: [Rect; 3], ctx: &ViewCtx) {
    let titles: Vec<String> =
        Pane::ALL.iter().enumerate().map(|(i, p)| format!("{} {}", i + 1, ctx.t.pane_tab(*p))).collect();
    let tabs_width = titles.iter().map(|s| format::width(s) as u16).sum::<u16>() + titles.len() as u16 - 1;
    let tabs = Tabs::new(titles)
        .select(app.pane.index())
        .highlight_style(Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD))
        .divider("│")
        .padding("", "");
    let banner = app.banner.as_deref().map(|b| format!(" {b} "));
    let banner_width = banner.as_deref().map_or(0, |b| format::width(b) as u16);
    // The banner sits beside the tabs when it fits there, else at the end of the status line.
    let banner_on_tabs = banner_width < tabs_area.width.saturating_sub(tabs_width);
    let banner_cols = if banner_on_tabs { banner_width } else { 0 };
    let [tabs_area, banner_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(banner_cols)]).areas(tabs_area);
    f.render_widget(tabs, tabs_area);
    let status_banner = if banner_on_tabs { 0 } else { banner_width.min(status_area.width / 2) };
    let [status_area, status_banner_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(status_banner)]).areas(status_area);
    if let Some(b) = &banner {
        let area = if banner_on_tabs { banner_area } else { status_banner_area };
        let style = Style::new().fg(Color::Black).bg(Color::Magenta).add_modifier(Modifier::BOLD);
        f.render_widget(Paragraph::new(Line::styled(format::clip(b, usize::from(area.width)), style)), area);
    }
    let long_flash = render_status(app, f, status_area, ctx);
    render_pane(app, f, main_area, ctx);
    if let Some(flash) = long_flash {
        render_notice(f, main_area, flash);
    }
}

/// The engine's state, how many orders need attention, and the flash when it fits; returns a
/// flash too long for the line.
fn render_status<'a>(app: &'a App, f: &mut Frame, area: Rect, ctx: &ViewCtx) -> Option<&'a str> {
    let (state, color) = overview::engine_state(app.status.as_ref(), ctx);
    let mut spans = vec![Span::styled(format!("● {state}"), Style::new().fg(color))];
    if let Ok(c) = &app.counts {
        let problems = c.failed + c.dead + c.needs_decision;
        if problems > 0 {
            spans.push(Span::styled(
                format!("  ⚠ {} {}", format::count(problems), ctx.t.attention(problems)),
                Style::new().fg(Color::Red),
            ));
        }
    }
    // A notice that fits goes on the status line; a longer one gets a box of its own.
    let mut long_flash = None;
    if let Some(flash) = &app.flash {
        let flash = format!("  » {flash}");
        if Line::from(spans.clone()).width() + format::width(&flash) <= usize::from(area.width) {
            spans.push(Span::styled(flash, Style::new().fg(Color::Yellow)));
        } else {
            long_flash = app.flash.as_deref();
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
    long_flash
}

/// The current pane; a table gets the lines under it.
fn render_pane(app: &App, f: &mut Frame, area: Rect, ctx: &ViewCtx) {
    match app.pane {
        Pane::Overview => {
            let data =
                OverviewView { status: app.status.as_ref(), overview: &app.overview, counts: &app.counts };
            overview::render(f, area, ctx, &data);
        }
        Pane::Configuration => {
            let view = ConfigView { config: app.config.as_ref(), path: &app.config_path, names: &app.names };
            app.config_pane.render(f, area, ctx, &view);
        }
        _ => {
            if let Some(table) = app.table() {
                let [pane_area, info_area] =
                    Layout::vertical([Constraint::Fill(1), Constraint::Length(INFO_ROWS)]).areas(area);
                table.render(f, pane_area, ctx);
                render_info(app, table, f, info_area, ctx);
            }
        }
    }
}

/// A notice too long for the status line, over the bottom of the pane until the next key.
fn render_notice(f: &mut Frame, area: Rect, text: &str) {
    let width = usize::from(area.width.saturating_sub(2));
    let lines: Vec<Line> = format::wrap(&format!("» {text}"), width, "  ")
        .into_iter()
        .take(4)
        .map(|l| Line::styled(l, Style::new().fg(Color::Yellow)))
        .collect();
    let h = (lines.len() as u16 + 1).min(area.height);
    let rect = Rect { y: area.bottom().saturating_sub(h), height: h, ..area };
    f.render_widget(Clear, rect);
    let block = Block::default().borders(Borders::TOP).border_style(Style::new().fg(Color::Yellow));
    f.render_widget(Paragraph::new(lines).block(block), rect);
}

/// The lines under a table: the filter being typed, or the selected row's full text (the
/// reason an order waits, an entity's whole name, a log message) where the table cuts it.
fn render_info(app: &App, table: &dyn AnyTable, f: &mut Frame, area: Rect, ctx: &ViewCtx) {
    if let Some((input, _)) = &app.filter {
        let width = area.width.saturating_sub(3) as usize;
        let scroll = input.visual_scroll(width);
        let line = Line::from(vec![
            Span::styled("/ ", Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)),
            Span::raw(input.value().chars().skip(scroll).collect::<String>()),
        ]);
        f.render_widget(Paragraph::new(line), area);
        let x = area.x + 2 + (input.visual_cursor().saturating_sub(scroll)) as u16;
        f.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    let (text, style) = table.info(ctx);
    let width = usize::from(area.width);
    let rows = usize::from(area.height);
    let mut lines = format::wrap(&text, width, "  ");
    if lines.len() > rows {
        lines.truncate(rows);
        if let Some(last) = lines.last_mut() {
            *last = format::clip(&format!("{last} …"), width);
        }
    }
    let lines: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, style)).collect();
    f.render_widget(Paragraph::new(lines), area);
}
