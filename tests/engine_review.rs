//! Regression tests for the findings of the engine review (data loss, duplicates, wrong data).

mod common;

use common::*;
use serde_json::json;
use shoptet_raynet_sync::engine::api::{ClientChoice, EngineCommand};
use shoptet_raynet_sync::sim::FaultKind;
use shoptet_raynet_sync::store::OrderState;
use shoptet_raynet_sync::tui::Lang;

// T1: "create new client" decision + lost response of PUT /company/ -> second create
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_1_create_new_decision_after_lost_response() {
    let world = World::empty().await;
    ambiguous_slunce(&world, "2026000031");
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    engine
        .handle(EngineCommand::Resolve { code: "2026000031".into(), choice: ClientChoice::CreateNew })
        .await;
    world.raynet.control().add_fault(rule(FaultKind::DropAfter, None, "PUT", "/api/v2/company/", 1));
    let r = engine.sync_once().await;
    assert!(r.is_ok());
    world.sync_until_settled(&mut engine, 10).await;
    let dump = world.dump();
    let ours: Vec<_> = dump.companies.iter().filter(|c| c["name"] == "Kavárna Slunce").collect();
    let o = world.store().order("2026000031").unwrap().unwrap();
    assert_eq!(ours.len(), 1, "one new client, however the create's answer was lost");
    assert_eq!(o.state, OrderState::Synced, "{:?}", o.last_error);
}

// T2: transient failure adding the contact address after creating the client -> address never added
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_2_contact_address_lost_after_transient_failure() {
    let world = World::empty().await;
    let c = company("Horská chata s.r.o.", "25412589", "recepce@chata.cz");
    let mut o = order("2026000041", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK");
    o["addressesEqual"] = json!(false);
    o["deliveryAddress"] = json!({"fullName": "Recepce", "street": "Špindlerův Mlýn", "houseNumber": "48",
        "city": "Špindlerův Mlýn", "zip": "543 51", "countryCode": "CZ"});
    world.shoptet.upsert_order(o).unwrap();
    world.raynet.control().add_fault(rule(FaultKind::Status, Some(500), "PUT", "/api/v2/company/1", 2));
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 10).await;
    let dump = world.dump();
    let comp = dump.companies.iter().find(|c| c["name"] == "Horská chata s.r.o.").unwrap();
    let o = world.store().order("2026000041").unwrap().unwrap();
    assert_eq!(o.state, OrderState::Synced, "{:?}", o.last_error);
    assert!(
        comp.to_string().contains("Špindlerův Mlýn"),
        "contact address added after all: {}",
        comp["addresses"]
    );
    let intents = world.store().intents().unwrap();
    assert!(intents.is_empty(), "no leftover intents: {intents:?}");
}

// T5: positional line reuse on update -> lines keep the wrong product
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_5_update_relinks_wrong_products() {
    let world = World::empty().await;
    let c = company("Pražírna s.r.o.", "27082440", "nakup@prazirna.cz");
    let lines = [
        product("A-1", "Káva A", 1, "100.00"),
        product("B-2", "Káva B", 2, "200.00"),
        shipping("PPL", "99.00"),
    ];
    world.shoptet.upsert_order(order("2026000051", -3, &c, &lines, "CZK")).unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    // the customer drops product A
    let lines2 = [product("B-2", "Káva B", 2, "200.00"), shipping("PPL", "99.00")];
    let mut o2 = order("2026000051", -3, &c, &lines2, "CZK");
    o2["changeTime"] = json!(recent(0));
    world.shoptet.upsert_order(o2).unwrap();
    world.sync_until_settled(&mut engine, 5).await;
    let dump = world.dump();
    let bc = cases_for_ext(&dump, &order_ext("2026000051"))[0];
    let b2 = dump.products.iter().find(|p| p["code"] == "B-2").unwrap()["id"].as_i64();
    let items = bc["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{items:?}");
    for it in items {
        let product = line_product(it);
        match it["name"].as_str().unwrap() {
            n if n.starts_with("Káva B") => assert_eq!(product, b2, "{it}"),
            _ => assert_eq!(product, None, "a plain line links no product: {it}"),
        }
    }
}

