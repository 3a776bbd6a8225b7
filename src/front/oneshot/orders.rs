//! `orders`: the orders known locally, newest change first, with why each one waits.

use chrono::Utc;

use super::render::{clip, order_json_full, print_candidates, reason, said};
use crate::config::Paths;
use crate::runtime::{AppError, EXIT_OK, open_existing};
use crate::store::{OrderQuery, OrderSort, OrderState};
use crate::tui::i18n::Texts;

/// `orders [--state S]... [--search TEXT] [--limit N] [--json]`; reasons in `t`'s language.
pub fn run(
    t: &Texts,
    paths: &Paths,
    mut states: Vec<OrderState>,
    search: Option<String>,
    limit: u64,
    json: bool,
) -> Result<i32, AppError> {
    let store = open_existing(paths)?;
    states.dedup();
    let q = OrderQuery { states, search, sort: OrderSort::ChangeTime, descending: true, offset: 0, limit };
    let rows = store.orders_page(&q)?;
    let now = Utc::now();
    if json {
        let out = rows.iter().map(|r| order_json_full(&store, r, t)).collect::<Result<Vec<_>, _>>()?;
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(EXIT_OK);
    }
    let cli = t.cli();
    let h = &cli.head;
    println!(
        "{:<14} {:<15} {:<14} {:<28} {:>12} {:<4} {:>3} {:<16} {}",
        h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
    );
    for r in &rows {
        let why = reason(&store, r)?.map(|w| said(t, &w));
        println!(
            "{:<14} {:<15} {:<14} {:<28} {:>12} {:<4} {:>3} {:<16} {}",
            r.code,
            cli.state(r.state),
            clip(r.status_name.as_deref().unwrap_or(""), 14),
            clip(r.customer.as_deref().unwrap_or(""), 28),
            r.total_with_vat.map(crate::money::money).unwrap_or_default(),
            r.currency.as_deref().unwrap_or(""),
            r.attempts,
            r.next_attempt_at.map(|at| cli.when(at, now)).unwrap_or_default(),
            why.as_deref().map(|e| clip(e, 70)).unwrap_or_default()
        );
        if r.state == OrderState::NeedsDecision {
            print_candidates(t, &store, &r.code, "    ")?;
        }
    }
    let total = store.count_orders(&q)?;
    println!("{}", cli.shown_of(rows.len(), total));
    Ok(EXIT_OK)
}
