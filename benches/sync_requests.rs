//! Requests per order, by scenario, beside what a naive sync would send.
//! Run: `cargo bench --bench sync_requests`. Exits 1 when a repeat order costs more RAYNET
//! requests than [`REPEAT_ORDER_BUDGET`].
//!
//! The naive flow, per order: search the client by IČ, then e-mail, then name (stopping at the
//! first hit) and create it when none matched; search each product by code and create it when
//! absent; create the case; add each line with its own request; attach the order link. An
//! update: the same searches, find the case, update it and write each line again (no link).

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;

/// RAYNET requests a repeat order (known client, known products) may cost: the case with its
/// lines and the order link. Where RAYNET drops a create's extId, the case's extId is set
/// separately: one more.
const REPEAT_ORDER_BUDGET: f64 = 2.0;

/// What an order needs, for the naive count.
struct Shape {
    new_client: bool,
    known_products: u64,
    new_products: u64,
    /// Lines of the case (products, shipping, payment).
    lines: u64,
    update: bool,
}

/// The naive flow's RAYNET requests for one order of this shape (module comment).
fn naive(s: &Shape) -> u64 {
    let client = if s.new_client { 3 + 1 } else { 1 };
    let products = s.known_products + 2 * s.new_products;
    let case = if s.update { 1 + 1 } else { 1 };
    let link = if s.update { 0 } else { 1 };
    client + products + case + s.lines + link
}

fn main() {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let repeat = rt.block_on(run());
    let budget = REPEAT_ORDER_BUDGET + if ignore_create_ext_ids() { 1.0 } else { 0.0 };
    if repeat > budget {
        eprintln!("budget exceeded: {repeat:.2} RAYNET requests per repeat order (budget {budget})");
        std::process::exit(1);
    }
}

/// Runs every scenario; returns the RAYNET requests per repeat order.
async fn run() -> f64 {
    println!("{:<44} {:>7} {:>6} {:>6} {:>8}", "scenario (per order)", "RAYNET", "naive", "ratio", "Shoptet");
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    let known = |code: &str| order(code, -3, &c, &[known_a(), known_b(), shipping("PPL", "99.00")], "CZK");

    // The first order of an install: settings, new company, two new products.
    let world = World::empty().await;
    let mut engine = world.engine();
    world.shoptet.upsert_order(known("2026000001")).unwrap();
    engine.sync_once().await.expect("sync");
    let first = Shape { new_client: true, known_products: 0, new_products: 2, lines: 3, update: false };
    report("first order of an install", &world, 1, &first);

    // Repeat customer, known products.
    let n = 40;
    for i in 0..n {
        world.shoptet.upsert_order(known(&format!("20261{i:05}"))).unwrap();
    }
    engine.sync_once().await.expect("sync");
    let shape = Shape { new_client: false, known_products: 2, new_products: 0, lines: 3, update: false };
    let repeat = report("repeat customer, known products", &world, n, &shape);

    // Known customer, a new product each.
    let codes = ["NEW-1", "NEW-2", "NEW-3", "NEW-4", "NEW-5", "NEW-6", "NEW-7", "NEW-8"];
    for (i, code) in codes.iter().enumerate() {
        let lines = [product(code, "Novinka", 1, "199.00"), shipping("PPL", "99.00")];
        world.shoptet.upsert_order(order(&format!("20262{i:05}"), -3, &c, &lines, "CZK")).unwrap();
    }
    engine.sync_once().await.expect("sync");
    let shape = Shape { new_client: false, known_products: 0, new_products: 1, lines: 2, update: false };
    report("known customer, a new product", &world, codes.len() as u64, &shape);

    // A new company with three new products each.
    new_companies(&world, &mut engine).await;

    // An update: one line's price changed on synced orders.
    let updates = 10;
    for i in 0..updates {
        world.shoptet.set_item_price(&format!("20261{i:05}"), 0, "279.00".parse().unwrap()).unwrap();
    }
    engine.sync_once().await.expect("sync");
    let shape = Shape { new_client: false, known_products: 2, new_products: 0, lines: 3, update: true };
    report("an update (a line's price)", &world, updates, &shape);

    // Nothing to do: a new `sync --once` once the changes above have settled (an order read
    // within two seconds of its change is read once more, see `runner/observe.rs`).
    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    engine.sync_once().await.expect("sync");
    totals(&world);
    world.engine().sync_once().await.expect("sync");
    let (r, s) = totals(&world);
    println!("{:<44} {r:>7} {:>6} {:>6} {s:>8}", "sync --once with nothing to do (per run)", "-", "-");
    repeat
}

async fn new_companies(world: &World, engine: &mut shoptet_raynet_sync::engine::Engine) {
    let companies = [
        company("Kavárna U Mostu s.r.o.", "01234567", "info@umostu.cz"),
        company("Bistro Na Rohu s.r.o.", "02345678", "bistro@narohu.cz"),
        company("Café Letná s.r.o.", "03456789", "kava@cafeletna.cz"),
        company("Pekárna Zlatý Klas s.r.o.", "04567890", "objednavky@zlatyklas.cz"),
        company("Hotel Vyhlídka a.s.", "05678901", "recepce@vyhlidka.cz"),
    ];
    let codes: [[&'static str; 3]; 5] = [
        ["NC-1A", "NC-1B", "NC-1C"],
        ["NC-2A", "NC-2B", "NC-2C"],
        ["NC-3A", "NC-3B", "NC-3C"],
        ["NC-4A", "NC-4B", "NC-4C"],
        ["NC-5A", "NC-5B", "NC-5C"],
    ];
    for (i, (c, p)) in companies.iter().zip(codes).enumerate() {
        let lines = [
            product(p[0], "Zrnková káva", 1, "289.00"),
            product(p[1], "Mletá káva", 2, "259.00"),
            product(p[2], "Filtry", 1, "89.00"),
            shipping("PPL", "99.00"),
        ];
        world.shoptet.upsert_order(order(&format!("20263{i:05}"), -3, c, &lines, "CZK")).unwrap();
    }
    engine.sync_once().await.expect("sync");
    let shape = Shape { new_client: true, known_products: 0, new_products: 3, lines: 4, update: false };
    report("new company, three new products", world, companies.len() as u64, &shape);
}

fn known_a() -> Line {
    product("KAV-ETH-250", "Etiopie Yirgacheffe 250 g", 2, "289.00")
}

fn known_b() -> Line {
    product("KAV-BRA-1000/ZRN", "Brazílie Santos 1 kg", 1, "649.00")
}

/// Requests since the last call (RAYNET, Shoptet), counters reset.
fn totals(world: &World) -> (u64, u64) {
    let r = world.raynet.control().stats().total;
    let s = world.shoptet.control().stats().total;
    world.raynet.control().reset_stats();
    world.shoptet.control().reset_stats();
    (r, s)
}

/// Prints one scenario's line; returns its RAYNET requests per order.
fn report(name: &str, world: &World, orders: u64, shape: &Shape) -> f64 {
    let (r, s) = totals(world);
    let (r, s) = (r as f64 / orders as f64, s as f64 / orders as f64);
    let naive = naive(shape);
    println!("{name:<44} {r:>7.2} {naive:>6} {:>6.2} {s:>8.2}", r / naive as f64);
    r
}
