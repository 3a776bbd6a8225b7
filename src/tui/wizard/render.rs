//! Drawing the current wizard step.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use crate::tui::ctx::ViewCtx;
use crate::tui::i18n::{Texts, doctor};
use crate::tui::wizard::validate::Field;
use crate::tui::wizard::{SaveState, Step, TestState, WebhookState, Wizard, build};

pub fn render(w: &Wizard, f: &mut Frame, area: Rect, ctx: &ViewCtx) {
    let t = ctx.t;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(format!(" {} ", w.step.title(t))).style(Style::new().add_modifier(Modifier::BOLD)));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [intro_area, body] = Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(inner);
    f.render_widget(
        Paragraph::new(Line::styled(w.step.intro(t), Style::new().fg(Color::DarkGray)))
            .wrap(Wrap { trim: true }),
        intro_area,
    );
    match w.step {
        Step::ShoptetConn | Step::RaynetConn | Step::StartDate | Step::Webhook | Step::Options => {
            form(w, f, body, t)
        }
        Step::ShoptetTest => test(f, body, t, &w.shoptet, |s| {
            vec![
                format!("{}: {} (id {})", t.eshop, s.name, s.eshop_id),
                format!(
                    "{}: {} ({}: {})",
                    t.currencies,
                    s.currencies.join(", "),
                    t.default_currency,
                    s.default_currency
                ),
                format!("{}: {}", t.timezone, s.timezone),
                format!(
                    "{}: {}",
                    t.statuses,
                    s.statuses
                        .iter()
                        .map(|c| format!("{} ({})", c.label, c.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ]
        }),
        Step::RaynetTest => test(f, body, t, &w.raynet, |r| {
            vec![
                format!("{}: {}", t.instance, r.instance),
                format!(
                    "{}: {}",
                    t.users,
                    r.users.iter().map(|c| c.label.as_str()).collect::<Vec<_>>().join(", ")
                ),
                format!("{}: {}", t.phases, r.phases.len()),
                format!("{}: {}", t.sources, r.sources.len()),
                format!("{}: {}", t.currencies, r.currencies.join(", ")),
            ]
        }),
        Step::FinalStatuses
        | Step::Owner
        | Step::Phase
        | Step::Source
        | Step::Category
        | Step::CancelledStatuses
        | Step::CancelledPhase => list(w, f, body, t),
        Step::Review => review(w, f, body, t),
    }
}

fn label_of(field: Field, t: &Texts) -> &'static str {
    match field {
        Field::ShoptetUrl => t.f_shoptet_url,
        Field::ShoptetToken => t.f_shoptet_token,
        Field::RaynetUrl => t.f_raynet_url,
        Field::Instance => t.f_instance,
        Field::Username => t.f_username,
        Field::ApiKey => t.f_api_key,
        Field::Start => t.f_start,
        Field::WebhookEnabled => t.f_webhook,
        Field::ShoptetAddon => t.f_shoptet_addon,
        Field::EshopUrl => t.f_eshop_url,
        Field::Listen => t.f_listen,
        Field::PublicUrl => t.f_public_url,
        Field::PollInterval => t.f_poll,
        Field::NameTemplate => t.f_name_template,
        Field::RenewKey => doctor::texts(t.lang).f_renew_key,
    }
}

fn form(w: &Wizard, f: &mut Frame, area: Rect, t: &'static Texts) {
    let fields = w.step.fields();
    let rows = Layout::vertical(fields.iter().map(|_| Constraint::Length(3))).split(area);
    for (i, (field, rect)) in fields.iter().zip(rows.iter()).enumerate() {
        let focused = i == w.focus;
        let [label_area, input_area, msg_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Length(1)])
                .areas(*rect);
        let label_style = if focused {
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        };
        let marker = if focused { "▶ " } else { "  " };
        f.render_widget(
            Paragraph::new(Line::styled(format!("{marker}{}", label_of(*field, t)), label_style)),
            label_area,
        );
        let box_style = Style::new().bg(if focused { Color::DarkGray } else { Color::Reset });
        if *field == Field::RenewKey {
            f.render_widget(Paragraph::new(key_line(w, t)), input_area);
            continue;
        }
        if matches!(field, Field::WebhookEnabled | Field::ShoptetAddon) {
            let on = if *field == Field::ShoptetAddon { w.addon } else { w.webhook_enabled };
            let v = if on { t.on } else { t.off };
            f.render_widget(Paragraph::new(format!("    [{}] {v}", if on { "x" } else { " " })), input_area);
            continue;
        }
        let Some(input) = w.input_of(*field) else { continue };
        let width = input_area.width.saturating_sub(5) as usize;
        let scroll = input.visual_scroll(width);
        let shown: String = if field.is_secret() {
            "•".repeat(input.value().chars().count().saturating_sub(scroll).min(width))
        } else {
            input.value().chars().skip(scroll).collect()
        };
        let input_rect =
            Rect { x: input_area.x + 4, width: input_area.width.saturating_sub(4), ..input_area };
        f.render_widget(Paragraph::new(shown).style(box_style), input_rect);
        if focused {
            let x = input_rect.x + input.visual_cursor().saturating_sub(scroll) as u16;
            f.set_cursor_position((x.min(input_rect.right().saturating_sub(1)), input_rect.y));
        }
        let dim = (matches!(field, Field::Listen | Field::PublicUrl) && !w.webhook_enabled)
            || (*field == Field::EshopUrl && !w.addon);
        let msg = match w.problem(*field, t) {
            Some(p) => Line::styled(format!("    ✗ {p}"), Style::new().fg(Color::Red)),
            None if dim => Line::styled(format!("    {}", t.not_needed), Style::new().fg(Color::DarkGray)),
            None => Line::styled("    ✓", Style::new().fg(Color::Green)),
        };
        f.render_widget(Paragraph::new(msg), msg_area);
    }
}

