//! `sync --once` stopped by SIGTERM or SIGINT while it works many orders: like the daemon, it
//! finishes the order in flight, starts no other, and exits soon with 128 + the signal number
//! (143, 130). Nothing is left half-done: the next run syncs the rest, each order once.

mod common;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use serde_json::Value;

use common::process::cli;
use common::*;
use shoptet_raynet_sync::sim::FaultKind;

const ORDERS: usize = 30;

fn code(i: usize) -> String {
    format!("2026{:06}", 700 + i)
}

const EMAILS: [&str; 6] =
    ["a@seznam.cz", "b@seznam.cz", "c@seznam.cz", "d@seznam.cz", "e@seznam.cz", "f@seznam.cz"];

/// Many final orders, and one slow business-case create after the first few.
async fn busy_world() -> World {
    let world = World::empty().await;
    for i in 0..ORDERS {
        let c = person("Jana Dvořáková", EMAILS[i % EMAILS.len()]);
        world
            .shoptet
            .upsert_order(order(&code(i), -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK"))
            .unwrap();
    }
    let mut slow = rule(FaultKind::Slow, None, "PUT", "/api/v2/businessCase/", 1);
    slow.skip = 3;
    slow.delay_ms = Some(2_000);
    world.raynet.control().add_fault(slow);
    world
}

async fn wait(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + within;
    loop {
        if let Ok(Some(s)) = child.try_wait() {
            return Some(s);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn case_count(world: &World) -> usize {
    world.dump().business_cases.len()
}

async fn interrupted_pass(signal: &str, expected_code: i32) {
    let world = busy_world().await;
    let (config, data) = world.write_config();
    let out_dir = tempfile::tempdir().unwrap();
    let stdout = out_dir.path().join("stdout");
    let stderr = out_dir.path().join("stderr");
    let mut child = cli(&config, &data, &["sync", "--once", "--json"])
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    // The fourth create is in flight (and slow).
    let deadline = Instant::now() + Duration::from_secs(20);
    while world.raynet.control().stats().count("PUT /api/v2/businessCase/") < 4 {
        assert!(Instant::now() < deadline, "the pass never reached the slow create");
        assert!(
            child.try_wait().unwrap().is_none(),
            "exited early: {}",
            std::fs::read_to_string(&stderr).unwrap()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let sent = Instant::now();
    assert!(Command::new("kill").arg(signal).arg(child.id().to_string()).status().unwrap().success());
    let status = wait(&mut child, Duration::from_secs(10)).await;
    let took = sent.elapsed();
    let err = std::fs::read_to_string(&stderr).unwrap_or_default();
    let out = std::fs::read_to_string(&stdout).unwrap_or_default();
    assert_eq!(status.and_then(|s| s.code()), Some(expected_code), "{signal}: stdout {out}\nstderr {err}");
    // The slow create takes 2 s; the grace for the order in flight is 5 s.
    assert!(took < Duration::from_secs(8), "stopped after {took:?}");

    // The order in flight was finished and recorded; nothing after it was started.
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON ({e}): {out}\n{err}"));
    assert_eq!(v["exit_code"], expected_code, "{v}");
    assert_eq!(v["interrupted"], true, "{v}");
    let synced = v["counts"]["synced"].as_u64().unwrap() as usize;
    assert_eq!(case_count(&world), synced, "every business case in RAYNET is recorded here: {v}");
    assert!(synced >= 4, "the slow one was finished: {v}");
    assert!(synced < ORDERS, "the pass stopped: {v}");
    assert!(err.contains(signal.trim_start_matches('-')), "says why it stopped: {err}");
    let state = Command::new(env!("CARGO_BIN_EXE_shoptet-raynet-sync"))
        .args(["status", "--json", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&state.stdout).unwrap();
    assert_eq!(s["engine_state"]["state"], "stopped", "{s}");
    assert_eq!(s["engine_running"], false, "the lock is released: {s}");

    // The next run goes on from there; nothing twice.
    let out = tokio::task::block_in_place(|| cli(&config, &data, &["sync", "--once"]).output().unwrap());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let dump = world.dump();
    for i in 0..ORDERS {
        assert_eq!(cases_for_ext(&dump, &order_ext(&code(i))).len(), 1, "{}", code(i));
    }
    assert_eq!(dump.business_cases.len(), ORDERS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_sync_once_after_the_order_in_flight_with_exit_143() {
    interrupted_pass("-TERM", 143).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_stops_sync_once_after_the_order_in_flight_with_exit_130() {
    interrupted_pass("-INT", 130).await;
}
