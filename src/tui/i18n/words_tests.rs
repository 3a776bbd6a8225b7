//! Every reason and every log entry reads in both languages: not empty, not the same sentence
//! in both (except text kept as it was written), and the Czech one without English words.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::Lang;
use crate::http::Service;
use crate::store::{
    Activity, ConfigIssue, DataProblem, DecisionChoice, EntityKind, How, OrderState, Priority, Reason,
    StateChange,
};
use crate::tui::fake::english_words;

fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).expect("time")
}

/// One of each reason (the texts of the services stay as they answered: Czech here).
fn reasons() -> Vec<Reason> {
    let request = || "PUT /company/".to_string();
    vec![
        Reason::CredentialsRejected { service: Service::Raynet },
        Reason::RateLimited { service: Service::Raynet, until: Some(at()) },
        Reason::RateLimited { service: Service::Shoptet, until: None },
        Reason::Unreachable { service: Service::Shoptet, request: request() },
        Reason::Unavailable {
            service: Service::Raynet,
            request: request(),
            status: 503,
            message: String::new(),
        },
        Reason::UnreadableAnswer { service: Service::Shoptet, request: request(), status: 200 },
        Reason::Refused {
            service: Service::Raynet,
            request: request(),
            status: Some(400),
            message: "Povinná položka chybí".into(),
            vendor_code: Some("ValidationException".into()),
        },
        Reason::NotFound { service: Service::Shoptet, request: request(), message: String::new() },
        Reason::CurrencyMissing { iso: "USD".into() },
        Reason::OrderData { item: Some(1), field: "itemPrice".into(), problem: DataProblem::NoPrice },
        Reason::OrderData { item: Some(1), field: "itemPrice".into(), problem: DataProblem::NegativeVatRate },
        Reason::OrderData { item: Some(2), field: "itemPrice".into(), problem: DataProblem::MissingVatRate },
        Reason::OrderData { item: Some(3), field: "amount".into(), problem: DataProblem::PriceWithoutAmount },
        Reason::OrderData { item: Some(3), field: "amount".into(), problem: DataProblem::Indivisible },
        Reason::OrderData { item: None, field: "price.currencyCode".into(), problem: DataProblem::Missing },
        Reason::AmountsTooLarge,
        Reason::TotalsMismatch { with_vat: false, expected: Decimal::ONE_HUNDRED, got: Decimal::TEN },
        Reason::TotalsMismatch { with_vat: true, expected: Decimal::ONE_HUNDRED, got: Decimal::TEN },
        Reason::Ambiguous { by: "reg_number".into(), candidates: vec!["A (#1)".into(), "B (#2)".into()] },
        Reason::Ambiguous {
            by: "name".into(),
            candidates: (1..=5).map(|i| format!("K{i} (#{i})")).collect(),
        },
        Reason::Decided { choice: DecisionChoice::Existing(104) },
        Reason::Decided { choice: DecisionChoice::CreateNew },
        Reason::Skipped { note: None },
        Reason::Configuration {
            issue: ConfigIssue::UnknownId {
                key: "sync.source_id".into(),
                id: 9,
                valid: vec!["1 (E-shop)".into()],
            },
        },
        Reason::Configuration { issue: ConfigIssue::OtherEshop { new_id: 2, old_id: 1 } },
        Reason::Internal { detail: "SQLITE_FULL".into() },
    ]
}

/// Which variant a reason is (a new variant does not compile until it is listed here).
fn reason_variant(r: &Reason) -> usize {
    match r {
        Reason::CredentialsRejected { .. } => 0,
        Reason::RateLimited { .. } => 1,
        Reason::Unreachable { .. } => 2,
        Reason::Unavailable { .. } => 3,
        Reason::UnreadableAnswer { .. } => 4,
        Reason::Refused { .. } => 5,
        Reason::NotFound { .. } => 6,
        Reason::CurrencyMissing { .. } => 7,
        Reason::OrderData { .. } => 8,
        Reason::AmountsTooLarge => 9,
        Reason::TotalsMismatch { .. } => 10,
        Reason::Ambiguous { .. } => 11,
        Reason::Decided { .. } => 12,
        Reason::Skipped { .. } => 13,
        Reason::Configuration { .. } => 14,
        Reason::Internal { .. } => 15,
        Reason::Legacy { .. } => 16,
    }
}

fn activities() -> Vec<Activity> {
    let reason = Reason::CurrencyMissing { iso: "USD".into() };
    vec![
        Activity::Seen { status: Some("Vyřízena".into()) },
        Activity::Seen { status: None },
        Activity::Queued { priority: Priority::Normal, due: at() },
        Activity::Queued { priority: Priority::Low, due: at() },
        Activity::RetryRequested,
        Activity::AttemptsReset,
        Activity::ResyncRequested,
        Activity::Failed { attempt: 2, reason: reason.clone(), next_attempt_at: at() },
        Activity::Dead { attempt: 3, reason: reason.clone() },
        Activity::NeedsDecision { reason: reasons()[18].clone(), candidates: 2 },
        Activity::Decided { choice: DecisionChoice::Existing(104) },
        Activity::Decided { choice: DecisionChoice::CreateNew },
        Activity::Synced { business_case_id: 572 },
        Activity::Updated { business_case_id: 572, kept: 3, edited: 1, added: 0, removed: 2, fields: true },
        Activity::Updated { business_case_id: 572, kept: 3, edited: 0, added: 0, removed: 0, fields: false },
        Activity::Cancelled { business_case_id: 572 },
        Activity::Skipped { note: None },
        Activity::Unskipped,
        Activity::NoLongerFinal,
        Activity::StateSet,
        Activity::Entity {
            kind: EntityKind::Client,
            raynet_id: 104,
            how: How::Matched,
            matched_by: Some("email".into()),
            label: "Kavárna Slunce".into(),
            key: "shoptet:1:email:info@slunce.cz".into(),
        },
        Activity::Entity {
            kind: EntityKind::BusinessCase,
            raynet_id: 572,
            how: How::Created,
            matched_by: None,
            label: "Objednávka 2026000001".into(),
            key: "2026000001".into(),
        },
        Activity::DeletedInShoptet,
        Activity::ExtIdMode { entity: "company".into(), kept: true },
        Activity::ExtIdMode { entity: "product".into(), kept: false },
        Activity::Backfill { queued: 3, from: at(), requests: None },
        Activity::Backfill { queued: 12, from: at(), requests: Some(84) },
        Activity::LoginBlocked { service: Service::Raynet },
        Activity::RateLimited { service: Service::Raynet, until: at() },
    ]
}

