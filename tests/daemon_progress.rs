//! A dashboard opened beside a running daemon shows the daemon's long work as the Overview's
//! gauge, as it does for an engine in its own process: the daemon (`run` as a child process
//! against both simulators) writes its progress into the engine snapshot, the dashboard's remote
//! link reads it. The gauge's count grows while the first sync runs and the gauge goes when it ends.

mod common;

use std::time::Duration;

use chrono::Utc;

use common::process::{Daemon, eventually};
use common::screen::init;
use common::*;
use shoptet_raynet_sync::engine::api::{EngineState, EngineStatus};
use shoptet_raynet_sync::engine::estimate::WorkKind;
use shoptet_raynet_sync::tui::Lang;
use shoptet_raynet_sync::tui::action::Action;
use shoptet_raynet_sync::tui::app::App;
use shoptet_raynet_sync::tui::fake::{FakeProbe, FakeSource};

/// The dashboard (fake record, so only the engine's status comes from the daemon), at 80×24.
fn dashboard(config: shoptet_raynet_sync::config::Config) -> App {
    let now = Utc::now();
    let mut app = App::new(init(Box::new(FakeSource::demo(10, now)), Some(config), Lang::En, now, (80, 24)));
    app.update(Action::NamesResolved { shoptet: Some(FakeProbe::demo().shoptet), raynet: None });
    app
}

fn screen(app: &mut App, status: &EngineStatus) -> String {
    app.update(Action::Status(status.clone()));
    common::screen::screen(app, 80, 24)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_beside_the_daemon_shows_its_first_sync_as_a_gauge_that_grows_then_goes() {
    const ORDERS: u64 = 40;
    let world = World::empty().await;
    busy_shop(&world, ORDERS as usize, 20, 15);
    // Slow enough answers that the first sync takes a few seconds.
    world.raynet.control().set_latency(Duration::from_millis(25));
    world.shoptet.control().set_latency(Duration::from_millis(10));
    let (config, data) = world.write_config();
    let db = data.join("sync.db");
    let daemon = Daemon::start(&config, &data);
    assert!(eventually(Duration::from_secs(10), || db.exists()).await, "{}", daemon.log());
    let link = shoptet_raynet_sync::front::dashboard::remote_link(db, Lang::En).expect("remote link");
    let mut app = dashboard(world.config.clone());

    // Follow the link until the gauge has come and gone: the counts it showed, and a screen.
    let mut seen: Vec<(u64, u64)> = Vec::new();
    let mut mid_screen = None;
    let ended = eventually(Duration::from_secs(90), || {
        let status = link.status.borrow().clone();
        match status.progress {
            Some(p) => {
                if seen.last() != Some(&p) {
                    seen.push(p);
                    let e = status.estimate.as_ref().expect("the daemon's estimate comes with its counts");
                    assert_eq!(e.kind, WorkKind::FirstSync);
                    if p.0 > 0 && p.0 < p.1 && mid_screen.is_none() {
                        mid_screen = Some((p, screen(&mut app, &status)));
                    }
                }
                false
            }
            None => !seen.is_empty(),
        }
    })
    .await;
    assert!(ended, "the gauge came and went: {seen:?}\n{}", daemon.log());

    // The count grew, step by step, towards a total that covers the backlog.
    let dones: Vec<u64> = seen.iter().map(|p| p.0).collect();
    assert!(dones.windows(2).all(|w| w[0] <= w[1]), "never goes back: {seen:?}");
    let distinct = dones.iter().filter(|d| **d > 0).collect::<std::collections::BTreeSet<_>>();
    assert!(distinct.len() >= 3, "seen growing, not only at its end: {seen:?}");
    assert!(seen.iter().all(|(done, total)| done <= total), "{seen:?}");
    assert!(seen.last().is_some_and(|p| p.1 >= 4), "{seen:?}");

    // Mid-way, the Overview shows the gauge with the counts and the ETA, and the budget line.
    let ((done, total), s) = mid_screen.expect("a screen mid-way");
    assert!(s.contains(&format!("First sync {done} / {total} · ETA ")), "{s}");
    assert!(s.contains("RAYNET requests to go"), "{s}");
    assert!(s.contains("running"), "{s}");

    // Done: every order synced, no gauge — and the daemon still runs, idle.
    assert!(
        eventually(Duration::from_secs(5), || world.dump().business_cases.len() as u64 == ORDERS).await,
        "{}",
        daemon.log()
    );
    let status = link.status.borrow().clone();
    assert_eq!(status.estimate, None);
    assert_ne!(status.state, EngineState::Stopped);
    let s = screen(&mut app, &status);
    assert!(!s.contains("First sync") && !s.contains("RAYNET requests to go"), "{s}");
    assert!(s.contains("running"), "{s}");
}

#[test]
fn the_snapshot_keeps_the_progress_until_it_is_cleared() {
    use shoptet_raynet_sync::store::{RecordedProgress, Store};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("sync.db")).unwrap();
    assert_eq!(store.progress().unwrap(), None, "a new store: no long work");
    let p = RecordedProgress { done: 7, total: 1_200, estimate: Some("{\"kind\":\"backfill\"}".into()) };
    store.set_progress(Some(&p)).unwrap();
    assert_eq!(store.progress().unwrap(), Some(p.clone()));
    // Other columns of the snapshot are left alone, and they leave the progress.
    store.set_eshop_name("Zrnko").unwrap();
    assert_eq!(store.progress().unwrap(), Some(p));
    store.set_progress(None).unwrap();
    assert_eq!(store.progress().unwrap(), None);
    assert_eq!(store.snapshot().unwrap().eshop_name.as_deref(), Some("Zrnko"));
}

/// Progress left by a daemon that is gone (killed mid-way) is no gauge: the dashboard says
/// "stopped" and shows none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_left_by_a_dead_daemon_shows_no_gauge() {
    use shoptet_raynet_sync::store::{RecordedProgress, Store};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sync.db");
    let mut store = Store::open(&db).unwrap();
    store.set_progress(Some(&RecordedProgress { done: 3, total: 50, estimate: None })).unwrap();
    let link = shoptet_raynet_sync::front::dashboard::remote_link(db, Lang::En).expect("link");
    tokio::time::sleep(Duration::from_millis(600)).await;
    let status = link.status.borrow().clone();
    assert_eq!(status.state, EngineState::Stopped);
    assert_eq!(status.progress, None);
}
