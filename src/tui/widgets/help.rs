//! The `?` popup: every key of the screen beneath, in as many columns as it takes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::keymap::Binding;
use crate::tui::widgets::frame::frame_block;

/// Draws `bindings` (each key and label once) over `area`.
pub fn render(f: &mut Frame, area: Rect, ctx: &ViewCtx, bindings: &[Binding]) {
    let rect = area.centered(Constraint::Length(area.width.saturating_sub(2)), Constraint::Percentage(100));
    let mut entries: Vec<(&str, &str)> = Vec::new();
    for b in bindings {
        if !entries.contains(&(b.key, b.label)) {
            entries.push((b.key, b.label));
        }
    }
    f.render_widget(Clear, rect);
    let block = frame_block(ctx.t.help_title);
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    // As many columns as it takes to show every key without scrolling, each as wide as
    // its own keys and labels.
    let per_col = usize::from(inner.height.max(1));
    let columns: Vec<Vec<Line>> = entries.chunks(per_col).map(column).collect();
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

/// One column of keys, right-aligned to the widest, each followed by its label.
fn column(chunk: &[(&str, &str)]) -> Vec<Line<'static>> {
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
}
