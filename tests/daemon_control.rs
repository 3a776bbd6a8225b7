//! Live control of a running daemon (`run` as a child process against both simulators):
//! `poll-now`, the dashboard's `S` and `p` through its remote link, and SIGHUP reloading the
//! configuration — a good file takes effect, a bad one is refused and the old one kept.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use common::process::{Daemon, cli, eventually, finish, text};
use common::*;
use shoptet_raynet_sync::engine::api::{EngineCommand, EngineState};

fn synced(world: &World, code: &str) -> bool {
    !cases_for_ext(&world.dump(), &order_ext(code)).is_empty()
}

fn case_name(world: &World, code: &str) -> Option<String> {
    cases_for_ext(&world.dump(), &order_ext(code)).first().and_then(|c| c["name"].as_str().map(String::from))
}

fn final_order(code: &str) -> Value {
    let c = person("Jana Dvořáková", "jana@seznam.cz");
    order(code, -3, &c, &[product("KAV-ETH-250", "Káva Etiopie 250 g", 2, "289.00")], "CZK")
}

fn polls(world: &World) -> usize {
    world.shoptet.requests().iter().filter(|r| r.starts_with("GET /api/orders/changes")).count()
}

/// A world whose daemon polls only once an hour, so every later poll is one we asked for.
async fn hourly_world() -> (World, PathBuf, PathBuf) {
    let mut world = World::empty().await;
    world.config.sync.poll_interval_secs = 3600;
    world.shoptet.upsert_order(final_order("2026000201")).unwrap();
    let (config, data) = world.write_config();
    (world, config, data)
}