/// The signature key: stored (and whether a new one is fetched on save), or none yet.
fn key_line(w: &Wizard, t: &'static Texts) -> Line<'static> {
    let d = doctor::texts(t.lang);
    if !w.webhook_enabled {
        return Line::styled(format!("    {}", t.not_needed), Style::new().fg(Color::DarkGray));
    }
    if !w.key_stored() {
        return Line::styled(format!("    {}", d.key_none), Style::new().fg(Color::DarkGray));
    }
    let mark = if w.renew_key { "x" } else { " " };
    Line::from(format!("    {} · [{mark}] {}", d.key_stored, d.key_renew))
}

fn test<T>(
    f: &mut Frame,
    area: Rect,
    t: &'static Texts,
    state: &TestState<T>,
    facts: impl Fn(&T) -> Vec<String>,
) {
    let lines: Vec<Line> = match state {
        TestState::NotRun | TestState::Running => {
            vec![Line::styled(format!("⏳ {}", t.testing), Style::new().fg(Color::Yellow))]
        }
        TestState::Ok(v) => {
            let mut l = vec![Line::styled(
                format!("✓ {}", t.test_ok),
                Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            )];
            l.extend(facts(v).into_iter().map(Line::from));
            l
        }
        TestState::Failed(e) => {
            let mut l = vec![Line::styled(
                format!("✗ {}", t.test_failed),
                Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            )];
            // The reason and its hint ("→ …") are separate lines of the message.
            l.extend(e.lines().map(|part| Line::styled(part.to_string(), Style::new().fg(Color::Red))));
            l.push(Line::from(""));
            l.push(Line::from(t.test_failed_hint));
            l
        }
    };
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn list(w: &Wizard, f: &mut Frame, area: Rect, t: &'static Texts) {
    let choices = w.choices();
    let [list_area, msg_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let mut items: Vec<ListItem> = Vec::new();
    if w.step.is_multi() {
        let ticked = if w.step == Step::FinalStatuses { &w.final_statuses } else { &w.cancelled_statuses };
        for c in &choices {
            let mark = if ticked.contains(&c.id) { "[x]" } else { "[ ]" };
            items.push(ListItem::new(format!("{mark} {} ({})", c.label, c.id)));
        }
    } else {
        // One choice: the dot is where the cursor is, the entry Enter takes.
        let dot = |i: usize| if i == w.cursor { "(•)" } else { "( )" };
        let mut i = 0;
        if w.step.has_none_option() {
            items.push(ListItem::new(format!("{} {}", dot(i), t.none_option)));
            i += 1;
        }
        for c in &choices {
            items.push(ListItem::new(format!("{} {} ({})", dot(i), c.label, c.id)));
            i += 1;
        }
    }
    let l = List::new(items)
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ");
    let mut state = ListState::default().with_selected(Some(w.cursor));
    f.render_stateful_widget(l, list_area, &mut state);
    let msg = if let Some(problem) = w.list_problem {
        Line::styled(format!("✗ {problem}"), Style::new().fg(Color::Red))
    } else if choices.is_empty() {
        Line::styled(t.list_empty, Style::new().fg(Color::Yellow))
    } else {
        Line::from("")
    };
    f.render_widget(Paragraph::new(msg), msg_area);
}

fn review(w: &Wizard, f: &mut Frame, area: Rect, t: &'static Texts) {
    let msg = review_message(w, t);
    // The message gets the rows it needs (a webhook refusal says what to do), at least two.
    let width = usize::from(area.width.max(1));
    let rows = (Line::from(msg.spans.clone()).width() / width + 1).clamp(2, 8) as u16;
    let [text_area, msg_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(rows)]).areas(area);
    let built = build::config(w);
    let mut text = match built.as_ref().map_err(Clone::clone).and_then(build::masked_toml) {
        Ok(s) => s,
        Err(e) => format!("✗ {}: {e}", t.incomplete),
    };
    // Over an existing configuration, what changes comes first: at 24 rows the file is longer
    // than the screen.
    if let (Some(base), Ok(cfg)) = (&w.base, &built) {
        let changes = build::changes(base, cfg);
        if !changes.is_empty() {
            let list: Vec<String> = changes.iter().map(|c| format!("  {c}")).collect();
            text = format!("{}:\n{}\n\n{text}", t.changes, list.join("\n"));
        }
    }
    f.render_widget(Paragraph::new(text).scroll((w.review_scroll, 0)), text_area);
    f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), msg_area);
}

/// Under the review: the webhook setup while it runs or when it was refused, else the save.
fn review_message(w: &Wizard, t: &'static Texts) -> Line<'static> {
    let d = doctor::texts(t.lang);
    match &w.webhooks {
        WebhookState::Running => {
            return Line::styled(format!("⏳ {}", d.registering), Style::new().fg(Color::Yellow));
        }
        WebhookState::Failed(e) => {
            let why = doctor::setup_error(t.lang, e);
            return Line::styled(format!("✗ {}: {why}", d.webhook_failed), Style::new().fg(Color::Red));
        }
        _ => {}
    }
    match &w.save {
        SaveState::Idle if w.base.is_some() && !w.changed() => {
            Line::styled(t.review_unchanged, Style::new().fg(Color::DarkGray))
        }
        SaveState::Idle => Line::styled(t.review_hint, Style::new().fg(Color::DarkGray)),
        SaveState::Saving => Line::styled(format!("⏳ {}", t.saving), Style::new().fg(Color::Yellow)),
        SaveState::Failed(e) => {
            Line::from(vec![Span::styled(format!("✗ {}: {e}", t.save_failed), Style::new().fg(Color::Red))])
        }
    }
}
