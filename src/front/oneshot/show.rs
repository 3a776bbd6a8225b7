//! `show CODE [--json]`: one order in detail — state and why, the plan, every API call, the
//! history.

use chrono::{Local, Utc};
use serde_json::json;

use super::render::{
    known_order, labelled, local_time, order_json_full, print_candidates, print_local_zone, reason, said,
};
use crate::config::Paths;
use crate::engine::detail::{self, DetailRecord};
use crate::runtime::{AppError, EXIT_OK, open_existing};
use crate::store::{AuditEvent, AuditQuery, OrderRow, OrderState, Store};
use crate::tui::i18n::{Lang, Texts, plan};

/// Everything `show` prints about one order.
struct Shown {
    row: OrderRow,
    detail: Option<DetailRecord>,
    /// Oldest first.
    history: Vec<AuditEvent>,
    lang: Lang,
}

impl Shown {
    fn read(store: &Store, code: &str, lang: Lang) -> Result<Shown, AppError> {
        let row = known_order(lang.texts(), store, code)?;
        // A record this version cannot read is shown as none (it is rewritten when the order
        // is next read).
        let detail = detail::load(store, code).unwrap_or_else(|e| {
            tracing::warn!(order = code, error = %e, "unreadable order detail");
            None
        });
        let mut history = store.audit_page(&AuditQuery {
            order_code: Some(code.to_string()),
            limit: 500,
            ..Default::default()
        })?;
        history.reverse();
        Ok(Shown { row, detail, history, lang })
    }

    /// The Shoptet part of the detail, one line each.
    fn shoptet(&self) -> Vec<String> {
        self.detail.as_ref().map(|d| plan::shoptet(&d.shoptet, self.lang)).unwrap_or_default()
    }

    /// The plan part (or what was done), one line each.
    fn plan(&self) -> Vec<String> {
        self.detail.as_ref().map(|d| plan::plan_section(&d.plan, self.lang)).unwrap_or_default()
    }

    fn plan_done(&self) -> bool {
        self.detail.as_ref().is_some_and(|d| d.done)
    }

    fn admin_url(&self) -> Option<&str> {
        self.detail.as_ref().and_then(|d| d.admin_url.as_deref())
    }
}

/// `show CODE [--json]`; reasons and history in `t`'s language.
pub fn run(t: &Texts, paths: &Paths, code: &str, json: bool) -> Result<i32, AppError> {
    let store = open_existing(paths)?;
    let shown = Shown::read(&store, code, t.lang)?;
    if json {
        print_json(t, &store, &shown)?;
    } else {
        print_text(t, &store, code, &shown)?;
    }
    Ok(EXIT_OK)
}