/// Starts the daemon and waits for its first pass (the first order synced).
async fn started(world: &World, config: &Path, data: &Path) -> Daemon {
    let d = Daemon::start(config, data);
    assert!(eventually(Duration::from_secs(10), || synced(world, "2026000201")).await, "{}", d.log());
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_now_makes_a_running_daemon_poll_at_once() {
    let (world, config, data) = hourly_world().await;
    let mut daemon = started(&world, &config, &data).await;
    world.shoptet.upsert_order(final_order("2026000202")).unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!synced(&world, "2026000202"), "with an hourly poll the new order waits");

    let asked = Instant::now();
    let out = finish(cli(&config, &data, &["poll-now"]), Duration::from_secs(20)).await;
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let said = text(&out.stdout);
    let pid = daemon.child.id().to_string();
    assert!(said.contains("daemon") && said.contains(&pid) && said.contains("polled Shoptet"), "{said}");
    assert_eq!(said.lines().count(), 1, "one line: {said}");
    assert!(
        eventually(Duration::from_secs(2), || synced(&world, "2026000202")).await,
        "synced within 2 s of poll-now (took {:?}): {}",
        asked.elapsed(),
        daemon.log()
    );
    assert!(daemon.log().contains("poll requested"), "{}", daemon.log());
    assert!(daemon.running());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_now_without_a_daemon_says_so_and_exits_3() {
    let (world, config, data) = hourly_world().await;
    // No database yet, then one left by a finished pass: no daemon either way.
    for round in ["no database", "after sync --once"] {
        let out = finish(cli(&config, &data, &["poll-now"]), Duration::from_secs(20)).await;
        assert_eq!(out.status.code(), Some(3), "{round}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains("No daemon is running") && err.contains("run"), "{round}: {err}");
        assert!(out.stdout.is_empty(), "{round}");
        let once = finish(cli(&config, &data, &["sync", "--once"]), Duration::from_secs(20)).await;
        assert_eq!(once.status.code(), Some(0), "{}", text(&once.stderr));
    }
    assert!(synced(&world, "2026000201"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_with_a_good_file_applies_it_to_the_next_pass() {
    let (mut world, config, data) = hourly_world().await;
    let mut daemon = started(&world, &config, &data).await;
    assert_eq!(case_name(&world, "2026000201").as_deref(), Some("Objednávka 2026000201"));

    world.config.sync.name_template = "Zakázka {code}".into();
    world.config.sync.poll_interval_secs = 1800;
    world.config.save(&config).unwrap();
    world.shoptet.upsert_order(final_order("2026000203")).unwrap();
    let before = polls(&world);
    daemon.hangup();
    let reloaded =
        eventually(Duration::from_secs(5), || daemon.log().contains("configuration reloaded")).await;
    assert!(reloaded, "{}", daemon.log());
    let log = daemon.log();
    let line = log.lines().find(|l| l.contains("configuration reloaded")).unwrap();
    assert!(line.contains("sync.name_template") && line.contains("sync.poll_interval_secs"), "{line}");
    assert!(line.contains("1800"), "the new interval: {line}");
    // The next pass runs at once with the new file: the new order's case takes the new name.
    assert!(eventually(Duration::from_secs(3), || synced(&world, "2026000203")).await, "{}", daemon.log());
    assert!(polls(&world) > before);
    assert_eq!(case_name(&world, "2026000203").as_deref(), Some("Zakázka 2026000203"));
    assert!(daemon.running(), "SIGHUP does not stop the daemon");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_with_a_bad_file_is_refused_and_the_old_one_kept() {
    let (mut world, config, data) = hourly_world().await;
    let mut daemon = started(&world, &config, &data).await;
    let good = std::fs::read_to_string(&config).unwrap();

    // A file that does not load: the reason on one line naming the key.
    let bad = good.replace("poll_interval_secs = 3600", "poll_interval_secs = 5");
    assert_ne!(bad, good);
    std::fs::write(&config, bad).unwrap();
    daemon.hangup();
    let refused = |d: &Daemon, n: usize| d.log().matches("configuration not reloaded").count() >= n;
    assert!(eventually(Duration::from_secs(5), || refused(&daemon, 1)).await, "{}", daemon.log());
    let log = daemon.log();
    let line = log.lines().find(|l| l.contains("configuration not reloaded")).unwrap();
    assert!(line.contains("poll_interval_secs"), "names the key: {line}");

    // A file that does not parse: its excerpt and caret stay on the same log line.
    std::fs::write(&config, format!("{good}\n[sync\nname_template = \"x\"\n")).unwrap();
    daemon.hangup();
    assert!(eventually(Duration::from_secs(5), || refused(&daemon, 2)).await, "{}", daemon.log());
    let log = daemon.log();
    let line = log.lines().filter(|l| l.contains("configuration not reloaded")).nth(1).unwrap();
    assert!(line.contains("config.toml"), "names the file: {line}");
    let stray: Vec<&str> = log.lines().filter(|l| !l.starts_with(|c: char| c.is_ascii_digit())).collect();
    assert!(stray.is_empty(), "every log line is a whole entry: {stray:?}");

    // A file that loads but does not fit the CRM (no such owner): refused after checking it.
    world.config.sync.default_owner_id = 999_999;
    world.config.sync.name_template = "Zakázka {code}".into();
    world.config.save(&config).unwrap();
    daemon.hangup();
    assert!(eventually(Duration::from_secs(5), || refused(&daemon, 3)).await, "{}", daemon.log());
    let log = daemon.log();
    let line = log.lines().filter(|l| l.contains("configuration not reloaded")).nth(2).unwrap();
    assert!(line.contains("999999"), "names the owner: {line}");
    assert!(!log.contains("configuration reloaded"), "{log}");

    // The old configuration still works: a new order is synced under the old name.
    std::fs::write(&config, &good).unwrap();
    world.shoptet.upsert_order(final_order("2026000204")).unwrap();
    let out = finish(cli(&config, &data, &["poll-now"]), Duration::from_secs(20)).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(eventually(Duration::from_secs(3), || synced(&world, "2026000204")).await, "{}", daemon.log());
    assert_eq!(case_name(&world, "2026000204").as_deref(), Some("Objednávka 2026000204"));
    assert!(daemon.running(), "a refused file does not stop the daemon");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboards_remote_link_pauses_resumes_and_polls_the_daemon() {
    let (world, config, data) = hourly_world().await;
    let daemon = started(&world, &config, &data).await;
    let link = shoptet_raynet_sync::front::dashboard::remote_link(
        data.join("sync.db"),
        shoptet_raynet_sync::tui::Lang::En,
    )
    .expect("remote link");
    let state = || link.status.borrow().state.clone();
    assert!(eventually(Duration::from_secs(2), || link.status.borrow().last_poll.is_some()).await);
    assert!(link.status.borrow().next_poll.is_some(), "the daemon's next poll is shown");

    // p: pause, seen within a second.
    link.commands.send(EngineCommand::Pause).unwrap();
    let sent = Instant::now();
    assert!(eventually(Duration::from_secs(1), || state() == EngineState::Paused).await, "{:?}", state());
    let paused_after = sent.elapsed();
    // S while paused: taken, but a paused daemon does not poll.
    let before = polls(&world);
    link.commands.send(EngineCommand::SyncNow).unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(polls(&world), before, "paused: no poll");

    // p again: resume (which polls), seen within a second.
    link.commands.send(EngineCommand::Resume).unwrap();
    assert!(eventually(Duration::from_secs(1), || state() != EngineState::Paused).await, "{:?}", state());
    assert!(eventually(Duration::from_secs(2), || polls(&world) > before).await);
    assert!(eventually(Duration::from_secs(2), || state() == EngineState::Idle).await, "{:?}", state());

    // S: poll now, within a second, and the new order is synced.
    world.shoptet.upsert_order(final_order("2026000205")).unwrap();
    let before = polls(&world);
    link.commands.send(EngineCommand::SyncNow).unwrap();
    assert!(eventually(Duration::from_secs(1), || polls(&world) > before).await, "{}", daemon.log());
    assert!(eventually(Duration::from_secs(2), || synced(&world, "2026000205")).await, "{}", daemon.log());
    assert!(paused_after < Duration::from_secs(1));
}

/// With nobody to take it, a command from the dashboard is withdrawn after 5 s and the
/// dashboard is told, instead of waiting in the store for a daemon that may start much later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_no_daemon_takes_is_withdrawn_and_reported() {
    use shoptet_raynet_sync::engine::api::EngineEvent;
    use shoptet_raynet_sync::tui::Lang;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sync.db");
    let mut link = shoptet_raynet_sync::front::dashboard::remote_link(db.clone(), Lang::Cs).expect("link");
    assert_eq!(link.status.borrow().state, EngineState::Stopped, "no daemon noted");
    link.commands.send(EngineCommand::Pause).unwrap();
    let event = tokio::time::timeout(Duration::from_secs(8), link.events.recv()).await.expect("an answer");
    let Ok(EngineEvent::CommandRejected { reason }) = event else { panic!("{event:?}") };
    assert_eq!(Lang::Cs.texts().rejection(&reason, &chrono::Utc), Lang::Cs.texts().daemon_no_answer);
    // Withdrawn: a daemon starting now finds nothing to take.
    let mut store = shoptet_raynet_sync::store::Store::open(&db).unwrap();
    assert!(store.take_commands().unwrap().is_empty());
}
