//! The Shoptet simulator's state and wire behaviour, seen through raw HTTP.

use std::sync::Arc;

use chrono::Duration;
use rust_decimal::Decimal;
use serde_json::Value;
use shoptet_raynet_sync::http::parse_retry_after;
use shoptet_raynet_sync::shoptet::models::timestamp;
use shoptet_raynet_sync::sim::shoptet::{DEMO_TOKEN, ShoptetSim};
use shoptet_raynet_sync::sim::{FaultKind, FaultRule, SimServer};

struct Api {
    sim: Arc<ShoptetSim>,
    server: SimServer,
    http: reqwest::Client,
}

impl Api {
    async fn demo() -> Api {
        let sim = ShoptetSim::demo();
        let server = sim.start(0).await.unwrap();
        Api { sim, server, http: reqwest::Client::new() }
    }

    /// GET with the demo token; `path_and_query` is sent as is.
    async fn get(&self, path_and_query: &str) -> (u16, reqwest::header::HeaderMap, Value) {
        let resp = self
            .http
            .get(format!("{}{path_and_query}", self.server.url))
            .header("Shoptet-Private-API-Token", DEMO_TOKEN)
            .header("Content-Type", "application/json")
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        (status, headers, resp.json().await.unwrap())
    }

    async fn changes_since(&self, from: chrono::DateTime<chrono::FixedOffset>) -> Vec<Value> {
        let from = timestamp::format(&from).replace('+', "%2B");
        let (status, _, body) = self.get(&format!("/api/orders/changes?from={from}&itemsPerPage=1000")).await;
        assert_eq!(status, 200, "{body}");
        body["data"]["changes"].as_array().unwrap().clone()
    }
}

fn error_code(body: &Value) -> &str {
    body["errors"][0]["errorCode"].as_str().unwrap_or("")
}

fn money(v: &Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn demo_feed_holds_every_order_once_inside_the_window() {
    let api = Api::demo().await;
    let codes = api.sim.order_codes();
    assert!(codes.len() >= 40);
    let changes = api.changes_since(api.sim.now() - Duration::days(30) + Duration::minutes(1)).await;
    assert_eq!(changes.len(), codes.len());
    let newest = changes.iter().map(|c| timestamp::parse(c["changeTime"].as_str().unwrap()).unwrap()).max();
    let age = api.sim.now() - newest.unwrap();
    assert!(age > Duration::zero() && age < Duration::minutes(15), "newest change is {age} old");
}

#[tokio::test]
async fn upserts_status_changes_and_repricing_show_up_in_the_feed() {
    let api = Api::demo().await;
    let before = api.sim.now() - Duration::seconds(1);
    assert!(api.changes_since(before).await.is_empty());

    let code = api.sim.order_codes()[0].clone();
    api.sim.set_order_status(&code, -4).unwrap();
    let changes = api.changes_since(before).await;
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0]["code"].as_str(), changes[0]["changeType"].as_str()),
        (Some(code.as_str()), Some("edit"))
    );
    let (_, _, detail) = api.get(&format!("/api/orders/{code}")).await;
    assert_eq!(detail["data"]["order"]["status"]["name"], "Stornována");
    assert_eq!(detail["data"]["order"]["changeTime"], changes[0]["changeTime"]);
    assert!(api.sim.set_order_status(&code, 999).is_err());

    let mut copy = api.sim.order_json(&code).unwrap();
    copy["code"] = Value::from("2026999999");
    api.sim.upsert_order(copy).unwrap();
    assert_eq!(api.changes_since(before).await.len(), 2);
    assert!(api.sim.upsert_order(serde_json::json!({"code": "x"})).is_err());

    let other = api.sim.order_codes()[1].clone();
    api.sim.set_item_price(&other, 0, Decimal::new(99900, 2)).unwrap();
    let order = api.sim.order_json(&other).unwrap();
    let items = order["items"].as_array().unwrap();
    let sum = |k: &str| items.iter().map(|i| money(&i["itemPrice"][k])).sum::<Decimal>();
    assert_eq!(sum("withVat"), money(&order["price"]["withVat"]));
    assert_eq!(sum("withoutVat"), money(&order["price"]["withoutVat"]));
    assert_eq!(money(&items[0]["unitPrice"]["withVat"]), Decimal::new(99900, 2));
    assert_eq!(api.changes_since(before).await.len(), 3);

    api.sim.delete_order(&other).unwrap();
    let changes = api.changes_since(before).await;
    let deleted = changes.iter().find(|c| c["code"] == other.as_str()).unwrap();
    assert_eq!(deleted["changeType"], "delete");
    let (status, _, body) = api.get(&format!("/api/orders/{other}")).await;
    assert_eq!((status, error_code(&body)), (404, "order-not-found"));
}

