//! Long work on the command line: the estimate line of a first sync and of `backfill`, the
//! plain output without a progress bar when stderr is no terminal (as in these tests, cron
//! mail and the journal), and a backfill that leaves the rest for after RAYNET's reset.

mod common;

use std::process::{Command, Output};

use serde_json::Value;

use common::*;

fn run(world: &World, args: &[&str]) -> Output {
    let (config, data) = world.write_config();
    let mut c = Command::new(env!("CARGO_BIN_EXE_shoptet-raynet-sync"));
    c.env_remove("SHOPTET_API_TOKEN").env_remove("RAYNET_API_KEY").env("RUST_LOG", "error");
    c.args(args).arg("--config").arg(config).arg("--data-dir").arg(data);
    tokio::task::block_in_place(|| c.output().expect("run binary"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// No progress bar: no carriage return redrawing a line, no terminal escape, no bar template.
fn assert_no_bar(stderr: &str) {
    assert!(!stderr.contains('\r') && !stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(!stderr.contains("orders ·"), "{stderr:?}");
}

fn counts(world: &World) -> Value {
    let out = run(world, &["status", "--json"]);
    serde_json::from_str::<Value>(&text(&out.stdout)).expect("status json")["counts"].clone()
}

fn old_order(code: &str, c: &Customer) -> Value {
    let mut o = order(code, -3, c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK");
    o["creationTime"] = recent(60 * 24 * 20).into();
    o["changeTime"] = recent(60 * 24 * 19).into();
    o
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_says_how_big_it_is_before_the_summary_and_draws_no_bar_off_a_terminal() {
    let world = World::empty().await;
    for (i, email) in ["a@kavarna.cz", "b@kavarna.cz", "c@kavarna.cz", "a@kavarna.cz", "d@kavarna.cz"]
        .into_iter()
        .enumerate()
    {
        let c = person("Jana Dvořáková", email);
        let lines = [product("KAV-ETH-250", "Káva", 1, "289.00")];
        world.shoptet.upsert_order(order(&format!("202600000{i}"), -3, &c, &lines, "CZK")).unwrap();
    }
    let out = run(&world, &["sync", "--once"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let line = stdout.lines().find(|l| l.starts_with("First sync:")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains("5 orders (4 new clients, 1 new product)"), "{line}");
    assert!(line.contains("RAYNET requests") && line.contains("budget left today"), "{line}");
    assert!(line.contains("ETA"), "{line}");
    assert!(stdout.find("First sync:") < stdout.find("Pass done:"), "the estimate comes first: {stdout}");
    assert_no_bar(&text(&out.stderr));

    // JSON mode prints JSON only (the estimate is in the report).
    world.shoptet.upsert_order(order("2026000009", -3, &person("X", "x@x.cz"), &[], "CZK")).unwrap();
    let out = run(&world, &["sync", "--once", "--json"]);
    let v: Value = serde_json::from_str(&text(&out.stdout)).expect("only JSON on stdout");
    assert_eq!(v["report"]["synced"], 1);
    assert_no_bar(&text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backfill_dry_run_prints_the_estimate_and_queues_nothing() {
    let world = World::empty().await;
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    for i in 0..6 {
        world.shoptet.upsert_order(old_order(&format!("20250000{i:02}"), &c)).unwrap();
    }
    let from = recent(60 * 24 * 25);
    let out = run(&world, &["backfill", "--from", &from[..10], "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Backfill: 6 orders (1 new client, 1 new product)"), "{stdout}");
    assert!(
        stdout.contains("≈ ") && stdout.contains("RAYNET requests") && stdout.contains("ETA"),
        "{stdout}"
    );
    assert!(stdout.contains("Nothing was queued (dry run)."), "{stdout}");
    assert_no_bar(&text(&out.stderr));
    assert!(world.dump().business_cases.is_empty());
    // Like `sync --once --dry-run`, it does not even create the database.
    assert!(!world.db_path().exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backfill_syncs_what_todays_budget_allows_and_leaves_the_rest_for_after_the_reset() {
    let mut world = World::empty().await;
    world.config.sync.backfill_reserve = 20;
    world.raynet.set_daily_limit(100);
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    let lines = [product("KAV-ETH-250", "Káva", 1, "289.00")];
    world.shoptet.upsert_order(order("2026000001", -3, &c, &lines, "CZK")).unwrap();
    assert_eq!(run(&world, &["sync", "--once"]).status.code(), Some(0));
    // 40 orders at 2 requests each: more than the 58 usable today.
    for i in 0..40 {
        world.shoptet.upsert_order(old_order(&format!("20250000{i:02}"), &c)).unwrap();
    }
    let from = recent(60 * 24 * 25);
    let out = run(&world, &["backfill", "--from", &from[..10]]);
    let stdout = text(&out.stdout);
    // Held backfill orders wait as planned: no exit code 2 for them.
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("Backfill: 40 orders (0 new clients, 0 new products)"), "{stdout}");
    assert!(stdout.contains("more than today's budget: 2 days, going on after the reset"), "{stdout}");
    assert!(stdout.contains("the rest waits for RAYNET's budget to reset"), "{stdout}");
    assert_no_bar(&text(&out.stderr));
    let c = counts(&world);
    let (synced, queued) = (c["synced"].as_u64().unwrap(), c["queued"].as_u64().unwrap());
    assert!(synced > 1 && queued > 0 && synced - 1 + queued == 40, "{c}");
    assert_eq!(world.dump().business_cases.len() as u64, synced);
}
