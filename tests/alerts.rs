//! Alerts once per episode: a 10-minute Shoptet outage (on an injected clock, no real wait)
//! runs the alert command exactly once when it starts and once when it ends, a restart in the
//! middle alerts nothing again; the webhook variant posts both to a local receiver; a broken
//! sink is never fatal; and `[server]` / `[alerts]` are validated.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use axum::Json;
use axum::extract::State;
use axum::routing::post;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use common::*;
use shoptet_raynet_sync::config::{AlertsConfig, Config, ConfigError};
use shoptet_raynet_sync::engine::retry::RetrySchedule;
use shoptet_raynet_sync::engine::{Engine, EngineParts};
use shoptet_raynet_sync::health::episodes::{Change, EpisodeKind};
use shoptet_raynet_sync::health::{Alerts, Live, Monitor, Rules, Sinks};
use shoptet_raynet_sync::http::observed;
use shoptet_raynet_sync::sim::{FaultKind, FaultRule, SimServer};
use shoptet_raynet_sync::store::Store;

/// Real time moved forward by a test-controlled offset (the simulators keep real time).
#[derive(Clone, Default)]
struct Clock(Arc<AtomicI64>);

impl Clock {
    fn advance(&self, d: Duration) {
        self.0.fetch_add(d.num_milliseconds(), Ordering::SeqCst);
    }

    fn store(&self, path: &Path) -> Store {
        let mut store = Store::open(path).expect("store");
        let offset = self.0.clone();
        store.set_clock(Box::new(move || Utc::now() + Duration::milliseconds(offset.load(Ordering::SeqCst))));
        store
    }
}

fn engine(world: &World, clock: &Clock) -> Engine {
    let mut parts =
        EngineParts::from_config(world.config.clone(), clock.store(&world.db_path()), World::policy())
            .expect("parts");
    parts.schedule = RetrySchedule {
        base: StdDuration::from_millis(50),
        cap: StdDuration::from_millis(400),
        max_attempts: 5,
    };
    Engine::new(parts)
}

fn alerts(world: &World, clock: &Clock, sinks: &AlertsConfig) -> Alerts {
    let monitor = Monitor::new(clock.store(&world.db_path()), Live::new(), Rules::from_config(&world.config));
    Alerts::new(Arc::new(monitor), Sinks::from_config(sinks))
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap_or_default().lines().map(str::to_owned).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_minute_outage_alerts_once_when_it_starts_and_once_when_it_ends() {
    let mut world = World::empty().await;
    world.config.alerts.stale_poll_minutes = Some(3);
    let c = person("Jana Dvořáková", "jana@seznam.cz");
    let line = product("KAV-ETH-250", "Káva Etiopie 250 g", 2, "289.00");
    world.shoptet.upsert_order(order("2026000601", -3, &c, &[line], "CZK")).unwrap();
    let out = world.dir.path().join("alerts.log");
    let command = format!(
        "printf '%s %s|%s|%s\\n' \"$SRS_ALERT_KIND\" \"$SRS_ALERT_STATE\" \"${{CARGO_MANIFEST_DIR:-env cleared}}\" \"$SRS_ALERT_TEXT\" >> '{}'",
        out.display()
    );
    let sinks = AlertsConfig { command: Some(command), ..AlertsConfig::default() };
    let clock = Clock::default();
    let live = Live::new();
    let mut engine = engine(&world, &clock);
    let mut watcher = alerts(&world, &clock, &sinks);

    let _ = observed(live.clone(), engine.sync_once()).await;
    assert!(watcher.tick().await.expect("tick").is_empty(), "all well at the start");

    let mut outage = FaultRule::new(FaultKind::Status, Some("GET"), "/api/orders/changes");
    outage.status = Some(503);
    outage.count = 100_000;
    world.shoptet.control().add_fault(outage);
    let mut started = Vec::new();
    for n in 1..=10 {
        clock.advance(Duration::minutes(1));
        let _ = observed(live.clone(), engine.sync_once()).await;
        if n == 6 {
            // A restart in the middle of the episode: a new monitor over a new connection.
            watcher = alerts(&world, &clock, &sinks);
        }
        started.extend(watcher.tick().await.expect("tick"));
    }
    assert_eq!(started.len(), 1, "one start, not one per failed poll: {started:?}");
    assert!(matches!(&started[0], Change::Started(e) if e.kind == EpisodeKind::PollStale), "{started:?}");

    world.shoptet.control().clear_faults();
    let mut ended = Vec::new();
    for _ in 11..=14 {
        clock.advance(Duration::minutes(1));
        let _ = observed(live.clone(), engine.sync_once()).await;
        ended.extend(watcher.tick().await.expect("tick"));
    }
    assert_eq!(ended.len(), 1, "{ended:?}");
    let Change::Ended { episode, at } = &ended[0] else { panic!("{ended:?}") };
    assert_eq!(episode.kind, EpisodeKind::PollStale);
    assert!(
        *at - episode.started_at >= Duration::minutes(7),
        "lasted most of the outage: {episode:?} → {at}"
    );

    let got = lines(&out);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].starts_with("poll_stale start|env cleared|no successful poll of Shoptet"), "{got:?}");
    assert!(got[1].starts_with("poll_stale end|env cleared|over after "), "{got:?}");
    for secret in [world.shoptet.token(), world.raynet.api_key()] {
        assert!(got.iter().all(|l| !l.contains(secret)), "{got:?}");
    }
    assert!(world.store().open_episodes().unwrap().is_empty(), "the episode is closed in the store");
}

