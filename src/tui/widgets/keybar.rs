//! The bottom key bar: only keys valid now, cut to the width with help kept in view.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::tui::keymap::Binding;

/// Builds the bar for `width` columns. Entries that do not fit are dropped from the end,
/// but the last entry (help or back) always stays; a "…" marks the cut.
pub fn line(bindings: &[Binding], width: u16) -> Line<'static> {
    let shown: Vec<&Binding> = bindings.iter().filter(|b| b.bar).collect();
    let entry = |b: &Binding| -> Vec<Span<'static>> {
        vec![
            Span::styled(
                format!(" {} ", b.key),
                Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!(" {} ", b.label)),
        ]
    };
    let width_of = |spans: &[Span<'_>]| spans.iter().map(Span::width).sum::<usize>();
    let width = usize::from(width);
    let all: Vec<Vec<Span<'static>>> = shown.iter().map(|b| entry(b)).collect();
    let total: usize = all.iter().map(|e| width_of(e)).sum();
    if total <= width {
        return Line::from(all.into_iter().flatten().collect::<Vec<_>>());
    }
    // Keep the trailing "?"/"q" pair if present, else the last entry.
    let keep_tail =
        shown.iter().rev().take_while(|b| matches!(b.key, "?" | "q" | "Esc")).count().max(1).min(all.len());
    let (head, tail) = all.split_at(all.len() - keep_tail);
    let ellipsis = Span::raw("… ");
    let mut used = width_of(&tail.concat()) + ellipsis.width();
    let mut spans = Vec::new();
    for e in head {
        let w = width_of(e);
        if used + w > width {
            break;
        }
        used += w;
        spans.extend(e.iter().cloned());
    }
    spans.push(ellipsis);
    spans.extend(tail.iter().flatten().cloned());
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::Pane;
    use crate::tui::i18n::Lang;
    use crate::tui::keymap::{KeyContext, Mode, bindings};
    use crate::tui::source::OrderState;

    fn retry_bindings(lang: Lang) -> Vec<Binding> {
        let ctx = KeyContext {
            mode: Mode::Normal(Pane::Retry),
            has_rows: true,
            selected_state: Some(OrderState::Dead),
            has_engine: true,
            paused: false,
            filtered: false,
            editing: false,
            edit_review: false,
            checks: false,
        };
        bindings(&ctx, lang.texts())
    }

    #[test]
    fn a_narrow_bar_keeps_help_and_quit_and_marks_the_cut() {
        for width in [30u16, 50, 80] {
            let line = line(&retry_bindings(Lang::Cs), width);
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            assert!(line.width() <= usize::from(width), "{width}: {text}");
            assert!(text.contains('…') && text.contains(" ? ") && text.contains(" q "), "{text}");
        }
    }

    #[test]
    fn a_wide_bar_shows_every_bar_key_in_order() {
        let all = retry_bindings(Lang::En);
        let line = line(&all, 400);
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(!text.contains('…'));
        let shown: Vec<&Binding> = all.iter().filter(|b| b.bar).collect();
        let mut at = 0;
        for b in shown {
            let i = text[at..].find(&format!(" {} ", b.key)).map(|i| i + at);
            assert!(i.is_some(), "{} missing in {text}", b.key);
            at = i.unwrap_or(at);
        }
    }
}
