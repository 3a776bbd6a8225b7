//! An order is read from Shoptet again only when the feed shows a newer change, or an equal one
//! that may have come after the read (in the same second); a backlog longer than the poll's
//! window is read in turns, each order once, and survives an interrupted pass.

mod common;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset, Utc};

use common::*;
use shoptet_raynet_sync::engine::{Engine, EngineParts};
use shoptet_raynet_sync::sim::FaultKind;
use shoptet_raynet_sync::store::OrderState;

/// An engine whose clock reads `clock` (a fixed instant the test moves).
fn engine_at(world: &World, clock: &Arc<Mutex<DateTime<Utc>>>) -> Engine {
    let mut store = world.store();
    let c = clock.clone();
    store.set_clock(Box::new(move || *c.lock().unwrap()));
    Engine::new(EngineParts::from_config(world.config.clone(), store, World::policy()).expect("engine parts"))
}

/// Detail reads of `code` since the last reset.
fn detail_reads(world: &World, code: &str) -> u64 {
    world.shoptet.control().stats().count(&format!("GET /api/orders/{code}"))
}

fn detail_reads_total(world: &World) -> u64 {
    let stats = world.shoptet.control().stats();
    stats.count("GET /api/orders/2026")
}

fn lines() -> [Line; 2] {
    [product("KAV-ETH-250", "Káva", 2, "289.00"), shipping("PPL", "99.00")]
}

