//! The sortable, windowed table every list pane uses.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::tui::format;

pub struct TableSpec<'a> {
    pub title: String,
    pub headers: Vec<&'a str>,
    pub widths: Vec<Constraint>,
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

pub fn render(f: &mut Frame, area: Rect, spec: TableSpec<'_>) {
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
    let table = Table::new(rows, spec.widths)
        .header(header)
        .block(block)
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(spec.selected);
    f.render_stateful_widget(table, area, &mut state);
}
