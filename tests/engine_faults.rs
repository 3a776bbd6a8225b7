//! Faults from the simulators' fault injection: nothing lost, nothing duplicated, the right
//! orders in the retry queue with readable reasons.

mod common;

use common::*;
use shoptet_raynet_sync::engine::EngineError;
use shoptet_raynet_sync::engine::api::EngineState;
use shoptet_raynet_sync::http::ErrorKind;
use shoptet_raynet_sync::sim::FaultKind;
use shoptet_raynet_sync::store::{AuditEvent, OrderState, Reason};
use shoptet_raynet_sync::tui::Lang;

/// A reason as an English reader sees it.
fn english(r: &Reason) -> String {
    Lang::En.texts().reason(r, &chrono::Utc)
}

/// A log entry as an English reader sees it.
fn english_entry(e: &AuditEvent) -> String {
    Lang::En.texts().audit_line(&e.entry, e.change, &chrono::Utc)
}

fn seed(world: &World, n: usize) -> Vec<String> {
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    (1..=n)
        .map(|i| {
            let code = format!("2026100{i:03}");
            let lines = [product("KAV-ETH-250", "Etiopie 250 g", 1, "289.00"), shipping("PPL", "99.00")];
            world.shoptet.upsert_order(order(&code, -3, &c, &lines, "CZK")).unwrap();
            code
        })
        .collect()
}

