//! The concurrent engine: RAYNET requests in flight follow `raynet.max_connections`, Shoptet's
//! follow `shoptet.max_connections`, the orders of one customer are carried out in order, and
//! an order that needs a product another order is creating waits and then finds it known.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::*;
use shoptet_raynet_sync::engine::{Engine, EngineParts};
use shoptet_raynet_sync::http::Service;
use shoptet_raynet_sync::store::OrderState;

const ORDERS: usize = 36;
const CUSTOMERS: usize = 6;

fn customer(i: usize) -> Customer {
    let email: &'static str = Box::leak(format!("nakup{i}@souběh{i}.cz").into_boxed_str());
    let name: &'static str = Box::leak(format!("Souběžný odběratel {i} s.r.o.").into_boxed_str());
    company(name, Box::leak(format!("{:08}", 28_200_000 + i).into_boxed_str()), email)
}

/// `ORDERS` orders: customer `i % CUSTOMERS`, each with the shared product and one of its own.
fn shop(world: &World) {
    for i in 0..ORDERS {
        let own: &'static str = Box::leak(format!("VLASTNI-{i:03}").into_boxed_str());
        let lines = [
            product("SPOLECNY-1", "Společné zboží", 1, "149.00"),
            product(own, "Vlastní zboží", 1, "89.00"),
            shipping("PPL", "99.00"),
        ];
        let o = order(&format!("2026{:06}", i + 1), -3, &customer(i % CUSTOMERS), &lines, "CZK");
        world.shoptet.upsert_order(o).unwrap();
    }
    // Requests take a while, so orders overlap.
    world.raynet.control().set_latency(Duration::from_millis(10));
    world.shoptet.control().set_latency(Duration::from_millis(5));
}

fn engine(world: &World, raynet: usize, shoptet: usize) -> Engine {
    let mut config = world.config.clone();
    config.raynet.max_connections = raynet;
    config.shoptet.max_connections = shoptet;
    Engine::new(EngineParts::from_config(config, world.store(), World::policy()).unwrap())
}

/// Syncs the shop with the given caps; returns the most RAYNET and Shoptet requests seen at once.
async fn sync_with(raynet: usize, shoptet: usize) -> (World, usize, usize) {
    let world = World::empty().await;
    shop(&world);
    world.raynet.take_max_concurrent();
    let mut engine = engine(&world, raynet, shoptet);
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, ORDERS as u64, "{report:?}");
    assert_eq!(report.failed, 0, "{report:?}");
    let most = (world.raynet.take_max_concurrent(), world.shoptet.max_concurrent());
    (world, most.0, most.1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_in_flight_follow_the_configured_connections() {
    let (_, raynet, shoptet) = sync_with(1, 1).await;
    assert_eq!((raynet, shoptet), (1, 1), "one connection each: one request at a time");
    let (_, raynet, shoptet) = sync_with(3, 2).await;
    assert!((2..=3).contains(&raynet), "up to 3 RAYNET requests at once, and more than one: {raynet}");
    assert!((1..=2).contains(&shoptet), "at most 2 Shoptet requests at once: {shoptet}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_and_one_product_each_and_a_customers_orders_in_order() {
    let (world, raynet, _) = sync_with(4, 2).await;
    assert!(raynet >= 2, "orders overlapped: {raynet}");
    let dump = world.dump();
    assert_eq!(dump.companies.len(), CUSTOMERS, "one client per customer");
    let shared = dump.products.iter().filter(|p| p["code"] == "SPOLECNY-1").count();
    assert_eq!(shared, 1, "one create of the product every order needs");
    assert_eq!(dump.products.len(), ORDERS + 1);
    // The business cases of one customer were created in the order of its orders.
    let store = world.store();
    let mut last: HashMap<usize, (usize, i64)> = HashMap::new();
    for i in 0..ORDERS {
        let row = store.order(&format!("2026{:06}", i + 1)).unwrap().unwrap();
        assert_eq!(row.state, OrderState::Synced);
        let case = row.business_case_id.unwrap();
        if let Some((before, earlier)) = last.insert(i % CUSTOMERS, (i, case)) {
            assert!(
                earlier < case,
                "order {} (case {earlier}) before order {} (case {case})",
                before + 1,
                i + 1
            );
        }
    }
    // Nothing refused: no order ran into another's create.
    for i in 0..ORDERS {
        let code = format!("2026{:06}", i + 1);
        let refused = store.calls(&code).unwrap().into_iter();
        let refused = refused.filter(|c| {
            c.service == Service::Raynet && c.method != "GET" && c.status.is_none_or(|s| s >= 400)
        });
        let refused: Vec<String> = refused.map(|c| format!("{} {}", c.method, c.path)).collect();
        assert!(refused.is_empty(), "{code}: {refused:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_counts_the_orders_in_flight_and_ends_at_none() {
    let world = World::empty().await;
    shop(&world);
    let mut engine = engine(&world, 3, 2);
    let mut status = engine.status();
    let watcher = tokio::spawn(async move {
        let mut most = 0;
        while status.changed().await.is_ok() {
            let s = status.borrow_and_update().clone();
            most = most.max(s.in_flight);
            assert!(s.in_flight <= 3, "never more than raynet.max_connections: {s:?}");
            assert!(s.in_flight == 0 || s.current_order.is_some(), "a count shows an order: {s:?}");
        }
        most
    });
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, ORDERS as u64, "{report:?}");
    let last = engine.status().borrow().clone();
    assert_eq!((last.in_flight, last.current_order), (0, None), "nothing in flight after the pass");
    drop(engine);
    let most = watcher.await.expect("watcher");
    assert!(most >= 2, "several orders were in flight at once: {most}");
}
