//! The long run, kept out of the normal suite (`#[ignore]`):
//!
//! ```sh
//! cargo test --release --test chaos -- --ignored --nocapture
//! ```
//!
//! `sync --once` (the real binary) is killed with SIGKILL 100 times at random moments of its
//! work, then runs unhindered, again and again, for a 2-minute soak — while both simulated
//! services misbehave all along (connection resets, 5xx, 429 storms, slow answers, lost answers
//! — RAYNET acts and the answer never arrives —, malformed JSON) and the shop keeps changing:
//! new orders (of new customers too, with new products), edited lines, swapped products,
//! cancellations. Then the faults stop, every order is made final again, and once the sync has
//! settled RAYNET must hold exactly one business case per order (with the order's final lines,
//! each once, and its order link once), one client per customer (its delivery address once, as
//! the contact address) and one product per code (its shop link once). Most of the work must
//! have been done under the faults, not in the quiet end. The figures are printed at the end
//! (see the README, *Reliability*); `CHAOS_KILLS` and `CHAOS_SOAK_SECS` shorten the run.

mod common;
mod followups;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::process::wait_or_kill;
use common::*;
use followups::*;
use serde_json::{Value, json};
use shoptet_raynet_sync::sim::{FaultKind, FaultRule, SimControl};
use shoptet_raynet_sync::store::OrderState;

