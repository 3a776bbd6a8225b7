//! The settings read from both services (users, value lists, the e-shop and its statuses) are
//! cached in the store: a `sync --once` with nothing to do sends one Shoptet request (the
//! changes feed) and no RAYNET request. They are read again after `sync.settings_refresh_secs`,
//! when the configuration they were checked with changes, and when RAYNET refuses one of them.

mod common;

use std::process::Command;
use std::sync::{Arc, Mutex};

use chrono::Duration;
use serde_json::json;

use common::settings::*;
use common::*;
use shoptet_raynet_sync::store::{OrderState, Reason};

fn reset(world: &World) {
    world.shoptet.control().reset_stats();
    world.raynet.control().reset_stats();
}

fn one_order(world: &World, code: &str, currency: &str) {
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    let lines = [product("KAV-ETH-250", "Káva", 2, "289.00"), shipping("PPL", "99.00")];
    world.shoptet.upsert_order(order(code, -3, &c, &lines, currency)).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_sync_once_asks_shoptet_for_the_feed_only_and_raynet_nothing() {
    let world = World::empty().await;
    one_order(&world, "2026000001", "CZK");
    let (config, data) = world.write_config();
    let sync_once = || {
        let out = Command::new(env!("CARGO_BIN_EXE_shoptet-raynet-sync"))
            .env_remove("SHOPTET_API_TOKEN")
            .env_remove("RAYNET_API_KEY")
            .args(["sync", "--once", "--config"])
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .expect("run binary");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    };
    // The first run reads the settings and syncs the order.
    tokio::task::block_in_place(sync_once);
    assert_eq!(world.dump().business_cases.len(), 1);
    assert!(settings_reads(&world.raynet.control().stats()) >= 4);
    // Two more runs, each a new process with nothing to do.
    for run in 1..=2 {
        reset(&world);
        tokio::task::block_in_place(sync_once);
        let (shoptet, raynet) = (world.shoptet.control().stats(), world.raynet.control().stats());
        assert_eq!(raynet.total, 0, "idle run {run}: no RAYNET request: {:?}", raynet.requests);
        assert_eq!(shoptet.total, 1, "idle run {run}: the feed only: {:?}", shoptet.requests);
        assert_eq!(shoptet.count("GET /api/orders/changes"), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_settings_are_read_again_once_the_refresh_interval_has_passed() {
    let world = World::empty().await;
    one_order(&world, "2026000002", "CZK");
    let clock = Arc::new(Mutex::new(Duration::zero()));
    world.sync_until_settled(&mut engine_ahead(&world, world.config.clone(), &clock), 5).await;
    // Within the hour: from the cache, in a new engine as in the same one.
    *clock.lock().unwrap() = Duration::seconds(3_500);
    reset(&world);
    let mut same = engine_ahead(&world, world.config.clone(), &clock);
    same.sync_once().await.unwrap();
    assert_eq!(world.raynet.control().stats().total, 0);
    // Past the hour: read again — by a new engine, and by one that keeps running.
    *clock.lock().unwrap() = Duration::seconds(3_700);
    engine_ahead(&world, world.config.clone(), &clock).sync_once().await.unwrap();
    let stats = world.raynet.control().stats();
    assert_eq!(settings_reads(&stats), 5, "users and the four value lists: {:?}", stats.requests);
    assert_eq!(world.shoptet.control().stats().count("GET /api/eshop"), 1);
    reset(&world);
    *clock.lock().unwrap() = Duration::seconds(7_500);
    same.sync_once().await.unwrap();
    assert_eq!(settings_reads(&world.raynet.control().stats()), 5, "the running engine reads them too");
    // A shorter interval in the configuration is honoured.
    reset(&world);
    let mut quick = world.config.clone();
    quick.sync.settings_refresh_secs = 60;
    *clock.lock().unwrap() = Duration::seconds(7_600);
    engine_ahead(&world, quick, &clock).sync_once().await.unwrap();
    assert_eq!(settings_reads(&world.raynet.control().stats()), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_configuration_reads_the_settings_again_an_unrelated_change_does_not() {
    let world = World::empty().await;
    world.engine().sync_once().await.unwrap();
    reset(&world);
    let mut unrelated = world.config.clone();
    unrelated.sync.poll_interval_secs = 600;
    unrelated.sync.name_template = "OP {code}".into();
    world.engine_with(unrelated).sync_once().await.unwrap();
    assert_eq!(world.raynet.control().stats().total, 0, "nothing the settings depend on changed");
    let mut other_source = world.config.clone();
    other_source.sync.source_id = 2;
    world.engine_with(other_source.clone()).sync_once().await.unwrap();
    assert_eq!(settings_reads(&world.raynet.control().stats()), 5, "checked against the new source");
    // A configured id RAYNET does not have is found at once, not after an hour.
    reset(&world);
    let mut missing = other_source;
    missing.sync.source_id = 99;
    let err = world.engine_with(missing).sync_once().await.unwrap_err();
    assert!(err.to_string().contains("sync.source_id = 99"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_currency_refused_by_raynet_reads_the_settings_again_and_the_order_syncs_once() {
    let world = World::empty().await;
    one_order(&world, "2026000003", "CZK");
    let clock = Arc::new(Mutex::new(Duration::zero()));
    world.sync_until_settled(&mut engine_ahead(&world, world.config.clone(), &clock), 5).await;
    // In RAYNET the euro is removed and added again: it has another id now than the cached one.
    world
        .raynet
        .set_value_list(
            "currency",
            vec![
                json!({"id": 1, "code01": "Kč", "code02": "CZK", "strValue01": "Česká koruna"}),
                json!({"id": 7, "code01": "€", "code02": "EUR", "strValue01": "Euro"}),
            ],
        )
        .unwrap();
    one_order(&world, "2026000004", "EUR");
    reset(&world);
    *clock.lock().unwrap() = Duration::seconds(120);
    let mut engine = engine_ahead(&world, world.config.clone(), &clock);
    let report = engine.sync_once().await.unwrap();
    assert_eq!((report.synced, report.failed), (1, 0), "{report:?}");
    let stats = world.raynet.control().stats();
    assert_eq!(stats.count("GET /api/v2/currency/"), 1, "read again once: {:?}", stats.requests);
    assert_eq!(stats.count("PUT /api/v2/businessCase/createWithItems"), 2, "refused, then created");
    let cases =
        cases_for_ext(&world.dump(), &order_ext("2026000004")).into_iter().cloned().collect::<Vec<_>>();
    assert_eq!(cases.len(), 1);
    assert_eq!(id_of(&cases[0]["currency"]), Some(7));
    // The refusal's reload is not an order's call.
    let calls = world.store().calls("2026000004").unwrap();
    assert!(calls.iter().all(|c| !c.path.starts_with("/currency/")), "{calls:?}");
    // The next run uses the settings read then.
    reset(&world);
    engine_ahead(&world, world.config.clone(), &clock).sync_once().await.unwrap();
    assert_eq!(world.raynet.control().stats().total, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_in_a_currency_added_since_the_settings_were_read_syncs() {
    let world = World::empty().await;
    let czk = json!({"id": 1, "code01": "Kč", "code02": "CZK", "strValue01": "Česká koruna"});
    world.raynet.set_value_list("currency", vec![czk.clone()]).unwrap();
    let clock = Arc::new(Mutex::new(Duration::zero()));
    engine_ahead(&world, world.config.clone(), &clock).sync_once().await.unwrap();
    // The shop owner adds the euro in RAYNET; the cached settings do not know it yet.
    let eur = json!({"id": 2, "code01": "€", "code02": "EUR", "strValue01": "Euro"});
    world.raynet.set_value_list("currency", vec![czk, eur]).unwrap();
    one_order(&world, "2026000005", "EUR");
    *clock.lock().unwrap() = Duration::seconds(300);
    let report = engine_ahead(&world, world.config.clone(), &clock).sync_once().await.unwrap();
    assert_eq!((report.synced, report.failed), (1, 0), "{report:?}");
    assert_eq!(world.store().order("2026000005").unwrap().unwrap().state, OrderState::Synced);
    // A currency RAYNET really lacks still stops the order at once, without reading again
    // within the minute.
    one_order(&world, "2026000006", "USD");
    reset(&world);
    let report = engine_ahead(&world, world.config.clone(), &clock).sync_once().await.unwrap();
    assert_eq!(report.failed, 1, "{report:?}");
    assert_eq!(report.outcomes[0].reason, Some(Reason::CurrencyMissing { iso: "USD".into() }), "{report:?}");
    assert_eq!(settings_reads(&world.raynet.control().stats()), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_caches_nothing() {
    let world = World::empty().await;
    one_order(&world, "2026000007", "CZK");
    let plans = world.engine().dry_run().await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(world.store().cached_settings().unwrap(), None, "a dry run writes nothing");
    world.engine().sync_once().await.unwrap();
    let cached = world.store().cached_settings().unwrap().expect("a real run caches them");
    assert_eq!(cached.eshop_id, ESHOP_ID);
    assert!(cached.currencies.contains(&("EUR".to_string(), EUR)), "{cached:?}");
    assert!(cached.owners.iter().any(|(id, _)| *id == OWNER));
}
