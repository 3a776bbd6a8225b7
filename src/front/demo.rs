//! `demo --headless`: the demo world synced without the dashboard, then a summary of what
//! happened. (`demo` itself is the dashboard over the same world: `front::dashboard::demo`.)

use std::net::SocketAddr;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use crate::engine::Engine;
use crate::engine::api::EngineCommand;
use crate::runtime::demo_world::DemoEnv;
use crate::runtime::{AppError, EXIT_OK, Global};
use crate::server::{EngineLink, Watch};
use crate::sim::raynet;
use crate::store::{EntityKind, EntityQuery, How, OrderState, Store};
use crate::tui::i18n::Lang;

/// `demo --listen ADDR`, checked as `[server] listen` is.
pub fn listen_addr(listen: Option<&str>) -> Result<Option<SocketAddr>, AppError> {
    listen
        .map(|l| {
            l.trim().parse::<SocketAddr>().map_err(|_| {
                AppError::Usage(format!(
                    "--listen {l:?}: must be an IP address and a port, e.g. 127.0.0.1:9464 (this machine only)"
                ))
            })
        })
        .transpose()
}

/// `demo --listen`: `/healthz` and `/metrics` over the demo world, served as `run` serves them
/// with `[server] listen` (health from the demo's record and `engine`'s status, alerts none).
pub async fn status_endpoint(
    env: &DemoEnv,
    listen: SocketAddr,
    engine: &Engine,
    commands: UnboundedSender<EngineCommand>,
) -> Result<Watch, AppError> {
    let mut config = env.config.clone();
    config.server.listen = Some(listen.to_string());
    let link = EngineLink { status: engine.status(), events: engine.subscribe(), commands };
    Ok(Watch::start(&config, env.open_store()?, link).await?)
}

/// `demo --headless`: the demo sync without the TUI, then a summary; with `--listen`, the
/// status endpoint meanwhile and after it, until Ctrl-C.
pub async fn headless(global: &Global, listen: Option<SocketAddr>) -> Result<i32, AppError> {
    crate::runtime::logging::init_stderr(global.log_level.as_deref().or(Some("error")));
    let env = DemoEnv::start().await?;
    env.inject_faults();
    let mut engine = env.engine()?;
    let watch = match listen {
        Some(addr) => {
            let commands = engine.command_sender();
            Some(status_endpoint(&env, addr, &engine, commands).await?)
        }
        None => None,
    };
    println!(
        "Demo: simulated Shoptet at {} and RAYNET at {}",
        env.shoptet_server.url,
        raynet::base_url(&env.raynet_server)
    );
    if let Some(addr) = listen {
        println!("Status endpoint: http://{addr}/healthz and http://{addr}/metrics");
    }
    match watch.as_ref().map(Watch::observer) {
        Some(observer) => crate::http::observed(observer, sync_passes(&mut engine)).await?,
        None => sync_passes(&mut engine).await?,
    }
    print_summary(engine.store(), &env)?;
    if let Some(watch) = watch {
        println!("Serving /healthz and /metrics until Ctrl-C.");
        let _ = tokio::signal::ctrl_c().await;
        watch.stop().await;
    }
    Ok(EXIT_OK)
}

/// Sync passes until nothing is due (or 90 s have passed), each summed up on a line.
async fn sync_passes(engine: &mut Engine) -> Result<(), AppError> {
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
    Ok(())
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
