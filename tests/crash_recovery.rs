//! Nothing lost, nothing duplicated: `sync --once` is killed with SIGKILL at random moments
//! while it syncs 200 orders, and restarted, many times. At the end every final order has
//! exactly one business case and every customer and product exactly one RAYNET record.

mod common;

use std::collections::{HashMap, HashSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use shoptet_raynet_sync::store::OrderState;

const ORDERS: usize = 200;

fn customers() -> Vec<Customer> {
    vec![
        company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz"),
        company("Horská chata Krkonoše s.r.o.", "25412589", "recepce@chatakrkonose.cz"),
        person("Jana Dvořáková", "jana.dvorakova@seznam.cz"),
        person("Ondřej Černý", "ondrej.cerny@email.cz"),
        person("Marek", "marek@post.cz"),
        company("Kancelář Novák & syn s.r.o.", "04512345", "info@novakasyn.cz"),
    ]
}

const CODES: [&str; 5] = ["KAV-ETH-250", "KAV-BRA-1000/ZRN", "KAV-COL-500", "CAJ-SEN-100", "MLY-HAR-01"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_sync_never_duplicates_or_loses() {
    let world = World::empty().await;
    let custs = customers();
    for i in 0..ORDERS {
        let c = &custs[i % custs.len()];
        let code = format!("2026{:06}", i + 1);
        let p1 = CODES[i % CODES.len()];
        let p2 = CODES[(i / 3) % CODES.len()];
        let lines = [
            product(p1, "Káva", 1 + (i % 3) as i64, "289.00"),
            product(p2, "Zboží", 1, "149.00"),
            shipping("PPL", "99.00"),
        ];
        let o = if p1 == p2 {
            order(
                &code,
                -3,
                c,
                &[product(p1, "Káva", 1 + (i % 3) as i64, "289.00"), shipping("PPL", "99.00")],
                "CZK",
            )
        } else {
            order(&code, -3, c, &lines, "CZK")
        };
        world.shoptet.upsert_order(o).unwrap();
    }
    let (config, data) = world.write_config();
    let bin = env!("CARGO_BIN_EXE_shoptet-raynet-sync");
    let run = |kill_after: Option<Duration>| {
        let mut child = Command::new(bin)
            .args(["sync", "--once", "--config"])
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        match kill_after {
            Some(d) => {
                let start = Instant::now();
                while start.elapsed() < d {
                    if child.try_wait().unwrap().is_some() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                let _ = child.kill(); // SIGKILL
                let _ = child.wait();
            }
            None => {
                let _ = child.wait();
            }
        }
    };
    let kills = 25;
    let mut killed = 0;
    for _ in 0..kills {
        let ms = fastrand::u64(20..400);
        tokio::task::block_in_place(|| run(Some(Duration::from_millis(ms))));
        killed += 1;
    }
    // Let it finish.
    for _ in 0..5 {
        tokio::task::block_in_place(|| run(None));
    }
    assert_eq!(killed, kills);

    let dump = world.dump();
    // Exactly one business case per order.
    let mut per_ext: HashMap<String, usize> = HashMap::new();
    for bc in &dump.business_cases {
        for e in bc["extIds"].as_array().into_iter().flatten().filter_map(|e| e.as_str()) {
            *per_ext.entry(e.to_string()).or_default() += 1;
        }
    }
    for i in 0..ORDERS {
        let ext = order_ext(&format!("2026{:06}", i + 1));
        assert_eq!(per_ext.get(&ext).copied().unwrap_or(0), 1, "business cases for {ext}");
    }
    assert_eq!(dump.business_cases.len(), ORDERS, "no stray business cases");
    // Exactly one client per customer, one product per code.
    let names: Vec<&str> = dump.companies.iter().filter_map(|c| c["name"].as_str()).collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(names.len(), unique.len(), "duplicate clients: {names:?}");
    assert_eq!(unique.len(), custs.len());
    let codes: Vec<&str> = dump.products.iter().filter_map(|p| p["code"].as_str()).collect();
    let unique_codes: HashSet<&str> = codes.iter().copied().collect();
    assert_eq!(codes.len(), unique_codes.len(), "duplicate products: {codes:?}");
    assert_eq!(unique_codes.len(), CODES.len());
    // Every order synced locally, and each business case has exactly one order link.
    let store = world.store();
    assert_eq!(store.counts().unwrap()[&OrderState::Synced], ORDERS as u64);
    // Each business case carries its order link exactly once.
    for bc in &dump.business_cases {
        let links = serde_json::to_string(&bc["attachments"])
            .unwrap_or_default()
            .matches("objednavky-detail")
            .count();
        assert!(links <= 1, "order link attached {links} times to {}", bc["id"]);
    }
}
