//! Popups drawn over the panes: help, order detail, skip confirmation, client picker, messages.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Wrap};

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::keymap::Binding;
use crate::tui::modal::Popup;
use crate::tui::source::Candidate;
use crate::tui::widgets::frame::frame_block;
use crate::tui::widgets::{detail, help};

/// Draws `popup` over `area`; `help` is what a help popup lists (the keys beneath it).
pub fn render(f: &mut Frame, area: Rect, ctx: &ViewCtx, popup: &Popup, help: &[Binding]) {
    let t = ctx.t;
    match popup {
        Popup::Help => help::render(f, area, ctx, help),
        Popup::Detail { detail, scroll } => detail::render(f, area, ctx, detail, *scroll),
        Popup::ConfirmSkip { code } => {
            let text = vec![
                Line::from(format!("{} {code}?", t.confirm_skip_q)),
                Line::from(""),
                Line::from(t.confirm_skip_note),
                Line::from(""),
                yes_no(t.key_yes_skip, t.key_cancel),
            ];
            confirm(f, area, 56, t.confirm_skip_title, text);
        }
        Popup::Picker { code, candidates, cursor } => picker(f, area, ctx, code, candidates, *cursor),
        Popup::ConfirmDiscard => {
            let text = vec![
                Line::from(t.confirm_discard_q),
                Line::from(""),
                yes_no(t.key_discard, t.key_keep_editing),
            ];
            confirm(f, area, 70, t.confirm_discard_title, text);
        }
        Popup::Message { title, text } => message(f, area, title, text),
    }
}

/// " y  yes   n  no", the answers a confirmation takes.
fn yes_no(yes: &str, no: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(" y ", Style::new().fg(Color::Black).bg(Color::Red)),
        Span::raw(format!(" {yes}   ")),
        Span::styled(" n ", Style::new().fg(Color::Black).bg(Color::Cyan)),
        Span::raw(format!(" {no}")),
    ])
}

/// A question in a box `width` columns wide (at most the screen's), seven rows high.
fn confirm(f: &mut Frame, area: Rect, width: u16, title: &str, text: Vec<Line<'static>>) {
    let rect = area.centered(Constraint::Length(width.min(area.width)), Constraint::Length(7));
    f.render_widget(Clear, rect);
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }).block(frame_block(title)), rect);
}

/// The client picker: as wide as the screen allows, each candidate on its own lines: name,
/// then what tells it apart (IČ, e-mail, owner) in full; "create new" last.
fn picker(f: &mut Frame, area: Rect, ctx: &ViewCtx, code: &str, candidates: &[Candidate], cursor: usize) {
    let w = area.width.saturating_sub(2).max(1);
    let text_width = usize::from(w.saturating_sub(4));
    let items_text: Vec<Vec<String>> = candidates
        .iter()
        .map(|c| {
            let mut l = vec![format!("{} (#{})", c.name, c.id)];
            let detail = ctx.t.candidate_detail(&c.matched_by, &c.facts);
            l.extend(format::wrap(&format!("  {detail}"), text_width, "  "));
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
            let text: Vec<Line> = lines
                .into_iter()
                .enumerate()
                .map(|(i, l)| match i {
                    0 => Line::styled(l, Style::new().add_modifier(Modifier::BOLD)),
                    _ => Line::from(l),
                })
                .collect();
            ListItem::new(text)
        })
        .collect();
    items.push(ListItem::new(Line::styled(ctx.t.create_new_client, Style::new().fg(Color::Green))));
    let list = List::new(items)
        .block(frame_block(&format!("{} {code}", ctx.t.picker_title)))
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ");
    let mut state = ListState::default().with_selected(Some(cursor));
    f.render_stateful_widget(list, rect, &mut state);
}

/// An error or notice in red, in a box as high as its wrapped text.
fn message(f: &mut Frame, area: Rect, title: &str, text: &str) {
    let w = (area.width * 7 / 10).max(area.width.min(40));
    let lines =
        text.lines().map(|l| format::wrap(l, usize::from(w.saturating_sub(2)), "").len()).sum::<usize>();
    let rect = area.centered(Constraint::Length(w), Constraint::Length((lines as u16 + 2).max(5)));
    f.render_widget(Clear, rect);
    let p = Paragraph::new(text)
        .style(Style::new().fg(Color::Red))
        .wrap(Wrap { trim: true })
        .block(frame_block(title));
    f.render_widget(p, rect);
}
