//! Commands that only change the local record (the retry queue and decisions). The engine,
//! a dashboard beside a running daemon, and the CLI all apply them through here.

use crate::store::{DecisionChoice, Store, StoreError};

use super::api::{ClientChoice, EngineCommand};

/// Applies `cmd` to the store when it needs nothing but the store; `None` for commands only
/// a running engine can carry out (poll now, backfill, pause, resume, shutdown).
pub fn apply_local(store: &mut Store, cmd: &EngineCommand) -> Option<Result<(), StoreError>> {
    Some(match cmd {
        EngineCommand::Retry { code } => store.retry_now(code),
        EngineCommand::RetryAll => store.retry_all().map(|_| ()),
        EngineCommand::Resync { code } => resync(store, code),
        EngineCommand::Skip { code, reason } => store.skip(code, Some(reason)),
        EngineCommand::Resolve { code, choice } => resolve(store, code, choice).map(|_| ()),
        EngineCommand::SyncNow
        | EngineCommand::Backfill { .. }
        | EngineCommand::Pause
        | EngineCommand::Resume
        | EngineCommand::Shutdown
        | EngineCommand::ReloadConfig(_) => return None,
    })
}

/// Fetch again and sync as if new: the hash is forgotten, attempts start over, due now.
pub fn resync(store: &mut Store, code: &str) -> Result<(), StoreError> {
    store.forget_hash(code)?;
    store.reset_attempts(code)?;
    store.retry_now(code)
}

/// Settles an ambiguous client match, and the same customer's other orders that wait for
/// the same decision (the choice is the customer's, not one order's); returns those others.
pub fn resolve(store: &mut Store, code: &str, choice: &ClientChoice) -> Result<Vec<String>, StoreError> {
    let choice = decision_choice(choice);
    let others = store.decision_siblings(code, &choice)?;
    store.set_decision_choice(code, &choice)?;
    for other in &others {
        store.set_decision_choice(other, &choice)?;
    }
    Ok(others)
}

pub fn decision_choice(choice: &ClientChoice) -> DecisionChoice {
    match choice {
        ClientChoice::Existing(id) => DecisionChoice::Existing(*id),
        ClientChoice::CreateNew => DecisionChoice::CreateNew,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Candidate, OrderSeen, OrderState, Reason};

    fn order(store: &mut Store, code: &str, email: &str) {
        let seen = OrderSeen {
            code: code.into(),
            customer: Some("Kavárna Slunce".into()),
            email: Some(email.into()),
            ..OrderSeen::default()
        };
        store.record_order_seen(&seen).expect("seen");
    }

    fn candidates(ids: &[i64]) -> Vec<Candidate> {
        ids.iter()
            .map(|id| Candidate {
                raynet_id: *id,
                name: format!("#{id}"),
                matched_by: "email".into(),
                ..Candidate::default()
            })
            .collect()
    }

    fn two_clients() -> Reason {
        Reason::Ambiguous { by: "email".into(), candidates: vec!["#104".into(), "#105".into()] }
    }

    fn state(store: &Store, code: &str) -> Option<OrderState> {
        store.order(code).expect("read").map(|o| o.state)
    }

    #[test]
    fn a_choice_settles_the_customers_other_waiting_orders_that_offer_it() {
        let mut store = Store::open_in_memory().expect("store");
        for code in ["A", "B", "C", "D"] {
            order(&mut store, code, "objednavky@kavarna.cz");
        }
        order(&mut store, "E", "someone@else.cz");
        store.set_decision("A", &two_clients(), &candidates(&[104, 105])).expect("A");
        store.set_decision("B", &two_clients(), &candidates(&[104, 105])).expect("B");
        store.set_decision("C", &two_clients(), &candidates(&[106, 107])).expect("C");
        store.set_decision("E", &two_clients(), &candidates(&[104, 105])).expect("E");
        let others = resolve(&mut store, "A", &ClientChoice::Existing(104)).expect("resolve");
        assert_eq!(
            others,
            vec!["B".to_string()],
            "C does not offer #104, D waits for nothing, E is another customer"
        );
        for (code, expected) in [
            ("A", OrderState::Queued),
            ("B", OrderState::Queued),
            ("C", OrderState::NeedsDecision),
            ("D", OrderState::Pending),
            ("E", OrderState::NeedsDecision),
        ] {
            assert_eq!(state(&store, code), Some(expected), "{code}");
        }
        let b = store.decision("B").expect("read").expect("kept until synced");
        assert_eq!(b.choice, Some(DecisionChoice::Existing(104)));
        // Through the command path as well (the engine and a dashboard beside the daemon).
        store.set_decision("C", &two_clients(), &candidates(&[106, 107])).expect("C again");
        order(&mut store, "F", "OBJEDNAVKY@kavarna.cz");
        store.set_decision("F", &two_clients(), &candidates(&[106, 107])).expect("F");
        let cmd = EngineCommand::Resolve { code: "C".into(), choice: ClientChoice::CreateNew };
        assert!(matches!(apply_local(&mut store, &cmd), Some(Ok(()))));
        assert_eq!(state(&store, "F"), Some(OrderState::Queued), "the e-mail matches whatever its case");
    }
}
