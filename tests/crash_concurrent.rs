//! SIGKILL during a concurrent pass: `sync --once` works several orders at once (RAYNET's
//! connections, `raynet.max_connections` = 3) over customers and products that many orders
//! share, with a latency on every request so that orders are in flight together when the kill
//! comes. After restarts nothing is duplicated (one client per customer, one product per code,
//! one business case per order) and nothing is lost (every order synced); and no order ran into
//! another's create (RAYNET refused no write; a lookup after a kill may find nothing).

mod common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use common::process::sync_once_or_kill;
use common::*;
use shoptet_raynet_sync::http::Service;
use shoptet_raynet_sync::store::OrderState;

const ORDERS: usize = 120;
const CUSTOMERS: usize = 12;
const PRODUCTS: usize = 15;

fn customer(i: usize) -> Customer {
    let email: &'static str = Box::leak(format!("nakup{i}@odberatel{i}.cz").into_boxed_str());
    if i % 3 == 2 {
        person(Box::leak(format!("Zákazník Číslo{i}").into_boxed_str()), email)
    } else {
        let name: &'static str = Box::leak(format!("Odběratel {i} s.r.o.").into_boxed_str());
        company(name, Box::leak(format!("{:08}", 27_100_000 + i).into_boxed_str()), email)
    }
}

fn code(p: usize) -> String {
    format!("SDIL-{p:03}/{}", p % 3)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_a_concurrent_pass_never_duplicates_or_loses() {
    let world = World::empty().await;
    let customers: Vec<Customer> = (0..CUSTOMERS).map(customer).collect();
    for i in 0..ORDERS {
        // Neighbouring orders share customers and products, so orders started together often
        // need the same client or product.
        let (p1, p2) = ((i / 3) % PRODUCTS, (i * 7 + 3) % PRODUCTS);
        let mut lines =
            vec![product(Box::leak(code(p1).into_boxed_str()), "Zboží", 1 + (i % 3) as i64, "149.00")];
        if p2 != p1 {
            lines.push(product(Box::leak(code(p2).into_boxed_str()), "Zboží", 1, "89.00"));
        }
        lines.push(shipping("PPL", "99.00"));
        let o = order(&format!("2026{:06}", i + 1), -3, &customers[(i / 2) % CUSTOMERS], &lines, "CZK");
        world.shoptet.upsert_order(o).unwrap();
    }
    // Requests take a while, so several orders are in flight when the kill comes.
    world.raynet.control().set_latency(Duration::from_millis(15));
    world.shoptet.control().set_latency(Duration::from_millis(5));
    world.raynet.take_max_concurrent();
    let (config, data) = world.write_config();
    // Returns whether the run was killed (rather than finished first).
    let run = |kill_after: Option<Duration>| sync_once_or_kill(&config, &data, kill_after);
    let mut killed = 0;
    let mut most_in_flight = 0;
    for _ in 0..12 {
        world.store().retry_all().unwrap();
        let ms = fastrand::u64(150..700);
        if tokio::task::block_in_place(|| run(Some(Duration::from_millis(ms)))) {
            killed += 1;
        }
        most_in_flight = most_in_flight.max(world.raynet.take_max_concurrent());
    }
    eprintln!("{killed} of 12 runs killed; at most {most_in_flight} RAYNET requests at once");
    assert!(killed >= 4, "the sync must be killed mid-way: {killed} of 12");
    assert!(most_in_flight >= 2, "orders must be in flight together: at most {most_in_flight} at once");
    for _ in 0..6 {
        world.store().retry_all().unwrap();
        let _ = tokio::task::block_in_place(|| run(None));
        if world.store().counts().unwrap().get(&OrderState::Synced).copied() == Some(ORDERS as u64) {
            break;
        }
    }

    let dump = world.dump();
    // Nothing lost: every order synced, with its business case.
    assert_eq!(world.store().counts().unwrap().get(&OrderState::Synced).copied(), Some(ORDERS as u64));
    // One business case per order, none stray.
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
    // No order ran into another's create: RAYNET (which refuses a second record with the same
    // extId or product code) never refused a write, so the orders in flight together took turns
    // where they shared a client or a product rather than racing to create it.
    let store = world.store();
    for i in 0..ORDERS {
        let code = format!("2026{:06}", i + 1);
        let refused: Vec<String> = store
            .calls(&code)
            .unwrap()
            .into_iter()
            .filter(|c| {
                c.service == Service::Raynet && c.method != "GET" && c.status.is_none_or(|s| s >= 400)
            })
            .map(|c| format!("{} {} → {:?} {:?}", c.method, c.path, c.status, c.error))
            .collect();
        assert!(refused.is_empty(), "order {code}: RAYNET refused {refused:?}");
    }
    // One client per customer.
    let names: Vec<&str> = dump.companies.iter().filter_map(|c| c["name"].as_str()).collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(names.len(), unique.len(), "duplicate clients: {names:?}");
    assert_eq!(unique.len(), CUSTOMERS, "{names:?}");
    // One product per code.
    let codes: Vec<&str> = dump.products.iter().filter_map(|p| p["code"].as_str()).collect();
    let unique_codes: HashSet<&str> = codes.iter().copied().collect();
    assert_eq!(codes.len(), unique_codes.len(), "duplicate products: {codes:?}");
    let wanted: HashSet<String> = (0..PRODUCTS).map(code).collect();
    assert_eq!(unique_codes.iter().map(|c| c.to_string()).collect::<HashSet<_>>(), wanted);
}
