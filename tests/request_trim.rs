//! Two RAYNET requests per repeat order: no extId lookup before a create unless an earlier
//! attempt of it may have reached RAYNET, and a known client read again only when the store's
//! copy is older than `sync.client_refresh_secs` — or when RAYNET refuses a case because the
//! client is gone (then it is forgotten and the order planned again, once).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::Utc;
use common::*;
use shoptet_raynet_sync::engine::detail::{self, DetailPlan, PlanView};
use shoptet_raynet_sync::engine::plan::Report;
use shoptet_raynet_sync::engine::{Engine, EngineParts};
use shoptet_raynet_sync::sim::FaultKind;
use shoptet_raynet_sync::store::OrderState;

fn pravirna() -> Customer {
    company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz")
}

fn lines() -> [Line; 2] {
    [product("KAV-ETH-250", "Etiopie Yirgacheffe 250 g", 2, "289.00"), shipping("PPL", "99.00")]
}

/// An engine whose store (and so the engine) reads the time `offset` seconds ahead of now.
fn engine_at(world: &World, offset: Arc<AtomicI64>) -> Engine {
    let mut store = world.store();
    store.set_clock(Box::new(move || Utc::now() + chrono::Duration::seconds(offset.load(Ordering::SeqCst))));
    let mut parts = EngineParts::from_config(world.config.clone(), store, World::policy()).unwrap();
    parts.schedule = shoptet_raynet_sync::engine::retry::RetrySchedule {
        base: std::time::Duration::from_millis(50),
        cap: std::time::Duration::from_millis(400),
        max_attempts: 5,
    };
    Engine::new(parts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeat_order_of_a_known_client_with_known_products_costs_two_requests() {
    let world = World::empty().await;
    world.shoptet.upsert_order(order("2026000001", -3, &pravirna(), &lines(), "CZK")).unwrap();
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    world.raynet.control().reset_stats();
    for i in 2..=6 {
        world
            .shoptet
            .upsert_order(order(&format!("202600000{i}"), -3, &pravirna(), &lines(), "CZK"))
            .unwrap();
    }
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, 5, "{report:?}");
    let stats = world.raynet.control().stats();
    assert_eq!(stats.count("PUT /api/v2/businessCase/createWithItems"), 5, "{:?}", stats.requests);
    assert_eq!(
        stats.count("PUT /api/v2/attachment/businessCase/"),
        5,
        "the order links: {:?}",
        stats.requests
    );
    assert_eq!(stats.count("GET "), 0, "no lookup and no re-read of the client: {:?}", stats.requests);
    // Where RAYNET drops a create's extId, it is set separately: one request more.
    let set =
        stats.count("PUT /api/v2/businessCase/") - stats.count("PUT /api/v2/businessCase/createWithItems");
    let expected = if ignore_create_ext_ids() { 5 } else { 0 };
    assert_eq!(set, expected, "{:?}", stats.requests);
    assert_eq!(stats.total, 10 + expected, "{:?}", stats.requests);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_client_is_read_again_once_the_stores_copy_is_older_than_the_refresh_time() {
    let world = World::empty().await;
    let offset = Arc::new(AtomicI64::new(0));
    let mut engine = engine_at(&world, offset.clone());
    world.shoptet.upsert_order(order("2026000011", -3, &pravirna(), &lines(), "CZK")).unwrap();
    engine.sync_once().await.unwrap();
    let client = world.dump().companies[0]["id"].as_i64().unwrap();
    let reads =
        |world: &World| world.raynet.control().stats().count(&format!("GET /api/v2/company/{client}/"));

    world.raynet.control().reset_stats();
    world.shoptet.upsert_order(order("2026000012", -3, &pravirna(), &lines(), "CZK")).unwrap();
    engine.sync_once().await.unwrap();
    assert_eq!(reads(&world), 0, "created a moment ago: not read");

    // An hour later (the default `client_refresh_secs` is 3600) the copy is too old.
    offset.store(3_601, Ordering::SeqCst);
    world.raynet.control().reset_stats();
    world.shoptet.upsert_order(order("2026000013", -3, &pravirna(), &lines(), "CZK")).unwrap();
    engine.sync_once().await.unwrap();
    assert_eq!(reads(&world), 1, "read again: {:?}", world.raynet.control().stats().requests);
    assert_eq!(world.store().order("2026000013").unwrap().unwrap().state, OrderState::Synced);

    // …and that read is remembered for the next hour.
    world.raynet.control().reset_stats();
    world.shoptet.upsert_order(order("2026000014", -3, &pravirna(), &lines(), "CZK")).unwrap();
    engine.sync_once().await.unwrap();
    assert_eq!(reads(&world), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_refresh_zero_the_known_client_is_read_for_every_order() {
    let world = World::empty().await;
    let mut config = world.config.clone();
    config.sync.client_refresh_secs = 0;
    let mut engine = world.engine_with(config);
    world.shoptet.upsert_order(order("2026000021", -3, &pravirna(), &lines(), "CZK")).unwrap();
    engine.sync_once().await.unwrap();
    let client = world.dump().companies[0]["id"].as_i64().unwrap();
    world.raynet.control().reset_stats();
    for i in 2..=4 {
        world
            .shoptet
            .upsert_order(order(&format!("202600002{i}"), -3, &pravirna(), &lines(), "CZK"))
            .unwrap();
    }
    engine.sync_once().await.unwrap();
    assert_eq!(world.raynet.control().stats().count(&format!("GET /api/v2/company/{client}/")), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_refused_because_the_client_is_gone_forgets_it_and_plans_again_once() {
    // Plain lines only: the products of the first CRM are not in the second one.
    let shipping_only = || [shipping("PPL", "99.00")];
    let world = World::empty().await;
    world.shoptet.upsert_order(order("2026000031", -3, &pravirna(), &shipping_only(), "CZK")).unwrap();
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    drop(engine);
    // The client is gone (merged or deleted): here, a new CRM behind the same local store.
    let raynet2 = shoptet_raynet_sync::sim::raynet::RaynetSim::empty();
    if ignore_create_ext_ids() {
        raynet2.set_ignore_create_ext_ids(true);
    }
    let server2 = raynet2.start(0).await.unwrap();
    let mut config = world.config.clone();
    config.raynet.base_url = shoptet_raynet_sync::sim::raynet::base_url(&server2);
    world.shoptet.upsert_order(order("2026000032", -3, &pravirna(), &shipping_only(), "CZK")).unwrap();
    let mut engine = world.engine_with(config.clone());
    engine.sync_once().await.unwrap();
    let row = world.store().order("2026000032").unwrap().unwrap();
    assert_eq!(row.state, OrderState::Synced, "{:?}", row.last_error);
    let stats = raynet2.control().stats();
    assert_eq!(
        stats.count("PUT /api/v2/businessCase/createWithItems"),
        2,
        "refused once, then made: {:?}",
        stats.requests
    );
    assert_eq!(stats.count("PUT /api/v2/company/"), 1, "the client created where it is missing");
    let record = detail::load(&world.store(), "2026000032").unwrap().unwrap();
    let PlanView::Plan(DetailPlan::Worked { done, .. }) = record.plan else { panic!("{:?}", record.plan) };
    assert!(matches!(done.first(), Some(Report::ClientGone { .. })), "{done:?}");

    // Once: when the case is refused again after the client was looked up, the order fails.
    raynet2.control().reset_stats();
    raynet2.control().add_fault(rule(
        FaultKind::Status,
        Some(404),
        "PUT",
        "/api/v2/businessCase/createWithItems",
        5,
    ));
    world.shoptet.upsert_order(order("2026000033", -3, &pravirna(), &shipping_only(), "CZK")).unwrap();
    let mut engine = world.engine_with(config);
    engine.sync_once().await.unwrap();
    let stats = raynet2.control().stats();
    assert_eq!(stats.count("PUT /api/v2/businessCase/createWithItems"), 2, "{:?}", stats.requests);
    assert_ne!(world.store().order("2026000033").unwrap().unwrap().state, OrderState::Synced);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ext_id_lookup_before_a_create_is_made_only_after_an_interrupted_attempt() {
    let world = World::empty().await;
    world.shoptet.upsert_order(order("2026000041", -3, &pravirna(), &lines(), "CZK")).unwrap();
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    // A new product and a new case, nothing interrupted: no lookup by extId before either.
    world.raynet.control().reset_stats();
    let more = [product("KAV-KEN-250", "Keňa AA Nyeri 250 g", 1, "329.00")];
    world.shoptet.upsert_order(order("2026000042", -3, &pravirna(), &more, "CZK")).unwrap();
    engine.sync_once().await.unwrap();
    let stats = world.raynet.control().stats();
    assert_eq!(
        stats.count("GET /api/v2/product/ext/") + stats.count("GET /api/v2/businessCase/ext/"),
        0,
        "{:?}",
        stats.requests
    );
    // The case create loses its answer: the next attempt looks the case up first, and adopts it.
    world.raynet.control().add_fault(rule(
        FaultKind::DropAfter,
        None,
        "PUT",
        "/api/v2/businessCase/createWithItems",
        1,
    ));
    world.shoptet.upsert_order(order("2026000043", -3, &pravirna(), &lines(), "CZK")).unwrap();
    engine.sync_once().await.unwrap();
    world.raynet.control().reset_stats();
    world.sync_until_settled(&mut engine, 5).await;
    let stats = world.raynet.control().stats();
    assert_eq!(stats.count("GET /api/v2/businessCase/ext/"), 1, "{:?}", stats.requests);
    assert_eq!(stats.count("PUT /api/v2/businessCase/createWithItems"), 0, "adopted, not created again");
    assert_eq!(cases_for_ext(&world.dump(), &order_ext("2026000043")).len(), 1);
}
