//! `doctor`: a good setup passes (exit 0), and each broken one is named with its fix.

mod common;

use std::process::Output;

use serde_json::Value;

use common::process::cli;
use common::*;

fn doctor(config: &std::path::Path, data: &std::path::Path) -> Output {
    tokio::task::block_in_place(|| cli(config, data, &["doctor", "--json"]).output().expect("run doctor"))
}

/// The checks of a doctor run: (name, level, fix).
fn checks(o: &Output) -> Vec<(String, String, String)> {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("JSON ({e}): {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
    });
    v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default().to_string(),
                c["level"].as_str().unwrap_or_default().to_string(),
                c["fix"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn find<'a>(all: &'a [(String, String, String)], name: &str) -> &'a (String, String, String) {
    all.iter().find(|c| c.0 == name).unwrap_or_else(|| panic!("no {name} check in {all:#?}"))
}

async fn good_world() -> World {
    let world = World::empty().await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(world.dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    world
        .shoptet
        .upsert_order(order(
            "2026000501",
            -3,
            &person("Jana", "jana@seznam.cz"),
            &[product("KAV-ETH-250", "Káva", 1, "289.00")],
            "CZK",
        ))
        .unwrap();
    world
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_setup_passes_every_check() {
    let world = good_world().await;
    let (config, data) = world.write_config();
    // A first sync makes the database and cursor the later checks read.
    let mut engine = world.engine();
    engine.sync_once().await.expect("sync");
    drop(engine);
    let o = doctor(&config, &data);
    let all = checks(&o);
    assert!(all.iter().all(|c| c.1 == "ok"), "{all:#?}");
    for name in [
        "config file",
        "config permissions",
        "data directory",
        "database",
        "engine",
        "Shoptet",
        "order statuses",
        "changes feed",
        "RAYNET",
        "default owner",
        "case phase",
        "source",
        "currencies",
    ] {
        find(&all, name);
    }
    assert_eq!(o.status.code(), Some(0));
}

/// Each broken setup: what to break, the check that must name it, its level.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_broken_setup_is_named_with_its_fix() {
    type Break = fn(&mut World);
    let cases: Vec<(&str, Break, &str, &str)> = vec![
        (
            "wrong Shoptet token",
            |w| w.config.shoptet.api_token = "312457-p-1-wrong".to_string().into(),
            "Shoptet",
            "fail",
        ),
        ("wrong RAYNET key", |w| w.config.raynet.api_key = "wrong-key".to_string().into(), "RAYNET", "fail"),
        (
            "a final status the shop no longer has",
            |w| w.config.sync.final_status_ids = vec![-3, 77],
            "order statuses",
            "fail",
        ),
        ("an owner who is not a user", |w| w.config.sync.default_owner_id = 9999, "default owner", "fail"),
        ("a phase that is gone", |w| w.config.sync.business_case_phase_id = 9999, "case phase", "fail"),
        ("a source that is gone", |w| w.config.sync.source_id = 9999, "source", "fail"),
        (
            "a storno phase that is gone",
            |w| w.config.sync.cancelled_phase_id = Some(9999),
            "storno phase",
            "fail",
        ),
        (
            "webhooks without a signature key",
            |w| {
                w.config.webhook.enabled = true;
                w.config.webhook.listen = Some("127.0.0.1:0".into());
                w.config.webhook.public_url = Some("https://sync.example.cz/hook".into());
                w.config.webhook.signature_key = None;
            },
            "webhook",
            "fail",
        ),
    ];
    for (what, broken, check, level) in cases {
        let mut world = good_world().await;
        broken(&mut world);
        let (config, data) = world.write_config();
        let o = doctor(&config, &data);
        let all = checks(&o);
        let c = find(&all, check);
        assert_eq!(c.1, level, "{what}: {all:#?}");
        assert!(!c.2.is_empty(), "{what}: names the fix: {c:?}");
        assert_eq!(o.status.code(), Some(1), "{what}: a failure exits 1");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_files_are_named_with_their_fix() {
    // No config file at all.
    let world = good_world().await;
    let (config, data) = world.write_config();
    let missing = data.join("nowhere.toml");
    let all = checks(&doctor(&missing, &data));
    assert_eq!(find(&all, "config file").1, "fail", "{all:#?}");

    // A config file others can read: a warning (exit 2) with the chmod.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
        let o = doctor(&config, &data);
        let all = checks(&o);
        let c = find(&all, "config permissions");
        assert_eq!(c.1, "warn", "{all:#?}");
        assert!(c.2.contains("chmod 600"), "{c:?}");
        assert_eq!(o.status.code(), Some(2), "warnings only exit 2");
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    }

    // A data directory that is a file.
    let file = data.join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let all = checks(&doctor(&config, &file));
    assert_eq!(find(&all, "data directory").1, "fail", "{all:#?}");

    // A database that is not one.
    std::fs::write(data.join("sync.db"), vec![b'x'; 8192]).unwrap();
    let all = checks(&doctor(&config, &data));
    let c = find(&all, "database");
    assert_eq!(c.1, "fail", "{all:#?}");
    assert!(c.2.contains("backup"), "{c:?}");
}
