//! The status endpoint: `/healthz` moves ok → degraded → ok as an API fails and recovers,
//! `/metrics` parses as Prometheus text and its counters move as orders sync, and the daemon
//! serves both beside the webhook receiver on one shared listener.

mod common;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use prometheus_parse::{Scrape, Value as Metric};
use secrecy::SecretString;
use serde_json::Value;

use common::process::free_port;
use common::*;
use shoptet_raynet_sync::config::WebhookConfig;
use shoptet_raynet_sync::engine::Engine;
use shoptet_raynet_sync::health::{Live, Monitor, Rules};
use shoptet_raynet_sync::http::observed;
use shoptet_raynet_sync::sim::{FaultKind, FaultRule, SimServer};

fn final_order(code: &str, email: &'static str) -> Value {
    let c = person("Jana Dvořáková", email);
    order(code, -3, &c, &[product("KAV-ETH-250", "Káva Etiopie 250 g", 2, "289.00")], "CZK")
}

/// The engine of `world`, a monitor beside it (its own store connection) and the status
/// endpoint serving it.
async fn watched(world: &World) -> (Engine, Arc<Live>, SimServer) {
    let engine = world.engine();
    let live = Live::new();
    let monitor = Monitor::new(world.store(), live.clone(), Rules::from_config(&world.config))
        .with_engine(engine.status());
    tokio::spawn(live.clone().follow(engine.subscribe()));
    let server = SimServer::start(shoptet_raynet_sync::server::status_router(Arc::new(monitor)), 0)
        .await
        .expect("serve");
    (engine, live, server)
}

async fn sync(engine: &mut Engine, live: &Arc<Live>) {
    let _ = observed(live.clone(), engine.sync_once()).await;
}

async fn healthz(server: &SimServer) -> (u16, Value) {
    let reply = reqwest::get(format!("{}/healthz", server.url)).await.expect("healthz answers");
    let code = reply.status().as_u16();
    (code, reply.json().await.expect("healthz JSON"))
}

async fn scrape(url: &str) -> Scrape {
    let reply = reqwest::get(format!("{url}/metrics")).await.expect("metrics answer");
    assert_eq!(reply.status(), 200);
    let kind = reply.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let text = reply.text().await.unwrap();
    Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).expect("Prometheus text")
}

/// The value of `name` with exactly these labels (absent: `None`).
fn value(s: &Scrape, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    s.samples
        .iter()
        .find(|x| {
            x.metric == name
                && labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v))
                && labels.len() == x.labels.iter().count()
        })
        .map(|x| match &x.value {
            Metric::Counter(v) | Metric::Gauge(v) | Metric::Untyped(v) => *v,
            Metric::Histogram(b) => b.iter().map(|c| c.count).fold(0.0, f64::max),
            Metric::Summary(_) => f64::NAN,
        })
}

fn requests(s: &Scrape, service: &str) -> f64 {
    s.samples
        .iter()
        .filter(|x| {
            x.metric == "shoptet_raynet_sync_api_requests_total" && x.labels.get("service") == Some(service)
        })
        .map(|x| if let Metric::Counter(v) = x.value { v } else { 0.0 })
        .sum()
}