/// Which variant an entry is (a new variant does not compile until it is listed here).
fn activity_variant(a: &Activity) -> usize {
    match a {
        Activity::Seen { .. } => 0,
        Activity::Queued { .. } => 1,
        Activity::RetryRequested => 2,
        Activity::AttemptsReset => 3,
        Activity::ResyncRequested => 4,
        Activity::Failed { .. } => 5,
        Activity::Dead { .. } => 6,
        Activity::NeedsDecision { .. } => 7,
        Activity::Decided { .. } => 8,
        Activity::Synced { .. } => 9,
        Activity::Updated { .. } => 10,
        Activity::Cancelled { .. } => 11,
        Activity::Skipped { .. } => 12,
        Activity::Unskipped => 13,
        Activity::NoLongerFinal => 14,
        Activity::StateSet => 15,
        Activity::Entity { .. } => 16,
        Activity::DeletedInShoptet => 17,
        Activity::ExtIdMode { .. } => 18,
        Activity::Backfill { .. } => 19,
        Activity::LoginBlocked { .. } => 20,
        Activity::RateLimited { .. } => 21,
        Activity::Legacy { .. } => 22,
    }
}

/// Czech and English of one text: both non-empty, different, the Czech one without English.
fn check(what: &str, cs: &str, en: &str) {
    assert!(!cs.trim().is_empty() && !en.trim().is_empty(), "{what}: {cs:?} / {en:?}");
    assert_ne!(cs, en, "{what}: the same in both languages");
    assert_eq!(english_words(cs, &[]), Vec::<String>::new(), "{what}: English in {cs:?}");
}

#[test]
fn every_reason_reads_in_czech_and_in_english() {
    let all = reasons();
    let mut variants: BTreeSet<usize> = all.iter().map(reason_variant).collect();
    // Text kept as it was written reads the same in both languages.
    let legacy = Reason::Legacy { text: "RAYNET PUT /company/ → HTTP 400".into() };
    let note = Reason::Skipped { note: Some("zaplaceno hotově".into()) };
    for kept in [&legacy, &note] {
        variants.insert(reason_variant(kept));
        let (cs, en) = (Lang::Cs.texts().reason(kept, &Utc), Lang::En.texts().reason(kept, &Utc));
        assert!(!cs.is_empty() && cs == en, "{kept:?}: {cs} / {en}");
    }
    assert_eq!(variants.len(), 17, "a sample of every variant");
    for r in &all {
        check(&format!("{r:?}"), &Lang::Cs.texts().reason(r, &Utc), &Lang::En.texts().reason(r, &Utc));
    }
    // Czech plurals of the candidates.
    assert!(Lang::Cs.texts().reason(&all[18], &Utc).starts_with("2 klienti v RAYNETu odpovídají podle IČ"));
    assert!(Lang::Cs.texts().reason(&all[19], &Utc).starts_with("5 klientů v RAYNETu odpovídá podle názvu"));
}

#[test]
fn every_log_entry_reads_in_czech_and_in_english() {
    let all = activities();
    let mut variants: BTreeSet<usize> = all.iter().map(activity_variant).collect();
    let legacy =
        Activity::Legacy { kind: "synced".into(), text: "queued → synced: business case 9".into() };
    variants.insert(activity_variant(&legacy));
    assert_eq!(Lang::Cs.texts().activity(&legacy, &Utc), Lang::En.texts().activity(&legacy, &Utc));
    assert_eq!(variants.len(), 23, "a sample of every variant");
    let change = Some(StateChange { from: OrderState::Queued, to: OrderState::NeedsDecision });
    for a in &all {
        let (cs, en) = (Lang::Cs.texts(), Lang::En.texts());
        check(&format!("{a:?}"), &cs.audit_line(a, change, &Utc), &en.audit_line(a, change, &Utc));
        let kind = a.kind();
        assert!(!cs.activity_kind(kind).is_empty() && !en.activity_kind(kind).is_empty(), "{kind}");
    }
    let cs = Lang::Cs.texts().audit_line(&all[8], change, &Utc);
    assert!(cs.starts_with("ve frontě → k rozhodnutí: pokus 3: objednávka je v měně USD"), "{cs}");
}

#[test]
fn every_kind_has_a_czech_name() {
    let cs = Lang::Cs.texts();
    for a in activities() {
        let kind = a.kind();
        let name = cs.activity_kind(kind);
        if kind != "raynet" {
            // (RAYNET is a name in both.)
            assert_ne!(name, Lang::En.texts().activity_kind(kind), "{kind}");
        }
        assert_eq!(english_words(&name, &[]), Vec::<String>::new(), "{kind}: {name}");
    }
}
