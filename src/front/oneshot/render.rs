//! What the one-shot commands share: finding an order, why it waits, and the texts and JSON
//! shapes they print.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Local};
use serde_json::json;

use crate::runtime::{AppError, EXIT_OK, EXIT_ORDERS_WAITING, Global};
use crate::store::{Candidate, OrderRow, OrderState, Reason, Store};
use crate::tui::i18n::{Lang, Texts};

/// The texts reasons and the activity log are printed in: `--lang`, English by default.
pub fn texts(global: &Global) -> &'static Texts {
    global.lang.as_deref().and_then(Lang::parse).unwrap_or(Lang::En).texts()
}

/// A reason in `t`'s language, times in the local zone.
pub(super) fn said(t: &Texts, r: &Reason) -> String {
    t.reason(r, &Local)
}

/// An engine error as the user reads it: in English its full text (request, the service's
/// words), in Czech its typed reason.
pub fn engine_error(t: &Texts, e: &crate::engine::EngineError) -> String {
    match t.lang {
        Lang::En => e.to_string(),
        Lang::Cs => said(t, &e.reason()),
    }
}

/// The stored order, or a refusal that names the code.
pub(super) fn known_order(t: &Texts, store: &Store, code: &str) -> Result<OrderRow, AppError> {
    store.order(code)?.ok_or_else(|| AppError::Refused(t.cli().unknown_order(code)))
}

/// Why an order is where it is: the decision's question, the skip reason or the last error.
pub(super) fn reason(store: &Store, r: &OrderRow) -> Result<Option<Reason>, AppError> {
    Ok(match r.state {
        OrderState::NeedsDecision => store.decision(&r.code)?.map(|d| d.reason).or(r.last_error.clone()),
        OrderState::Skipped => store.skip_reason(&r.code)?,
        OrderState::Pending | OrderState::Synced => None,
        OrderState::Queued | OrderState::Failed | OrderState::Dead => r.last_error.clone(),
    })
}

fn candidates(store: &Store, code: &str) -> Result<Vec<Candidate>, AppError> {
    Ok(store.decision(code)?.map(|d| d.candidates).unwrap_or_default())
}

pub(super) fn print_candidates(t: &Texts, store: &Store, code: &str, indent: &str) -> Result<(), AppError> {
    let cli = t.cli();
    for c in candidates(store, code)? {
        let by = t.match_key(&c.matched_by);
        println!("{indent}{}", cli.candidate(c.raynet_id, &c.name, &by, c.detail.as_deref()));
    }
    println!("{indent}{}", cli.choose(code));
    Ok(())
}

/// 2 when some orders failed, are dead or wait for a decision (or still wait in the queue).
pub(super) fn exit_code(counts: &BTreeMap<OrderState, u64>) -> i32 {
    let waiting = [OrderState::Failed, OrderState::Dead, OrderState::NeedsDecision, OrderState::Queued]
        .iter()
        .map(|s| counts.get(s).copied().unwrap_or(0))
        .sum::<u64>();
    if waiting > 0 { EXIT_ORDERS_WAITING } else { EXIT_OK }
}

pub(super) fn counts_json(counts: &BTreeMap<OrderState, u64>) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = OrderState::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), json!(counts.get(s).copied().unwrap_or(0))))
        .collect();
    serde_json::Value::Object(map)
}

pub(super) fn print_counts(t: &Texts, counts: &BTreeMap<OrderState, u64>) {
    let cli = t.cli();
    let parts: Vec<String> = OrderState::ALL
        .iter()
        .map(|s| format!("{} {}", cli.state(*s), counts.get(s).copied().unwrap_or(0)))
        .collect();
    println!("{}: {}", cli.l_orders, parts.join(", "));
}

fn order_json(r: &OrderRow, t: &Texts) -> serde_json::Value {
    json!({
        "code": r.code,
        "state": r.state.as_str(),
        "status_id": r.status_id,
        "status": r.status_name,
        "customer": r.customer,
        "email": r.email,
        "total_with_vat": r.total_with_vat.map(|t| t.to_string()),
        "currency": r.currency,
        "change_time": r.change_time.map(|t| t.to_rfc3339()),
        "business_case_id": r.business_case_id,
        "synced_at": r.synced_at.map(|t| t.to_rfc3339()),
        "attempts": r.attempts,
        "next_attempt_at": r.next_attempt_at.map(|t| t.to_rfc3339()),
        "last_error": r.last_error.as_ref().map(|e| said(t, e)),
        "last_status": r.last_status,
    })
}

/// `order_json` plus why the order waits (in `t`'s language, and as a `reason_code`) and, for
/// an ambiguous client, the candidates.
pub(super) fn order_json_full(store: &Store, r: &OrderRow, t: &Texts) -> Result<serde_json::Value, AppError> {
    let mut v = order_json(r, t);
    let why = reason(store, r)?;
    v["reason"] = json!(why.as_ref().map(|w| said(t, w)));
    v["reason_code"] = json!(why.as_ref().map(Reason::code));
    let list = if r.state == OrderState::NeedsDecision { candidates(store, &r.code)? } else { Vec::new() };
    v["candidates"] = list
        .iter()
        .map(|c| json!({ "id": c.raynet_id, "name": c.name, "matched_by": c.matched_by, "detail": c.detail }))
        .collect();
    Ok(v)
}

/// A time in the local zone, with its offset.
pub(super) fn local_time(t: DateTime<FixedOffset>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S %:z").to_string()
}

pub(super) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).chain(['…']).collect() }
}

/// "Times are local (UTC+01:00)."
pub(super) fn print_local_zone(t: &Texts) {
    println!("{}", t.cli().local_zone());
}

/// "Label:          value", the label padded to `width` characters (a space at least).
pub(super) fn labelled(label: &str, width: usize, value: &str) -> String {
    let pad = width.saturating_sub(1);
    format!("{:<pad$} {value}", format!("{label}:"))
}
