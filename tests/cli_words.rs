//! The command line's own words follow `--lang`: `orders`, `status` and `show` over a data
//! directory the simulators filled, in Czech and in English (snapshots with times, paths and
//! durations blanked), the Czech ones without an English word; `--json` stays as it was.

mod common;

use std::process::{Command, Output};

use regex::Regex;
use serde_json::Value;

use common::*;
use shoptet_raynet_sync::engine::api::{AuthIssue, ConfigIssue, EngineState};
use shoptet_raynet_sync::http::Service;
use shoptet_raynet_sync::tui::fake::english_words;

/// The program's name (`shoptet-raynet-sync`) and the commands and flags typed as they are.
const ALLOWED: &[&str] = &["sync", "client", "create", "resolve"];

/// The shared clean binary, with times in UTC.
fn bin() -> Command {
    let mut c = common::process::bin();
    c.env("TZ", "UTC");
    c
}

fn run(world: &World, args: &[&str]) -> Output {
    let (config, data) = world.write_config();
    tokio::task::block_in_place(|| {
        bin().args(args).arg("--config").arg(config).arg("--data-dir").arg(data).output().expect("run binary")
    })
}

/// Stdout with what changes from run to run blanked: the data directory, times, "in 5 s",
/// durations in ms, the zone.
fn text(world: &World, o: &Output) -> String {
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let dir = world.write_config().1.display().to_string();
    let out = out.replace(&dir, "<dir>");
    let rules = [
        (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?( [+-]\d{2}:\d{2})?", "<time>"),
        (r"(in|za) \d+ (min \d+ )?s", "<soon>"),
        (r"\d+ ms\b", "<n> ms"),
        (r"UTC[+-]\d{2}:\d{2}", "UTC<zone>"),
        (r"\d+ (of|z) \d+ (left today|na dnešek)", "<n> $1 <n> $2"),
    ];
    rules.iter().fold(out, |s, (re, to)| Regex::new(re).expect("regex").replace_all(&s, *to).into_owned())
}

/// A synced order, one in a currency RAYNET does not know (dead) and one whose client match
/// is ambiguous, after one pass.
async fn world() -> World {
    let world = World::empty().await;
    let jana = person("Jana Dvořáková", "jana@example.cz");
    let coffee = || [product("KAV-ETH-250", "Káva", 1, "289.00")];
    world.shoptet.upsert_order(order("2026100001", -3, &jana, &coffee(), "CZK")).unwrap();
    world.shoptet.upsert_order(order("2026100002", -3, &jana, &coffee(), "USD")).unwrap();
    ambiguous_slunce(&world, "2026100003");
    // The pass's report in Czech: the summary, each order's outcome and the counts.
    let o = run(&world, &["sync", "--once", "--lang", "cs"]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let report = text(&world, &o);
    assert!(report.starts_with("Průchod hotov: načteno 3 objednávky, přeneseno 1"), "{report}");
    no_english("sync --once", &report);
    world
}

/// No English word, but in what the services answered (the API calls' errors, indented six)
/// and in external ids (`shoptet:312457:order:2026100001`: a code).
fn no_english(what: &str, text: &str) {
    let ours: String = text.lines().filter(|l| !l.starts_with("      ")).map(|l| format!("{l}\n")).collect();
    let ours = Regex::new(r"shoptet:[^\s)]+").expect("regex").replace_all(&ours, "<ext-id>");
    assert_eq!(english_words(&ours, ALLOWED), Vec::<String>::new(), "{what} in Czech:\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_status_and_show_speak_the_chosen_language() {
    let world = world().await;
    for (name, args) in [
        ("orders", vec!["orders"]),
        ("status", vec!["status"]),
        ("show_dead", vec!["show", "2026100002"]),
        ("show_decision", vec!["show", "2026100003"]),
        ("show_synced", vec!["show", "2026100001"]),
    ] {
        let en = text(&world, &run(&world, &args));
        let cs = text(&world, &run(&world, &[args.clone(), vec!["--lang", "cs"]].concat()));
        no_english(name, &cs);
        assert_ne!(cs, en, "{name}");
        if name != "show_synced" {
            insta::assert_snapshot!(format!("{name}_en"), en);
            insta::assert_snapshot!(format!("{name}_cs"), cs);
        }
    }
    // The English table keeps its header, the Czech one has its own.
    let en = text(&world, &run(&world, &["orders"]));
    assert!(en.starts_with("CODE "), "{en}");
    let cs = text(&world, &run(&world, &["orders", "--lang", "cs"]));
    assert!(cs.starts_with("KÓD ") && cs.contains("3 z 3 objednávek"), "{cs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_says_why_the_engine_stopped_and_json_keeps_the_message() {
    let world = world().await;
    let problems = [
        EngineState::AuthProblem {
            service: Service::Raynet,
            problem: AuthIssue::Rejected { status: Some(401), said: "Neplatný API klíč".into() },
        },
        EngineState::ConfigProblem {
            problem: ConfigIssue::UnknownId {
                key: "sync.source_id".into(),
                id: 77,
                valid: vec!["1 (E-shop)".into(), "2 (Telefon)".into()],
            },
        },
    ];
    for (i, state) in problems.iter().enumerate() {
        world.store().set_engine_state(&state.record()).unwrap();
        let en = text(&world, &run(&world, &["status"]));
        let cs = text(&world, &run(&world, &["status", "--lang", "cs"]));
        no_english("status", &cs);
        insta::assert_snapshot!(format!("status_problem_{i}_en"), en);
        insta::assert_snapshot!(format!("status_problem_{i}_cs"), cs);
        // The stable JSON: the state's name and its message, a text, in either language.
        for lang in ["en", "cs"] {
            let o = run(&world, &["status", "--json", "--lang", lang]);
            let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
            let message = v["engine_state"]["message"].as_str().expect("message");
            assert!(
                message.contains(if i == 0 { "Neplatný API klíč" } else { "sync.source_id = 77" }),
                "{v}"
            );
            assert!(v["engine_state"].get("problem").is_none(), "{v}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn common_errors_are_said_in_the_chosen_language() {
    let world = World::empty().await;
    // No database yet: `orders` says so.
    let en = String::from_utf8_lossy(&run(&world, &["orders"]).stderr).into_owned();
    let cs = String::from_utf8_lossy(&run(&world, &["orders", "--lang", "cs"]).stderr).into_owned();
    assert!(en.contains("no database at"), "{en}");
    assert!(cs.contains("databáze v") && cs.contains("zatím není"), "{cs}");
    no_english("the error", &cs);
    // No configuration: `sync --once` says where it looked.
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing.toml");
    let o = tokio::task::block_in_place(|| {
        bin()
            .args(["sync", "--once", "--lang", "cs", "--config"])
            .arg(&missing)
            .arg("--data-dir")
            .arg(dir.path())
            .output()
    })
    .expect("run");
    let cs = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(cs.contains("nastavení v") && cs.contains("nothing.toml"), "{cs}");
}
