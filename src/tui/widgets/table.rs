//! The sortable, windowed table every list pane uses.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::tui::format;

/// How wide a column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Fixed(u16),
    /// As wide as its header and the widest visible cell, at most `max`.
    Content {
        max: u16,
    },
    /// The room the other columns leave; cells that do not fit are cut at the end.
    Fill,
    /// Like `Fill`, but a cut never hides what tells a cell apart from the others on screen.
    FillApart,
}

pub struct TableSpec<'a> {
    pub title: String,
    pub headers: Vec<&'a str>,
    pub widths: Vec<Col>,
    pub rows: Vec<Vec<String>>,
    /// Styles per row (e.g. red for dead orders).
    pub row_styles: Vec<Style>,
    pub selected: Option<usize>,
    pub total: u64,
    pub offset: u64,
    pub error: Option<&'a str>,
    pub empty: &'a str,
    pub sort: Option<(usize, bool)>,
    pub of: &'a str,
}

/// Column widths for `area` from the content: the fill column takes what is left.
fn layout(spec: &TableSpec<'_>, area: Rect) -> Vec<u16> {
    let cols = spec.widths.len();
    let content = |i: usize| {
        let head = format::width(spec.headers.get(i).copied().unwrap_or("")) + 2; // sort mark
        let cells = spec.rows.iter().filter_map(|r| r.get(i)).map(|c| format::width(c)).max().unwrap_or(0);
        head.max(cells) as u16
    };
    let mut widths: Vec<u16> = spec
        .widths
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            Col::Fixed(w) => *w,
            Col::Content { max } => content(i).min(*max),
            Col::Fill | Col::FillApart => 0,
        })
        .collect();
    // Borders, the selection mark and one space between columns.
    let room = area.width.saturating_sub(4 + cols.saturating_sub(1) as u16);
    let fixed: u16 = widths.iter().sum();
    let fills = spec.widths.iter().filter(|c| matches!(c, Col::Fill | Col::FillApart)).count() as u16;
    if let Some(each) = room.saturating_sub(fixed).checked_div(fills) {
        for (w, c) in widths.iter_mut().zip(&spec.widths) {
            if matches!(c, Col::Fill | Col::FillApart) {
                *w = each;
            }
        }
    }
    widths
}

pub fn render(f: &mut Frame, area: Rect, mut spec: TableSpec<'_>) {
    for cell in spec.rows.iter_mut().flatten() {
        if cell.contains('\n') {
            *cell = format::one_line(cell);
        }
    }
    let widths = layout(&spec, area);
    for (i, col) in spec.widths.iter().enumerate() {
        let max = usize::from(widths.get(i).copied().unwrap_or(0));
        let column: Vec<String> = spec.rows.iter().map(|r| r.get(i).cloned().unwrap_or_default()).collect();
        let others: Vec<&str> = column.iter().map(String::as_str).collect();
        for row in &mut spec.rows {
            let Some(cell) = row.get_mut(i) else { continue };
            if format::width(cell) <= max {
                continue;
            }
            *cell = match col {
                Col::FillApart => format::clip_apart(cell, &others, max),
                _ => format::clip(cell, max),
            };
        }
    }
    let range = if spec.total == 0 {
        String::new()
    } else {
        let first = spec.offset + 1;
        let last = (spec.offset + spec.rows.len() as u64).max(first);
        format!(
            " {}–{} {} {} ",
            format::count(first),
            format::count(last),
            spec.of,
            format::count(spec.total)
        )
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(format!(" {} ", spec.title)).style(Style::new().add_modifier(Modifier::BOLD)))
        .title(Line::from(range).right_aligned());
    if let Some(err) = spec.error {
        let p = Paragraph::new(format!("⚠ {err}"))
            .style(Style::new().fg(Color::Red))
            .wrap(Wrap { trim: true })
            .block(block);
        f.render_widget(p, area);
        return;
    }
    if spec.rows.is_empty() {
        f.render_widget(Paragraph::new(spec.empty).block(block), area);
        return;
    }
    let header = Row::new(spec.headers.iter().enumerate().map(|(i, h)| {
        let mark = match spec.sort {
            Some((col, false)) if col == i => " ▲",
            Some((col, true)) if col == i => " ▼",
            _ => "",
        };
        Cell::from(format!("{h}{mark}"))
    }))
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let rows = spec.rows.into_iter().enumerate().map(|(i, cells)| {
        let style = spec.row_styles.get(i).copied().unwrap_or_default();
        Row::new(cells.into_iter().map(Cell::from)).style(style)
    });
    let table = Table::new(rows, widths.into_iter().map(Constraint::Length))
        .header(header)
        .block(block)
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(spec.selected);
    f.render_stateful_widget(table, area, &mut state);
}
