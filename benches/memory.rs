//! Peak memory of the daemon (`run`, the release binary as a child process; its `VmHWM` from
//! `/proc/<pid>/status`) while it works a backlog against the in-process simulators:
//!   1. idle, on an empty shop (the floor);
//!   2. a backlog of 20 000 completed orders (150 customers, 200 products) into an empty CRM;
//!   3. 500 new orders on a store that already holds 100 000.
//!
//! Run: `cargo bench --bench memory` (`MEMORY_BENCH_ORDERS`, `MEMORY_BENCH_STORE` change the sizes).
//!
//! The daemon runs with its webhook receiver on, and the "shop" sends it a signed `order:update`
//! every 100 ms: it polls at once instead of resting 500 ms after each batch of 50 orders, so a
//! 20 000-order backlog takes minutes, not a quarter of an hour.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use rust_decimal::Decimal;

use common::*;
use secrecy::SecretString;
use shoptet_raynet_sync::config::WebhookConfig;
use shoptet_raynet_sync::sim::shoptet::ShoptetSim;
use shoptet_raynet_sync::store::{OrderSeen, OrderState, Store};

/// A run that takes longer than this is stopped (and reported as unfinished).
const GIVE_UP: Duration = Duration::from_secs(900);

fn main() {
    let backlog: usize = env_or("MEMORY_BENCH_ORDERS", 20_000);
    let stored: usize = env_or("MEMORY_BENCH_STORE", 100_000);
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async {
        println!("{:<52} {:>9} {:>9} {:>8}", "daemon (run), release build", "peak MiB", "end MiB", "seconds");
        let mut world = World::empty().await;
        measure("idle, empty shop", &mut world, 0).await;
        let mut world = World::empty().await;
        busy_shop(&world, backlog, 150, 200);
        measure(&format!("working a backlog of {backlog} orders"), &mut world, backlog).await;
        let mut world = World::empty().await;
        fill_store(&world.db_path(), stored);
        busy_shop(&world, 500, 50, 50);
        measure(&format!("500 new orders, store of {stored} orders"), &mut world, stored + 500).await;
    });
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// Runs the daemon until `synced` orders are synced (and, when idle, a few seconds), sampling its
/// memory; prints the peak and the last resident size.
async fn measure(name: &str, world: &mut World, synced: usize) {
    world.raynet.set_daily_limit(10_000_000);
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    world.config.webhook = WebhookConfig {
        enabled: true,
        listen: Some(format!("127.0.0.1:{port}")),
        public_url: Some("https://sync.example.cz/hook".into()),
        signature_key: Some(SecretString::from(world.shoptet.signature_key())),
    };
    let (config, data) = world.write_config();
    let store = world.store();
    let mut child = Command::new(env!("CARGO_BIN_EXE_shoptet-raynet-sync"))
        .env_remove("SHOPTET_API_TOKEN")
        .env_remove("RAYNET_API_KEY")
        .args(["run", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the daemon");
    let started = Instant::now();
    let nudges = tokio::spawn(nudge(world.shoptet.clone(), port));
    let (mut peak, mut last) = (0, 0);
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let Some((hwm, rss)) = memory(child.id()) else { break };
        (peak, last) = (peak.max(hwm), rss);
        let done = synced_count(&store) >= synced;
        let settled = if synced == 0 { started.elapsed() > Duration::from_secs(5) } else { done };
        if settled || started.elapsed() > GIVE_UP {
            if !settled {
                println!("  (gave up after {} s: {} synced)", GIVE_UP.as_secs(), synced_count(&store));
            }
            break;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    nudges.abort();
    stop(&mut child);
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!("{name:<52} {:>9.1} {:>9.1} {secs:>8.0}", mib(peak), mib(last));
}

/// Posts a signed `order:update` webhook to the daemon every 100 ms.
async fn nudge(shop: std::sync::Arc<ShoptetSim>, port: u16) {
    let http = reqwest::Client::new();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (body, signature) = shop.signed_webhook("order:update", "2026000001");
        let _ = http
            .post(format!("http://127.0.0.1:{port}/webhook"))
            .header("Shoptet-Webhook-Signature", signature)
            .body(body)
            .send()
            .await;
    }
}

fn synced_count(store: &Store) -> usize {
    store.counts().ok().and_then(|c| c.get(&OrderState::Synced).copied()).unwrap_or(0) as usize
}

/// (VmHWM, VmRSS) of a process, in KiB; `None` once it is gone.
fn memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

/// SIGTERM (a clean stop), then wait.
fn stop(child: &mut Child) {
    let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// `n` orders synced long ago (with their audit lines), and the cursor an hour back.
fn fill_store(path: &Path, n: usize) {
    let mut store = Store::open(path).expect("store");
    let long_ago = Utc::now().fixed_offset() - chrono::Duration::days(3);
    let mut batch = Vec::with_capacity(1000);
    for i in 0..n {
        batch.push(OrderSeen {
            code: format!("2025{i:06}"),
            change_time: Some(long_ago - chrono::Duration::seconds(i as i64)),
            creation_time: Some(long_ago - chrono::Duration::seconds(i as i64 + 60)),
            status_id: Some(-3),
            status_name: Some("Vyřízena".into()),
            customer: Some(format!("Zákazník {}", i % 5000)),
            email: Some(format!("zakaznik{}@example.cz", i % 5000)),
            total_with_vat: Some(Decimal::new(12_345 + i as i64, 2)),
            currency: Some("CZK".into()),
        });
        if batch.len() == 1000 || i + 1 == n {
            store.record_orders_seen(&batch).expect("fill");
            batch.clear();
        }
    }
    let conn = rusqlite::Connection::open(path).expect("sqlite");
    conn.execute(
        "UPDATE orders SET state = 'synced', business_case_id = id, synced_hash = 'h', synced_at = ?1",
        [Utc::now().timestamp_millis()],
    )
    .expect("mark synced");
    store.set_cursor(Utc::now().fixed_offset() - chrono::Duration::hours(1)).expect("cursor");
}