// T6: lost createWithItems response, then the order changes -> adopted case is stale but marked synced
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_6_adopted_case_not_updated() {
    let world = World::empty().await;
    let c = company("Pražírna s.r.o.", "27082440", "nakup@prazirna.cz");
    let lines = [product("A-1", "Káva A", 1, "100.00"), shipping("PPL", "99.00")];
    world.shoptet.upsert_order(order("2026000061", -3, &c, &lines, "CZK")).unwrap();
    world.raynet.control().add_fault(rule(
        FaultKind::DropAfter,
        None,
        "PUT",
        "/api/v2/businessCase/createWithItems",
        1,
    ));
    let mut engine = world.engine();
    let r = engine.sync_once().await.unwrap();
    assert!(r.failed >= 1, "{:?}", r.outcomes);
    // customer's order is changed before the retry
    let lines2 = [product("A-1", "Káva A", 3, "100.00"), shipping("PPL", "99.00")];
    let mut o2 = order("2026000061", -3, &c, &lines2, "CZK");
    o2["changeTime"] = json!(recent(0));
    world.shoptet.upsert_order(o2).unwrap();
    world.sync_until_settled(&mut engine, 10).await;
    let dump = world.dump();
    let bc = cases_for_ext(&dump, &order_ext("2026000061"))[0];
    let o = world.store().order("2026000061").unwrap().unwrap();
    assert_eq!(o.state, OrderState::Synced);
    let counts: Vec<String> =
        bc["items"].as_array().unwrap().iter().map(|i| i["count"].to_string()).collect();
    assert!(
        counts.iter().any(|c| c.starts_with('3')),
        "the adopted case shows the changed quantity: {counts:?}"
    );
}

// T7: cancelled then un-cancelled: phase
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_7_uncancel_keeps_storno() {
    let world = World::empty().await;
    let c = company("Pražírna s.r.o.", "27082440", "nakup@prazirna.cz");
    world
        .shoptet
        .upsert_order(order("2026000071", -3, &c, &[product("A-1", "Káva A", 1, "100.00")], "CZK"))
        .unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    world.shoptet.set_order_status("2026000071", -4).unwrap();
    world.sync_until_settled(&mut engine, 5).await;
    let p1 = cases_for_ext(&world.dump(), &order_ext("2026000071"))[0]["businessCasePhase"].clone();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    world.shoptet.set_order_status("2026000071", -3).unwrap();
    world.sync_until_settled(&mut engine, 5).await;
    let p2 = cases_for_ext(&world.dump(), &order_ext("2026000071"))[0]["businessCasePhase"].clone();
    assert_eq!(id_of(&p1), Some(STORNO));
    assert_eq!(id_of(&p2), Some(PHASE), "back to the configured phase");
}

// T9: Shoptet changes feed down -> sync_once Ok
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_9_poll_failure_is_ok() {
    let world = World::empty().await;
    let c = company("Pražírna s.r.o.", "27082440", "nakup@prazirna.cz");
    world
        .shoptet
        .upsert_order(order("2026000091", -3, &c, &[product("A-1", "Káva A", 1, "100.00")], "CZK"))
        .unwrap();
    let mut engine = world.engine();
    engine.prepare().await.unwrap();
    world.shoptet.control().add_fault(rule(FaultKind::Status, Some(503), "GET", "/api/orders/changes", 50));
    let r = engine.sync_once().await;
    let report = r.expect("a pass with Shoptet down is not fatal");
    let said = report.poll_error.as_ref().map(|e| Lang::En.texts().reason(e, &chrono::Utc));
    assert!(said.is_some_and(|e| e.contains("503")), "{report:?}");
}

