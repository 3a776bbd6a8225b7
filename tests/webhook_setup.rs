//! Webhooks set up by the tool: the dashboard's setup (its wizard, through the real probe)
//! against the Shoptet simulator registers ours, a second run adds nothing, a new public URL
//! moves ours, turning webhooks off removes only ours, a token without webhook rights is told
//! what to do, and the signature key is fetched once and saved privately.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secrecy::ExposeSecret;

use shoptet_raynet_sync::config::Config;
use shoptet_raynet_sync::front::dashboard::ClientProbe;
use shoptet_raynet_sync::http::RetryPolicy;
use shoptet_raynet_sync::tui::action::{Action, Pane};
use shoptet_raynet_sync::tui::app::{App, AppInit, Effect};
use shoptet_raynet_sync::tui::fake::FakeSource;
use shoptet_raynet_sync::tui::wizard::Step;
use shoptet_raynet_sync::tui::{Lang, SetupProbe};

use common::*;

const URL: &str = "https://sync.zahrada.cz/webhook";
const NEW_URL: &str = "https://hooks.zahrada.cz:8443/sync/webhook";

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Action {
    Action::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn screen(app: &mut App) -> String {
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    term.draw(|f| app.render(f)).expect("draw");
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..30 {
        for x in 0..100 {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The dashboard over `config`, with the real probe (the wizard's way to the network).
fn app(config: Config, lang: Lang) -> App {
    App::new(AppInit {
        source: Box::new(FakeSource::default()),
        config: Some(config),
        config_path: PathBuf::from("config.toml"),
        commands: None,
        status: None,
        probe: Arc::new(ClientProbe::new(RetryPolicy::fast())),
        lang,
        banner: None,
        now: Utc::now(),
        size: (100, 30),
        setup: false,
    })
}

/// Carries out what the app asks, as the dashboard's runner does: the webhook setup through
/// the probe, the save into `path` (what the dashboard's save hook writes).
async fn run_effects(app: &mut App, path: &Path) {
    let probe = ClientProbe::new(RetryPolicy::fast());
    for _ in 0..10 {
        let effects = app.take_effects();
        if effects.is_empty() {
            return;
        }
        for e in effects {
            match e {
                Effect::SetUpWebhooks { shop, job } => {
                    let r = probe.set_up_webhooks(shop, job).await;
                    app.update(Action::WebhooksSetUp(r));
                }
                Effect::Save(cfg) => {
                    let r = cfg.save(path).map_err(|e| e.to_string());
                    app.update(Action::Saved(r));
                }
                _ => {}
            }
        }
    }
}

/// Configuration → the Webhook row → `e`: the setup of that one setting.
fn edit_webhook(app: &mut App) {
    app.update(Action::GoPane(Pane::Configuration));
    app.update(code(KeyCode::End));
    app.update(key('e'));
    assert_eq!(app.wizard.as_ref().map(|w| w.step), Some(Step::Webhook));
}

/// Replaces the focused field's text.
fn retype(app: &mut App, text: &str) {
    for _ in 0..120 {
        app.update(code(KeyCode::Backspace));
    }
    for c in text.chars() {
        app.update(key(c));
    }
}

fn with_webhook(world: &World, url: &str) -> Config {
    let mut c = world.config.clone();
    c.webhook.enabled = true;
    c.webhook.listen = Some("127.0.0.1:0".into());
    c.webhook.public_url = Some(url.into());
    c
}

fn ours(world: &World) -> Vec<(i64, String, String)> {
    let mut v: Vec<_> = world
        .shoptet
        .webhooks()
        .iter()
        .map(|w| {
            (
                w["id"].as_i64().unwrap_or(0),
                w["event"].as_str().unwrap_or("").to_string(),
                w["url"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn requests(world: &World, line: &str) -> usize {
    world.shoptet.requests().iter().filter(|r| r.starts_with(line)).count()
}

/// Review → Enter after opening the webhook step (pressed twice while Shoptet answers: one
/// setup only); the effects are carried out.
async fn confirm(app: &mut App, path: &Path) {
    app.update(code(KeyCode::Enter));
    assert_eq!(app.wizard.as_ref().map(|w| w.step), Some(Step::Review));
    app.update(code(KeyCode::Enter));
    let pending = app.take_effects();
    app.update(code(KeyCode::Enter));
    assert!(app.take_effects().is_empty(), "one setup at a time");
    for e in pending {
        match e {
            Effect::SetUpWebhooks { shop, job } => {
                let r = ClientProbe::new(RetryPolicy::fast()).set_up_webhooks(shop, job).await;
                app.update(Action::WebhooksSetUp(r));
            }
            Effect::Save(_) => panic!("the webhooks are set up before the save"),
            _ => {}
        }
    }
    run_effects(app, path).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_registers_ours_and_a_second_run_adds_nothing() {
    let world = World::empty().await;
    let path = world.dir.path().join("config.toml");
    let config = with_webhook(&world, URL);
    config.save(&path).expect("config");

    let mut first = app(config, Lang::En);
    edit_webhook(&mut first);
    confirm(&mut first, &path).await;
    assert!(first.wizard.is_none(), "saved and closed: {}", screen(&mut first));
    let registered = ours(&world);
    let events: Vec<&str> = registered.iter().map(|(_, e, _)| e.as_str()).collect();
    assert_eq!(events, vec!["order:create", "order:update"]);
    assert!(registered.iter().all(|(_, _, u)| u == URL), "{registered:?}");
    assert!(
        first.flash.as_deref().is_some_and(|f| f.contains("Webhooks registered at")),
        "{:?}",
        first.flash
    );

    // The key Shoptet made is in the saved file, readable by its owner only.
    let saved = Config::load(&path).expect("saved config");
    let stored = saved.webhook.signature_key.as_ref().map(|k| k.expose_secret().to_string());
    assert_eq!(stored, Some(world.shoptet.signature_key()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert!(!screen(&mut first).contains(&world.shoptet.signature_key()), "the key is never shown");

    // A second setup run over the saved file: listed, nothing registered again, no new key.
    let mut second = app(saved, Lang::En);
    edit_webhook(&mut second);
    let s = screen(&mut second);
    assert!(s.contains("stored") && !s.contains(&world.shoptet.signature_key()), "{s}");
    confirm(&mut second, &path).await;
    assert_eq!(ours(&world), registered, "no duplicates, same webhooks");
    assert_eq!(requests(&world, "POST /api/webhooks/renew-signature-key"), 1, "the key is fetched once");
    assert_eq!(requests(&world, "POST /api/webhooks "), 0);
    assert_eq!(
        world.shoptet.requests().iter().filter(|r| r.as_str() == "POST /api/webhooks").count(),
        1,
        "one registration request in all"
    );
    assert!(second.flash.as_deref().is_some_and(|f| f.contains("already registered")), "{:?}", second.flash);
    let again = Config::load(&path).expect("config");
    assert_eq!(again.webhook.signature_key.map(|k| k.expose_secret().to_string()), stored, "key unchanged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_public_url_moves_ours_and_asking_renews_the_key() {
    let world = World::empty().await;
    let path = world.dir.path().join("config.toml");
    let config = with_webhook(&world, URL);
    config.save(&path).expect("config");
    let mut a = app(config, Lang::En);
    edit_webhook(&mut a);
    confirm(&mut a, &path).await;
    let before = ours(&world);
    let first_key = world.shoptet.signature_key();

    let mut b = app(Config::load(&path).expect("config"), Lang::En);
    edit_webhook(&mut b);
    b.update(code(KeyCode::Tab));
    b.update(code(KeyCode::Tab));
    retype(&mut b, NEW_URL);
    // Ask for a new key too (Space on the key switch).
    b.update(code(KeyCode::Tab));
    b.update(key(' '));
    confirm(&mut b, &path).await;
    assert!(b.wizard.is_none(), "{}", screen(&mut b));
    let after = ours(&world);
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after.iter().all(|(_, _, u)| u == NEW_URL), "{after:?}");
    let ids = |v: &[(i64, String, String)]| v.iter().map(|h| h.0).collect::<Vec<_>>();
    assert_eq!(ids(&after), ids(&before), "the same webhooks, pointed at the new address");
    assert_eq!(requests(&world, "PATCH /api/webhooks/"), 2);
    let saved = Config::load(&path).expect("config");
    assert_eq!(saved.webhook.public_url.as_deref(), Some(NEW_URL));
    let key = saved.webhook.signature_key.map(|k| k.expose_secret().to_string());
    assert_eq!(key, Some(world.shoptet.signature_key()));
    assert_ne!(key, Some(first_key), "asked for, a new key replaces the old one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_webhooks_off_removes_only_ours() {
    let world = World::empty().await;
    let path = world.dir.path().join("config.toml");
    let config = with_webhook(&world, URL);
    config.save(&path).expect("config");
    let mut a = app(config, Lang::En);
    edit_webhook(&mut a);
    confirm(&mut a, &path).await;
    // Another tool's webhooks on the same e-shop.
    let shop = shoptet_raynet_sync::shoptet::ShoptetClient::new(
        &world.shoptet_server.url,
        world.shoptet.token().to_string().into(),
        RetryPolicy::fast(),
    )
    .expect("client");
    shop.register_webhook("order:delete", "https://erp.zahrada.cz/webhook").await.expect("other tool");
    shop.register_webhook("customer:create", URL).await.expect("other event");

    let mut b = app(Config::load(&path).expect("config"), Lang::En);
    edit_webhook(&mut b);
    b.update(key(' '));
    confirm(&mut b, &path).await;
    assert!(b.wizard.is_none(), "{}", screen(&mut b));
    let mut left: Vec<String> = ours(&world).into_iter().map(|(_, e, _)| e).collect();
    left.sort();
    assert_eq!(left, vec!["customer:create".to_string(), "order:delete".to_string()]);
    assert!(!Config::load(&path).expect("config").webhook.enabled);
    assert!(b.flash.as_deref().is_some_and(|f| f.contains("2 webhook(s) removed")), "{:?}", b.flash);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_that_may_not_register_webhooks_is_told_what_to_do() {
    let world = World::empty().await;
    world.shoptet.forbid_webhooks(true);
    let path = world.dir.path().join("config.toml");
    let config = with_webhook(&world, URL);
    config.save(&path).expect("config");
    let before = std::fs::read_to_string(&path).expect("file");
    for (lang, says) in [(Lang::En, "does not let this token manage webhooks"), (Lang::Cs, "nedovolí")] {
        let mut a = app(config.clone(), lang);
        edit_webhook(&mut a);
        confirm(&mut a, &path).await;
        assert_eq!(a.wizard.as_ref().map(|w| w.step), Some(Step::Review), "stays on the review");
        let s = screen(&mut a).replace('│', " ");
        let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(says), "{s}");
        assert!(flat.contains("addon"), "says what to do: {s}");
    }
    assert_eq!(std::fs::read_to_string(&path).expect("file"), before, "nothing saved");
    assert!(world.shoptet.webhooks().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_tools_webhook_for_our_event_blocks_and_is_left_alone() {
    let world = World::empty().await;
    let shop = shoptet_raynet_sync::shoptet::ShoptetClient::new(
        &world.shoptet_server.url,
        world.shoptet.token().to_string().into(),
        RetryPolicy::fast(),
    )
    .expect("client");
    shop.register_webhook("order:update", "https://erp.zahrada.cz/webhook").await.expect("other tool");
    let path = world.dir.path().join("config.toml");
    let config = with_webhook(&world, URL);
    config.save(&path).expect("config");
    let mut a = app(config, Lang::En);
    edit_webhook(&mut a);
    confirm(&mut a, &path).await;
    let flat = screen(&mut a).replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("https://erp.zahrada.cz/webhook") && flat.contains("--replace"), "{flat}");
    let left: Vec<String> = ours(&world).into_iter().map(|(_, _, u)| u).collect();
    assert_eq!(left, vec!["https://erp.zahrada.cz/webhook".to_string()], "nothing registered, theirs kept");
}

/// The path the public URL must end with is where the receiver answers: a delivery signed
/// with the stored key, posted there, makes the engine poll.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_url_path_is_where_the_receiver_answers() {
    use shoptet_raynet_sync::engine::api::EngineCommand;
    use shoptet_raynet_sync::webhooks::RECEIVER_PATH;
    let shop = shoptet_raynet_sync::sim::shoptet::ShoptetSim::empty(ESHOP_ID);
    let (body, signature) = shop.signed_webhook("order:create", "2026000777");
    let (tx, mut commands) = tokio::sync::mpsc::unbounded_channel();
    let key = shop.signature_key().into_bytes();
    let router = shoptet_raynet_sync::server::router(Some(key), tx);
    let server = shoptet_raynet_sync::sim::SimServer::start(router, 0).await.expect("serve");
    let reply = reqwest::Client::new()
        .post(format!("{}{RECEIVER_PATH}", server.url))
        .header("Shoptet-Webhook-Signature", signature)
        .body(body)
        .send()
        .await
        .expect("answer");
    assert_eq!(reply.status().as_u16(), 200);
    assert!(matches!(commands.try_recv(), Ok(EngineCommand::SyncNow)));
}
