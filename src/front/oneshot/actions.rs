//! The commands that change one order's local record for the engine to act on: `retry`,
//! `resync`, `skip`, `unskip`, `resolve`. A refusal changes nothing.

use super::render::{business_case, known_order, plural, said, state_label};
use crate::config::Paths;
use crate::engine::api::ClientChoice;
use crate::runtime::{AppError, EXIT_OK, open_existing};
use crate::store::{Activity, Candidate, OrderRow, OrderState, Reason};
use crate::tui::i18n::Texts;

/// `retry CODE...` or `retry --all`.
pub fn retry(paths: &Paths, codes: &[String], all: bool) -> Result<i32, AppError> {
    let mut store = open_existing(paths)?;
    if all {
        let n = store.retry_all()?;
        println!("{} queued for an immediate retry.", plural(n, "order", "orders"));
    } else {
        if codes.is_empty() {
            return Err(AppError::Usage("give order codes or --all".into()));
        }
        // Check every code first: a refusal changes nothing.
        let mut refusals = Vec::new();
        for code in codes {
            let row = known_order(&store, code)?;
            if let Some(why) = retry_refusal(&row) {
                refusals.push(why);
            }
        }
        if !refusals.is_empty() {
            return Err(AppError::Refused(format!("{}; nothing was changed", refusals.join("; "))));
        }
        for code in codes {
            store.retry_now(code)?;
            println!("{code}: queued for an immediate retry.");
        }
    }
    println!("The running engine (or the next `sync --once`) picks them up.");
    Ok(EXIT_OK)
}

/// Why `retry` would be wrong for this order, if it would.
fn retry_refusal(row: &OrderRow) -> Option<String> {
    let code = &row.code;
    match row.state {
        OrderState::Synced => Some(format!(
            "order {code} is synced{}: there is nothing to retry; `resync {code}` fetches it again and \
             brings its business case up to date",
            business_case(row)
        )),
        OrderState::Skipped => Some(format!("order {code} is skipped: `unskip {code}` queues it again")),
        OrderState::NeedsDecision => Some(format!(
            "order {code} waits for a decision: `resolve {code} --client ID` or `--create` \
             (the candidates: `show {code}`)"
        )),
        _ => None,
    }
}

/// `resync CODE`.
pub fn resync(paths: &Paths, code: &str) -> Result<i32, AppError> {
    let mut store = open_existing(paths)?;
    known_order(&store, code)?;
    crate::engine::local::resync(&mut store, code)?;
    println!("{code}: will be fetched again and its business case brought up to date.");
    Ok(EXIT_OK)
}

/// `skip CODE [--reason TEXT]`; the reason printed in `t`'s language.
pub fn skip(t: &Texts, paths: &Paths, code: &str, reason: Option<&str>) -> Result<i32, AppError> {
    let mut store = open_existing(paths)?;
    let row = known_order(&store, code)?;
    match row.state {
        OrderState::Synced => {
            return Err(AppError::Refused(format!(
                "order {code} is already synced{}; skipping it would not remove it from RAYNET",
                business_case(&row)
            )));
        }
        OrderState::Skipped => {
            let was = store.skip_reason(code)?.map(|r| said(t, &r)).unwrap_or_default();
            println!("{code}: already skipped ({was}); `unskip {code}` undoes it.");
            return Ok(EXIT_OK);
        }
        _ => {}
    }
    store.skip(code, reason)?;
    let reason = said(t, &Reason::Skipped { note: reason.map(String::from) });
    println!("{code}: skipped ({reason}); `unskip {code}` undoes it.");
    Ok(EXIT_OK)
}

/// `unskip CODE`.
pub fn unskip(paths: &Paths, code: &str) -> Result<i32, AppError> {
    let mut store = open_existing(paths)?;
    let row = known_order(&store, code)?;
    if row.state != OrderState::Skipped {
        return Err(AppError::Refused(format!(
            "order {code} is not skipped (it is {})",
            state_label(row.state)
        )));
    }
    store.reset_attempts(code)?;
    store.retry_now(code)?;
    store.audit(Some(code), &Activity::Unskipped)?;
    println!(
        "{code}: unskipped and queued; the running engine (or the next `sync --once`) syncs it, \
         or sets it back to pending when it is no longer in a final status."
    );
    Ok(EXIT_OK)
}

/// `resolve CODE --client ID [--force]` or `resolve CODE --create`.
pub fn resolve(
    paths: &Paths,
    code: &str,
    client: Option<i64>,
    create: bool,
    force: bool,
) -> Result<i32, AppError> {
    let mut store = open_existing(paths)?;
    let row = known_order(&store, code)?;
    let Some(decision) = store.decision(code)? else {
        return Err(AppError::Refused(format!(
            "order {code} does not wait for a decision (it is {})",
            state_label(row.state)
        )));
    };
    let choice = match (client, create) {
        (Some(id), _) => existing_client(code, &decision.candidates, id, force)?,
        (None, true) => ClientChoice::CreateNew,
        (None, false) => return Err(AppError::Usage("give --client ID or --create".into())),
    };
    // The choice is the customer's: the same customer's other waiting orders that offer
    // this client are settled with it (as in the dashboard).
    let others = crate::engine::local::resolve(&mut store, code, &choice)?;
    println!("{code}: decision saved; the order is queued.");
    if !others.is_empty() {
        println!(
            "Also applied to the same customer's {}: {}",
            plural(others.len() as u64, "other waiting order", "other waiting orders"),
            others.join(", ")
        );
    }
    Ok(EXIT_OK)
}

/// Linking client `id`: one of the candidates, or any with `--force`.
fn existing_client(
    code: &str,
    candidates: &[Candidate],
    id: i64,
    force: bool,
) -> Result<ClientChoice, AppError> {
    if !candidates.iter().any(|c| c.raynet_id == id) {
        if !force {
            let list: Vec<String> =
                candidates.iter().map(|c| format!("#{} {}", c.raynet_id, c.name)).collect();
            return Err(AppError::Refused(format!(
                "client #{id} is not one of the candidates for order {code} ({}); \
                 pick one of them, use --create, or add --force to link #{id} anyway",
                if list.is_empty() { "none recorded".to_string() } else { list.join(", ") }
            )));
        }
        eprintln!("note: client #{id} is not one of the candidates; linking it as you asked (--force).");
    }
    Ok(ClientChoice::Existing(id))
}
