//! Popups drawn over the panes: help, order detail, skip confirmation, client picker, messages.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use crate::tui::app::{App, Popup};
use crate::tui::format;
use crate::tui::keymap;
use crate::tui::source::{ApiCallView, OrderDetail, OrderState};

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
            let rect =
                area.centered(Constraint::Length(area.width.saturating_sub(2)), Constraint::Percentage(100));
            let mode = app.mode_at(depth);
            let bindings = keymap::help_bindings(&app.key_context(mode), t);
            let mut seen = Vec::new();
            let mut entries: Vec<(&str, &str)> = Vec::new();
            for b in &bindings {
                if !seen.contains(&(b.key, b.label)) {
                    seen.push((b.key, b.label));
                    entries.push((b.key, b.label));
                }
            }
            f.render_widget(Clear, rect);
            let block = frame_block(t.help_title);
            let inner = block.inner(rect);
            f.render_widget(block, rect);
            // As many columns as it takes to show every key without scrolling, each as wide as
            // its own keys and labels.
            let per_col = usize::from(inner.height.max(1));
            let columns: Vec<Vec<Line>> = entries
                .chunks(per_col)
                .map(|chunk| {
                    let key_w = chunk.iter().map(|(k, _)| format::width(k)).max().unwrap_or(0);
                    chunk
                        .iter()
                        .map(|(k, label)| {
                            Line::from(vec![
                                Span::styled(
                                    format!("{}{k}  ", " ".repeat(key_w - format::width(k))),
                                    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                                ),
                                Span::raw(label.to_string()),
                            ])
                        })
                        .collect()
                })
                .collect();
            let widths: Vec<Constraint> = columns
                .iter()
                .enumerate()
                .map(|(i, c)| match i + 1 == columns.len() {
                    true => Constraint::Fill(1),
                    false => Constraint::Length(c.iter().map(Line::width).max().unwrap_or(0) as u16 + 2),
                })
                .collect();
            let areas = Layout::horizontal(widths).split(inner);
            for (column, col_area) in columns.into_iter().zip(areas.iter()) {
                f.render_widget(Paragraph::new(column), *col_area);
            }
        }
        Popup::Detail { detail, scroll } => {
            let rect = centered(area, 92, 90);
            f.render_widget(Clear, rect);
            let block = frame_block(&format!("{} {}", t.order, detail.order.code));
            let inner = usize::from(block.inner(rect).width);
            // Wrapped here, so a continued line stays indented under its start.
            let lines: Vec<Line> = detail_lines(app, detail)
                .into_iter()
                .flat_map(|l| {
                    let style = l.style;
                    let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                    let lead = text.len() - text.trim_start().len();
                    let indent = " ".repeat((lead + 4).min(12));
                    format::wrap(&text, inner, &indent).into_iter().map(move |w| Line::styled(w, style))
                })
                .collect();
            let p = Paragraph::new(lines).block(block).scroll((*scroll, 0));
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
            // As wide as the screen allows, each candidate on its own lines: name, then what
            // tells it apart (IČ, e-mail, owner) in full.
            let w = area.width.saturating_sub(2).max(1);
            let text_width = usize::from(w.saturating_sub(4));
            let items_text: Vec<Vec<String>> = candidates
                .iter()
                .map(|c| {
                    let mut l = vec![format!("{} (#{})", c.name, c.id)];
                    l.extend(format::wrap(&format!("  {}", c.detail), text_width, "  "));
                    l
                })
                .collect();
            let rows: usize = items_text.iter().map(Vec::len).sum::<usize>() + 1;
            let h = (rows as u16 + 2).min(area.height);
            let rect = area.centered(Constraint::Length(w), Constraint::Length(h));
            f.render_widget(Clear, rect);
            let mut items: Vec<ListItem> = items_text
                .into_iter()
                .map(|lines| {
                    let mut text: Vec<Line> = Vec::new();
                    for (i, l) in lines.into_iter().enumerate() {
                        text.push(if i == 0 {
                            Line::styled(l, Style::new().add_modifier(Modifier::BOLD))
                        } else {
                            Line::from(l)
                        });
                    }
                    ListItem::new(text)
                })
                .collect();
            items.push(ListItem::new(Line::styled(t.create_new_client, Style::new().fg(Color::Green))));
            let list = List::new(items)
                .block(frame_block(&format!("{} {code}", t.picker_title)))
                .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
                .highlight_symbol("▶ ");
            let mut state = ListState::default().with_selected(Some(*cursor));
            f.render_stateful_widget(list, rect, &mut state);
        }
        Popup::ConfirmDiscard => {
            let rect = area.centered(Constraint::Length(70.min(area.width)), Constraint::Length(7));
            f.render_widget(Clear, rect);
            let text = vec![
                Line::from(t.confirm_discard_q),
                Line::from(""),
                Line::from(vec![
                    Span::styled(" y ", Style::new().fg(Color::Black).bg(Color::Red)),
                    Span::raw(format!(" {}   ", t.key_discard)),
                    Span::styled(" n ", Style::new().fg(Color::Black).bg(Color::Cyan)),
                    Span::raw(format!(" {}", t.key_keep_editing)),
                ]),
            ];
            f.render_widget(
                Paragraph::new(text).wrap(Wrap { trim: true }).block(frame_block(t.confirm_discard_title)),
                rect,
            );
        }
        Popup::Message { title, text } => {
            let w = (area.width * 7 / 10).max(area.width.min(40));
            let lines = text
                .lines()
                .map(|l| format::wrap(l, usize::from(w.saturating_sub(2)), "").len())
                .sum::<usize>();
            let rect = area.centered(Constraint::Length(w), Constraint::Length((lines as u16 + 2).max(5)));
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
        let style = match o.state {
            OrderState::Failed | OrderState::Dead => Style::new().fg(Color::Red),
            _ => Style::new().fg(Color::Yellow),
        };
        lines.push(Line::styled(format!("⚠ {}", format::localize_utc(err, tz)), style));
    }
    if o.attempts > 0 {
        lines.push(Line::from(format!(
            "{}: {} · {}: {}",
            t.col_attempts,
            o.attempts,
            t.col_next_attempt,
            match format::wait(o.next_attempt, app.now, t) {
                Some(wait) => format!("{} ({wait})", format::next_attempt(o.next_attempt, app.now, tz)),
                None => format::next_attempt(o.next_attempt, app.now, tz),
            }
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
        let when = format::time(c.at, tz);
        if expected_not_found(c) {
            // A lookup before a create: "not there yet" is the answer it hoped for.
            lines.push(Line::from(format!(
                "  {when} {} {} {status} {} ms → {}",
                c.method, c.path, c.duration_ms, t.not_in_raynet_yet
            )));
            continue;
        }
        let style = match c.status {
            Some(s) if s < 400 => Style::new(),
            _ => Style::new().fg(Color::Red),
        };
        lines.push(Line::styled(
            format!("  {when} {} {} {status} {} ms", c.method, c.path, c.duration_ms),
            style,
        ));
        if let Some(body) = &c.error_body {
            lines.push(Line::styled(format!("      {body}"), Style::new().fg(Color::Red)));
        }
    }
    lines.push(head(t.audit));
    lines.extend(d.audit.iter().map(|a| {
        Line::from(format!(
            "  {} {} {}",
            format::time(a.at, tz),
            a.kind,
            format::localize_utc(&a.message, tz)
        ))
    }));
    lines
}

/// A RAYNET lookup by extId that found nothing: how every create starts, not an error.
fn expected_not_found(c: &ApiCallView) -> bool {
    c.status == Some(404)
        && c.method.ends_with("GET")
        && c.method.starts_with("RAYNET")
        && c.path.contains("/ext/")
}