/// An order as the builder makes it, changed `secs_ago` seconds ago.
fn order_changed(code: &str, status: i64, secs_ago: i64) -> serde_json::Value {
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    let mut o = order(code, status, &c, &lines(), "CZK");
    let t = (Utc::now() - Duration::seconds(secs_ago)).with_timezone(&FixedOffset::east_opt(3600).unwrap());
    o["changeTime"] = t.format("%Y-%m-%dT%H:%M:%S%z").to_string().into();
    o
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unchanged_orders_are_read_once_over_repeated_passes_even_when_changed_seconds_ago() {
    let world = World::empty().await;
    // Synced ones and pending ones, changed moments ago (the old rule read these on every pass
    // for 120 s) and minutes ago.
    for (i, (status, secs)) in [(-3, 20), (-3, 40), (-3, 600), (-1, 30), (-1, 900)].into_iter().enumerate() {
        world.shoptet.upsert_order(order_changed(&format!("202600010{i}"), status, secs)).unwrap();
    }
    let mut engine = world.engine();
    let report = engine.sync_once().await.unwrap();
    assert_eq!((report.seen, report.synced), (5, 3), "{report:?}");
    for pass in 2..=4 {
        world.shoptet.control().reset_stats();
        let report = engine.sync_once().await.unwrap();
        let stats = world.shoptet.control().stats();
        assert_eq!(report.seen, 0, "pass {pass}: {report:?}");
        assert_eq!(stats.total, 1, "pass {pass}: the feed only: {:?}", stats.requests);
    }
    // A new engine (the next `sync --once`) knows the reads too.
    world.shoptet.control().reset_stats();
    world.engine().sync_once().await.unwrap();
    assert_eq!(world.shoptet.control().stats().total, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_change_is_read_once() {
    let world = World::empty().await;
    world.shoptet.upsert_order(order_changed("2026000201", -1, 300)).unwrap();
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    assert_eq!(world.store().order("2026000201").unwrap().unwrap().state, OrderState::Pending);
    world.shoptet.set_order_status("2026000201", -3).unwrap();
    world.shoptet.control().reset_stats();
    // Read in the second after the change at the earliest (the sim's times are whole seconds).
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, 1, "{report:?}");
    assert_eq!(detail_reads(&world, "2026000201"), 1);
    world.shoptet.control().reset_stats();
    engine.sync_once().await.unwrap();
    assert_eq!(detail_reads(&world, "2026000201"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_read_within_its_own_second_is_read_once_more_then_left() {
    let world = World::empty().await;
    world.shoptet.upsert_order(order_changed("2026000301", -1, 300)).unwrap();
    world.shoptet.set_order_status("2026000301", -2).unwrap();
    let changed = world.shoptet.order_json("2026000301").unwrap()["changeTime"].as_str().unwrap().to_string();
    let changed = DateTime::parse_from_str(&changed, "%Y-%m-%dT%H:%M:%S%z").unwrap().to_utc();
    // Our clock says the read happens 300 ms into the second of the change: a second change in
    // that same second may still come.
    let clock = Arc::new(Mutex::new(changed + Duration::milliseconds(300)));
    let mut engine = engine_at(&world, &clock);
    engine.sync_once().await.unwrap();
    assert_eq!(detail_reads(&world, "2026000301"), 1);
    *clock.lock().unwrap() = changed + Duration::seconds(5);
    engine.sync_once().await.unwrap();
    assert_eq!(detail_reads(&world, "2026000301"), 2, "read again: the first read was within the second");
    *clock.lock().unwrap() = changed + Duration::seconds(10);
    engine.sync_once().await.unwrap();
    assert_eq!(detail_reads(&world, "2026000301"), 2, "the second read came after it: settled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_longer_than_the_window_is_read_in_turns_each_order_once() {
    let world = World::empty().await;
    let n = 230;
    for i in 0..n {
        world.shoptet.upsert_order(order_changed(&format!("20264{i:05}"), -3, 3_000 - i)).unwrap();
    }
    let mut engine = world.engine();
    let report = engine.sync_once().await.unwrap();
    assert_eq!(
        (report.seen, report.synced, report.failed),
        (n as u64, n as u64, 0),
        "{:?}",
        report.poll_error
    );
    assert_eq!(detail_reads_total(&world), n as u64, "each order read once");
    // The first sync's estimate counts the orders not read yet too (one customer, one product).
    let estimate = report.estimate.as_ref().expect("an estimate of the first sync");
    assert_eq!(estimate.orders, n as u64, "{estimate:?}");
    let stats = world.shoptet.control().stats();
    assert_eq!(stats.count("GET /api/orders/changes"), 1, "the feed read once: {:?}", stats.requests);
    assert_eq!(world.store().backlog_len().unwrap(), 0);
    let newest = world.shoptet.order_json("2026400229").unwrap()["changeTime"].as_str().unwrap().to_string();
    assert_eq!(world.store().cursor().unwrap(), Some(ts(&newest)), "the cursor at the latest change");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_interrupted_by_a_rate_limit_is_finished_by_the_next_run() {
    let world = World::empty().await;
    let n = 160;
    for i in 0..n {
        world.shoptet.upsert_order(order_changed(&format!("20265{i:05}"), -3, 3_000 - i)).unwrap();
    }
    // Shoptet answers 429 to the 120th detail read, past the first window.
    let mut limit = rule(FaultKind::Status, Some(429), "GET", "/api/orders/2026", 1);
    limit.skip = 119;
    limit.retry_after_secs = Some(1);
    world.shoptet.control().add_fault(limit);
    let mut policy = World::policy();
    policy.max_attempts = 1;
    let mut parts = EngineParts::from_config(world.config.clone(), world.store(), policy).unwrap();
    parts.schedule = Default::default();
    let report = Engine::new(parts).sync_once().await.unwrap();
    assert!(report.poll_error.is_some(), "{report:?}");
    assert!(report.synced >= 100 && report.synced < n as u64, "{}", report.synced);
    let left = world.store().backlog_len().unwrap();
    assert!(left > 0, "the rest waits in the store");
    // A dry run plans them too (they are past the cursor), and reads nothing into the store.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let plans = world.engine().dry_run().await.unwrap();
    assert_eq!(plans.len() as u64, left, "the backlog's orders are planned");
    assert_eq!(world.store().backlog_len().unwrap(), left);
    // The next run (a new process) reads only what is left, each once.
    world.shoptet.control().reset_stats();
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let report = world.engine().sync_once().await.unwrap();
    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!(detail_reads_total(&world), left);
    let synced = world.store().counts().unwrap().get(&OrderState::Synced).copied().unwrap_or(0);
    assert_eq!(synced, n as u64);
    assert_eq!(world.dump().business_cases.len(), n as usize, "nothing lost, nothing twice");
}
