//! Orders per minute against both simulators with the vendors' limits and a per-request latency,
//! and how close that comes to what the limits allow.
//! Run: `cargo bench --bench throughput [-- --latency-ms 45 --orders 1000]` (or the environment
//! variables `THROUGHPUT_LATENCY_MS`, `THROUGHPUT_ORDERS`; latency 0 is allowed).
//!
//! The limits (docs/shoptet-api.md §3, docs/raynet-api.md §2): Shoptet — a leaky bucket of 200
//! drops leaking 10 a second (one drop per request in the simulator), 429 with `Retry-After` when
//! full, 3 connections per token; RAYNET — 4 connections, 24 000 requests a day.
//!
//! The theoretical minimum time for the requests the run needed is the largest of
//!   Shoptet's bucket:       (Shoptet requests − 200) / 10 s
//!   Shoptet's connections:  Shoptet requests × latency / 3
//!   RAYNET's connections:   RAYNET requests × latency / 4
//! and the achieved fraction is that minimum divided by the time the run took.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use shoptet_raynet_sync::engine::{Engine, EngineParts};
use shoptet_raynet_sync::http::RetryPolicy;
use shoptet_raynet_sync::sim::shoptet::{BUCKET_CAPACITY, CONNECTIONS_PER_TOKEN, LEAK_PER_SEC};
use shoptet_raynet_sync::store::OrderState;

const CUSTOMERS: usize = 150;
const PRODUCTS: usize = 200;
/// RAYNET serves 4 connections at once.
const RAYNET_CONNECTIONS: f64 = 4.0;

fn main() {
    let latency = Duration::from_millis(setting("--latency-ms", "THROUGHPUT_LATENCY_MS", 45));
    let orders = setting("--orders", "THROUGHPUT_ORDERS", 1000) as usize;
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(run(latency, orders));
}

/// `--name N` on the command line, else the environment variable, else `default`.
fn setting(flag: &str, env: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    let from_args = args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    from_args.or_else(|| std::env::var(env).ok()).and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

async fn run(latency: Duration, n: usize) {
    let world = World::empty().await;
    world.shoptet.set_leaky_bucket(true);
    for control in [world.shoptet.control(), world.raynet.control()] {
        control.set_latency(latency);
    }
    busy_shop(&world, n, CUSTOMERS, PRODUCTS);
    world.shoptet.control().reset_stats();
    world.raynet.control().reset_stats();
    world.shoptet.clear_requests();
    world.raynet.take_max_concurrent();
    let parts = EngineParts::from_config(world.config.clone(), world.store(), RetryPolicy::default());
    let mut engine = Engine::new(parts.expect("engine parts"));
    let started = Instant::now();
    sync_all(&world, &mut engine, n).await;
    let elapsed = started.elapsed().as_secs_f64();

    let shoptet = world.shoptet.control().stats().total as f64;
    let raynet = world.raynet.control().stats().total as f64;
    let secs = latency.as_secs_f64();
    let bucket = ((shoptet - BUCKET_CAPACITY) / LEAK_PER_SEC).max(0.0);
    let shoptet_conns = shoptet * secs / CONNECTIONS_PER_TOKEN as f64;
    let raynet_conns = raynet * secs / RAYNET_CONNECTIONS;
    let minimum = bucket.max(shoptet_conns).max(raynet_conns);
    println!(
        "throughput: {n} orders ({CUSTOMERS} customers, {PRODUCTS} products) into an empty CRM, latency {} ms",
        latency.as_millis()
    );
    println!("  elapsed {elapsed:.1} s → {:.0} orders/min", n as f64 / elapsed * 60.0);
    println!(
        "  requests: Shoptet {shoptet:.0} (at most {} at once), RAYNET {raynet:.0} (at most {} at once)",
        world.shoptet.max_concurrent(),
        world.raynet.take_max_concurrent()
    );
    println!(
        "  theoretical minimum {minimum:.1} s = max(Shoptet bucket ({shoptet:.0} − 200) / 10 = {bucket:.1} s, \
         Shoptet connections {shoptet:.0} × {secs:.3} / 3 = {shoptet_conns:.1} s, \
         RAYNET connections {raynet:.0} × {secs:.3} / 4 = {raynet_conns:.1} s)"
    );
    println!("  achieved {:.0} % of the limit", if elapsed > 0.0 { minimum / elapsed * 100.0 } else { 0.0 });
}

/// Passes until every order is synced (a pass may stop at a rate limit); at most 20.
async fn sync_all(world: &World, engine: &mut Engine, n: usize) {
    for _ in 0..20 {
        if let Err(e) = engine.sync_once().await {
            eprintln!("pass failed: {e}");
        }
        let synced = world.store().counts().expect("counts").get(&OrderState::Synced).copied().unwrap_or(0);
        if synced as usize >= n {
            return;
        }
        let wait = engine.blocked_until().map(|u| (u - chrono::Utc::now()).to_std().unwrap_or_default());
        tokio::time::sleep(wait.unwrap_or(Duration::from_millis(200)).min(Duration::from_secs(30))).await;
    }
    eprintln!("not every order was synced");
}
