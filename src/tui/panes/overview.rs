//! Overview: engine state, counts, last and next sync, throughput, backfill progress.

use chrono::{DateTime, DurationRound, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Sparkline, Wrap};

use crate::engine::api::{EngineState, EngineStatus};
use crate::engine::estimate::Estimate;
use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::source::{Counts, OrderState, OverviewData};

/// What the Overview shows: the engine's status and the figures read from the record.
pub struct OverviewView<'a> {
    pub status: Option<&'a EngineStatus>,
    pub overview: &'a Result<OverviewData, String>,
    pub counts: &'a Result<Counts, String>,
}

/// The engine's condition in words, with a colour that says how worried to be.
pub fn engine_state(status: Option<&EngineStatus>, ctx: &ViewCtx) -> (String, Color) {
    let t = ctx.t;
    let Some(status) = status else {
        return (t.engine_none.to_string(), Color::DarkGray);
    };
    match &status.state {
        EngineState::Starting => (t.engine_starting.to_string(), Color::Yellow),
        EngineState::Idle | EngineState::Syncing => {
            let mut s = t.engine_running.to_string();
            if let Some(code) = &status.current_order {
                s.push_str(&format!(" — {code}"));
                if status.in_flight > 1 {
                    s.push_str(&format!(" +{} {}", status.in_flight - 1, t.more_in_flight));
                }
            }
            (s, Color::Green)
        }
        EngineState::Paused => (t.engine_paused.to_string(), Color::Yellow),
        EngineState::RateLimited { service, until } => (
            format!("{} {service} {} {}", t.engine_rate_limited, t.until, format::time(*until, ctx.tz)),
            Color::Yellow,
        ),
        EngineState::AuthProblem { service, problem } => {
            let problem = t.auth_issue(*service, problem, &ctx.tz);
            (format!("{} {service}: {}", t.engine_auth, format::one_line(&problem)), Color::Red)
        }
        EngineState::ConfigProblem { problem } => {
            (format!("{} {}", t.engine_config, format::one_line(&t.config_issue(problem))), Color::Red)
        }
        EngineState::Stopped => (t.engine_stopped.to_string(), Color::Red),
    }
}

fn label(s: &str) -> Span<'static> {
    Span::styled(format!("{s}: "), Style::new().add_modifier(Modifier::BOLD))
}

pub fn render(f: &mut Frame, area: Rect, ctx: &ViewCtx, data: &OverviewView<'_>) {
    let t = ctx.t;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(format!(" {} ", t.pane_overview)).style(Style::new().add_modifier(Modifier::BOLD)));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let progress = data.status.and_then(|s| s.progress);
    let estimate = data.status.and_then(|s| s.estimate.as_ref());
    let mut lines = engine_lines(ctx, data);
    lines.extend(count_lines(ctx, data.counts));
    // The gauge, and under it what is left of the day's budget when the work is estimated.
    let gauge_rows = match (progress, estimate) {
        (None, _) => 0,
        (Some(_), None) => 1,
        (Some(_), Some(_)) => 2,
    };
    // Long lines (a rejected login's message) wrap rather than being cut.
    let text_rows: usize = lines
        .iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            format::wrap(&text, usize::from(inner.width.max(1)), "").len()
        })
        .sum();
    // The chart takes the rest of the pane, with a time axis under it.
    let [text_area, _, gauge_area, _, spark_area, axis_area] = Layout::vertical([
        Constraint::Length(text_rows as u16),
        Constraint::Length(1),
        Constraint::Length(gauge_rows),
        Constraint::Length(gauge_rows.min(1)),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text_area);
    if let Some(progress) = progress {
        render_progress(f, gauge_area, ctx, progress, estimate);
    }
    if let Ok(o) = data.overview {
        render_chart(f, spark_area, axis_area, ctx, o);
    }
}

