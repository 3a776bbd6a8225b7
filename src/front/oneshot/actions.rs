//! The commands that change one order's local record for the engine to act on: `retry`,
//! `resync`, `skip`, `unskip`, `resolve`. A refusal changes nothing. What they say follows
//! `--lang`.

use super::render::{known_order, said};
use crate::config::Paths;
use crate::engine::api::ClientChoice;
use crate::runtime::{AppError, EXIT_OK, open_existing};
use crate::store::{Activity, Candidate, OrderRow, OrderState, Reason};
use crate::tui::i18n::Texts;

/// `retry CODE...` or `retry --all`.
pub fn retry(t: &Texts, paths: &Paths, codes: &[String], all: bool) -> Result<i32, AppError> {
    let cli = t.cli();
    let mut store = open_existing(paths)?;
    if all {
        let n = store.retry_all()?;
        println!("{}", cli.retry_all_queued(n));
    } else {
        if codes.is_empty() {
            return Err(AppError::Usage(cli.give_codes().into()));
        }
        // Check every code first: a refusal changes nothing.
        let mut refusals = Vec::new();
        for code in codes {
            let row = known_order(t, &store, code)?;
            if let Some(why) = retry_refusal(t, &row) {
                refusals.push(why);
            }
        }
        if !refusals.is_empty() {
            return Err(AppError::Refused(cli.nothing_changed(&refusals)));
        }
        for code in codes {
            store.retry_now(code)?;
            println!("{}", cli.retry_queued(code));
        }
    }
    println!("{}", cli.picks_up);
    Ok(EXIT_OK)
}

/// Why `retry` would be wrong for this order, if it would.
fn retry_refusal(t: &Texts, row: &OrderRow) -> Option<String> {
    let (cli, code) = (t.cli(), &row.code);
    match row.state {
        OrderState::Synced => Some(cli.retry_synced(code, &cli.business_case(row.business_case_id))),
        OrderState::Skipped => Some(cli.retry_skipped(code)),
        OrderState::NeedsDecision => Some(cli.retry_decision(code)),
        _ => None,
    }
}

/// `resync CODE`.
pub fn resync(t: &Texts, paths: &Paths, code: &str) -> Result<i32, AppError> {
    let mut store = open_existing(paths)?;
    known_order(t, &store, code)?;
    crate::engine::local::resync(&mut store, code)?;
    println!("{}", t.cli().resynced(code));
    Ok(EXIT_OK)
}

/// `skip CODE [--reason TEXT]`; the reason printed in `t`'s language.
pub fn skip(t: &Texts, paths: &Paths, code: &str, reason: Option<&str>) -> Result<i32, AppError> {
    let cli = t.cli();
    let mut store = open_existing(paths)?;
    let row = known_order(t, &store, code)?;
    match row.state {
        OrderState::Synced => {
            return Err(AppError::Refused(cli.skip_synced(code, &cli.business_case(row.business_case_id))));
        }
        OrderState::Skipped => {
            let was = store.skip_reason(code)?.map(|r| said(t, &r)).unwrap_or_default();
            println!("{}", cli.skipped(code, &was, true));
            return Ok(EXIT_OK);
        }
        _ => {}
    }
    store.skip(code, reason)?;
    let reason = said(t, &Reason::Skipped { note: reason.map(String::from) });
    println!("{}", cli.skipped(code, &reason, false));
    Ok(EXIT_OK)
}

/// `unskip CODE`.
pub fn unskip(t: &Texts, paths: &Paths, code: &str) -> Result<i32, AppError> {
    let cli = t.cli();
    let mut store = open_existing(paths)?;
    let row = known_order(t, &store, code)?;
    if row.state != OrderState::Skipped {
        return Err(AppError::Refused(cli.not_skipped(code, &cli.state(row.state))));
    }
    store.reset_attempts(code)?;
    store.retry_now(code)?;
    store.audit(Some(code), &Activity::Unskipped)?;
    println!("{}", cli.unskipped(code));
    Ok(EXIT_OK)
}

/// What `resolve` was asked: link client `client`, or `create` a new one; `force`: link a
/// client that is not a candidate.
pub struct Resolve {
    pub client: Option<i64>,
    pub create: bool,
    pub force: bool,
}

/// `resolve CODE --client ID [--force]` or `resolve CODE --create`.
pub fn resolve(t: &Texts, paths: &Paths, code: &str, asked: Resolve) -> Result<i32, AppError> {
    let cli = t.cli();
    let mut store = open_existing(paths)?;
    let row = known_order(t, &store, code)?;
    let Some(decision) = store.decision(code)? else {
        return Err(AppError::Refused(cli.no_decision(code, &cli.state(row.state))));
    };
    let choice = match (asked.client, asked.create) {
        (Some(id), _) => existing_client(t, code, &decision.candidates, id, asked.force)?,
        (None, true) => ClientChoice::CreateNew,
        (None, false) => return Err(AppError::Usage(cli.give_client().into())),
    };
    // The choice is the customer's: the same customer's other waiting orders that offer
    // this client are settled with it (as in the dashboard).
    let others = crate::engine::local::resolve(&mut store, code, &choice)?;
    println!("{}", cli.decision_saved(code));
    if !others.is_empty() {
        println!("{}", cli.also_settled(&others));
    }
    Ok(EXIT_OK)
}

/// Linking client `id`: one of the candidates, or any with `--force`.
fn existing_client(
    t: &Texts,
    code: &str,
    candidates: &[Candidate],
    id: i64,
    force: bool,
) -> Result<ClientChoice, AppError> {
    if !candidates.iter().any(|c| c.raynet_id == id) {
        if !force {
            let list: Vec<String> =
                candidates.iter().map(|c| format!("#{} {}", c.raynet_id, c.name)).collect();
            return Err(AppError::Refused(t.cli().not_a_candidate(id, code, &list)));
        }
        eprintln!("{}", t.cli().forced(id));
    }
    Ok(ClientChoice::Existing(id))
}
