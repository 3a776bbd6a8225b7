//! The Configuration pane's checks view (`d`): the doctor's checks of the configuration in
//! force — each ok / warn / fail with what was found and, unless all is well, the fix in one
//! line — in the user's language. `d` runs them again, Esc goes back to the settings.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::doctor::{Check, Level};
use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::i18n::doctor;

/// The checks on screen: None while they run.
#[derive(Debug, Clone, Default)]
pub struct ChecksView {
    pub result: Option<Vec<Check>>,
    pub scroll: u16,
}

fn level_style(level: Level) -> Style {
    match level {
        Level::Ok => Style::new().fg(Color::Green),
        Level::Warn => Style::new().fg(Color::Yellow),
        Level::Fail => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

/// The lines of the view at `width` columns: the counts, then each check and its fix.
pub fn lines(view: &ChecksView, ctx: &ViewCtx, width: usize) -> Vec<Line<'static>> {
    let lang = ctx.t.lang;
    let d = doctor::texts(lang);
    let Some(checks) = &view.result else {
        return vec![Line::styled(format!("⏳ {}", d.running), Style::new().fg(Color::Yellow))];
    };
    let count = |l: Level| checks.iter().filter(|c| c.level == l).count();
    let summary = doctor::summary(lang, count(Level::Ok), count(Level::Warn), count(Level::Fail));
    let mut out = vec![
        Line::styled(summary, level_style(doctor::worst_level(checks)).add_modifier(Modifier::BOLD)),
        Line::from(""),
    ];
    let mark_w =
        [Level::Ok, Level::Warn, Level::Fail].iter().map(|l| format::width(doctor::level(lang, *l))).max();
    let name_w = checks.iter().map(|c| format::width(doctor::name(lang, c.name))).max().unwrap_or(10);
    let lead = mark_w.unwrap_or(4) + name_w + 2;
    let indent = " ".repeat(lead);
    for c in checks {
        let (detail, fix) = doctor::finding(lang, &c.finding);
        let mark = format!("{:<w$} ", doctor::level(lang, c.level), w = mark_w.unwrap_or(4));
        let name = format!("{:<w$} ", doctor::name(lang, c.name), w = name_w);
        let body = format::wrap(&detail, width.saturating_sub(lead).max(10), "");
        for (i, part) in body.into_iter().enumerate() {
            let head = if i == 0 {
                vec![Span::styled(mark.clone(), level_style(c.level)), Span::raw(name.clone())]
            } else {
                vec![Span::raw(indent.clone())]
            };
            out.push(Line::from([head, vec![Span::raw(part)]].concat()));
        }
        for part in fix
            .map(|f| format::wrap(&format!("→ {f}"), width.saturating_sub(lead).max(10), "  "))
            .unwrap_or_default()
        {
            out.push(Line::from(vec![Span::raw(indent.clone()), Span::styled(part, level_style(c.level))]));
        }
    }
    out
}

pub fn render(view: &ChecksView, f: &mut Frame, area: Rect, ctx: &ViewCtx) {
    let d = doctor::texts(ctx.t.lang);
    let title = format!(" {} · {} ", ctx.t.pane_config, d.title);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title).style(Style::new().add_modifier(Modifier::BOLD)));
    let width = usize::from(block.inner(area).width);
    let text = lines(view, ctx, width);
    let last = text.len().saturating_sub(usize::from(block.inner(area).height)) as u16;
    f.render_widget(Paragraph::new(text).block(block).scroll((view.scroll.min(last), 0)), area);
}
