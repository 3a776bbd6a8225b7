//! The order list stays quick with many orders (100 000 in the ignored full-size test).

use std::time::{Duration, Instant};

use chrono::{FixedOffset, TimeZone};
use rust_decimal::Decimal;
use shoptet_raynet_sync::store::*;

/// Fills a file store with `n` orders (every 50th queued) and times pages near the end.
fn pages_and_counts_stay_quick(n: i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("big.db")).unwrap();
    let base = FixedOffset::east_opt(3600).unwrap().with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let t = Instant::now();
    let all: Vec<OrderSeen> = (0..n)
        .map(|i| OrderSeen {
            code: format!("2025{i:06}"),
            change_time: Some(base + chrono::Duration::minutes(i)),
            creation_time: Some(base + chrono::Duration::minutes(i)),
            status_id: Some(-3),
            status_name: Some("Vyřízena".into()),
            customer: Some(format!("Zákazník {}", i % 5000)),
            email: Some(format!("c{}@example.cz", i % 5000)),
            total_with_vat: Some(Decimal::new(i * 7 % 100_000, 2)),
            currency: Some("CZK".into()),
        })
        .collect();
    for batch in all.chunks(1000) {
        assert!(store.record_orders_seen(batch).unwrap().iter().all(|new| *new));
    }
    eprintln!("insert: {:?}", t.elapsed());
    let now = store.now();
    for i in (0..n).step_by(50) {
        store.enqueue(&format!("2025{i:06}"), Priority::Low, now).unwrap();
    }
    eprintln!("insert+enqueue: {:?}", t.elapsed());

    let queries = [
        OrderQuery { offset: (n - 100) as u64, ..Default::default() },
        OrderQuery { states: vec![OrderState::Queued], offset: (n / 50 - 100) as u64, ..Default::default() },
        OrderQuery { sort: OrderSort::Customer, offset: (n / 2) as u64, ..Default::default() },
        OrderQuery {
            sort: OrderSort::Total,
            descending: false,
            offset: (n - 100) as u64,
            ..Default::default()
        },
        OrderQuery { search: Some("zákazník 4999".into()), ..Default::default() },
    ];
    for q in &queries {
        let t = Instant::now();
        let page = store.orders_page(q).unwrap();
        let n = store.count_orders(q).unwrap();
        let took = t.elapsed();
        eprintln!("{q:?}: {} rows of {n} in {took:?}", page.len());
        assert!(!page.is_empty());
        assert!(took < Duration::from_millis(500), "{q:?} took {took:?}");
    }
    let t = Instant::now();
    let counts = store.counts().unwrap();
    eprintln!("counts in {:?}", t.elapsed());
    assert_eq!(counts[&OrderState::Queued], (n / 50) as u64);
    assert_eq!(counts[&OrderState::Pending], (n - n / 50) as u64);
}

#[test]
fn pages_and_counts_over_20_000_orders_are_quick() {
    pages_and_counts_stay_quick(20_000);
}

/// The full-size check; filling takes ~20 s in a debug build:
/// `cargo test --release --test store_scale -- --ignored --nocapture`.
#[test]
#[ignore]
fn pages_and_counts_over_100_000_orders_are_quick() {
    pages_and_counts_stay_quick(100_000);
}
