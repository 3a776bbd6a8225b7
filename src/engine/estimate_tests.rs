use chrono::{Duration, TimeZone, Utc};

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 15, 30, 0).single().expect("valid time")
}

fn midnight_after(t: DateTime<Utc>) -> DateTime<Utc> {
    Utc.from_utc_datetime(&(t.date_naive() + Duration::days(1)).and_hms_opt(0, 0, 0).expect("midnight"))
}

fn facts(customer: &str, known: bool, products: Option<&[&str]>) -> OrderFacts {
    OrderFacts {
        customer: Some(customer.to_string()),
        client_known: known,
        new_products: products.map(|p| p.iter().map(|c| c.to_string()).collect()),
    }
}

fn limits(remaining: u64, reserve: u64) -> Limits {
    Limits {
        budget: Budget {
            limit: Some(24_000),
            remaining: Some(remaining),
            reset: Some(midnight_after(now())),
        },
        reserve,
        pace: Pace::ASSUMED,
        costs: Costs::MEASURED,
    }
}

#[test]
fn orders_of_known_clients_with_known_products_cost_the_repeat_price() {
    let mut t = Tally::default();
    for _ in 0..10 {
        t.add(facts("shoptet:1:customer:a", true, Some(&[])));
    }
    let w = t.workload(1.0, 0);
    assert_eq!((w.orders, w.new_clients, w.new_products), (10, 0, 0));
    assert_eq!(w.raynet_requests(&Costs::MEASURED), 10 * Costs::MEASURED.repeat_order);
    assert_eq!(w.shoptet_requests(&Costs::MEASURED), 10);
}

#[test]
fn a_new_client_costs_once_and_its_later_orders_are_repeats() {
    let mut t = Tally::default();
    t.add(facts("shoptet:1:email:jana@x.cz", false, Some(&["KAV-1"])));
    t.add(facts("shoptet:1:email:jana@x.cz", false, Some(&["KAV-1"])));
    t.add(facts("shoptet:1:email:petr@x.cz", false, Some(&["KAV-1", "KAV-2"])));
    let w = t.workload(1.0, 0);
    assert_eq!((w.orders, w.new_clients, w.new_products), (3, 2, 2));
    let c = Costs::MEASURED;
    assert_eq!(w.raynet_requests(&c), 3 * c.repeat_order + 2 * c.new_client + 2 * c.new_product);
    assert_eq!(w.shoptet_requests(&c), 3 * c.shoptet_order + 2 * c.shoptet_new_product);
}

#[test]
fn unread_lines_are_guessed_per_new_client_only() {
    let mut t = Tally::default();
    // Two new customers (one with two orders) and a known one, none with its lines read.
    t.add(facts("a", false, None));
    t.add(facts("a", false, None));
    t.add(facts("b", false, None));
    t.add(facts("c", true, None));
    assert_eq!(t.workload(1.5, 0).new_products, 3, "⌈2 × 1.5⌉");
    assert_eq!(t.workload(0.0, 0).new_products, 0);
    assert_eq!(t.workload(1.5, 0).new_clients, 2);
}

#[test]
fn an_order_naming_nobody_is_a_new_client_each_time() {
    let mut t = Tally::default();
    t.add(OrderFacts::default());
    t.add(OrderFacts::default());
    assert_eq!(t.workload(0.0, 0).new_clients, 2);
}

#[test]
fn the_first_create_of_each_kind_adds_its_check() {
    let mut t = Tally::default();
    t.add(facts("a", false, Some(&["P"])));
    let c = Costs::MEASURED;
    let fresh = t.workload(1.0, 3).raynet_requests(&c);
    let later = t.workload(1.0, 0).raynet_requests(&c);
    assert_eq!(fresh - later, 3 * c.first_create_check);
    assert_eq!(later, c.repeat_order + c.new_client + c.new_product);
}

#[test]
fn the_budget_is_whole_again_after_its_reset_and_unknown_before_any_answer() {
    let b = Budget { limit: Some(1_000), remaining: Some(40), reset: Some(now() + Duration::hours(2)) };
    assert_eq!(b.left(now()), Some(40));
    assert_eq!(b.left(now() + Duration::hours(3)), Some(1_000));
    assert_eq!(b.next_reset(now()), now() + Duration::hours(2));
    // A passed reset: the next one is the next midnight UTC.
    let later = now() + Duration::hours(3);
    assert_eq!(b.next_reset(later), midnight_after(later));
    assert_eq!(Budget::default().left(now()), None);
    assert_eq!(Budget::default().daily(), DEFAULT_DAILY_LIMIT);
}

#[test]
fn work_that_fits_today_ends_after_its_work_time() {
    let s = schedule(1_000, Duration::minutes(10), &limits(5_000, 2_000).budget, 2_000, now());
    assert_eq!(s, Schedule { days: Some(1), eta: Some(now() + Duration::minutes(10)), next_reset: None });
}

