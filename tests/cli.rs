//! The binary as a user runs it: exit codes, messages and JSON outputs.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};

use common::process::bin;
use common::*;

fn run(world: &World, args: &[&str]) -> Output {
    let (config, data) = world.write_config();
    let mut c = bin();
    c.args(args).arg("--config").arg(config).arg("--data-dir").arg(data);
    c.output().expect("run binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_config_gets_one_clear_message_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let start = (chrono::Utc::now() - chrono::Duration::days(1)).format("%Y-%m-%dT00:00:00+01:00");
    std::fs::write(
        &path,
        format!(
            "[shoptet]\napi_token = \"x\"\n[raynet]\ninstance = \"i\"\nusername = \"a@b.cz\"\napi_key = \"k\"\n\
             [sync]\nenabled_at = \"{start}\"\ndefault_owner_id = 0\nbusiness_case_phase_id = 1\nsource_id = 1\n"
        ),
    )
    .unwrap();
    let out = tokio::task::spawn_blocking(move || {
        bin()
            .args(["sync", "--once", "--config"])
            .arg(&path)
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sync.default_owner_id"), "names the key: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_once_exit_codes_and_json() {
    let world = World::empty().await;
    let c = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
    world
        .shoptet
        .upsert_order(order("2026000001", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK"))
        .unwrap();
    world
        .shoptet
        .upsert_order(order("2026000002", -1, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK"))
        .unwrap();
    let out = tokio::task::block_in_place(|| run(&world, &["sync", "--once", "--json"]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "pending orders are not failures: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(v["report"]["synced"], 1);
    assert_eq!(v["counts"]["pending"], 1);
    assert_eq!(v["exit_code"], 0);

    // A second run creates nothing new.
    let before = world.dump().business_cases.len();
    let out = tokio::task::block_in_place(|| run(&world, &["sync", "--once"]));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(world.dump().business_cases.len(), before);

    // An order that cannot be synced → exit 2.
    world
        .shoptet
        .upsert_order(order("2026000003", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "9.00")], "USD"))
        .unwrap();
    let out = tokio::task::block_in_place(|| run(&world, &["sync", "--once"]));
    assert_eq!(out.status.code(), Some(2));

    let out = tokio::task::block_in_place(|| run(&world, &["status", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("status json");
    assert_eq!(v["counts"]["synced"], 1);
    assert_eq!(v["counts"]["dead"], 1);
    assert!(v["cursor"].is_string());
    assert!(v["last_synced_at"].is_string());

    let out = tokio::task::block_in_place(|| run(&world, &["orders", "--state", "dead", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("orders json");
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["code"], "2026000003");
    assert!(v[0]["last_error"].as_str().unwrap().contains("USD"));

    let out = tokio::task::block_in_place(|| run(&world, &["skip", "2026000003"]));
    assert_eq!(out.status.code(), Some(0));
    let out = tokio::task::block_in_place(|| run(&world, &["sync", "--once"]));
    assert_eq!(out.status.code(), Some(0), "skipped orders no longer count as failures");

    // A usage error: 64 (sysexits' EX_USAGE), apart from 2 ("orders need attention").
    let out = tokio::task::block_in_place(|| run(&world, &["orders", "--state", "bogus"]));
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs-decision"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_prints_the_plan_and_writes_nothing() {
    let world = World::empty().await;
    let c = company("Horská chata Krkonoše s.r.o.", "25412589", "recepce@chatakrkonose.cz");
    world
        .shoptet
        .upsert_order(order(
            "2026000011",
            -3,
            &c,
            &[product("KAV-ETH-250", "Káva", 1, "289.00"), shipping("PPL", "99.00")],
            "CZK",
        ))
        .unwrap();
    let out = tokio::task::block_in_place(|| run(&world, &["sync", "--once", "--dry-run"]));
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("2026000011") && text.contains("will create company"), "{text}");
    assert!(world.dump().business_cases.is_empty() && world.dump().companies.is_empty());
    let out = tokio::task::block_in_place(|| run(&world, &["status", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap_or_default();
    assert!(v["counts"]["queued"] == 0 || v.is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_json_keeps_the_problem_a_text_and_adds_its_code() {
    let world = World::empty().await;
    let c = company("Horská chata Krkonoše s.r.o.", "25412589", "recepce@chatakrkonose.cz");
    world
        .shoptet
        .upsert_order(order("2026000012", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "9.00")], "USD"))
        .unwrap();
    let out = tokio::task::block_in_place(|| run(&world, &["sync", "--once", "--dry-run", "--json"]));
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("dry-run json");
    let plan = &v["plans"][0];
    assert_eq!(plan["code"], "2026000012");
    let problem = plan["problem"].as_str().unwrap_or_else(|| panic!("problem is a text: {plan}"));
    assert!(problem.contains("USD"), "{problem}");
    assert_eq!(plan["problem_code"], "currency_missing");
}

#[test]
fn sim_prints_credentials_and_rejects_wrong_ones() {
    let mut child = bin().args(["sim"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).expect("one JSON line");
    for key in
        ["shoptet_url", "shoptet_token", "raynet_url", "raynet_instance", "raynet_username", "raynet_api_key"]
    {
        assert!(v[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {line}");
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let http = reqwest::Client::new();
        let ok = http
            .get(format!("{}/api/eshop", v["shoptet_url"].as_str().unwrap()))
            .header("Shoptet-Private-API-Token", v["shoptet_token"].as_str().unwrap())
            .header("Content-Type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        let body: serde_json::Value = ok.json().await.unwrap();
        assert!(body["data"]["contactInformation"]["eshopId"].is_number());
        let bad = http
            .get(format!("{}/api/eshop", v["shoptet_url"].as_str().unwrap()))
            .header("Shoptet-Private-API-Token", "wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 401);
        let bad = http
            .get(format!("{}/company/", v["raynet_url"].as_str().unwrap()))
            .basic_auth(v["raynet_username"].as_str().unwrap(), Some("wrong"))
            .header("X-Instance-Name", v["raynet_instance"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 401);
        let body: serde_json::Value = bad.json().await.unwrap();
        assert!(body["message"].is_string(), "RAYNET error body: {body}");
    });
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn dashboard_without_a_terminal_points_to_the_headless_commands() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .arg("--config")
        .arg(dir.path().join("none.toml"))
        .arg("--data-dir")
        .arg(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("run") && err.contains("sync --once"), "{err}");
}

#[test]
fn demo_headless_prints_a_summary() {
    let out = bin().args(["demo", "--headless"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert!(text.contains("Orders by state"), "{text}");
    assert!(text.contains("Needs a decision"), "the ambiguous demo client: {text}");
    assert!(text.contains("matched by"), "{text}");
}
