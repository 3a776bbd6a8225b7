//! Draws the whole screen from `App` state: tabs, status line, the pane, key bar, popups.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Tabs};

use crate::tui::action::Pane;
use crate::tui::app::App;
use crate::tui::format;
use crate::tui::panes::overview;
use crate::tui::source::OrderState;
use crate::tui::widgets::{keybar, popup};
use crate::tui::wizard;

pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    let [tabs_area, status_area, main_area, keys_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let t = app.t;

    if let Some(w) = &app.wizard {
        let title = Line::from(vec![
            Span::styled(format!(" {} ", t.wizard_title), Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(app.banner.clone().map(|b| format!(" [{b}]")).unwrap_or_default()),
        ]);
        f.render_widget(
            Paragraph::new(title).style(Style::new().bg(Color::Blue).fg(Color::White)),
            tabs_area,
        );
        f.render_widget(Paragraph::new(w.progress_line(t)), status_area);
        wizard::render::render(w, f, main_area, app);
    } else {
        let titles: Vec<String> =
            Pane::ALL.iter().enumerate().map(|(i, p)| format!("{} {}", i + 1, t.pane_tab(*p))).collect();
        let tabs_width =
            titles.iter().map(|s| format::width(s) as u16).sum::<u16>() + titles.len() as u16 - 1;
        let tabs = Tabs::new(titles)
            .select(app.pane.index())
            .highlight_style(Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD))
            .divider("│")
            .padding("", "");
        let banner_style = Style::new().fg(Color::Black).bg(Color::Magenta).add_modifier(Modifier::BOLD);
        let banner = app.banner.as_deref().map(|b| format!(" {b} "));
        let banner_width = banner.as_deref().map_or(0, |b| format::width(b) as u16);
        // The banner sits beside the tabs when it fits there, else at the end of the status line.
        let banner_on_tabs = banner_width < tabs_area.width.saturating_sub(tabs_width);
        let banner_cols = if banner_on_tabs { banner_width } else { 0 };
        let [tabs_area, banner_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(banner_cols)]).areas(tabs_area);
        f.render_widget(tabs, tabs_area);

        let (state, color) = overview::engine_state(app);
        let mut spans = vec![Span::styled(format!("● {state}"), Style::new().fg(color))];
        if let Ok(c) = &app.counts {
            let problems = c.failed + c.dead + c.needs_decision;
            if problems > 0 {
                spans.push(Span::styled(
                    format!("  ⚠ {} {}", format::count(problems), t.attention(problems)),
                    Style::new().fg(Color::Red),
                ));
            }
        }
        let status_banner = if banner_on_tabs { 0 } else { banner_width.min(status_area.width / 2) };
        let [status_area, status_banner_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(status_banner)]).areas(status_area);
        if let Some(b) = &banner {
            let area = if banner_on_tabs { banner_area } else { status_banner_area };
            let text = format::clip(b, usize::from(area.width));
            f.render_widget(Paragraph::new(Line::styled(text, banner_style)), area);
        }
        // A notice that fits goes on the status line; a longer one gets a box of its own.
        let mut long_flash = None;
        if let Some(flash) = &app.flash {
            let flash = format!("  » {flash}");
            if Line::from(spans.clone()).width() + format::width(&flash) <= usize::from(status_area.width) {
                spans.push(Span::styled(flash, Style::new().fg(Color::Yellow)));
            } else {
                long_flash = app.flash.as_deref();
            }
        }
        f.render_widget(Paragraph::new(Line::from(spans)), status_area);

        let [pane_area, info_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(INFO_ROWS)]).areas(main_area);
        match app.pane {
            Pane::Overview => overview::render(f, main_area, app),
            Pane::Configuration => app.config_pane.render(f, main_area, app),
            Pane::Pending => app.pending.render(f, pane_area, app, Pane::Pending),
            Pane::Retry => app.retry.render(f, pane_area, app, Pane::Retry),
            Pane::Entities => app.entities.render(f, pane_area, app),
            Pane::Activity => app.activity.render(f, pane_area, app),
        }
        if !matches!(app.pane, Pane::Overview | Pane::Configuration) {
            render_info(app, f, info_area);
        }
        if let Some(flash) = long_flash {
            render_notice(f, main_area, flash);
        }
    }

    f.render_widget(Paragraph::new(keybar::line(&app.bindings(), keys_area.width)), keys_area);
    for (i, p) in app.popups.iter().enumerate() {
        popup::render(f, main_area, app, i, p);
    }
}

/// Rows under a table: the filter being typed, or the selected row in full.
pub const INFO_ROWS: u16 = 2;

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
fn render_info(app: &App, f: &mut Frame, area: ratatui::layout::Rect) {
    let t = app.t;
    let tz = app.tz();
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
    let (text, style) = match app.pane {
        Pane::Retry | Pane::Pending => {
            let row = if app.pane == Pane::Retry {
                app.retry.window.selected_row()
            } else {
                app.pending.window.selected_row()
            };
            match row.and_then(|o| o.last_error.as_deref().map(|e| (o.state, e))) {
                Some((state, err)) => {
                    let color = match state {
                        OrderState::Failed | OrderState::Dead => Color::Red,
                        OrderState::Skipped => Color::DarkGray,
                        _ => Color::Yellow,
                    };
                    (format!("⚠ {}", format::localize_utc(err, tz)), Style::new().fg(color))
                }
                None => (t.hint_tables.to_string(), Style::new().fg(Color::DarkGray)),
            }
        }
        Pane::Entities => match app.entities.window.selected_row() {
            Some(e) => (format!("▶ {} — {}", e.name, e.shoptet_key), Style::new()),
            None => (t.hint_entities.to_string(), Style::new().fg(Color::DarkGray)),
        },
        _ => match app.activity.window.selected_row() {
            Some(a) => (format::localize_utc(&a.message, tz), Style::new()),
            None => (t.hint_activity.to_string(), Style::new().fg(Color::DarkGray)),
        },
    };
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
