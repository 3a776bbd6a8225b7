//! `demo --headless`: the demo world synced without the dashboard, then a summary of what
//! happened. (`demo` itself is the dashboard over the same world: `front::dashboard::demo`.)

use std::time::Duration;

use chrono::Utc;

use crate::runtime::demo_world::DemoEnv;
use crate::runtime::{AppError, EXIT_OK, Global};
use crate::sim::raynet;
use crate::store::{EntityKind, EntityQuery, How, OrderState, Store};
use crate::tui::i18n::Lang;

/// `demo --headless`: the demo sync without the TUI, then a summary.
pub async fn headless(global: &Global) -> Result<i32, AppError> {
    crate::runtime::logging::init_stderr(global.log_level.as_deref().or(Some("error")));
    let env = DemoEnv::start().await?;
    env.inject_faults();
    let mut engine = env.engine()?;
    println!(
        "Demo: simulated Shoptet at {} and RAYNET at {}",
        env.shoptet_server.url,
        raynet::base_url(&env.raynet_server)
    );
    let started = std::time::Instant::now();
    let mut passes = 0;
    loop {
        let report = engine.sync_once().await?;
        passes += 1;
        println!(
            "pass {passes}: {} read, {} synced, {} failed (will retry), {} a decision",
            count(report.seen, "order", "orders"),
            report.synced,
            report.failed,
            count(report.needs_decision, "needs", "need")
        );
        let store = engine.store();
        let waiting = store.next_due_at()?.max(engine.blocked_until());
        match waiting {
            Some(at) if started.elapsed() < Duration::from_secs(90) => {
                let wait = (at - Utc::now()).to_std().unwrap_or_default().min(Duration::from_secs(30));
                tokio::time::sleep(wait + Duration::from_millis(100)).await;
            }
            _ => break,
        }
    }
    print_summary(engine.store(), &env)?;
    Ok(EXIT_OK)
}

fn print_summary(store: &Store, env: &DemoEnv) -> Result<(), AppError> {
    let counts = store.counts()?;
    println!("\nOrders by state:");
    for s in OrderState::ALL {
        println!("  {:<15} {}", s.as_str().replace('_', "-"), counts.get(s).copied().unwrap_or(0));
    }
    for (kind, title) in [(EntityKind::Client, "Clients"), (EntityKind::Product, "Products")] {
        let matched = store.count_entities(kind, Some(How::Matched))?;
        let created = store.count_entities(kind, Some(How::Created))?;
        println!("{title}: {matched} matched, {created} created");
        let q = EntityQuery {
            sort: crate::store::EntitySort::Created,
            kind,
            how: Some(How::Matched),
            search: None,
            descending: true,
            offset: 0,
            limit: 20,
        };
        for e in store.entities_page(&q)? {
            println!(
                "  {} → RAYNET #{} (matched by {})",
                e.label,
                e.raynet_id,
                e.matched_by.as_deref().map(crate::engine::plan::by_label).unwrap_or("?")
            );
        }
    }
    let waiting = store.orders_page(&crate::store::OrderQuery {
        states: vec![OrderState::NeedsDecision],
        limit: 50,
        ..Default::default()
    })?;
    for o in &waiting {
        let reason = store.decision(&o.code)?.map(|d| Lang::En.texts().reason(&d.reason, &Utc));
        println!("Needs a decision: {} — {}", o.code, reason.unwrap_or_default());
    }
    if !waiting.is_empty() {
        // The demo's data directory is removed when it exits: no command could act on it.
        println!(
            "  Choose the client in the dashboard: `shoptet-raynet-sync demo`, Retry queue (5), then `a`.\n  \
             (With your own shop: `shoptet-raynet-sync resolve CODE --client ID | --create`.)"
        );
    }
    let stats = env.raynet.control().stats();
    println!("RAYNET requests made: {}", stats.total);
    Ok(())
}

/// "1 order", "2 orders".
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
