//! What a new user meets on the command line: exit codes, refused values, the reasons orders
//! wait, commands that refuse what would be wrong, the status screen, data-directory errors,
//! help texts, completions and the man page. Each test runs the binary.

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use clap::CommandFactory;
use serde_json::Value;

use common::*;
use shoptet_raynet_sync::cli::Cli;

/// The clean binary, with colours left to the terminal check (`NO_COLOR` unset too).
fn bin() -> Command {
    let mut c = common::process::bin();
    c.env_remove("NO_COLOR");
    c
}

/// The binary with `args` against the world's config and data dir.
fn run(world: &World, args: &[&str]) -> Output {
    let (config, data) = world.write_config();
    tokio::task::block_in_place(|| {
        bin().args(args).arg("--config").arg(config).arg("--data-dir").arg(data).output().expect("run binary")
    })
}

fn plain(args: &[&str]) -> Output {
    bin().args(args).output().expect("run binary")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {}{}", out(o), err(o)))
}

fn final_order(code: &str, email: &'static str) -> Value {
    let c = person("Jana Dvořáková", email);
    order(code, -3, &c, &[product("KAV-ETH-250", "Káva Etiopie 250 g", 1, "289.00")], "CZK")
}

// ---- 11. exit codes ----------------------------------------------------------------------