#[tokio::test]
async fn changes_feed_rejects_old_unencoded_and_missing_from() {
    let api = Api::demo().await;
    let old = timestamp::format(&(api.sim.now() - Duration::days(31))).replace('+', "%2B");
    let (status, _, body) = api.get(&format!("/api/orders/changes?from={old}")).await;
    assert_eq!((status, error_code(&body)), (400, "invalid-parameter"));
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("30 days"));

    let raw_plus = timestamp::format(&(api.sim.now() - Duration::days(1)));
    assert!(raw_plus.contains('+'));
    let (status, _, body) = api.get(&format!("/api/orders/changes?from={raw_plus}")).await;
    assert_eq!((status, error_code(&body)), (400, "invalid-parameter"), "a bare + decodes to a space");

    let (status, _, body) = api.get("/api/orders/changes").await;
    assert_eq!((status, error_code(&body)), (400, "missing-parameter"));
}

#[tokio::test]
async fn envelope_paging_and_notes_follow_the_api() {
    let api = Api::demo().await;
    let (status, headers, body) = api.get("/api/orders?itemsPerPage=100&page=1").await;
    assert_eq!(status, 200);
    assert!(body["errors"].is_null());
    assert!(body["metadata"]["requestId"].is_string());
    assert_eq!(body["data"]["paginator"]["itemsPerPage"], 50, "clamped to 50");
    assert_eq!(headers["x-ratelimit-bucket-filling"], "10/200");

    let (_, _, body) = api.get("/api/orders?itemsPerPage=10&page=2").await;
    let pager = &body["data"]["paginator"];
    assert_eq!((pager["page"].as_u64(), pager["itemsOnPage"].as_u64()), (Some(2), Some(10)));
    let (status, _, body) = api.get("/api/orders?itemsPerPage=10&page=99").await;
    assert_eq!((status, error_code(&body)), (404, "page-not-found"));

    let code = api.sim.order_codes()[1].clone();
    let (_, _, plain) = api.get(&format!("/api/orders/{code}")).await;
    assert!(plain["data"]["order"].get("notes").is_none());
    let (_, _, with_notes) = api.get(&format!("/api/orders/{code}?include=notes")).await;
    assert!(with_notes["data"]["order"]["notes"].is_object());

    api.sim.set_bucket_filling(80);
    let (_, headers, _) = api.get("/api/eshop").await;
    assert_eq!(headers["x-ratelimit-bucket-filling"], "160/200");
}

#[tokio::test]
async fn missing_or_wrong_token_gets_the_real_401_body() {
    let api = Api::demo().await;
    let resp = api.http.get(format!("{}/api/eshop", api.server.url)).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let body: Value = resp.json().await.unwrap();
    assert!(body["data"].is_null());
    assert_eq!(error_code(&body), "invalid-token");
    let resp = api
        .http
        .get(format!("{}/api/eshop", api.server.url))
        .header("Shoptet-Private-API-Token", "nope")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    assert_eq!(api.sim.requests().len(), 2);
}

#[tokio::test]
async fn injected_429_carries_an_http_date_retry_after() {
    let api = Api::demo().await;
    api.sim.control().add_fault(FaultRule {
        kind: FaultKind::Status,
        status: Some(429),
        method: None,
        path_prefix: Some("/api/orders".into()),
        count: 1,
        skip: 0,
        delay_ms: None,
        retry_after_secs: Some(30),
    });
    let (status, headers, body) = api.get("/api/orders").await;
    assert_eq!(status, 429);
    assert!(body["errors"][0]["message"].is_string());
    let value = headers["retry-after"].to_str().unwrap();
    assert!(value.ends_with(" GMT"), "{value}");
    let at = parse_retry_after(value, chrono::Utc::now()).unwrap();
    let wait = at - chrono::Utc::now();
    assert!(wait > Duration::seconds(28) && wait <= Duration::seconds(30));
    assert_eq!(headers["x-ratelimit-bucket-filling"], "200/200");
}

#[tokio::test]
async fn empty_shop_has_eshop_info_and_statuses_only() {
    let sim = ShoptetSim::empty(4242);
    let server = sim.start(0).await.unwrap();
    let api = Api { sim, server, http: reqwest::Client::new() };
    let (_, _, eshop) = api.get("/api/eshop").await;
    assert_eq!(eshop["data"]["contactInformation"]["eshopId"], 4242);
    let (_, _, statuses) = api.get("/api/orders/statuses").await;
    assert!(statuses["data"]["statuses"].as_array().unwrap().iter().any(|s| s["id"] == -3));
    let (_, _, orders) = api.get("/api/orders").await;
    assert_eq!(orders["data"]["paginator"]["totalCount"], 0);
    assert!(ShoptetSim::from_json("{not json").is_err());
}

#[tokio::test]
async fn signed_webhooks_verify_with_the_current_key_only() {
    use shoptet_raynet_sync::shoptet::webhook::{parse_event, verify_signature};
    let sim = ShoptetSim::demo();
    let old_key = sim.signature_key();
    let (body, signature) = sim.signed_webhook("order:update", "2026000101");
    assert!(verify_signature(old_key.as_bytes(), body.as_bytes(), &signature));
    let event = parse_event(body.as_bytes()).unwrap();
    assert_eq!((event.eshop_id, event.event_instance.as_str()), (312457, "2026000101"));
    assert!(!verify_signature(b"another-key", body.as_bytes(), &signature));
}
