//! A plain-http webhook URL: Shoptet delivers to ports 80, 8080, 443 and 8443 and names no
//! scheme (shoptet-api.md §7), so `http://` is accepted on 80 and 8080 — the signature then is
//! the deliveries' only protection, which `doctor` warns about — and refused on the https ports
//! with the reason.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use common::*;
use shoptet_raynet_sync::config::Config;

fn with_public_url(url: &str) -> Config {
    let mut c = Config::example();
    c.webhook.enabled = true;
    c.webhook.listen = Some("0.0.0.0:8080".into());
    c.webhook.public_url = Some(url.into());
    c
}

#[test]
fn the_configuration_takes_plain_http_on_80_and_8080_and_says_why_not_elsewhere() {
    for ok in [
        "https://sync.example.cz/webhook",
        "https://sync.example.cz:8443/webhook",
        "http://sync.example.cz/webhook",
        "http://sync.example.cz:80/webhook",
        "http://sync.example.cz:8080/shop/webhook",
    ] {
        assert!(with_public_url(ok).validate().is_ok(), "{ok}: {:?}", with_public_url(ok).validate());
    }
    for (bad, why) in [
        ("http://sync.example.cz:443/webhook", "port 443"),
        ("http://sync.example.cz:8443/webhook", "port 8443"),
        ("ftp://sync.example.cz/webhook", "not ftp://"),
    ] {
        let errors = with_public_url(bad).validate().expect_err(bad);
        let msg = errors.to_string();
        assert!(msg.contains("webhook.public_url"), "{bad}: names the key: {msg}");
        assert!(msg.contains(why) && msg.contains("https://"), "{bad}: says why: {msg}");
        assert!(msg.contains("80 or 8080"), "{bad}: says what would do: {msg}");
    }
}

fn doctor(config: &Path, data: &Path) -> Vec<(String, String, String, String)> {
    let o: Output = tokio::task::block_in_place(|| {
        Command::new(env!("CARGO_BIN_EXE_shoptet-raynet-sync"))
            .env_remove("SHOPTET_API_TOKEN")
            .env_remove("RAYNET_API_KEY")
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .args(["doctor", "--json", "--config"])
            .arg(config)
            .arg("--data-dir")
            .arg(data)
            .output()
            .expect("run")
    });
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", String::from_utf8_lossy(&o.stderr)));
    v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (s("name"), s("level"), s("detail"), s("fix"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_warns_that_a_plain_http_url_has_only_the_signature_to_protect_it() {
    let mut world = World::empty().await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(world.dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    world.config.webhook.enabled = true;
    world.config.webhook.listen = Some("127.0.0.1:0".into());
    world.config.webhook.signature_key = Some("0123456789abcdef0123456789abcdef".to_string().into());
    let plain = |checks: &[(String, String, String, String)]| {
        checks.iter().filter(|c| c.0 == "webhook" && c.2.contains("plain http")).cloned().collect::<Vec<_>>()
    };
    for url in ["https://sync.zahrada.cz/webhook", "https://sync.zahrada.cz:8080/webhook"] {
        world.config.webhook.public_url = Some(url.into());
        let (config, data) = world.write_config();
        assert!(plain(&doctor(&config, &data)).is_empty(), "{url}");
    }
    let url = "http://sync.zahrada.cz:8080/webhook";
    world.config.webhook.public_url = Some(url.into());
    let (config, data) = world.write_config();
    let checks = doctor(&config, &data);
    let warned = plain(&checks);
    assert_eq!(warned.len(), 1, "{checks:#?}");
    let (_, level, detail, fix) = &warned[0];
    assert_eq!(level, "warn");
    assert!(detail.contains(url) && detail.contains("signature"), "{detail}");
    assert!(fix.contains("https"), "{fix}");
}