fn print_json(t: &Texts, store: &Store, s: &Shown) -> Result<(), AppError> {
    let calls = store.calls(&s.row.code)?;
    let out = json!({
        "order": order_json_full(store, &s.row, t)?,
        "shoptet": s.shoptet(),
        "plan": s.plan(),
        "plan_done": s.plan_done(),
        "admin_url": s.admin_url(),
        "detail": s.detail.as_ref().map(|d| json!({"shoptet": d.shoptet, "plan": d.plan})),
        "calls": calls.iter().map(|c| json!({
            "at": c.at.to_rfc3339(),
            "service": c.service.to_string(),
            "method": c.method,
            "path": c.path,
            "status": c.status,
            "duration_ms": c.duration_ms,
            "error": c.error,
        })).collect::<Vec<_>>(),
        "history": s.history.iter().map(|a| json!({
            "at": a.at.to_rfc3339(),
            "kind": a.kind,
            "message": t.audit_line(&a.entry, a.change, &Local),
        })).collect::<Vec<_>>(),
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    Ok(())
}

fn print_text(t: &Texts, store: &Store, code: &str, s: &Shown) -> Result<(), AppError> {
    let cli = t.cli();
    println!("{} {code}", cli.order);
    print_summary(t, store, s)?;
    if s.row.state == OrderState::NeedsDecision {
        println!("{}", cli.candidates);
        print_candidates(t, store, code, "  ")?;
    }
    print_section("Shoptet", &s.shoptet());
    print_section(if s.plan_done() { cli.done } else { cli.plan }, &s.plan());
    print_calls(t, store, code)?;
    if !s.history.is_empty() {
        println!("{}", cli.history);
        for a in &s.history {
            let message = t.audit_line(&a.entry, a.change, &Local);
            println!("  {} {} {message}", local_time(a.at.fixed_offset()), t.activity_kind(&a.kind));
        }
    }
    print_local_zone(t);
    Ok(())
}

/// The order's own lines: state, Shoptet status, customer, total, times, business case.
fn print_summary(t: &Texts, store: &Store, s: &Shown) -> Result<(), AppError> {
    let (row, cli) = (&s.row, t.cli());
    let labels = [cli.l_state, cli.l_status, cli.l_customer, cli.l_total, cli.l_changed, cli.l_business_case];
    let width =
        labels.iter().chain([&cli.l_attempts, &cli.l_admin]).map(|l| l.chars().count()).max().unwrap_or(0)
            + 2;
    let line = |label: &str, value: &str| println!("  {}", labelled(label, width, value));
    let why = reason(store, row)?.map(|r| format!(" — {}", said(t, &r))).unwrap_or_default();
    line(cli.l_state, &format!("{}{why}", cli.state(row.state)));
    let status = match (&row.status_name, row.status_id) {
        (Some(n), Some(id)) => format!("{n} ({id})"),
        (Some(n), None) => n.clone(),
        (None, Some(id)) => id.to_string(),
        (None, None) => "?".into(),
    };
    line(cli.l_status, &status);
    let customer = match (&row.customer, &row.email) {
        (Some(c), Some(e)) if c != e => format!("{c} <{e}>"),
        (Some(c), _) => c.clone(),
        (None, Some(e)) => e.clone(),
        (None, None) => String::new(),
    };
    line(cli.l_customer, &customer);
    if let Some(total) = row.total_with_vat {
        line(
            cli.l_total,
            &format!("{} {}", crate::money::money(total), row.currency.as_deref().unwrap_or("")),
        );
    }
    if let Some(changed) = row.change_time {
        line(cli.l_changed, &local_time(changed));
    }
    if let Some(bc) = row.business_case_id {
        let at = row.synced_at.map(|at| cli.synced_at(&local_time(at.fixed_offset()))).unwrap_or_default();
        line(cli.l_business_case, &format!("#{bc}{at}"));
    }
    if row.attempts > 0 || row.next_attempt_at.is_some() {
        let next = row
            .next_attempt_at
            .map(|at| format!("; {}", cli.next_attempt(&cli.when(at, Utc::now()))))
            .unwrap_or_default();
        line(cli.l_attempts, &format!("{}{next}", row.attempts));
    }
    if let Some(url) = s.admin_url() {
        line(cli.l_admin, url);
    }
    Ok(())
}

/// A titled block of indented lines; nothing when there are none.
fn print_section(title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    println!("{title}");
    for l in lines {
        println!("  {l}");
    }
}

fn print_calls(t: &Texts, store: &Store, code: &str) -> Result<(), AppError> {
    let calls = store.calls(code)?;
    if calls.is_empty() {
        return Ok(());
    }
    println!("{}", t.cli().calls);
    for c in &calls {
        let status = c.status.map(|s| s.to_string()).unwrap_or_else(|| "—".into());
        println!(
            "  {} {} {} {} {status} {} ms",
            local_time(c.at.fixed_offset()),
            c.service,
            c.method,
            c.path,
            c.duration_ms
        );
        if let Some(e) = &c.error {
            println!("      {e}");
        }
    }
    Ok(())
}
