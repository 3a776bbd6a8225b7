//! Draws the whole screen from `App` state: tabs, status line, the pane, key bar, popups.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};

use crate::tui::action::Pane;
use crate::tui::app::App;
use crate::tui::format;
use crate::tui::panes::overview;
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
        let titles = Pane::ALL.iter().enumerate().map(|(i, p)| format!("{} {}", i + 1, t.pane_tab(*p)));
        let tabs = Tabs::new(titles)
            .select(app.pane.index())
            .highlight_style(Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD))
            .divider("│")
            .padding("", "");
        let banner_width = app.banner.as_deref().map_or(0, |b| Line::from(b).width() as u16 + 2);
        let [tabs_area, banner_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Max(banner_width.min(tabs_area.width / 3))])
                .areas(tabs_area);
        f.render_widget(tabs, tabs_area);
        if let Some(b) = &app.banner {
            let text = format::clip(b, usize::from(banner_area.width.saturating_sub(1)));
            let style = Style::new().fg(Color::Black).bg(Color::Magenta).add_modifier(Modifier::BOLD);
            f.render_widget(Paragraph::new(Line::styled(format!(" {text}"), style)), banner_area);
        }

        let (state, color) = overview::engine_state(app);
        let mut spans = vec![Span::styled(format!("● {state}"), Style::new().fg(color))];
        if let Some(flash) = &app.flash {
            spans.push(Span::styled(format!("  » {flash}"), Style::new().fg(Color::Yellow)));
        }
        if let Ok(c) = &app.counts {
            let problems = c.failed + c.dead + c.needs_decision;
            if problems > 0 {
                spans.push(Span::styled(
                    format!("  ⚠ {} {}", format::count(problems), t.attention(problems)),
                    Style::new().fg(Color::Red),
                ));
            }
        }
        f.render_widget(Paragraph::new(Line::from(spans)), status_area);

        let [pane_area, info_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(main_area);
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
    }

    f.render_widget(Paragraph::new(keybar::line(&app.bindings(), keys_area.width)), keys_area);
    for (i, p) in app.popups.iter().enumerate() {
        popup::render(f, main_area, app, i, p);
    }
}

/// The line under a table: the filter being typed, or the selected order's last error.
fn render_info(app: &App, f: &mut Frame, area: ratatui::layout::Rect) {
    let t = app.t;
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
    let row = match app.pane {
        Pane::Retry => app.retry.window.selected_row(),
        Pane::Pending => app.pending.window.selected_row(),
        _ => None,
    };
    if let Some(err) = row.and_then(|o| o.last_error.as_deref()) {
        let line =
            Line::styled(format::clip(&format!("⚠ {err}"), area.width as usize), Style::new().fg(Color::Red));
        f.render_widget(Paragraph::new(line), area);
    } else {
        let hint = match app.pane {
            Pane::Entities => t.hint_entities,
            Pane::Activity => t.hint_activity,
            _ => t.hint_tables,
        };
        f.render_widget(Paragraph::new(Line::styled(hint, Style::new().fg(Color::DarkGray))), area);
    }
}