// T10: client deleted/merged in RAYNET -> later orders of that customer
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_10_known_client_gone() {
    let world = World::empty().await;
    let c = company("Pražírna s.r.o.", "27082440", "nakup@prazirna.cz");
    world.shoptet.upsert_order(order("2026000101", -3, &c, &[shipping("PPL", "99.00")], "CZK")).unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    drop(engine);
    // A new CRM (same as: the client was deleted / merged away in RAYNET); same local store.
    let raynet2 = shoptet_raynet_sync::sim::raynet::RaynetSim::empty();
    let server2 = raynet2.start(0).await.unwrap();
    let mut cfg = world.config.clone();
    cfg.raynet.base_url = shoptet_raynet_sync::sim::raynet::base_url(&server2);
    // seed an unrelated company so the old id points elsewhere or nowhere
    world.shoptet.upsert_order(order("2026000102", -3, &c, &[shipping("PPL", "99.00")], "CZK")).unwrap();
    let mut engine = world.engine_with(cfg);
    world.sync_until_settled(&mut engine, 8).await;
    let o = world.store().order("2026000102").unwrap().unwrap();
    assert_eq!(o.state, OrderState::Synced, "{:?}", o.last_error);
    assert_eq!(raynet2.dump().companies.len(), 1, "looked up again and created where it is missing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_11_dry_run_writes_and_401_per_run() {
    let world = World::empty().await;
    let c = company("Pražírna s.r.o.", "27082440", "nakup@prazirna.cz");
    world
        .shoptet
        .upsert_order(order("2026000111", -3, &c, &[product("A-1", "Káva A", 1, "100.00")], "CZK"))
        .unwrap();
    assert!(!world.db_path().exists());
    let mut engine = world.engine();
    let plans = engine.dry_run().await.unwrap();
    drop(engine);
    assert_eq!(plans.len(), 1);
    assert!(world.store().snapshot().unwrap().eshop_name.is_none(), "a dry run records nothing");
    let mut bad = world.config.clone();
    bad.raynet.api_key = secrecy::SecretString::from("wrong".to_string());
    for _ in 0..3 {
        let mut e = world.engine_with(bad.clone());
        let r = e.sync_once().await;
        assert!(r.is_err());
    }
    assert_eq!(world.dump().failed_logins, 1, "rejected credentials are not tried again by every run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_12_stale_intent_hijacks_matched_client() {
    let world = World::empty().await;
    let mut c = company("Horská chata s.r.o.", "", "recepce@chata.cz");
    c.ic = None;
    let mut o = order("2026000121", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK");
    o["addressesEqual"] = json!(false);
    o["deliveryAddress"] = json!({"fullName": "Recepce", "street": "Dlouhá", "houseNumber": "48",
        "city": "Brno", "zip": "602 00", "countryCode": "CZ"});
    world.shoptet.upsert_order(o).unwrap();
    world.raynet.control().add_fault(rule(FaultKind::Status, Some(400), "PUT", "/api/v2/company/", 1));
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();

    // a salesperson creates the client by hand, owned by someone else
    let id = world.raynet.add_company(json!({
        "name": "Horská chata s.r.o.", "rating": "A", "state": "B_ACTUAL", "role": "A_SUBSCRIBER", "owner": OTHER_OWNER,
        "addresses": [{"address": {"name": "Sídlo", "city": "Praha"}, "contactInfo": {"email": "recepce@chata.cz"}}]
    }));
    engine.handle(EngineCommand::Retry { code: "2026000121".into() }).await;
    world.sync_until_settled(&mut engine, 5).await;
    let dump = world.dump();
    let comp = dump.companies.iter().find(|c| c["id"].as_i64() == Some(id)).unwrap();
    let bc = cases_for_ext(&dump, &order_ext("2026000121"))[0];
    assert_eq!(id_of(&bc["owner"]), Some(OTHER_OWNER), "the matched client's owner owns the case");
    assert_eq!(comp["addresses"].as_array().unwrap().len(), 1, "the matched client is not changed");
    let e = world
        .store()
        .entity(shoptet_raynet_sync::store::EntityKind::Client, "shoptet:312457:email:recepce@chata.cz")
        .unwrap()
        .unwrap();
    assert_eq!(e.how, shoptet_raynet_sync::store::How::Matched);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_13_poll_ignores_shoptet_retry_after() {
    let world = World::empty().await;
    let c = company("Pražírna s.r.o.", "27082440", "nakup@prazirna.cz");
    for i in 0..10 {
        world
            .shoptet
            .upsert_order(order(&format!("20260013{i:02}"), -3, &c, &[shipping("PPL", "99.00")], "CZK"))
            .unwrap();
    }
    let mut engine = world.engine();
    engine.prepare().await.unwrap();
    let mut r = rule(FaultKind::Status, Some(429), "GET", "/api/orders/2026", 1000);
    r.retry_after_secs = Some(120);
    world.shoptet.control().add_fault(r);
    world.shoptet.control().reset_stats();
    let _ = engine.sync_once().await;
    let n: u64 = world.shoptet.control().stats().count("GET /api/orders/2026");
    assert_eq!(n, 1, "the poll stops at Shoptet's Retry-After instead of asking for every order");
}