#[test]
fn work_beyond_today_goes_on_after_the_reset_keeping_the_reserve_each_day() {
    let l = limits(5_000, 2_000);
    let reset = midnight_after(now());
    // 3 000 today (5 000 left − 2 000 kept); 22 000 a day after that.
    let s = schedule(3_001, Duration::seconds(3_001), &l.budget, l.reserve, now());
    assert_eq!((s.days, s.next_reset), (Some(2), Some(reset)));
    assert_eq!(s.eta, Some(reset + Duration::seconds(1)), "one request's share of the work after the reset");
    let s = schedule(3_000 + 22_000 + 1, Duration::zero(), &l.budget, l.reserve, now());
    assert_eq!(s.days, Some(3));
    assert_eq!(s.eta, Some(reset + Duration::days(1)));
}

#[test]
fn a_reserve_as_large_as_the_daily_budget_never_ends_a_large_work() {
    let l = limits(24_000, 24_000);
    let s = schedule(10, Duration::zero(), &l.budget, l.reserve, now());
    assert_eq!((s.days, s.eta), (None, None));
    assert_eq!(s.next_reset, Some(midnight_after(now())));
}

#[test]
fn an_unknown_budget_counts_as_a_whole_day() {
    let s = schedule(DEFAULT_DAILY_LIMIT - 100, Duration::zero(), &Budget::default(), 100, now());
    assert_eq!(s.days, Some(1));
    let s = schedule(DEFAULT_DAILY_LIMIT - 99, Duration::zero(), &Budget::default(), 100, now());
    assert_eq!(s.days, Some(2));
}

#[test]
fn shoptets_bucket_paces_work_heavy_on_shoptet() {
    let p = Pace::ASSUMED;
    assert_eq!(p.work_time(50, 10), Duration::seconds(10), "RAYNET at 5 a second");
    assert_eq!(p.work_time(5, 300), Duration::seconds(30), "Shoptet at 10 a second");
}

#[test]
fn the_estimate_adds_the_cases_and_says_what_is_left_of_the_budget() {
    let mut t = Tally::default();
    for i in 0..100 {
        t.add(facts(&format!("c{}", i % 10), false, Some(&[])));
    }
    let e = estimate(WorkKind::Backfill, &t.workload(1.0, 0), &limits(1_000, 500), now());
    let c = Costs::MEASURED;
    assert_eq!(e.raynet_requests, 100 * c.repeat_order + 10 * c.new_client);
    assert_eq!((e.orders, e.new_clients, e.budget_left, e.reserve), (100, 10, Some(1_000), 500));
    // 250 requests fit into the 500 usable today, not into 200.
    assert_eq!((e.days, e.next_reset, e.held_until), (Some(1), None, None));
    let e = estimate(WorkKind::Backfill, &t.workload(1.0, 0), &limits(700, 500), now());
    assert_eq!((e.days, e.next_reset), (Some(2), Some(midnight_after(now()))));
}

#[test]
fn progress_leaves_the_rest_in_proportion_and_takes_the_pace_seen() {
    let l = limits(20_000, 2_000);
    let first = Estimate { orders: 100, raynet_requests: 800, shoptet_requests: 100, ..estimate_of(&l) };
    let p = progressed(&first, 60, 100, std::time::Duration::from_secs(120), &l, now());
    assert_eq!((p.orders, p.raynet_requests, p.shoptet_requests), (40, 320, 40));
    // 2 s an order so far: 40 orders left take 80 s.
    assert_eq!(p.eta, Some(now() + Duration::seconds(80)));
    // Before a few orders are done the assumed pace stands in.
    let p = progressed(&first, 1, 100, std::time::Duration::from_secs(100), &l, now());
    assert_eq!(p.eta, Some(now() + Pace::ASSUMED.work_time(p.raynet_requests, p.shoptet_requests)));
}

fn estimate_of(l: &Limits) -> Estimate {
    estimate(WorkKind::FirstSync, &Workload::default(), l, now())
}

#[test]
fn backfill_stops_where_the_next_order_would_eat_into_the_reserve() {
    let reset = now() + Duration::hours(8);
    let b = |remaining| Budget { limit: Some(24_000), remaining: Some(remaining), reset: Some(reset) };
    assert_eq!(backfill_hold(&b(2_012), 2_000, 12, now()), None);
    assert_eq!(backfill_hold(&b(2_011), 2_000, 12, now()), Some(reset));
    // After the reset the day's budget is whole again.
    assert_eq!(backfill_hold(&b(0), 2_000, 12, reset + Duration::seconds(1)), None);
    // Before RAYNET has answered once, nothing is known to hold it back.
    assert_eq!(backfill_hold(&Budget::default(), 2_000, 12, now()), None);
}

#[test]
fn where_raynet_drops_create_ext_ids_each_create_of_that_kind_costs_one_more() {
    let c = Costs::MEASURED;
    let d = c.with_ext_id_set(false, true, true);
    assert_eq!(
        (d.new_client, d.new_product, d.repeat_order),
        (c.new_client, c.new_product + 1, c.repeat_order + 1)
    );
    assert_eq!(c.with_ext_id_set(false, false, false), c);
}
