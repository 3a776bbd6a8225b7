//! The Overview's gauge of long work (first sync, backfill): counts, the ETA or the wait for
//! RAYNET's budget, and what is left of the day's budget — in English and Czech.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};

use shoptet_raynet_sync::config::Config;
use shoptet_raynet_sync::engine::api::{EngineState, EngineStatus};
use shoptet_raynet_sync::engine::estimate::{Estimate, WorkKind};
use shoptet_raynet_sync::tui::Lang;
use shoptet_raynet_sync::tui::action::Action;
use shoptet_raynet_sync::tui::app::{App, AppInit};
use shoptet_raynet_sync::tui::fake::{FakeProbe, FakeSource};

use common::screen::{init, screen};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).single().expect("valid time")
}

fn config() -> Config {
    // The sync started on 1 November, 26 days before the injected clock.
    let start = common::start_before(now(), 26).to_rfc3339();
    toml::from_str(&format!(
        r#"
[shoptet]
api_token = "shoptet-secret-token-123"
[raynet]
instance = "zahrada"
username = "jana@zahrada.cz"
api_key = "raynet-secret-key-456"
[sync]
enabled_at = "{start}"
default_owner_id = 11
business_case_phase_id = 3
source_id = 21
"#
    ))
    .expect("valid config")
}

fn app(lang: Lang) -> App {
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let mut app = App::new(AppInit {
        commands: Some(tx),
        status: Some(EngineStatus { state: EngineState::Idle, ..EngineStatus::default() }),
        ..init(Box::new(FakeSource::demo(100, now())), Some(config()), lang, now(), (80, 24))
    });
    // The shop's zone (Europe/Prague) for the times shown.
    app.update(Action::NamesResolved { shoptet: Some(FakeProbe::demo().shoptet), raynet: None });
    app
}

/// A backfill 300 orders into 1 000, with 2 800 RAYNET requests to go.
fn backfill(days: u32, held: bool) -> Estimate {
    let reset = Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).single().expect("midnight");
    Estimate {
        kind: WorkKind::Backfill,
        orders: 700,
        new_clients: 40,
        new_products: 12,
        raynet_requests: 2_800,
        shoptet_requests: 712,
        budget_left: Some(if held { 2_010 } else { 23_715 }),
        daily_limit: 24_000,
        reserve: 2_000,
        days: Some(days),
        eta: Some(if days > 1 { reset + Duration::minutes(45) } else { now() + Duration::minutes(35) }),
        next_reset: (days > 1).then_some(reset),
        held_until: held.then_some(reset),
    }
}

fn status(estimate: Option<Estimate>) -> Action {
    Action::Status(EngineStatus {
        state: EngineState::Syncing,
        progress: Some((300, 1_000)),
        estimate,
        ..EngineStatus::default()
    })
}

#[test]
fn the_overview_shows_a_backfills_counts_end_and_budget() {
    let mut app = app(Lang::En);
    app.update(status(Some(backfill(1, false))));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Backfill 300 / 1 000 · ETA 2026-11-27 11:05"), "{s}");
    assert!(
        s.contains("≈ 2 800 RAYNET requests to go · budget 23 715 of 24 000 today · reserve 2 000"),
        "{s}"
    );
    insta::assert_snapshot!("overview_backfill_80x24", s);

    // More than today's budget: the ETA names the days; once the reserve is reached, the
    // gauge says what it waits for.
    app.update(status(Some(backfill(2, false))));
    assert!(screen(&mut app, 80, 24).contains("ETA 2026-11-28 01:45 (2 days)"));
    app.update(status(Some(backfill(2, true))));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Backfill 300 / 1 000 · waits for the RAYNET budget until 2026-11-28 01:00"), "{s}");
    assert!(s.contains("budget 2 010 of 24 000 today"), "{s}");
}

#[test]
fn the_overview_gauge_speaks_czech() {
    let mut app = app(Lang::Cs);
    app.update(status(Some(backfill(2, false))));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Starší objednávky 300 / 1 000 · hotovo asi 2026-11-28 01:45 (2 dny)"), "{s}");
    assert!(s.contains("≈ 2 800 požadavků na RAYNET · dnes zbývá 23 715 z 24 000 · rezerva 2 000"), "{s}");
    insta::assert_snapshot!("overview_backfill_cs_80x24", s);
    app.update(status(Some(backfill(2, true))));
    assert!(screen(&mut app, 80, 24).contains("čeká na denní limit RAYNET do 2026-11-28 01:00"));
}

#[test]
fn without_an_estimate_the_gauge_keeps_its_counts_and_a_first_sync_says_so() {
    let mut app = app(Lang::En);
    app.update(status(None));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("First sync 300 / 1 000"), "{s}");
    assert!(!s.contains("RAYNET requests"), "{s}");
    let first = Estimate { kind: WorkKind::FirstSync, ..backfill(1, false) };
    app.update(status(Some(first)));
    assert!(screen(&mut app, 80, 24).contains("First sync 300 / 1 000 · ETA"));
    // Tiny terminals do not panic.
    for (w, h) in [(20, 6), (40, 10), (1, 1)] {
        screen(&mut app, w, h);
    }
}
