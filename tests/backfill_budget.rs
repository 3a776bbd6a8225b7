//! A backfill larger than today's RAYNET budget: it is estimated, worked at low priority while
//! the day's budget keeps `sync.backfill_reserve` requests for new orders, waits for the reset,
//! and goes on the next (simulated) day — new orders first all along.

mod common;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde_json::Value;

use common::*;
use shoptet_raynet_sync::engine::estimate::WorkKind;
use shoptet_raynet_sync::engine::retry::RetrySchedule;
use shoptet_raynet_sync::engine::{Engine, EngineParts};
use shoptet_raynet_sync::store::OrderState;

const DAILY_LIMIT: u64 = 100;
const RESERVE: u64 = 20;
const BACKFILL: usize = 40;

/// An engine over the world whose store (and so the engine) reads the time from `clock`.
fn engine_at(world: &World, clock: Arc<Mutex<DateTime<Utc>>>) -> Engine {
    let mut config = world.config.clone();
    config.sync.backfill_reserve = RESERVE;
    let mut store = world.store();
    store.set_clock(Box::new(move || *clock.lock().unwrap()));
    let mut parts = EngineParts::from_config(config, store, World::policy()).expect("engine parts");
    parts.schedule = RetrySchedule {
        base: std::time::Duration::from_millis(50),
        cap: std::time::Duration::from_millis(400),
        max_attempts: 5,
    };
    Engine::new(parts)
}

fn old_order(code: &str, c: &Customer) -> Value {
    let mut o = order(code, -3, c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK");
    o["creationTime"] = recent(60 * 24 * 20).into();
    o["changeTime"] = recent(60 * 24 * 19).into();
    o
}

fn new_order(code: &str, c: &Customer) -> Value {
    order(code, -3, c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK")
}

fn synced(world: &World, codes: &[String]) -> usize {
    let store = world.store();
    codes.iter().filter(|c| store.order(c).unwrap().is_some_and(|r| r.state == OrderState::Synced)).count()
}

fn budget_left(world: &World) -> u64 {
    world.store().rate_limit("raynet").unwrap().and_then(|r| r.remaining).expect("RAYNET reported its budget")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backfill_beyond_todays_budget_keeps_the_reserve_and_goes_on_after_the_reset() {
    let world = World::empty().await;
    world.raynet.set_daily_limit(DAILY_LIMIT);
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    let clock = Arc::new(Mutex::new(Utc::now()));
    let mut engine = engine_at(&world, clock.clone());

    // Day 1: the shop's first new order makes the client and the product known.
    world.shoptet.upsert_order(new_order("2026000001", &c)).unwrap();
    assert_eq!(engine.sync_once().await.unwrap().synced, 1);
    let backfill: Vec<String> = (0..BACKFILL).map(|i| format!("20250{i:05}")).collect();
    for code in &backfill {
        world.shoptet.upsert_order(old_order(code, &c)).unwrap();
    }
    let left = budget_left(&world);
    let queued = engine.backfill_with(ts(&recent(60 * 24 * 25)), false).await.unwrap();
    assert_eq!(queued.orders, BACKFILL as u64);
    let e = &queued.estimate;
    assert_eq!(
        (e.kind, e.orders, e.new_clients, e.budget_left),
        (WorkKind::Backfill, BACKFILL as u64, 0, Some(left))
    );
    let reset = world.store().rate_limit("raynet").unwrap().and_then(|r| r.reset).expect("reset reported");
    assert!(e.raynet_requests > left - RESERVE, "the work does not fit today: {e:?}");
    assert_eq!((e.days, e.next_reset), (Some(2), Some(reset)), "{e:?}");

    let day1 = engine.sync_once().await.unwrap();
    let done_day1 = synced(&world, &backfill);
    assert!(done_day1 > 0 && done_day1 < BACKFILL, "part of the backfill today: {done_day1}");
    assert!(budget_left(&world) >= RESERVE, "the reserve is kept: {} left", budget_left(&world));
    assert_eq!(day1.failed, 0, "{day1:?}");
    assert_eq!(day1.backfill_waits_until, Some(reset));
    let status = engine.status().borrow().clone();
    assert_eq!(status.progress, Some((done_day1 as u64, BACKFILL as u64)));
    assert_eq!(status.estimate.as_ref().and_then(|e| e.held_until), Some(reset), "{status:?}");

    // A new order the same day is synced from the reserve; the backfill still waits.
    world.shoptet.upsert_order(new_order("2026000002", &c)).unwrap();
    let more = engine.sync_once().await.unwrap();
    assert_eq!(more.outcomes.iter().map(|o| o.code.as_str()).collect::<Vec<_>>(), ["2026000002"]);
    assert_eq!(synced(&world, &backfill), done_day1);
    assert_eq!(more.backfill_waits_until, Some(reset));

    // Day 2: RAYNET's window has reset. A new order goes first, then the rest of the backfill.
    *clock.lock().unwrap() = reset + chrono::Duration::minutes(1);
    world.raynet.set_daily_limit(DAILY_LIMIT);
    world.shoptet.upsert_order(new_order("2026000003", &c)).unwrap();
    let day2 = engine.sync_once().await.unwrap();
    assert_eq!(day2.outcomes.first().map(|o| o.code.as_str()), Some("2026000003"), "{day2:?}");
    assert_eq!(synced(&world, &backfill), BACKFILL, "{day2:?}");
    assert_eq!(day2.backfill_waits_until, None);
    assert_eq!(engine.status().borrow().progress, None, "the long work is over");
    assert_eq!(world.dump().business_cases.len(), BACKFILL + 3);
}