fn one_case_each(world: &World, codes: &[String]) {
    let dump = world.dump();
    for code in codes {
        assert_eq!(cases_for_ext(&dump, &order_ext(code)).len(), 1, "business cases of {code}");
    }
    assert_eq!(dump.business_cases.len(), codes.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_until_synced() {
    let world = World::empty().await;
    let codes = seed(&world, 3);
    // Three 500s: a create is not repeated blindly, so the order goes to the retry queue.
    world.raynet.control().add_fault(rule(FaultKind::Status, Some(500), "PUT", "/api/v2/businessCase/", 3));
    let mut engine = world.engine();
    let report = engine.sync_once().await.unwrap();
    assert!(report.failed >= 1, "{report:?}");
    let store = world.store();
    let failed = store.orders_page(&shoptet_raynet_sync::store::OrderQuery {
        states: vec![OrderState::Failed],
        ..Default::default()
    });
    let failed = failed.unwrap();
    assert!(!failed.is_empty());
    let reason = failed[0].last_error.as_ref().map(english).unwrap_or_default();
    assert!(reason.contains("500"), "readable reason with the status: {reason}");
    assert!(failed[0].next_attempt_at.is_some());
    // Until all three are synced, however slow a loaded machine makes the retries.
    let all_synced = || world.store().counts().unwrap().get(&OrderState::Synced) == Some(&3);
    sync_until(&mut engine, std::time::Duration::from_secs(60), all_synced).await;
    let counts = world.store().counts().unwrap();
    assert_eq!(counts[&OrderState::Synced], 3, "{counts:?} {report:?}");
    one_case_each(&world, &codes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_responses_and_timeouts_never_duplicate() {
    let world = World::empty().await;
    let codes = seed(&world, 4);
    let rc = world.raynet.control();
    // The create happens, but its answer never arrives.
    rc.add_fault(rule(FaultKind::DropAfter, None, "PUT", "/api/v2/businessCase/", 1));
    rc.add_fault(rule(FaultKind::DropAfter, None, "PUT", "/api/v2/company/", 1));
    // A create that answers after the client gave up (timeout 3 s).
    let mut slow = rule(FaultKind::Slow, None, "PUT", "/api/v2/businessCase/", 1);
    slow.skip = 1;
    slow.delay_ms = Some(3_500);
    rc.add_fault(slow);
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 12).await;
    assert_eq!(world.store().counts().unwrap()[&OrderState::Synced], 4);
    one_case_each(&world, &codes);
    let dump = world.dump();
    assert_eq!(company_named(&dump, "Pražírna Vltava s.r.o.").len(), 1, "one client");
    assert_eq!(dump.products.iter().filter(|p| p["code"] == "KAV-ETH-250").count(), 1, "one product");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_storm_waits_for_the_reset() {
    let world = World::empty().await;
    let codes = seed(&world, 2);
    let mut storm = rule(FaultKind::Status, Some(429), "PUT", "/api/v2/businessCase/", 5);
    storm.retry_after_secs = Some(3600);
    world.raynet.control().add_fault(storm);
    let mut engine = world.engine();
    let report = engine.sync_once().await.unwrap();
    assert!(report.failed >= 1, "{report:?}");
    assert!(
        matches!(engine.status().borrow().state, EngineState::RateLimited { .. }),
        "engine shows the rate limit"
    );
    let store = world.store();
    let job = store.job(&codes[0]).unwrap().expect("queued");
    let wait = job.next_attempt_at - chrono::Utc::now();
    assert!(wait > chrono::Duration::minutes(50), "next attempt honours the reset: {wait}");
    assert_eq!(world.dump().business_cases.len(), 0);
    // The limit resets (here: the storm is over and a person retries all).
    world.raynet.control().clear_faults();
    world.store().retry_all().unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    one_case_each(&world, &codes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_is_retried_with_a_reason() {
    let world = World::empty().await;
    let codes = seed(&world, 2);
    let mut bad = rule(FaultKind::Malformed, None, "GET", "/api/orders/", 3);
    bad.path_prefix = Some(format!("/api/orders/{}", codes[0]));
    world.shoptet.control().add_fault(bad);
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    let store = world.store();
    assert!(store.order(&codes[0]).unwrap().is_some(), "recorded although unreadable");
    // The failure and its reason are in the order's history (it may already be retried).
    let q = shoptet_raynet_sync::store::AuditQuery {
        order_code: Some(codes[0].clone()),
        limit: 50,
        ..Default::default()
    };
    let history: Vec<String> = store.audit_page(&q).unwrap().iter().map(english_entry).collect();
    assert!(history.iter().any(|m| m.to_lowercase().contains("json")), "{history:?}");
    world.sync_until_settled(&mut engine, 8).await;
    one_case_each(&world, &codes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_credentials_pause_everything_without_hammering() {
    let world = World::empty().await;
    seed(&world, 3);
    let mut config = world.config.clone();
    config.raynet.api_key = secrecy::SecretString::from("wrong-key".to_string());
    let mut engine = world.engine_with(config);
    let err = engine.sync_once().await.unwrap_err();
    assert!(matches!(&err, EngineError::Api(e) if e.kind == ErrorKind::Auth), "{err}");
    assert!(err.is_fatal());
    assert!(matches!(engine.status().borrow().state, EngineState::AuthProblem { .. }));
    let second = engine.sync_once().await;
    assert!(second.is_err());
    assert!(world.dump().failed_logins <= 2, "never hammer the login: {}", world.dump().failed_logins);
    assert_eq!(world.dump().business_cases.len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_bad_order_does_not_block_the_others() {
    let world = World::empty().await;
    let codes = seed(&world, 2);
    let c = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
    // An order in a currency RAYNET does not know.
    world
        .shoptet
        .upsert_order(order("2026100999", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "12.00")], "USD"))
        .unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    one_case_each(&world, &codes);
    let row = world.store().order("2026100999").unwrap().unwrap();
    assert_eq!(row.state, OrderState::Dead, "permanent problem stops at once");
    assert!(row.last_error.as_ref().map(english).unwrap_or_default().contains("USD"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_id_unknown_to_raynet_stops_with_a_readable_reason() {
    let world = World::empty().await;
    seed(&world, 1);
    let mut config = world.config.clone();
    config.sync.default_owner_id = 3; // a userAccount id, not the person id
    let mut engine = world.engine_with(config);
    let err = engine.sync_once().await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("sync.default_owner_id") && text.contains("12"),
        "names the key and valid ids: {text}"
    );
    assert!(matches!(engine.status().borrow().state, EngineState::ConfigProblem { .. }));
    assert!(world.dump().business_cases.is_empty() && world.dump().companies.is_empty());
}