/// A first sync, backfill or backlog: a gauge with the counts and the end (or why it waits),
/// and under it the requests left against RAYNET's daily budget.
fn render_progress(
    f: &mut Frame,
    area: Rect,
    ctx: &ViewCtx,
    (done, total): (u64, u64),
    e: Option<&Estimate>,
) {
    let t = ctx.t;
    let [gauge_area, budget_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let ratio = if total == 0 { 1.0 } else { (done as f64 / total as f64).clamp(0.0, 1.0) };
    let kind = e.map_or(t.first_sync, |e| t.work_kind(e.kind));
    let mut label = format!("{kind} {} / {}", format::count(done), format::count(total));
    if let Some(e) = e {
        label.push_str(&format!(" · {}", t.work_end(e, ctx.tz)));
    }
    let style = if e.is_some_and(|e| e.held_until.is_some()) { Color::Yellow } else { Color::Cyan };
    let gauge = Gauge::default().gauge_style(Style::new().fg(style)).ratio(ratio).label(label);
    f.render_widget(gauge, gauge_area);
    if let Some(e) = e {
        let budget = format::clip(&t.work_budget(e), usize::from(budget_area.width));
        f.render_widget(Paragraph::new(Line::styled(budget, Style::new().fg(Color::DarkGray))), budget_area);
    }
}

/// The engine's state, last and next sync, rate limits, clients and products.
fn engine_lines(ctx: &ViewCtx, data: &OverviewView<'_>) -> Vec<Line<'static>> {
    let (t, tz) = (ctx.t, ctx.tz);
    let (state, color) = engine_state(data.status, ctx);
    let mut lines = vec![Line::from(vec![
        label(t.engine),
        Span::styled(state, Style::new().fg(color).add_modifier(Modifier::BOLD)),
    ])];
    let status = data.status.cloned().unwrap_or_default();
    if matches!(status.state, EngineState::AuthProblem { .. } | EngineState::ConfigProblem { .. }) {
        lines.push(Line::styled(format!("  → {}", t.auth_hint), Style::new().fg(Color::Red)));
    }
    let o = match data.overview {
        Ok(o) => o,
        Err(e) => {
            lines.push(Line::styled(format!("⚠ {}: {e}", t.source_error), Style::new().fg(Color::Red)));
            return lines;
        }
    };
    lines.push(Line::from(vec![
        label(t.last_sync),
        Span::raw(format::time_opt(o.last_synced_at.or(status.last_success), tz)),
        Span::raw("   "),
        label(t.next_poll),
        Span::raw(format::time_opt(status.next_poll, tz)),
    ]));
    if !o.rate_limits.is_empty() {
        lines.push(Line::from(vec![label(t.rate_limits), Span::raw(o.rate_limits.clone())]));
    }
    let matched_created = |matched: u64, created: u64| {
        Span::raw(format!(
            "{} {} · {} {}",
            format::count(matched),
            t.matched_n,
            format::count(created),
            t.created_n
        ))
    };
    lines.push(Line::from(vec![label(t.clients), matched_created(o.clients_matched, o.clients_created)]));
    lines.push(Line::from(vec![label(t.products), matched_created(o.products_matched, o.products_created)]));
    lines
}

/// Orders per state, on two lines; problems in red, decisions in yellow.
fn count_lines(ctx: &ViewCtx, counts: &Result<Counts, String>) -> Vec<Line<'static>> {
    let t = ctx.t;
    let c = match counts {
        Ok(c) => c,
        Err(e) => {
            return vec![Line::styled(format!("⚠ {}: {e}", t.source_error), Style::new().fg(Color::Red))];
        }
    };
    let mut lines = Vec::new();
    let mut spans = vec![label(t.orders)];
    for (i, st) in OrderState::ALL.iter().copied().enumerate() {
        if i == 4 {
            lines.push(Line::from(std::mem::take(&mut spans)));
            spans.push(Span::raw(" ".repeat(Line::from(format!("{}: ", t.orders)).width())));
        }
        let n = c.get(st);
        let style = match st {
            OrderState::Dead | OrderState::Failed if n > 0 => Style::new().fg(Color::Red),
            OrderState::NeedsDecision if n > 0 => Style::new().fg(Color::Yellow),
            _ => Style::new(),
        };
        spans.push(Span::styled(format!("{} {}", t.state_name(st), format::count(n)), style));
        spans.push(Span::raw("  "));
    }
    lines.push(Line::from(spans));
    lines
}

/// Syncs per hour over the last 24 hours, with the hours under the bars.
fn render_chart(f: &mut Frame, spark_area: Rect, axis_area: Rect, ctx: &ViewCtx, o: &OverviewData) {
    let t = ctx.t;
    let max = o.synced_per_hour.iter().copied().max().unwrap_or(0);
    let total: u64 = o.synced_per_hour.iter().sum();
    // It counts syncs, not orders: an order synced again (updated) counts again, so the
    // title says so rather than pretend to match the "synced" count above.
    let spark = Sparkline::default()
        .block(Block::default().borders(Borders::TOP).title(format!(
            " {}: {} · max {}/h ",
            t.per_hour,
            format::count(total),
            format::count(max)
        )))
        .data(stretched(&o.synced_per_hour, spark_area.width))
        .style(Style::new().fg(Color::Green));
    f.render_widget(spark, spark_area);
    let axis = time_axis(o.synced_per_hour.len(), spark_area.width, ctx.now, ctx.tz, t.now_label);
    f.render_widget(Paragraph::new(Line::styled(axis, Style::new().fg(Color::DarkGray))), axis_area);
}

/// The column where hour `i` of `hours` starts when the bars share `width` columns evenly.
fn bar_start(i: usize, hours: usize, width: u16) -> usize {
    let width = usize::from(width).max(hours);
    i * width / hours.max(1)
}

/// Repeats each hour's value so the 24 bars fill the width.
fn stretched(per_hour: &[u64], width: u16) -> Vec<u64> {
    let n = per_hour.len();
    per_hour
        .iter()
        .enumerate()
        .flat_map(|(i, v)| std::iter::repeat_n(*v, bar_start(i + 1, n, width) - bar_start(i, n, width)))
        .collect()
}

/// The hours under the bars ("10:00", "14:00" … "now"), each label at its bar's left edge.
fn time_axis(hours: usize, width: u16, now: DateTime<Utc>, tz: chrono_tz::Tz, now_label: &str) -> String {
    if hours == 0 {
        return String::new();
    }
    let cols = usize::from(width);
    // A label every few hours, leaving room for "HH:MM ".
    let bar = cols / hours;
    let every = [1, 2, 3, 4, 6, 12, 24].into_iter().find(|k| k * bar >= 7).unwrap_or(24);
    let current = now.duration_trunc(chrono::Duration::hours(1)).unwrap_or(now);
    let mut axis = vec![' '; cols];
    let last = hours - 1;
    let now_at = bar_start(last, hours, width);
    for h in (0..hours).filter(|h| (last - h).is_multiple_of(every)) {
        let x = bar_start(h, hours, width);
        let label = if h == last {
            now_label.to_string()
        } else {
            let at = current - chrono::Duration::hours((last - h) as i64);
            at.with_timezone(&tz).format("%H:%M").to_string()
        };
        // Labels must not run into "now" or off the edge.
        if h != last && x + 6 > now_at {
            continue;
        }
        let x = x.min(cols.saturating_sub(label.chars().count()));
        for (i, ch) in label.chars().enumerate() {
            if let Some(slot) = axis.get_mut(x + i) {
                *slot = ch;
            }
        }
    }
    axis.into_iter().collect::<String>().trim_end().to_string()
}