#[test]
fn usage_errors_exit_64_not_the_orders_need_attention_code() {
    for args in [
        &["--no-such-flag"][..],
        &["no-such-command"],
        &["orders", "--limit", "many"],
        &["retry"],
        &["resolve", "2026000001"],
        &["sync", "--once", "--json", "--extra"],
    ] {
        let o = plain(args);
        assert_eq!(o.status.code(), Some(64), "{args:?}: {}", err(&o));
        assert!(err(&o).starts_with("error: "), "{args:?}: {}", err(&o));
    }
    // `sync` without --once is understood by clap but still a usage error.
    let dir = tempfile::tempdir().unwrap();
    let o = bin().args(["sync", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(64), "{}", err(&o));
    assert!(err(&o).contains("--once"), "{}", err(&o));
    // Help and version succeed.
    assert_eq!(plain(&["--help"]).status.code(), Some(0));
    assert_eq!(plain(&["--version"]).status.code(), Some(0));
    assert_eq!(plain(&["help", "sync"]).status.code(), Some(0));
}

#[test]
fn help_lists_the_exit_codes() {
    for args in [&["--help"][..], &["sync", "--help"]] {
        let text = out(&plain(args));
        assert!(text.contains("Exit codes"), "{args:?}: {text}");
        for code in ["0 ", "1 ", "2 ", "64 ", "130 ", "143"] {
            assert!(text.contains(&format!("  {code}")) || text.contains(code), "{code} in {text}");
        }
        assert!(text.contains("usage error"), "{text}");
        assert!(text.contains("SIGTERM"), "{text}");
    }
}

// ---- 12. refused values ------------------------------------------------------------------

#[test]
fn unknown_language_and_log_level_are_refused_with_the_valid_values() {
    let dir = tempfile::tempdir().unwrap();
    let o = bin().args(["--lang", "xx", "status", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(64), "{}", err(&o));
    assert!(err(&o).contains("cs") && err(&o).contains("en"), "{}", err(&o));
    let o = bin().args(["--log-level", "bogus", "status", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(64), "{}", err(&o));
    for level in ["error", "warn", "info", "debug", "trace"] {
        assert!(err(&o).contains(level), "{level}: {}", err(&o));
    }
    // The valid ones pass (and reach the command: no database yet → exit 1).
    let o = bin()
        .args(["--lang", "cs", "--log-level", "DEBUG", "status", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    // …said in the chosen language (`--lang cs`): no database.
    assert!(err(&o).contains("databáze v") && err(&o).contains("zatím není"), "{}", err(&o));
}

// ---- 13, 14. decisions: reasons, candidates, show, resolve --force -----------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_waiting_for_a_decision_shows_its_candidates_and_detail() {
    let world = World::empty().await;
    let ids = ambiguous_slunce(&world, "2026000301");
    let o = run(&world, &["sync", "--once"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));

    // Text: the state as typed, the reason, each candidate, and the command to settle it.
    let o = run(&world, &["orders", "--state", "needs-decision"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("needs-decision"), "{text}");
    assert!(!text.contains("needs_decision"), "{text}");
    assert!(text.contains("match by e-mail"), "the reason: {text}");
    for id in &ids {
        assert!(text.contains(&format!("#{id}")), "candidate {id}: {text}");
    }
    assert!(text.contains("Kavárna Slunce Brno s.r.o."), "{text}");
    assert!(text.contains("resolve 2026000301 --client ID | --create"), "{text}");

    // JSON: the documented fields stay, `reason` and `candidates` are added.
    let v = json(&run(&world, &["orders", "--state", "needs-decision", "--json"]));
    let row = &v[0];
    assert_eq!(row["code"], "2026000301");
    assert_eq!(row["state"], "needs_decision", "JSON keeps its stable spelling");
    assert!(row.get("last_error").is_some());
    assert!(row["reason"].as_str().is_some_and(|r| r.contains("e-mail")), "{row}");
    let listed: Vec<i64> =
        row["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(listed.len(), 2);
    for id in &ids {
        assert!(listed.contains(id), "{row}");
    }
    assert_eq!(row["candidates"][0]["matched_by"], "email");
    assert!(row["candidates"][0]["name"].as_str().is_some_and(|n| n.starts_with("Kavárna Slunce")));

    // show: the order detail with plan, calls and history.
    let o = run(&world, &["show", "2026000301"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    for part in ["Order 2026000301", "needs-decision", "Candidates", "API calls", "History", "Shoptet"] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert!(text.contains("GET /api/orders/2026000301"), "the Shoptet call: {text}");
    let v = json(&run(&world, &["show", "2026000301", "--json"]));
    assert_eq!(v["order"]["code"], "2026000301");
    assert_eq!(v["order"]["candidates"].as_array().map(Vec::len), Some(2));
    assert!(v["calls"].as_array().is_some_and(|c| !c.is_empty()), "{v}");
    assert!(v["calls"][0]["path"].is_string() && v["calls"][0]["status"].is_number(), "{v}");
    assert!(v["history"].as_array().is_some_and(|h| h.len() >= 2), "{v}");
    assert!(v["plan"].is_array() && v["shoptet"].is_array(), "{v}");
    let o = run(&world, &["show", "2026999999"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("2026999999"), "{}", err(&o));

    // resolve: a client that is not a candidate needs --force.
    let o = run(&world, &["resolve", "2026000301", "--client", "999999"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("--force") && err(&o).contains(&format!("#{}", ids[0])), "{}", err(&o));
    let v = json(&run(&world, &["orders", "--state", "needs-decision", "--json"]));
    assert_eq!(v.as_array().map(Vec::len), Some(1), "nothing changed");
    let o = run(&world, &["resolve", "2026000301", "--client", &ids[1].to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(&world, &["sync", "--once"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let cases = cases_for_ext(&world.dump(), &order_ext("2026000301")).len();
    assert_eq!(cases, 1);
}

#[test]
fn resolve_usage_shows_both_forms() {
    let text = out(&plain(&["resolve", "--help"]));
    let usage = text.split("Arguments").next().unwrap_or("");
    assert!(usage.contains("--client <ID>") && usage.contains("--create"), "{text}");
    assert!(text.contains("--force"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_with_force_links_any_client() {
    let world = World::empty().await;
    ambiguous_slunce(&world, "2026000302");
    let other = world.raynet.add_company(serde_json::json!({
        "name": "Jiná kavárna s.r.o.", "rating": "B", "state": "B_ACTUAL", "role": "A_SUBSCRIBER", "owner": OWNER,
        "addresses": [{"address": {"name": "Sídlo", "city": "Praha"}}]
    }));
    assert_eq!(run(&world, &["sync", "--once"]).status.code(), Some(2));
    let o = run(&world, &["resolve", "2026000302", "--client", &other.to_string(), "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(&world, &["sync", "--once"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
}

// ---- 15. retry, skip, unskip -------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_and_skip_refuse_a_synced_order_and_unskip_undoes_a_skip() {
    let world = World::empty().await;
    world.shoptet.upsert_order(final_order("2026000311", "a@seznam.cz")).unwrap();
    let c = person("Petr Malý", "petr@seznam.cz");
    world
        .shoptet
        .upsert_order(order("2026000312", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "9.00")], "USD"))
        .unwrap();
    assert_eq!(run(&world, &["sync", "--once"]).status.code(), Some(2));

    let o = run(&world, &["retry", "2026000311"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(err(&o).contains("synced") && err(&o).contains("resync 2026000311"), "{}", err(&o));
    let o = run(&world, &["skip", "2026000311"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(err(&o).contains("already synced"), "{}", err(&o));
    let v = json(&run(&world, &["status", "--json"]));
    assert_eq!(v["counts"]["synced"], 1, "the synced order was left alone: {v}");
    assert_eq!(v["counts"]["queued"], 0, "{v}");
    let o = run(&world, &["retry", "2026999999"]);
    assert_eq!(o.status.code(), Some(1));

    // A dead order is skipped with a reason, which `orders` shows; unskip queues it again.
    let o = run(&world, &["skip", "2026000312", "--reason", "paid in cash, no invoice"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&run(&world, &["orders", "--state", "skipped"]));
    assert!(text.contains("paid in cash, no invoice"), "{text}");
    let v = json(&run(&world, &["orders", "--state", "skipped", "--json"]));
    assert_eq!(v[0]["reason"], "paid in cash, no invoice");
    let o = run(&world, &["retry", "2026000312"]);
    assert_eq!(o.status.code(), Some(1), "a skipped order is unskipped, not retried");
    assert!(err(&o).contains("unskip 2026000312"), "{}", err(&o));
    let o = run(&world, &["unskip", "2026000312"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v = json(&run(&world, &["orders", "--search", "2026000312", "--json"]));
    assert_eq!(v[0]["state"], "queued", "{v}");
    let o = run(&world, &["unskip", "2026000311"]);
    assert_eq!(o.status.code(), Some(1), "only a skipped order can be unskipped");
}

// ---- 16. status --------------------------------------------------------------------------

fn spawn_logged(mut c: Command, dir: &Path) -> Child {
    c.stdout(std::fs::File::create(dir.join("stdout")).unwrap())
        .stderr(std::fs::File::create(dir.join("stderr")).unwrap());
    c.spawn().expect("spawn")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_names_the_daemon_pid_the_logs_and_shows_local_times_with_offsets() {
    let mut world = World::empty().await;
    world.config.sync.poll_interval_secs = 30;
    world.shoptet.upsert_order(final_order("2026000321", "a@seznam.cz")).unwrap();
    assert_eq!(run(&world, &["sync", "--once"]).status.code(), Some(0));

    let o = run(&world, &["status"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("not running"), "{text}");
    let (_, data) = world.write_config();
    assert!(text.contains(&data.join("logs").display().to_string()), "where the logs are: {text}");
    // Every time in one form: local, with its offset; no raw RFC 3339 (T…Z / T…+01:00).
    let stamp = regex::Regex::new(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d").unwrap();
    for label in ["Cursor:", "Last poll:", "Last sync:"] {
        let line = text.lines().find(|l| l.starts_with(label)).unwrap_or_else(|| panic!("{label}: {text}"));
        assert!(stamp.is_match(line), "{line}");
    }
    assert!(!regex::Regex::new(r"\d\dT\d\d:").unwrap().is_match(&text), "{text}");

    // With the daemon running: its pid.
    let (config, data) = world.write_config();
    let logs = tempfile::tempdir().unwrap();
    let mut c = bin();
    c.arg("run").arg("--config").arg(&config).arg("--data-dir").arg(&data);
    let mut daemon = spawn_logged(c, logs.path());
    let pid = daemon.id();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut text = String::new();
    while Instant::now() < deadline {
        text = out(&run(&world, &["status"]));
        if text.contains("pid") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(text.contains(&format!("pid {pid}")), "{text}");
    let v = json(&run(&world, &["status", "--json"]));
    assert_eq!(v["engine_running"], true);
    assert_eq!(v["engine_pid"].as_u64(), Some(u64::from(pid)), "{v}");
    let _ = Command::new("kill").arg("-TERM").arg(pid.to_string()).status();
    let _ = daemon.wait();
    let v = json(&run(&world, &["status", "--json"]));
    assert_eq!(v["engine_running"], false);
    assert!(v["engine_pid"].is_null(), "{v}");
}

// ---- 17. data-directory errors, printed once, without colour -----------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_dir_that_is_a_file_is_named_as_the_data_directory() {
    let world = World::empty().await;
    let (config, _) = world.write_config();
    let file = world.dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    for args in [&["status"][..], &["orders"], &["sync", "--once"], &["run"], &["retry", "--all"]] {
        let o = tokio::task::block_in_place(|| {
            bin().args(args).arg("--config").arg(&config).arg("--data-dir").arg(&file).output().unwrap()
        });
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let e = err(&o);
        let expected = format!("data directory {}: not a directory", file.display());
        assert!(e.contains(&expected), "{args:?}: {e}");
        assert_eq!(e.matches("not a directory").count(), 1, "printed once: {e}");
        assert!(!e.contains("os error"), "{e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_is_printed_once_and_without_colour_codes_when_stderr_is_not_a_terminal() {
    let mut world = World::empty().await;
    world.config.raynet.api_key = secrecy::SecretString::from("wrong-key-1234567890".to_string());
    world.shoptet.upsert_order(final_order("2026000331", "a@seznam.cz")).unwrap();
    let (config, data) = world.write_config();
    // The default level (info), as cron would run it.
    let o = tokio::task::block_in_place(|| {
        bin()
            .env_remove("RUST_LOG")
            .args(["sync", "--once", "--config"])
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap()
    });
    assert_eq!(o.status.code(), Some(1));
    let e = err(&o);
    assert!(!e.contains('\u{1b}'), "no escape codes: {e:?}");
    assert_eq!(e.matches("HTTP 401").count(), 1, "the error once: {e}");
    assert!(e.starts_with("error: ") || e.contains("\nerror: "), "{e}");
}

// ---- 18. help lines ----------------------------------------------------------------------

#[test]
fn every_flag_and_argument_has_a_help_line() {
    let cli = Cli::command();
    let mut missing = Vec::new();
    for sub in cli.get_subcommands() {
        for arg in sub.get_arguments() {
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{} {}", sub.get_name(), arg.get_id()));
            }
        }
    }
    assert!(missing.is_empty(), "without help: {missing:?}");
    // And in the binary's own output: every option line of every subcommand says something.
    for sub in cli.get_subcommands().map(|s| s.get_name().to_string()) {
        let text = out(&plain(&[&sub, "--help"]));
        for line in
            text.lines().filter(|l| l.trim_start().starts_with("--") || l.trim_start().starts_with('<'))
        {
            let words: Vec<&str> = line.split_whitespace().collect();
            assert!(words.len() >= 2 && line.contains("  "), "{sub}: {line:?}");
            let described = line.trim_start().split("  ").filter(|p| !p.trim().is_empty()).count() >= 2;
            assert!(described, "{sub}: no help for {line:?}");
        }
    }
}

#[test]
fn global_flags_are_shown_apart_from_the_subcommands_own() {
    let text = out(&plain(&["orders", "--help"]));
    let (own, global) = text.split_once("Global options:").expect("a Global options section");
    assert!(own.contains("--state") && own.contains("--limit") && own.contains("--json"), "{text}");
    assert!(!own.contains("--data-dir") && !own.contains("--log-level"), "{text}");
    assert!(
        global.contains("--data-dir") && global.contains("--config") && global.contains("--lang"),
        "{text}"
    );
    assert!(!global.contains("--limit"), "{text}");
}

#[test]
fn sim_refuses_flags_it_would_ignore() {
    let dir = tempfile::tempdir().unwrap();
    for flag in [["--data-dir", "x"], ["--config", "x.toml"], ["--lang", "cs"]] {
        let mut c = bin();
        c.current_dir(dir.path()).arg("sim").args(flag).stdout(Stdio::null()).stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        // Refused at once; a sim that accepted the flag would run until stopped.
        let deadline = Instant::now() + Duration::from_secs(10);
        while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if child.try_wait().unwrap().is_none() {
            let _ = child.kill();
            let _ = child.wait();
            panic!("sim accepted {flag:?} and ran");
        }
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(64), "{flag:?}: {}", err(&o));
        assert!(err(&o).contains(flag[0]), "{}", err(&o));
    }
    let o = plain(&["demo", "--headless", "--data-dir", "/tmp/somewhere"]);
    assert_eq!(o.status.code(), Some(64), "{}", err(&o));
}

// ---- 20. texts ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_order_is_singular_and_a_soon_retry_is_in_seconds() {
    let world = World::empty().await;
    world.shoptet.upsert_order(final_order("2026000341", "a@seznam.cz")).unwrap();
    let o = run(&world, &["sync", "--once"]);
    assert!(out(&o).contains("1 order read"), "{}", out(&o));
    assert!(out(&o).contains("1 new business case,"), "{}", out(&o));
    assert!(!out(&o).contains("1 orders"), "{}", out(&o));

    // A RAYNET outage on the create: the order waits for a retry within 30 s.
    world.shoptet.upsert_order(final_order("2026000342", "b@seznam.cz")).unwrap();
    let mut down =
        rule(shoptet_raynet_sync::sim::FaultKind::Status, Some(503), "PUT", "/api/v2/businessCase/", 50);
    down.retry_after_secs = None;
    world.raynet.control().add_fault(down);
    let o = run(&world, &["sync", "--once"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let soon = regex::Regex::new(r"in \d+ s\b").unwrap();
    assert!(soon.is_match(&out(&o)), "next attempt in seconds: {}", out(&o));
    let text = out(&run(&world, &["orders", "--state", "failed"]));
    assert!(text.contains("NEXT ATTEMPT") && soon.is_match(&text), "{text}");
}

#[test]
fn demo_headless_suggests_nothing_that_needs_its_removed_data_dir() {
    let o = plain(&["demo", "--headless"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("Needs a decision"), "{text}");
    assert!(!text.contains("resolve 2026"), "no command for a data dir that is gone: {text}");
    assert!(text.contains("demo"), "{text}");
    assert!(!text.contains("needs_decision"), "{text}");
    let padded = regex::Regex::new(r"by \S+ {2,}").unwrap();
    for line in text.lines().filter(|l| l.contains('→')) {
        assert!(!line.contains("  →") && !line.contains("→  "), "one space around →: {line:?}");
        assert!(!padded.is_match(line), "no padded gaps: {line:?}");
    }
    assert!(!text.contains(" 1 orders "), "{text}");
}

// ---- 22. completions and man page --------------------------------------------------------

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef shoptet-raynet-sync"),
        ("fish", "complete -c shoptet-raynet-sync"),
    ] {
        let o = plain(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", err(&o));
        let text = out(&o);
        assert!(text.contains(marker), "{shell}: {}", &text[..text.len().min(400)]);
        for sub in ["resolve", "unskip", "show", "needs-decision"] {
            assert!(text.contains(sub), "{shell} completes {sub}");
        }
    }
    assert_eq!(plain(&["completions", "tcsh"]).status.code(), Some(64));
    let o = plain(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.starts_with(".ie") || text.contains(".TH shoptet-raynet-sync"),
        "{}",
        &text[..text.len().min(300)]
    );
    assert!(
        text.contains("resolve") && text.contains("Exit codes"),
        "subcommands and exit codes in the page"
    );
}

/// A choice is the customer's: `resolve` settles the same customer's other waiting orders that
/// offer that client, as the dashboard does, and says which.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_applies_the_choice_to_the_customers_other_waiting_orders() {
    let world = World::empty().await;
    let ids = ambiguous_slunce(&world, "2026000401");
    let mut c = company("Kavárna Slunce", "", "objednavky@kavarna-slunce.cz");
    c.ic = None;
    world
        .shoptet
        .upsert_order(order("2026000402", -3, &c, &[product("KAV-ETH-250", "Káva", 2, "289.00")], "CZK"))
        .unwrap();
    let o = run(&world, &["sync", "--once"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let v = json(&run(&world, &["orders", "--state", "needs-decision", "--json"]));
    assert_eq!(v.as_array().map(Vec::len), Some(2), "both wait: {v}");

    let o = run(&world, &["resolve", "2026000401", "--client", &ids[0].to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("2026000402"), "names the other order: {}", out(&o));
    let v = json(&run(&world, &["orders", "--state", "needs-decision", "--json"]));
    assert_eq!(v.as_array().map(Vec::len), Some(0), "none waits any more: {v}");
    let o = run(&world, &["sync", "--once"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let dump = world.dump();
    for code in ["2026000401", "2026000402"] {
        let cases = cases_for_ext(&dump, &order_ext(code));
        assert_eq!(cases.len(), 1, "{code}");
        assert_eq!(id_of(&cases[0]["company"]), Some(ids[0]), "{code} went to the chosen client");
    }
}

/// A passing failure while the first pass loads RAYNET's users (a 5xx storm) is no
/// configuration problem: `sync --once` says nothing was synced and exits 2 (orders wait),
/// not 1 (fatal); the next run syncs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transient_failure_at_start_up_exits_2_not_fatal() {
    use shoptet_raynet_sync::sim::FaultKind;
    let world = World::empty().await;
    world.shoptet.upsert_order(final_order("2026000601", "jana@seznam.cz")).unwrap();
    world.raynet.control().add_fault(rule(FaultKind::Status, Some(503), "GET", "/api/v2/userAccount/", 50));
    let o = run(&world, &["sync", "--once"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("the next run tries again"), "{}", err(&o));
    world.raynet.control().clear_faults();
    let o = run(&world, &["sync", "--once"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert_eq!(cases_for_ext(&world.dump(), &order_ext("2026000601")).len(), 1);
}
