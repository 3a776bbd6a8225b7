//! `webhooks register|remove|status` for admins over SSH, and what `doctor` says about the
//! webhook: a registration that does not match the configuration, and failed deliveries.

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use shoptet_raynet_sync::config::Config;
use shoptet_raynet_sync::http::RetryPolicy;
use shoptet_raynet_sync::shoptet::ShoptetClient;

use common::process::cli;
use common::*;

const URL: &str = "https://sync.zahrada.cz/webhook";

fn bin(config: &Path, data: &Path, args: &[&str]) -> Output {
    tokio::task::block_in_place(|| cli(config, data, args).output().expect("run"))
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {}", text(o)))
}

async fn world_with_webhooks(key: Option<&str>) -> (World, std::path::PathBuf, std::path::PathBuf) {
    let mut world = World::empty().await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(world.dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    world.config.webhook.enabled = true;
    world.config.webhook.listen = Some("127.0.0.1:0".into());
    world.config.webhook.public_url = Some(URL.into());
    world.config.webhook.signature_key = key.map(|k| k.to_string().into());
    let (config, data) = world.write_config();
    (world, config, data)
}

fn shop(world: &World) -> ShoptetClient {
    ShoptetClient::new(
        &world.shoptet_server.url,
        world.shoptet.token().to_string().into(),
        RetryPolicy::fast(),
    )
    .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_twice_fetches_the_key_once_and_adds_nothing_the_second_time() {
    let (world, config, data) = world_with_webhooks(None).await;
    // A hand-written file: its comments survive the key being stored.
    let original = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("# the shop's sync — do not share\n{original}")).unwrap();

    let o = bin(&config, &data, &["webhooks", "status"]);
    assert_eq!(o.status.code(), Some(2), "not as configured yet: {}", text(&o));

    let o = bin(&config, &data, &["webhooks", "register"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let key = world.shoptet.signature_key();
    assert!(text(&o).contains("webhooks registered at") && !text(&o).contains(&key), "{}", text(&o));
    let file = std::fs::read_to_string(&config).unwrap();
    assert!(file.starts_with("# the shop's sync — do not share"), "{file}");
    let saved = Config::load(&config).expect("config");
    use secrecy::ExposeSecret;
    assert_eq!(saved.webhook.signature_key.map(|k| k.expose_secret().to_string()), Some(key.clone()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&config).unwrap().permissions().mode() & 0o777, 0o600);
    }

    let o = bin(&config, &data, &["webhooks", "register"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("already registered"), "{}", text(&o));
    assert_eq!(world.shoptet.webhooks().len(), 2);
    let renewals = world.shoptet.requests().iter().filter(|r| r.contains("renew-signature-key")).count();
    assert_eq!(renewals, 1, "a stored key is kept");
    assert_eq!(world.shoptet.signature_key(), key);

    let v = json(&bin(&config, &data, &["webhooks", "status", "--json"]));
    assert_eq!(v["matches_config"], true, "{v}");
    assert_eq!(v["signature_key_stored"], true);
    assert_eq!(v["webhooks"].as_array().map(Vec::len), Some(2));
    assert!(v.to_string().find(&key).is_none(), "the key is never printed");

    let o = bin(&config, &data, &["webhooks", "remove"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(world.shoptet.webhooks().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_is_refused_when_webhooks_are_off_or_the_token_may_not() {
    let (world, config, data) = world_with_webhooks(None).await;
    world.shoptet.forbid_webhooks(true);
    let o = bin(&config, &data, &["webhooks", "register"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("does not let this token manage webhooks"), "{}", text(&o));
    assert!(Config::load(&config).unwrap().webhook.signature_key.is_none(), "no key stored");

    let mut off = world.config.clone();
    off.webhook = Default::default();
    off.save(&config).unwrap();
    let o = bin(&config, &data, &["webhooks", "register"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("webhooks are off in the configuration"), "{}", text(&o));
}

/// (name, level, detail, fix) of a doctor check.
type Row = (String, String, String, String);

fn doctor(config: &Path, data: &Path) -> (Option<i32>, Vec<Row>) {
    let o = bin(config, data, &["doctor", "--json"]);
    let v = json(&o);
    let checks = v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (s("name"), s("level"), s("detail"), s("fix"))
        })
        .collect();
    (o.status.code(), checks)
}

fn find<'a>(all: &'a [Row], name: &str) -> &'a Row {
    all.iter().find(|c| c.0 == name).unwrap_or_else(|| panic!("no {name} in {all:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_finds_a_mismatched_registration_and_failed_deliveries() {
    let (world, config, data) = world_with_webhooks(Some("0123456789abcdef0123456789abcdef")).await;
    // Registered by hand at an older address, and one delivery there failed.
    let client = shop(&world);
    client
        .register_webhooks(&["order:create", "order:update"], "https://old.zahrada.cz/webhook")
        .await
        .unwrap();
    assert!(world.shoptet.record_delivery("order:update", "2026000123", false));
    assert!(world.shoptet.record_delivery("order:create", "2026000124", true));

    let (code, all) = doctor(&config, &data);
    let hook = find(&all, "webhook");
    assert_eq!(hook.1, "warn", "{all:#?}");
    assert!(hook.2.contains("https://old.zahrada.cz/webhook") && hook.2.contains(URL), "{hook:?}");
    assert!(hook.3.contains("webhooks register"), "names the fix: {hook:?}");
    let deliveries = find(&all, "webhook deliveries");
    assert_eq!(deliveries.1, "warn", "{all:#?}");
    assert!(deliveries.2.starts_with("1 failed") && deliveries.2.contains("2026000123"), "{deliveries:?}");
    assert!(!deliveries.3.is_empty());
    assert_eq!(code, Some(2), "warnings only");

    // Moved to the configured address, and no failures of ours: both ok.
    for w in client.webhooks().await.unwrap() {
        client.delete_webhook(w.id).await.unwrap();
    }
    let o = bin(&config, &data, &["webhooks", "register"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let (_, all) = doctor(&config, &data);
    assert_eq!(find(&all, "webhook").1, "ok", "{all:#?}");
    assert_eq!(find(&all, "webhook deliveries").1, "warn", "the old failure is still in the 7-day log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_says_when_the_public_url_cannot_reach_the_receiver() {
    let (world, config, data) = world_with_webhooks(Some("0123456789abcdef0123456789abcdef")).await;
    let mut c = world.config.clone();
    c.webhook.public_url = Some("https://sync.zahrada.cz/shoptet-hook".into());
    c.save(&config).unwrap();
    let (_, all) = doctor(&config, &data);
    let hook = find(&all, "webhook");
    assert_eq!(hook.1, "warn", "{all:#?}");
    assert!(hook.2.contains("must end with /webhook"), "{hook:?}");
    assert_eq!(find(&all, "webhook deliveries").1, "ok", "{all:#?}");
}