type Posts = Arc<Mutex<Vec<Value>>>;

async fn receiver() -> (SimServer, Posts) {
    let posts: Posts = Arc::default();
    let router = axum::Router::new()
        .route(
            "/hook/T0/secret-part-9f8e7d6c",
            post(|State(p): State<Posts>, Json(body): Json<Value>| async move {
                p.lock().unwrap().push(body);
                "ok"
            }),
        )
        .with_state(posts.clone());
    (SimServer::start(router, 0).await.expect("receiver"), posts)
}

fn set_last_poll(path: &Path, at: DateTime<Utc>) {
    Store::open(path).unwrap().set_last_poll(at).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_alert_webhook_is_posted_once_at_the_start_and_once_at_the_end() {
    let world = World::empty().await;
    let (server, posts) = receiver().await;
    let url = format!("{}/hook/T0/secret-part-9f8e7d6c", server.url);
    let sinks = AlertsConfig { webhook_url: Some(SecretString::from(url)), ..AlertsConfig::default() };
    let clock = Clock::default();
    let db = world.db_path();
    set_last_poll(&db, Utc::now());
    let watcher = alerts(&world, &clock, &sinks);
    assert!(watcher.tick().await.unwrap().is_empty());

    clock.advance(Duration::minutes(16));
    assert_eq!(watcher.tick().await.unwrap().len(), 1, "no poll for 16 min");
    clock.advance(Duration::minutes(5));
    assert!(watcher.tick().await.unwrap().is_empty(), "still the same episode");
    set_last_poll(&db, Utc::now() + Duration::minutes(21));
    assert_eq!(watcher.tick().await.unwrap().len(), 1, "a poll ends it");

    let got = posts.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!((got[0]["kind"].as_str(), got[0]["state"].as_str()), (Some("poll_stale"), Some("start")));
    assert_eq!((got[1]["kind"].as_str(), got[1]["state"].as_str()), (Some("poll_stale"), Some("end")));
    assert_eq!(got[0]["started_at"], got[1]["started_at"], "the end names the episode it ends");
    assert!(got[0].get("duration_secs").is_none());
    assert!(got[1]["duration_secs"].as_i64().is_some_and(|s| s >= 5 * 60), "{}", got[1]);
    assert!(got[0]["text"].as_str().is_some_and(|t| t.contains("no successful poll")), "{}", got[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_sink_is_never_fatal_and_the_episode_is_still_kept() {
    let world = World::empty().await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let sinks = AlertsConfig {
        command: Some("echo oops >&2; exit 3".into()),
        webhook_url: Some(SecretString::from(format!("http://127.0.0.1:{closed}/hook"))),
        ..AlertsConfig::default()
    };
    let clock = Clock::default();
    set_last_poll(&world.db_path(), Utc::now());
    let watcher = alerts(&world, &clock, &sinks);
    clock.advance(Duration::minutes(20));
    let changes = watcher.tick().await.expect("a broken sink does not fail the tick");
    assert_eq!(changes.len(), 1);
    let open = world.store().open_episodes().unwrap();
    assert_eq!(open.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["poll_stale"]);
    assert!(watcher.tick().await.unwrap().is_empty(), "kept open: not alerted again");
}

fn with(toml_tail: &str) -> Result<Config, ConfigError> {
    let base = toml::to_string(&Config::example()).unwrap();
    Config::from_toml_str(&format!("{base}\n{toml_tail}"), None)
}

#[test]
fn server_and_alerts_are_validated_and_the_alert_url_stays_secret() {
    let off = with("").expect("no [server], no [alerts]");
    assert!(off.server.listen.is_none(), "the status endpoint is off by default");
    assert_eq!(off.alerts.stale_poll_minutes(300), 15);
    assert_eq!(off.alerts.stale_poll_minutes(3600), 180, "three polls when that is longer");
    assert!(!toml::to_string(&off).unwrap().contains("[alerts]"), "defaults are not written out");

    let on = with("[server]\nlisten = \"127.0.0.1:9464\"\n").expect("a listen address");
    assert_eq!(on.server.listen.as_deref(), Some("127.0.0.1:9464"));
    let beside_webhook = |status: &str| {
        let mut c = Config::example();
        c.webhook.enabled = true;
        c.webhook.listen = Some("0.0.0.0:8080".into());
        c.webhook.public_url = Some("https://sync.example.cz/hook".into());
        c.server.listen = Some(status.into());
        c.validate()
    };
    beside_webhook("0.0.0.0:8080").expect("the same address is shared");
    beside_webhook("127.0.0.1:9464").expect("another port is fine");
    let clash = beside_webhook("127.0.0.1:8080").unwrap_err();
    assert_eq!(clash.key(), Some("server.listen"), "{clash}");
    assert!(clash.to_string().contains("same address"), "{clash}");
    let bad = with("[server]\nlisten = \"9464\"\n").unwrap_err();
    assert_eq!(bad.key(), Some("server.listen"), "{bad}");

    let url = "https://hooks.example.cz/services/T0/B0/verysecretpart123";
    let alerts = with(&format!(
        "[alerts]\ncommand = \"logger alert\"\nwebhook_url = \"{url}\"\nstale_poll_minutes = 30\n"
    ))
    .expect("valid alerts");
    assert_eq!(
        alerts.alerts.webhook_url.as_ref().map(|u| u.expose_secret().to_string()).as_deref(),
        Some(url)
    );
    assert_eq!(alerts.alerts.stale_poll_minutes(300), 30);
    assert!(!alerts.to_review_toml().contains("verysecretpart123"), "masked in the review");
    assert!(!format!("{alerts:?}").contains("verysecretpart123"), "not in Debug");
    let plain = with("[alerts]\nwebhook_url = \"http://hooks.example.cz/verysecretpart123\"\n").unwrap_err();
    assert_eq!(plain.key(), Some("alerts.webhook_url"));
    assert!(!plain.to_string().contains("verysecretpart123"), "{plain}");
    for minutes in [0, 5, 20_000] {
        let e = with(&format!("[alerts]\nstale_poll_minutes = {minutes}\n")).unwrap_err();
        assert_eq!(e.key(), Some("alerts.stale_poll_minutes"), "{minutes}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_an_open_credentials_episode_waits_for_the_engine_to_say_how_it_is() {
    use shoptet_raynet_sync::engine::api::{EngineState, EngineStatus};
    use shoptet_raynet_sync::http::Service;
    use shoptet_raynet_sync::store::EpisodeRecord;

    let world = World::empty().await;
    let clock = Clock::default();
    let db = world.db_path();
    let since = Utc::now() - Duration::hours(1);
    let record =
        EpisodeRecord { kind: "credentials_rejected".into(), started_at: since, text: "RAYNET 401".into() };
    world.store().open_episode(&record).unwrap();
    set_last_poll(&db, Utc::now());
    let (status, rx) = tokio::sync::watch::channel(EngineStatus::default());
    let monitor =
        Monitor::new(clock.store(&db), Live::new(), Rules::from_config(&world.config)).with_engine(rx);
    let watcher = Alerts::new(Arc::new(monitor), Sinks::from_config(&AlertsConfig::default()));

    assert!(watcher.tick().await.unwrap().is_empty(), "starting: no verdict, so no false end");
    let rejected = EngineState::AuthProblem { service: Service::Raynet, problem: "HTTP 401".into() };
    status.send_modify(|s| s.state = rejected);
    assert!(
        watcher.tick().await.unwrap().is_empty(),
        "still rejected: the open episode goes on, no second start"
    );
    status.send_modify(|s| s.state = EngineState::Idle);
    let ended = watcher.tick().await.unwrap();
    assert!(
        matches!(&ended[..], [Change::Ended { episode, .. }] if episode.kind == EpisodeKind::CredentialsRejected && episode.started_at == record.started_at.trunc_subsecs(3)),
        "{ended:?}"
    );

    // An engine that never gets past starting is judged after a grace minute.
    world.store().open_episode(&record).unwrap();
    status.send_modify(|s| s.state = EngineState::Starting);
    assert!(watcher.tick().await.unwrap().is_empty());
    clock.advance(Duration::minutes(2));
    set_last_poll(&db, Utc::now() + Duration::minutes(2));
    assert_eq!(watcher.tick().await.unwrap().len(), 1, "the credentials episode ends once judged");
}