const KILLS: usize = 100;
const SOAK: Duration = Duration::from_secs(120);
const FIRST_ORDERS: usize = 300;
/// Products the first orders use; later orders use the whole catalogue.
const FIRST_PRODUCTS: usize = 8;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A customer and the city of the delivery address their orders carry, if any.
type Cust = (Customer, Option<&'static str>);

fn first_customers() -> Vec<Cust> {
    vec![
        (company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz"), Some("Brno")),
        (company("Horská chata Krkonoše s.r.o.", "25412589", "recepce@chatakrkonose.cz"), None),
        (person("Jana Dvořáková", "jana.dvorakova@seznam.cz"), Some("Olomouc")),
        (person("Ondřej Černý", "ondrej.cerny@email.cz"), None),
        (person("Marek", "marek@post.cz"), Some("Plzeň")),
        (company("Kancelář Novák & syn s.r.o.", "04512345", "info@novakasyn.cz"), None),
        (company("Kavárna U Zrnka s.r.o.", "27074358", "objednavky@uzrnka.cz"), Some("Ostrava")),
        (person("Eva Malá", "eva.mala@centrum.cz"), Some("Liberec")),
    ]
}

/// A customer seen for the first time (its client is created under the faults).
fn new_customer(n: usize) -> Cust {
    let city = ["Kolín", "Tábor", "Jihlava", "Zlín"][n % 4];
    let c = if n.is_multiple_of(2) {
        company(
            leak(format!("Kavárna Číslo {n} s.r.o.")),
            leak(format!("{:08}", 30_000_000 + n)),
            leak(format!("nakup{n}@kavarna-cislo.cz")),
        )
    } else {
        person(leak(format!("Petra Nová {n}")), leak(format!("petra.nova.{n}@seznam.cz")))
    };
    (c, (!n.is_multiple_of(3)).then_some(city))
}

/// The shop's catalogue: (code, name, unit price with VAT) of every variant.
fn catalogue() -> Vec<(&'static str, &'static str, &'static str)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/shoptet.json");
    let demo: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("demo shop")).expect("JSON");
    let mut out = Vec::new();
    for p in demo["products"].as_array().expect("products") {
        for v in p["variants"].as_array().into_iter().flatten() {
            let (Some(code), Some(price)) = (v["code"].as_str(), v["price"].as_str()) else { continue };
            let name = match v["name"].as_str() {
                Some(variant) => format!("{} {variant}", p["name"].as_str().unwrap_or_default()),
                None => p["name"].as_str().unwrap_or_default().to_string(),
            };
            out.push((leak(code.to_string()), leak(name), leak(price.to_string())));
        }
    }
    out
}

/// What an order looks like now, to build its JSON and check its case at the end.
#[derive(Clone)]
struct Spec {
    code: String,
    customer: usize,
    /// (catalogue index, pieces)
    lines: Vec<(usize, i64)>,
    status: i64,
}

struct Shop {
    catalogue: Vec<(&'static str, &'static str, &'static str)>,
    customers: Vec<Cust>,
    specs: Vec<Spec>,
}

impl Shop {
    fn json(&self, s: &Spec) -> Value {
        let (c, city) = &self.customers[s.customer];
        let mut lines: Vec<Line> = s
            .lines
            .iter()
            .map(|(p, n)| {
                let (code, name, price) = self.catalogue[*p];
                product(code, name, *n, price)
            })
            .collect();
        lines.push(shipping("PPL", "99.00"));
        let mut o = order(&s.code, s.status, c, &lines, "CZK");
        // The change happens now (not at the helper's fixed "5 minutes ago").
        o["changeTime"] = Value::Null;
        match city {
            Some(city) => with_delivery(o, city),
            None => o,
        }
    }

    fn random_lines(&self, products: usize) -> Vec<(usize, i64)> {
        let mut lines: Vec<(usize, i64)> = Vec::new();
        for _ in 0..fastrand::usize(1..=3) {
            let p = fastrand::usize(..products.min(self.catalogue.len()));
            if !lines.iter().any(|(q, _)| *q == p) {
                lines.push((p, fastrand::i64(1..=3)));
            }
        }
        lines
    }
}

#[derive(Default)]
struct Tally {
    injected: BTreeMap<&'static str, u64>,
    lost_by_write: BTreeMap<&'static str, u64>,
    changes: BTreeMap<&'static str, u64>,
}

fn fault(kind: FaultKind, method: Option<&str>, path: &str, count: u32) -> FaultRule {
    let mut r = FaultRule::new(kind, method, path);
    r.count = count;
    r.skip = fastrand::u32(0..4);
    r
}

/// Up to two random faults, on RAYNET (mostly) or Shoptet.
fn inject(raynet: &SimControl, shoptet: &SimControl, tally: &mut Tally) {
    const RAYNET_PATHS: [&str; 5] =
        ["/api/v2/company/", "/api/v2/product/", "/api/v2/businessCase/", "/api/v2/attachment/", "/api/v2/"];
    const RAYNET_RECORDS: [&str; 3] = ["/api/v2/company/", "/api/v2/product/", "/api/v2/businessCase/"];
    const SHOPTET_PATHS: [&str; 3] = ["/api/orders", "/api/products", "/api/"];
    for _ in 0..fastrand::usize(0..=2) {
        let on_raynet = fastrand::u8(0..4) != 0;
        let pick = |paths: &[&'static str]| paths[fastrand::usize(..paths.len())];
        let (control, path) =
            if on_raynet { (raynet, pick(&RAYNET_PATHS)) } else { (shoptet, pick(&SHOPTET_PATHS)) };
        let (name, rule) = match fastrand::u8(0..12) {
            0 | 1 => ("connection reset", fault(FaultKind::Drop, None, path, fastrand::u32(1..=2))),
            2 | 3 => {
                let mut r = fault(FaultKind::Status, None, path, fastrand::u32(1..=2));
                r.status = Some([500, 502, 503][fastrand::usize(..3)]);
                ("5xx", r)
            }
            4 => {
                let mut r = fault(FaultKind::Status, None, path, fastrand::u32(3..=8));
                r.status = Some(429);
                r.retry_after_secs = Some(1);
                ("429 storm", r)
            }
            5 | 6 => {
                let mut r = fault(FaultKind::Slow, None, path, fastrand::u32(1..=3));
                r.delay_ms = Some(fastrand::u64(100..1_500));
                ("slow answer", r)
            }
            7 => {
                let path = if on_raynet { pick(&RAYNET_RECORDS) } else { "/api/orders/" };
                ("malformed JSON", fault(FaultKind::Malformed, Some("GET"), path, 1))
            }
            _ if on_raynet => {
                let (write, method, pattern) = WRITES[fastrand::usize(..WRITES.len())];
                let mut r = fault(FaultKind::DropAfter, Some(method), pattern, 1);
                r.skip = 0;
                *tally.lost_by_write.entry(write).or_default() += 1;
                ("lost answer", r)
            }
            _ => ("connection reset", fault(FaultKind::Drop, Some("GET"), path, 1)),
        };
        *tally.injected.entry(name).or_default() += u64::from(rule.count);
        control.add_fault(rule);
    }
}

/// One random change in the shop.
fn mutate(world: &World, shop: &mut Shop, tally: &mut Tally) {
    let i = fastrand::usize(..shop.specs.len());
    let all = shop.catalogue.len();
    let what = match fastrand::u8(0..10) {
        0..=2 => {
            let customer = if fastrand::u8(0..3) == 0 {
                shop.customers.push(new_customer(shop.customers.len()));
                shop.customers.len() - 1
            } else {
                fastrand::usize(..shop.customers.len())
            };
            let spec = Spec {
                code: format!("2027{:06}", shop.specs.len() + 1),
                customer,
                lines: shop.random_lines(all),
                status: -3,
            };
            world.shoptet.upsert_order(shop.json(&spec)).unwrap();
            shop.specs.push(spec);
            "new order"
        }
        3..=6 => {
            let mut s = shop.specs[i].clone();
            match fastrand::u8(0..3) {
                0 => s.lines[0].1 += 1,
                1 => s.lines = shop.random_lines(all),
                _ => {
                    let p = fastrand::usize(..all);
                    if !s.lines.iter().any(|(q, _)| *q == p) {
                        s.lines.push((p, 1));
                    }
                }
            }
            world.shoptet.upsert_order(shop.json(&s)).unwrap();
            shop.specs[i] = s;
            "edited lines"
        }
        7 | 8 => {
            let s = &mut shop.specs[i];
            s.status = if s.status == -4 { -3 } else { -4 };
            world.shoptet.set_order_status(&s.code, s.status).unwrap();
            if s.status == -4 { "cancelled" } else { "final again" }
        }
        _ => {
            world.shoptet.upsert_order(shop.json(&shop.specs[i])).unwrap();
            "touched"
        }
    };
    *tally.changes.entry(what).or_default() += 1;
}

/// The tally name of a rule [`inject`] made.
fn kind_name(r: &FaultRule) -> &'static str {
    match (r.kind, r.status) {
        (FaultKind::Drop, _) => "connection reset",
        (FaultKind::Status, Some(429)) => "429 storm",
        (FaultKind::Status, _) => "5xx",
        (FaultKind::Slow, _) => "slow answer",
        (FaultKind::Malformed, _) => "malformed JSON",
        (FaultKind::DropAfter, _) => "lost answer",
    }
}

/// Faults that hit a request, by kind, and lost answers by write: injected minus still pending.
fn hits(tally: &Tally, controls: [&SimControl; 2]) -> Value {
    let mut by_kind = tally.injected.clone();
    let mut by_write = tally.lost_by_write.clone();
    for c in controls {
        for r in c.pending_faults() {
            let n = by_kind.entry(kind_name(&r)).or_default();
            *n = n.saturating_sub(u64::from(r.count));
            let write = WRITES
                .iter()
                .find(|(_, m, p)| r.path_prefix.as_deref() == Some(*p) && r.method.as_deref() == Some(*m));
            if r.kind == FaultKind::DropAfter
                && let Some((name, _, _)) = write
            {
                let n = by_write.entry(name).or_default();
                *n = n.saturating_sub(u64::from(r.count));
            }
        }
    }
    json!({"total": by_kind.values().sum::<u64>(), "by_kind": by_kind, "lost_answers_by_write": by_write})
}

fn synced(world: &World) -> u64 {
    world.store().counts().unwrap()[&OrderState::Synced]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a long run: cargo test --release --test chaos -- --ignored --nocapture"]
async fn chaos_kills_soak_and_faults_never_duplicate_or_lose() {
    let started = Instant::now();
    let world = catalogue_world().await;
    let mut shop = Shop { catalogue: catalogue(), customers: first_customers(), specs: Vec::new() };
    for i in 0..FIRST_ORDERS {
        let spec = Spec {
            code: format!("2026{:06}", i + 1),
            customer: i % shop.customers.len(),
            lines: shop.random_lines(FIRST_PRODUCTS),
            status: -3,
        };
        world.shoptet.upsert_order(shop.json(&spec)).unwrap();
        shop.specs.push(spec);
    }
    let (config, data) = world.write_config();
    let bin = env!("CARGO_BIN_EXE_shoptet-raynet-sync");
    // The runs' warnings and errors, for a look when something is off.
    let log_path = std::env::temp_dir().join(format!("chaos-{}.log", std::process::id()));
    let log = std::fs::File::create(&log_path).expect("log file");
    eprintln!("run logs: {}", log_path.display());
    // Returns whether the run was killed (rather than finished first).
    let run = |kill_after: Option<Duration>| -> bool {
        let child = Command::new(bin)
            .args(["sync", "--once", "--config"])
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .env("RUST_LOG", "warn,shoptet_raynet_sync::config=error")
            .stdout(Stdio::null())
            .stderr(log.try_clone().expect("log file"))
            .spawn()
            .expect("spawn");
        wait_or_kill(child, kill_after)
    };
    let (rc, sc) = (world.raynet.control(), world.shoptet.control());
    let mut tally = Tally::default();
    // From the start, every write loses its answer once (the first time it happens).
    for (write, method, pattern) in WRITES {
        rc.add_fault(lost_answer(method, pattern, 1));
        *tally.injected.entry("lost answer").or_default() += 1;
        *tally.lost_by_write.entry(write).or_default() += 1;
    }
    let (max_kills, soak) =
        (env_or("CHAOS_KILLS", KILLS), Duration::from_secs(env_or("CHAOS_SOAK_SECS", SOAK.as_secs())));

    // 1. Kills, at random moments of the work (a run's start-up takes a few hundred ms).
    let (mut kills, mut kill_runs) = (0, 0);
    let phase = Instant::now();
    while kills < max_kills {
        inject(&rc, &sc, &mut tally);
        for _ in 0..fastrand::usize(0..=2) {
            mutate(&world, &mut shop, &mut tally);
        }
        kill_runs += 1;
        if tokio::task::block_in_place(|| run(Some(Duration::from_millis(fastrand::u64(150..2_500))))) {
            kills += 1;
        }
    }
    let kill_phase = phase.elapsed();
    let synced_after_kills = synced(&world);

    // 2. Soak: runs to their end, faults and changes all along.
    let phase = Instant::now();
    let mut soak_runs = 0;
    while phase.elapsed() < soak {
        inject(&rc, &sc, &mut tally);
        for _ in 0..fastrand::usize(0..=4) {
            mutate(&world, &mut shop, &mut tally);
        }
        tokio::task::block_in_place(|| run(None));
        soak_runs += 1;
    }
    let soak_phase = phase.elapsed();
    let synced_after_soak = synced(&world);
    let cases_before_settling = world.dump().business_cases.len();

    // 3. The faults stop; every order is final again; the sync settles.
    let injected: u64 = tally.injected.values().sum();
    let hit = hits(&tally, [&rc, &sc]);
    let raynet_requests_under_faults = rc.stats().total;
    rc.clear_faults();
    sc.clear_faults();
    for s in shop.specs.iter_mut().filter(|s| s.status != -3) {
        s.status = -3;
        world.shoptet.set_order_status(&s.code, -3).unwrap();
    }
    let phase = Instant::now();
    let mut settle_runs = 0;
    for _ in 0..20 {
        world.store().retry_all().unwrap();
        tokio::task::block_in_place(|| run(None));
        settle_runs += 1;
        if synced(&world) == shop.specs.len() as u64 {
            break;
        }
    }
    let settle_phase = phase.elapsed();

    let dump = world.dump();
    let counts = world.store().counts().unwrap();
    let used_products: Vec<String> = shop
        .catalogue
        .iter()
        .filter(|(code, _, _)| dump.products.iter().any(|p| p["code"] == *code))
        .map(|(code, _, _)| code.to_string())
        .collect();
    let mut problems = problems(
        &dump,
        &Expect {
            orders: shop.specs.iter().map(|s| s.code.clone()).collect(),
            clients: shop
                .customers
                .iter()
                .map(|(c, city)| (c.company.unwrap_or(c.full_name).to_string(), city.map(str::to_string)))
                .collect(),
            products: used_products.clone(),
            seeded_clients: 0,
        },
    );
    // Each case has its order's final lines, each once (the lines follow the edits; the
    // rounding lines aside).
    let mut stale = 0;
    for s in &shop.specs {
        let mut want: Vec<(String, f64)> =
            s.lines.iter().map(|(p, n)| (shop.catalogue[*p].1.to_string(), *n as f64)).collect();
        want.push(("PPL".into(), 1.0));
        want.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(case) = cases_for_ext(&dump, &order_ext(&s.code)).first() {
            let mut have: Vec<(String, f64)> = case["items"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| {
                    (i["name"].as_str().unwrap_or_default().to_string(), i["count"].as_f64().unwrap_or(0.0))
                })
                .filter(|(n, _)| !n.starts_with("Zaokrouhlení"))
                .collect();
            have.sort_by(|a, b| a.0.cmp(&b.0));
            if have != want {
                stale += 1;
                problems.push(format!("order {}: case lines {have:?}, order lines {want:?}", s.code));
            }
        }
    }
    let summary = json!({
        "orders": shop.specs.len(),
        "customers": shop.customers.len(),
        "products_used": used_products.len(),
        "kills": kills,
        "runs_in_kill_phase": kill_runs,
        "soak_runs": soak_runs,
        "settle_runs": settle_runs,
        "seconds": {"kills": kill_phase.as_secs(), "soak": soak_phase.as_secs(),
                    "settle": settle_phase.as_secs(), "total": started.elapsed().as_secs()},
        "synced_after_kills": synced_after_kills,
        "synced_after_soak": synced_after_soak,
        "business_cases_before_settling": cases_before_settling,
        "faults_injected": {"total": injected, "by_kind": tally.injected,
                            "lost_answers_by_write": tally.lost_by_write},
        "faults_hit": hit,
        "shop_changes": tally.changes,
        "raynet_requests": {"under_faults": raynet_requests_under_faults, "total": rc.stats().total},
        "shoptet_requests": sc.stats().total,
        "raynet": {"business_cases": dump.business_cases.len(), "clients": dump.companies.len(),
                   "products": dump.products.len(), "attachments": dump.attachments.len()},
        "local_counts": format!("{counts:?}"),
        "cases_with_stale_lines": stale,
        "problems": problems.len(),
    });
    println!("CHAOS SUMMARY {}", serde_json::to_string_pretty(&summary).unwrap());
    assert_eq!(counts[&OrderState::Synced], shop.specs.len() as u64, "every order synced: {counts:?}");
    assert!(
        problems.is_empty(),
        "RAYNET does not hold exactly one of everything:\n  {}",
        problems.join("\n  ")
    );
    // The faults were not so thick that nothing got through: most cases were made under them.
    assert!(
        cases_before_settling * 2 >= shop.specs.len(),
        "only {cases_before_settling} of {} business cases were made before the faults stopped",
        shop.specs.len()
    );
}
