//! Popups drawn over the panes: help, order detail, skip confirmation, client picker, messages.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use crate::tui::app::{App, Popup};
use crate::tui::format;
use crate::tui::keymap;
use crate::tui::source::OrderDetail;

/// A centred rectangle of the given percentage of `area`, at least `min` wide/high when possible.
pub fn centered(area: Rect, pct_w: u16, pct_h: u16) -> Rect {
    area.centered(Constraint::Percentage(pct_w), Constraint::Percentage(pct_h))
}

fn frame_block(title: &str) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::Cyan))
        .title(Line::from(format!(" {title} ")).style(Style::new().add_modifier(Modifier::BOLD)))
}

pub fn render(f: &mut Frame, area: Rect, app: &App, depth: usize, popup: &Popup) {
    let t = app.t;
    match popup {
        Popup::Help => {
            let rect = centered(area, 90, 100);
            let mode = app.mode_at(depth);
            let bindings = keymap::bindings(&app.key_context(mode), t);
            let mut seen = Vec::new();
            let mut lines = Vec::new();
            for b in &bindings {
                if seen.contains(&(b.key, b.label)) {
                    continue;
                }
                seen.push((b.key, b.label));
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("{:>8}  ", b.key),
                        Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(b.label),
                ]));
            }
            f.render_widget(Clear, rect);
            let block = frame_block(t.help_title);
            let inner = block.inner(rect);
            f.render_widget(block, rect);
            // As many columns as it takes to show every key without scrolling.
            let per_col = usize::from(inner.height.max(1));
            let cols = lines.len().div_ceil(per_col).max(1);
            let areas = Layout::horizontal(vec![Constraint::Fill(1); cols]).split(inner);
            for (chunk, col_area) in lines.chunks(per_col).zip(areas.iter()) {
                f.render_widget(Paragraph::new(chunk.to_vec()), *col_area);
            }
        }
        Popup::Detail { detail, scroll } => {
            let rect = centered(area, 92, 90);
            f.render_widget(Clear, rect);
            let p = Paragraph::new(detail_lines(app, detail))
                .block(frame_block(&format!("{} {}", t.order, detail.order.code)))
                .wrap(Wrap { trim: false })
                .scroll((*scroll, 0));
            f.render_widget(p, rect);
        }
        Popup::ConfirmSkip { code } => {
            let rect = area.centered(Constraint::Length(56.min(area.width)), Constraint::Length(7));
            f.render_widget(Clear, rect);
            let text = vec![
                Line::from(format!("{} {code}?", t.confirm_skip_q)),
                Line::from(""),
                Line::from(t.confirm_skip_note),
                Line::from(""),
                Line::from(vec![
                    Span::styled(" y ", Style::new().fg(Color::Black).bg(Color::Red)),
                    Span::raw(format!(" {}   ", t.key_yes_skip)),
                    Span::styled(" n ", Style::new().fg(Color::Black).bg(Color::Cyan)),
                    Span::raw(format!(" {}", t.key_cancel)),
                ]),
            ];
            f.render_widget(
                Paragraph::new(text).wrap(Wrap { trim: true }).block(frame_block(t.confirm_skip_title)),
                rect,
            );
        }
        Popup::Picker { code, candidates, cursor } => {
            let h = (candidates.len() as u16 + 5).min(area.height);
            let rect = area.centered(Constraint::Percentage(80), Constraint::Length(h));
            f.render_widget(Clear, rect);
            let mut items: Vec<ListItem> = candidates
                .iter()
                .map(|c| ListItem::new(format!("{} (#{}) — {}", c.name, c.id, c.detail)))
                .collect();
            items.push(ListItem::new(Line::styled(t.create_new_client, Style::new().fg(Color::Green))));
            let list = List::new(items)
                .block(frame_block(&format!("{} {code}", t.picker_title)))
                .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
                .highlight_symbol("▶ ");
            let mut state = ListState::default().with_selected(Some(*cursor));
            f.render_stateful_widget(list, rect, &mut state);
        }
        Popup::Message { title, text } => {
            let rect = area.centered(Constraint::Percentage(70), Constraint::Length(7));
            f.render_widget(Clear, rect);
            let p = Paragraph::new(text.as_str())
                .style(Style::new().fg(Color::Red))
                .wrap(Wrap { trim: true })
                .block(frame_block(title));
            f.render_widget(p, rect);
        }
    }
}

fn detail_lines(app: &App, d: &OrderDetail) -> Vec<Line<'static>> {
    let t = app.t;
    let tz = app.tz();
    let head =
        |s: &str| Line::styled(s.to_string(), Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD));
    let o = &d.order;
    let mut lines = vec![Line::from(format!(
        "{} · {} · {} {} · {}",
        t.state_name(o.state),
        o.status,
        o.total,
        o.currency,
        o.customer
    ))];
    if let Some(err) = &o.last_error {
        lines.push(Line::styled(format!("⚠ {err}"), Style::new().fg(Color::Red)));
    }
    if o.attempts > 0 {
        lines.push(Line::from(format!(
            "{}: {} · {}: {}",
            t.col_attempts,
            o.attempts,
            t.col_next_attempt,
            format::time_opt(o.next_attempt, tz)
        )));
    }
    if let Some(url) = &d.admin_url {
        lines.push(Line::from(format!("{}: {url}", t.admin_link)));
    }
    lines.push(head(t.shoptet_data));
    lines.extend(d.shoptet.iter().map(|l| Line::from(format!("  {l}"))));
    lines.push(head(t.plan));
    if d.plan.is_empty() {
        lines.push(Line::from("  —"));
    }
    lines.extend(d.plan.iter().map(|l| Line::from(format!("  {l}"))));
    lines.push(head(t.raynet_ids));
    if d.raynet_ids.is_empty() {
        lines.push(Line::from("  —"));
    }
    lines.extend(d.raynet_ids.iter().map(|(k, id)| Line::from(format!("  {k}: {id}"))));
    if !d.candidates.is_empty() {
        lines.push(head(t.candidates));
        lines.extend(
            d.candidates.iter().map(|c| Line::from(format!("  #{} {} — {}", c.id, c.name, c.detail))),
        );
    }
    lines.push(head(t.api_calls));
    if d.calls.is_empty() {
        lines.push(Line::from("  —"));
    }
    for c in &d.calls {
        let status = c.status.map_or_else(|| "---".to_string(), |s| s.to_string());
        let style = match c.status {
            Some(s) if s < 400 => Style::new(),
            _ => Style::new().fg(Color::Red),
        };
        lines.push(Line::styled(
            format!("  {} {:<6} {} {status} {} ms", format::time(c.at, tz), c.method, c.path, c.duration_ms),
            style,
        ));
        if let Some(body) = &c.error_body {
            lines.push(Line::styled(format!("      {body}"), Style::new().fg(Color::Red)));
        }
    }
    lines.push(head(t.audit));
    lines.extend(
        d.audit.iter().map(|a| Line::from(format!("  {} {} {}", format::time(a.at, tz), a.kind, a.message))),
    );
    lines
}