fn codes(body: &Value) -> Vec<String> {
    body["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_goes_degraded_while_shoptet_fails_and_ok_again_after() {
    let world = World::empty().await;
    world.shoptet.upsert_order(final_order("2026000501", "jana@seznam.cz")).unwrap();
    let (mut engine, live, server) = watched(&world).await;

    sync(&mut engine, &live).await;
    let (code, body) = healthz(&server).await;
    assert_eq!((code, body["status"].as_str()), (200, Some("ok")), "{body}");
    assert_eq!(body["healthy"], true);
    assert_eq!(body["orders"]["synced"], 1, "{body}");

    // Shoptet answers every request with a 500: the poll fails after its retries.
    let mut fault = FaultRule::new(FaultKind::Status, None, "/api/");
    fault.status = Some(500);
    fault.count = 1_000;
    world.shoptet.control().add_fault(fault);
    sync(&mut engine, &live).await;
    let (code, body) = healthz(&server).await;
    assert_eq!(body["status"], "degraded", "{body}");
    assert_eq!(code, 200, "degraded still answers 200: the sync recovers by itself");
    assert_eq!(codes(&body), ["api_failing"], "{body}");
    assert_eq!(body["reasons"][0]["service"], "shoptet");
    assert_eq!(body["reasons"][0]["level"], "degraded");

    world.shoptet.control().clear_faults();
    sync(&mut engine, &live).await;
    let (code, body) = healthz(&server).await;
    assert_eq!((code, body["status"].as_str()), (200, Some("ok")), "{body}");
    assert!(codes(&body).is_empty(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_parse_and_their_counters_move_as_orders_sync() {
    let world = World::empty().await;
    world.shoptet.set_bucket_filling(30);
    for (code, email) in [("2026000511", "jana@seznam.cz"), ("2026000512", "petr@email.cz")] {
        world.shoptet.upsert_order(final_order(code, email)).unwrap();
    }
    let (mut engine, live, server) = watched(&world).await;

    let before = scrape(&server.url).await;
    assert_eq!(value(&before, "shoptet_raynet_sync_syncs_total", &[("result", "created")]), Some(0.0));
    assert_eq!(requests(&before, "raynet"), 0.0);
    assert_eq!(value(&before, "shoptet_raynet_sync_orders", &[("state", "synced")]), Some(0.0));
    assert_eq!(value(&before, "shoptet_raynet_sync_health", &[("status", "ok")]), Some(1.0));
    assert!(value(&before, "shoptet_raynet_sync_last_poll_timestamp_seconds", &[]).is_none(), "never polled");

    sync(&mut engine, &live).await;
    let mut after = scrape(&server.url).await;
    // The events reach the counters through a task; give it a moment.
    let deadline = Instant::now() + Duration::from_secs(3);
    while value(&after, "shoptet_raynet_sync_syncs_total", &[("result", "created")]) != Some(2.0)
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
        after = scrape(&server.url).await;
    }
    assert_eq!(value(&after, "shoptet_raynet_sync_syncs_total", &[("result", "created")]), Some(2.0));
    assert_eq!(value(&after, "shoptet_raynet_sync_orders", &[("state", "synced")]), Some(2.0));
    let raynet = world.raynet.control().stats().total as f64;
    assert_eq!(requests(&after, "raynet"), raynet, "every RAYNET request is counted once");
    assert!(requests(&after, "shoptet") >= 3.0, "feed and both orders");
    assert_eq!(
        value(&after, "shoptet_raynet_sync_api_requests_total", &[("service", "raynet"), ("status", "500")]),
        None,
        "no failed request was invented"
    );
    let latency = after
        .samples
        .iter()
        .find(|x| {
            x.metric == "shoptet_raynet_sync_api_request_duration_seconds"
                && x.labels.get("service") == Some("raynet")
        })
        .expect("a latency histogram for RAYNET");
    match &latency.value {
        Metric::Histogram(b) => {
            let all = b.iter().find(|c| c.less_than.is_infinite()).expect("+Inf bucket").count;
            assert_eq!(all, raynet, "one observation per request");
        }
        other => panic!("not a histogram: {other:?}"),
    }
    let polled = value(&after, "shoptet_raynet_sync_last_poll_timestamp_seconds", &[]).expect("polled");
    assert!((polled - chrono::Utc::now().timestamp() as f64).abs() < 60.0, "{polled}");
    assert_eq!(value(&after, "shoptet_raynet_sync_shoptet_bucket_filling_ratio", &[]), Some(0.3));
    assert!(
        value(&after, "shoptet_raynet_sync_raynet_budget_remaining", &[]).is_some(),
        "RAYNET reports its budget"
    );
    assert_eq!(value(&after, "shoptet_raynet_sync_queue_depth", &[]), Some(0.0));
    let problems: HashMap<_, _> = after
        .samples
        .iter()
        .filter(|x| x.metric == "shoptet_raynet_sync_problem")
        .map(|x| (x.labels.get("code").unwrap().to_string(), x.value.clone()))
        .collect();
    assert_eq!(problems.len(), 8, "every reason code is a series: {problems:?}");
    assert!(problems.values().all(|v| *v == Metric::Gauge(0.0)), "{problems:?}");
}

/// `run` with the status endpoint at the webhook receiver's address: one listener answers
/// the webhook, `/healthz` and `/metrics`, and the daemon's own requests are counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_serves_health_and_metrics_on_the_webhook_listener() {
    let mut world = World::empty().await;
    world.config.sync.poll_interval_secs = 30;
    let listen = format!("127.0.0.1:{}", free_port());
    world.config.webhook = WebhookConfig {
        enabled: true,
        listen: Some(listen.clone()),
        public_url: Some("https://example.cz/hook".into()),
        signature_key: Some(SecretString::from("whk-0f3c9a5e71d24b68".to_string())),
    };
    world.config.server.listen = Some(listen.clone());
    world.shoptet.upsert_order(final_order("2026000521", "jana@seznam.cz")).unwrap();
    let (config, data) = world.write_config();
    let child = Command::new(env!("CARGO_BIN_EXE_shoptet-raynet-sync"))
        .args(["run", "--log-stderr", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .env_remove("SHOPTET_API_TOKEN")
        .env_remove("RAYNET_API_KEY")
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn run");
    let mut daemon = Child(child);
    let base = format!("http://{listen}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut synced = None;
    while Instant::now() < deadline {
        if let Ok(reply) = reqwest::get(format!("{base}/metrics")).await {
            let text = reply.text().await.unwrap_or_default();
            let s = Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
            if value(&s, "shoptet_raynet_sync_syncs_total", &[("result", "created")]) == Some(1.0) {
                synced = Some(s);
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let metrics = synced.expect("the daemon's metrics count the synced order");
    assert!(requests(&metrics, "raynet") >= 1.0, "the daemon's RAYNET requests are counted");
    let reply = reqwest::get(format!("{base}/healthz")).await.expect("healthz on the shared listener");
    assert_eq!(reply.status(), 200);
    let body: Value = reply.json().await.expect("JSON");
    assert_eq!(body["status"], "ok", "{body}");
    let unsigned =
        reqwest::Client::new().post(format!("{base}/webhook")).body("{}").send().await.expect("webhook");
    assert_eq!(unsigned.status(), 401, "the webhook receiver shares the listener");

    let _ = Command::new("kill").arg("-TERM").arg(daemon.0.id().to_string()).status();
    let status = daemon.0.wait().expect("the daemon exits");
    assert!(status.success(), "{status:?}");
    assert!(reqwest::get(format!("{base}/healthz")).await.is_err(), "the listener stops with the daemon");
}

/// Kills the child if a failed assertion leaves it running.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}
