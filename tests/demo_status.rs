//! `demo --listen ADDR` serves `/healthz` and `/metrics` over the demo world, so they can be
//! tried without a real shop: the demo's orders show in the health report and the metrics
//! count its syncs and its requests, and after the summary they stay served until Ctrl-C.

mod common;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use prometheus_parse::{Scrape, Value as Metric};
use serde_json::Value;

use common::process::{bin, free_port};

/// The demo, killed when dropped.
struct Demo(Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The sum of `name`'s samples whose labels include `labels`.
fn sum(s: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    s.samples
        .iter()
        .filter(|x| x.metric == name && labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v)))
        .map(|x| match x.value {
            Metric::Counter(v) | Metric::Gauge(v) | Metric::Untyped(v) => v,
            _ => 0.0,
        })
        .sum()
}

async fn scrape(base: &str) -> Option<Scrape> {
    let text = reqwest::get(format!("{base}/metrics")).await.ok()?.text().await.ok()?;
    Some(Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).expect("Prometheus text"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_listen_serves_health_and_metrics_of_the_demo_world() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stdout");
    let addr = format!("127.0.0.1:{}", free_port());
    let child = bin()
        .args(["demo", "--headless", "--listen", &addr])
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn demo");
    let _demo = Demo(child);
    let base = format!("http://{addr}");
    let said = || std::fs::read_to_string(&out).unwrap_or_default();

    // The demo syncs its orders; the metrics count them and the requests made for them.
    let deadline = Instant::now() + Duration::from_secs(60);
    let metrics = loop {
        if let Some(s) = scrape(&base).await
            && sum(&s, "shoptet_raynet_sync_syncs_total", &[("result", "created")]) >= 5.0
            && sum(&s, "shoptet_raynet_sync_api_requests_total", &[("service", "raynet")]) >= 5.0
        {
            break s;
        }
        assert!(Instant::now() < deadline, "no syncs counted within 60 s: {}", said());
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(sum(&metrics, "shoptet_raynet_sync_api_requests_total", &[("service", "shoptet")]) >= 1.0);
    assert!(said().contains(&format!("http://{addr}/healthz")), "says where: {}", said());

    // After the summary, still served, and the health report knows the demo's orders.
    let deadline = Instant::now() + Duration::from_secs(120);
    while !said().contains("until Ctrl-C") {
        assert!(Instant::now() < deadline, "no summary: {}", said());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let reply = reqwest::get(format!("{base}/healthz")).await.expect("healthz answers");
    let code = reply.status().as_u16();
    let body: Value = reply.json().await.expect("healthz JSON");
    assert!(
        matches!((code, body["status"].as_str()), (200, Some("ok" | "degraded")) | (503, Some("failing"))),
        "{code} {body}"
    );
    let synced = body["orders"]["synced"].as_u64().unwrap_or_default();
    assert!(synced >= 5, "{body}");
    assert!(said().contains("synced"), "{}", said());
}

#[test]
fn demo_listen_refuses_an_address_without_a_port() {
    let out = bin().args(["demo", "--headless", "--listen", "localhost"]).output().expect("run");
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--listen") && err.contains("127.0.0.1:9464"), "{err}");
}
