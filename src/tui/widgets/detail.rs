//! The order detail popup: state and reason, Shoptet data, the plan, RAYNET ids, candidates,
//! the API calls made for the order and its history.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use crate::tui::ctx::ViewCtx;
use crate::tui::format;
use crate::tui::i18n::plan;
use crate::tui::source::{ApiCallView, OrderDetail, OrderState};
use crate::tui::widgets::frame::{centered, frame_block};

pub fn render(f: &mut Frame, area: Rect, ctx: &ViewCtx, detail: &OrderDetail, scroll: u16) {
    let rect = centered(area, 92, 90);
    f.render_widget(Clear, rect);
    let block = frame_block(&format!("{} {}", ctx.t.order, detail.order.code));
    let inner = usize::from(block.inner(rect).width);
    // Wrapped here, so a continued line stays indented under its start.
    let lines: Vec<Line> = detail_lines(ctx, detail)
        .into_iter()
        .flat_map(|l| {
            let style = l.style;
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            let lead = text.len() - text.trim_start().len();
            let indent = " ".repeat((lead + 4).min(12));
            format::wrap(&text, inner, &indent).into_iter().map(move |w| Line::styled(w, style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), rect);
}

fn head(s: &str) -> Line<'static> {
    Line::styled(s.to_string(), Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD))
}

/// "  —" under a heading with nothing to list.
fn none_if_empty(lines: &mut Vec<Line<'static>>, empty: bool) {
    if empty {
        lines.push(Line::from("  —"));
    }
}

fn detail_lines(ctx: &ViewCtx, d: &OrderDetail) -> Vec<Line<'static>> {
    let t = ctx.t;
    let mut lines = summary_lines(ctx, d);
    lines.push(head(t.shoptet_data));
    lines.extend(plan::shoptet(&d.shoptet, t.lang).into_iter().map(|l| Line::from(format!("  {l}"))));
    lines.push(head(t.plan));
    let plan = plan::plan_section(&d.plan, t.lang);
    none_if_empty(&mut lines, plan.is_empty());
    lines.extend(plan.into_iter().map(|l| Line::from(format!("  {l}"))));
    lines.push(head(t.raynet_ids));
    none_if_empty(&mut lines, d.raynet_ids.is_empty());
    lines.extend(
        d.raynet_ids.iter().map(|(k, id)| Line::from(format!("  {}: {id}", plan::record_name(*k, t.lang)))),
    );
    if !d.candidates.is_empty() {
        lines.push(head(t.candidates));
        lines.extend(d.candidates.iter().map(|c| {
            Line::from(format!("  #{} {} — {}", c.id, c.name, t.candidate_detail(&c.matched_by, &c.facts)))
        }));
    }
    lines.push(head(t.api_calls));
    none_if_empty(&mut lines, d.calls.is_empty());
    for c in &d.calls {
        call_lines(&mut lines, ctx, c);
    }
    lines.push(head(t.audit));
    lines.extend(d.audit.iter().map(|a| {
        Line::from(format!(
            "  {} {} {}",
            format::time(a.at, ctx.tz),
            t.activity_kind(a.entry.kind()),
            format::localize_utc(&t.audit_line(&a.entry, a.change, &ctx.tz), ctx.tz)
        ))
    }));
    lines
}

/// State, status, total and customer; why it waits; its attempts; the Shoptet admin link.
fn summary_lines(ctx: &ViewCtx, d: &OrderDetail) -> Vec<Line<'static>> {
    let (t, tz, now) = (ctx.t, ctx.tz, ctx.now);
    let o = &d.order;
    let mut lines = vec![Line::from(format!(
        "{} · {} · {} {} · {}",
        t.state_name(o.state),
        o.status,
        o.total,
        o.currency,
        o.customer
    ))];
    if let Some(reason) = &o.reason {
        let style = match o.state {
            OrderState::Failed | OrderState::Dead => Style::new().fg(Color::Red),
            _ => Style::new().fg(Color::Yellow),
        };
        lines.push(Line::styled(format!("⚠ {}", format::localize_utc(&t.reason(reason, &tz), tz)), style));
    }
    if o.attempts > 0 {
        lines.push(Line::from(format!(
            "{}: {} · {}: {}",
            t.col_attempts,
            o.attempts,
            t.col_next_attempt,
            match format::wait(o.next_attempt, now, t) {
                Some(wait) => format!("{} ({wait})", format::next_attempt(o.next_attempt, now, tz)),
                None => format::next_attempt(o.next_attempt, now, tz),
            }
        )));
    }
    if let Some(url) = &d.admin_url {
        lines.push(Line::from(format!("{}: {url}", t.admin_link)));
    }
    lines
}

/// One API call: when, what, the answer and how long it took; a failure's body under it.
fn call_lines(lines: &mut Vec<Line<'static>>, ctx: &ViewCtx, c: &ApiCallView) {
    let status = c.status.map_or_else(|| "---".to_string(), |s| s.to_string());
    let when = format::time(c.at, ctx.tz);
    if expected_not_found(c) {
        // A lookup before a create: "not there yet" is the answer it hoped for.
        lines.push(Line::from(format!(
            "  {when} {} {} {status} {} ms → {}",
            c.method, c.path, c.duration_ms, ctx.t.not_in_raynet_yet
        )));
        return;
    }
    let style = match c.status {
        Some(s) if s < 400 => Style::new(),
        _ => Style::new().fg(Color::Red),
    };
    lines
        .push(Line::styled(format!("  {when} {} {} {status} {} ms", c.method, c.path, c.duration_ms), style));
    if let Some(body) = &c.error_body {
        lines.push(Line::styled(format!("      {body}"), Style::new().fg(Color::Red)));
    }
}

/// A RAYNET lookup by extId that found nothing: how every create starts, not an error.
fn expected_not_found(c: &ApiCallView) -> bool {
    c.status == Some(404)
        && c.method.ends_with("GET")
        && c.method.starts_with("RAYNET")
        && c.path.contains("/ext/")
}
