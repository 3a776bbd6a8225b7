//! Frame time of every dashboard pane over 100 000 stored orders (query + render).
//! Run: `cargo bench --bench render` (set RENDER_BENCH_ORDERS to change the size).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rust_decimal::Decimal;

use shoptet_raynet_sync::front::dashboard::StoreSource;
use shoptet_raynet_sync::store::{EntityKind, EntityRecord, Failure, How, OrderSeen, Reason, Store};
use shoptet_raynet_sync::tui::Lang;
use shoptet_raynet_sync::tui::action::{Action, Pane};
use shoptet_raynet_sync::tui::app::{App, AppInit};
use shoptet_raynet_sync::tui::fake::FakeProbe;

/// A frame of any pane, including the page queries behind it.
const BUDGET: Duration = Duration::from_millis(10);

fn fill(store: &mut Store, n: usize) {
    let now = Utc::now().fixed_offset();
    let names =
        ["Pražírna Vltava s.r.o.", "Jana Dvořáková", "Café Wien GmbH", "Horská chata Krkonoše s.r.o."];
    let mut batch = Vec::with_capacity(1000);
    for i in 0..n {
        batch.push(OrderSeen {
            code: format!("{:010}", 2026000000 + i),
            change_time: Some(now - chrono::Duration::seconds(i as i64 * 7)),
            creation_time: Some(now - chrono::Duration::seconds(i as i64 * 7 + 60)),
            status_id: Some(if i % 5 == 0 { -1 } else { -3 }),
            status_name: Some(if i % 5 == 0 { "Nevyřízená" } else { "Vyřízena" }.into()),
            customer: Some(names[i % names.len()].into()),
            email: Some(format!("zakaznik{i}@example.cz")),
            total_with_vat: Some(Decimal::new(12345 + i as i64, 2)),
            currency: Some(if i % 7 == 0 { "EUR" } else { "CZK" }.into()),
        });
        if batch.len() == 1000 {
            store.record_orders_seen(&batch).expect("fill");
            batch.clear();
        }
    }
    store.record_orders_seen(&batch).expect("fill");
    for i in 0..2000 {
        let code = format!("{:010}", 2026000000 + i * 3 + 1);
        store.enqueue(&code, shoptet_raynet_sync::store::Priority::Normal, Utc::now()).expect("job");
        if i % 2 == 0 {
            let f = Failure {
                reason: Reason::Unavailable {
                    service: shoptet_raynet_sync::http::Service::Raynet,
                    request: "PUT /businessCase/createWithItems".into(),
                    status: 503,
                    message: String::new(),
                },
                status: Some(503),
                next_attempt_at: Some(Utc::now()),
            };
            store.record_failure(&code, &f).expect("fail");
        } else {
            store.mark_synced(&code, 1000 + i as i64, "h").expect("synced");
        }
    }
    for i in 0..5000 {
        store
            .record_entity(&EntityRecord {
                kind: if i % 2 == 0 { EntityKind::Client } else { EntityKind::Product },
                shoptet_key: format!("key-{i}"),
                raynet_id: i as i64,
                how: if i % 3 == 0 { How::Matched } else { How::Created },
                matched_by: (i % 3 == 0).then(|| "email".into()),
                label: format!("Entita {i}"),
                shoptet_ref: None,
                first_order_code: None,
                created_at: Utc::now(),
            })
            .expect("entity");
    }
}

fn main() {
    let n: usize = std::env::var("RENDER_BENCH_ORDERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.db");
    let started = Instant::now();
    {
        let mut store = Store::open(&path).expect("store");
        fill(&mut store, n);
    }
    println!("filled {n} orders in {:.1} s", started.elapsed().as_secs_f64());
    let mut worst = Duration::ZERO;
    let mut worst_refresh = Duration::ZERO;
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let store = Store::open(&path).expect("store");
        let mut app = App::new(AppInit {
            source: Box::new(StoreSource::new(store, None)),
            config: None,
            config_path: PathBuf::from("/tmp/config.toml"),
            commands: None,
            status: None,
            probe: Arc::new(FakeProbe::demo()),
            lang: Lang::En,
            banner: None,
            now: Utc::now(),
            size: (w, h),
            setup: false,
        });
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        for pane in Pane::ALL {
            app.update(Action::GoPane(pane));
            let runs = 30;
            let (mut query, mut draw) = (Duration::ZERO, Duration::ZERO);
            for i in 0..runs {
                // What every tick does: scroll a bit, query the visible page, draw a frame.
                let t = Instant::now();
                app.update(if i % 2 == 0 { Action::PageDown } else { Action::Refresh });
                app.refresh();
                query += t.elapsed();
                let t = Instant::now();
                terminal.draw(|f| app.render(f)).expect("draw");
                draw += t.elapsed();
            }
            let (q, d) = (query / runs, draw / runs);
            worst = worst.max(d + q);
            worst_refresh = worst_refresh.max(q);
            println!(
                "{w:>3}×{h:<3} {:<14} frame {:>6.2} ms   data refresh {:>6.2} ms",
                format!("{pane:?}"),
                d.as_secs_f64() * 1e3,
                q.as_secs_f64() * 1e3
            );
        }
    }
    // Filtering as you type: a needle with letters that take accents is matched without them
    // ("prazirna" finds "Pražírna"), which scans instead of using the trigram index.
    {
        let store = Store::open(&path).expect("store");
        let mut app = App::new(AppInit {
            source: Box::new(StoreSource::new(store, None)),
            config: None,
            config_path: PathBuf::from("/tmp/config.toml"),
            commands: None,
            status: None,
            probe: Arc::new(FakeProbe::demo()),
            lang: Lang::En,
            banner: None,
            now: Utc::now(),
            size: (80, 24),
            setup: false,
        });
        for pane in [Pane::Pending, Pane::Entities, Pane::Activity] {
            app.update(Action::GoPane(pane));
            for needle in ["2026000", "prazirna", "DVOŘÁKOVÁ", "entita 49"] {
                let total = |app: &App| match pane {
                    Pane::Pending => app.pending.window.page.total,
                    Pane::Entities => app.entities.window.page.total,
                    _ => app.activity.window.page.total,
                };
                match pane {
                    Pane::Pending => app.pending.search = needle.to_string(),
                    Pane::Entities => app.entities.search = needle.to_string(),
                    _ => app.activity.search = needle.to_string(),
                }
                let t = Instant::now();
                let runs = 10;
                for _ in 0..runs {
                    app.update(Action::Refresh);
                }
                let q = t.elapsed() / runs;
                println!(
                    " 80×24  {:<9} /{needle:<10} data refresh {:>6.2} ms ({} rows)",
                    format!("{pane:?}"),
                    q.as_secs_f64() * 1e3,
                    total(&app)
                );
            }
        }
    }
    println!(
        "worst frame incl. its data refresh: {:.2} ms (budget {} ms); worst refresh alone: {:.2} ms",
        worst.as_secs_f64() * 1e3,
        BUDGET.as_millis(),
        worst_refresh.as_secs_f64() * 1e3
    );
    if worst > BUDGET {
        std::process::exit(1);
    }
}
