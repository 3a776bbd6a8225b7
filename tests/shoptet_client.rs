//! The Shoptet client driven against the Shoptet simulator.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Duration as ChronoDuration;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use shoptet_raynet_sync::http::{CallRecord, ErrorKind, RetryPolicy};
use shoptet_raynet_sync::shoptet::{OrderFilter, ShoptetClient};
use shoptet_raynet_sync::sim::shoptet::{DEMO_TOKEN, ShoptetSim};
use shoptet_raynet_sync::sim::{FaultKind, FaultRule, SimServer};

async fn demo() -> (Arc<ShoptetSim>, SimServer, ShoptetClient) {
    let sim = ShoptetSim::demo();
    let server = sim.start(0).await.unwrap();
    let client = client(&server, RetryPolicy::fast());
    (sim, server, client)
}

fn client(server: &SimServer, policy: RetryPolicy) -> ShoptetClient {
    ShoptetClient::new(&server.url, SecretString::from(DEMO_TOKEN), policy).unwrap()
}

fn fault(kind: FaultKind, status: Option<u16>, path: &str, count: u32) -> FaultRule {
    FaultRule {
        kind,
        status,
        method: None,
        path_prefix: Some(path.to_string()),
        count,
        skip: 0,
        delay_ms: None,
        retry_after_secs: None,
    }
}

fn one_attempt() -> RetryPolicy {
    RetryPolicy { max_attempts: 1, ..RetryPolicy::fast() }
}

fn count(sim: &ShoptetSim, prefix: &str) -> usize {
    sim.requests().iter().filter(|r| r.starts_with(prefix)).count()
}

fn minimal_order(code: &str, change_time: &str) -> serde_json::Value {
    json!({"code": code, "guid": null, "creationTime": change_time, "changeTime": change_time,
        "email": "a@b.cz", "status": {"id": -3, "name": "Vyřízena"},
        "price": {"currencyCode": "CZK", "withVat": "121.00", "withoutVat": "100.00", "vat": "21.00", "toPay": "121.00"},
        "billingAddress": {"fullName": "Test Testovič"},
        "items": [{"itemType": "product", "code": "X-1", "name": "Věc", "amount": "1.000",
            "itemPrice": {"withVat": "121.00", "withoutVat": "100.00", "vat": "21.00", "vatRate": "21.00"}}]})
}

#[tokio::test]
async fn reads_eshop_statuses_orders_and_products() {
    let (sim, _server, client) = demo().await;
    let eshop = client.eshop().await.unwrap();
    assert_eq!(eshop.contact_information.eshop_id, 312457);
    assert_eq!(eshop.default_currency(), Some("CZK"));
    assert!(eshop.currencies.iter().any(|c| c.code == "EUR"));
    assert_eq!(eshop.settings.timezone.as_deref(), Some("Europe/Prague"));

    let statuses = client.order_statuses().await.unwrap();
    assert!(statuses.statuses.iter().any(|s| s.id == -3));
    assert_eq!(statuses.default_status, Some(-1));

    let (rows, pager) = client.orders_page(&OrderFilter::default(), 1).await.unwrap();
    assert_eq!(pager.total_count as usize, sim.order_codes().len());
    assert_eq!(rows.len(), sim.order_codes().len().min(50));

    let pending = OrderFilter { status_id: Some(-1), ..OrderFilter::default() };
    let (rows, _) = client.orders_page(&pending, 1).await.unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.status.as_ref().map(|s| s.id) == Some(-1)));

    let code = rows[0].code.clone();
    let order = client.order(&code).await.unwrap();
    assert_eq!(order.code, code);
    assert!(!order.items.is_empty());
    assert!(order.notes.is_some(), "include=notes must return the notes section");
    assert!(sim.requests().iter().any(|r| r == &format!("GET /api/orders/{code}?include=notes")));

    let item = order.items.iter().find(|i| i.product_guid.is_some()).unwrap();
    let product = client.product_by_guid(item.product_guid.as_deref().unwrap()).await.unwrap();
    assert!(product.variants.iter().any(|v| Some(&v.code) == item.code.as_ref()));
    assert!(product.description.is_some() && product.url.is_some());
}

#[tokio::test]
async fn product_codes_with_slashes_are_percent_encoded() {
    let (sim, _server, client) = demo().await;
    let product = client.product_by_code("KAV-BRA-1000/ZRN").await.unwrap();
    assert!(product.variant("KAV-BRA-1000/MLE").is_some());
    assert!(sim.requests().iter().any(|r| r == "GET /api/products/code/KAV-BRA-1000%2FZRN"));
    let codes = ["KAV-BRA-1000/ZRN".to_string(), "KAV-ETH-250".to_string(), "NOPE".to_string()];
    let rows = client.products_by_codes(&codes).await.unwrap();
    let mut names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Brazílie Santos 1 kg", "Etiopie Yirgacheffe 250 g"]);
}

#[tokio::test]
async fn changes_and_orders_are_paged_and_times_encode_plus() {
    let sim = ShoptetSim::empty(1);
    let server = sim.start(0).await.unwrap();
    let client = client(&server, RetryPolicy::fast());
    let start = sim.now() - ChronoDuration::days(2);
    for i in 0..1005 {
        let t = start + ChronoDuration::seconds(60 * (1005 - i));
        let ts = t.format("%Y-%m-%dT%H:%M:%S%z").to_string();
        sim.upsert_order(minimal_order(&format!("2026{i:06}"), &ts)).unwrap();
    }
    let changes = client.order_changes(start).await.unwrap();
    assert_eq!(changes.len(), 1005);
    assert!(changes.windows(2).all(|w| w[0].change_time <= w[1].change_time), "oldest first");
    let reqs = sim.requests();
    let change_reqs: Vec<_> = reqs.iter().filter(|r| r.starts_with("GET /api/orders/changes")).collect();
    assert_eq!(change_reqs.len(), 2);
    assert!(change_reqs[0].contains("%2B") && !change_reqs[0].contains('+'), "{}", change_reqs[0]);
    assert!(change_reqs[1].contains("page=2"));

    let filter = OrderFilter { change_time_from: Some(start), ..OrderFilter::default() };
    let (page1, pager) = client.orders_page(&filter, 1).await.unwrap();
    let (page21, _) = client.orders_page(&filter, 21).await.unwrap();
    assert_eq!((page1.len(), page21.len(), pager.page_count), (50, 5, 21));
    assert!(sim.requests().iter().any(|r| r.contains("changeTimeFrom=") && r.contains("%2B")));
    let later = OrderFilter {
        creation_time_from: Some(start + ChronoDuration::seconds(60 * 1000)),
        ..OrderFilter::default()
    };
    let (rows, _) = client.orders_page(&later, 1).await.unwrap();
    assert_eq!(rows.len(), 6);
}

#[tokio::test]
async fn wrong_token_is_an_auth_error_without_retry() {
    let sim = ShoptetSim::demo();
    let server = sim.start(0).await.unwrap();
    let client =
        ShoptetClient::new(&server.url, SecretString::from("312457-p-104-wrong"), RetryPolicy::fast())
            .unwrap();
    let err = client.eshop().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Auth);
    assert_eq!(err.status, Some(401));
    assert_eq!(err.code.as_deref(), Some("invalid-token"));
    assert!(err.to_string().contains("Invalid access token"));
    assert_eq!(count(&sim, "GET /api/eshop"), 1);
}

#[tokio::test]
async fn unknown_order_is_not_found_with_the_shoptet_message() {
    let (_sim, _server, client) = demo().await;
    let err = client.order("1999999999").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert_eq!(err.code.as_deref(), Some("order-not-found"));
    assert!(err.to_string().contains("Order with code \"1999999999\" not found."));
    assert_eq!(client.product_by_code("NOPE/1").await.unwrap_err().kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn short_rate_limit_is_waited_out_inline() {
    let (sim, _server, client) = demo().await;
    let mut rule = fault(FaultKind::Status, Some(429), "/api/eshop", 1);
    rule.retry_after_secs = Some(1);
    sim.control().add_fault(rule);
    client.eshop().await.unwrap();
    assert_eq!(count(&sim, "GET /api/eshop"), 2);
}

#[tokio::test]
async fn long_rate_limit_is_returned_with_its_retry_time() {
    let (sim, _server, client) = demo().await;
    let mut rule = fault(FaultKind::Status, Some(429), "/api/eshop", 1);
    rule.retry_after_secs = Some(600);
    sim.control().add_fault(rule);
    let err = client.eshop().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimited);
    let wait = err.retry_after.unwrap() - chrono::Utc::now();
    assert!(wait > ChronoDuration::seconds(590) && wait <= ChronoDuration::seconds(600), "{wait}");
    assert_eq!(count(&sim, "GET /api/eshop"), 1);
}

#[tokio::test]
async fn locked_and_server_errors_are_retried() {
    let (sim, _server, client) = demo().await;
    sim.control().add_fault(fault(FaultKind::Status, Some(423), "/api/orders/statuses", 1));
    client.order_statuses().await.unwrap();
    assert_eq!(count(&sim, "GET /api/orders/statuses"), 2);

    sim.control().add_fault(fault(FaultKind::Status, Some(503), "/api/eshop", 1));
    sim.control().add_fault(fault(FaultKind::Status, Some(500), "/api/eshop", 1));
    client.eshop().await.unwrap();
    assert_eq!(count(&sim, "GET /api/eshop"), 3);

    sim.control().add_fault(fault(FaultKind::Status, Some(503), "/api/eshop", 5));
    let err = client.eshop().await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, Some(503)));
    assert_eq!(count(&sim, "GET /api/eshop"), 6, "gives up after max_attempts");
}

#[tokio::test]
async fn malformed_dropped_and_slow_responses_are_transient() {
    let (sim, server, _client) = demo().await;
    let client = client(&server, RetryPolicy { timeout: Duration::from_millis(300), ..one_attempt() });

    sim.control().add_fault(fault(FaultKind::Malformed, None, "/api/eshop", 1));
    let err = client.eshop().await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, Some(200)));
    assert!(err.message.contains("unreadable"));

    sim.control().add_fault(fault(FaultKind::Drop, None, "/api/eshop", 1));
    let err = client.eshop().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Transient);

    let mut slow = fault(FaultKind::Slow, None, "/api/eshop", 1);
    slow.delay_ms = Some(1_500);
    sim.control().add_fault(slow);
    let err = client.eshop().await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, None));
    assert!(err.message.contains("timed out"), "{err}");

    let retrying = self::client(&server, RetryPolicy::fast());
    sim.control().add_fault(fault(FaultKind::Drop, None, "/api/eshop", 1));
    retrying.eshop().await.unwrap();
}

/// Most requests in flight at once when 9 slow calls are started together.
async fn peak_concurrency(sim: &ShoptetSim, client: &ShoptetClient) -> usize {
    let mut slow = fault(FaultKind::Slow, None, "/api/eshop", 20);
    slow.delay_ms = Some(150);
    sim.control().add_fault(slow);
    sim.clear_requests();
    let calls: Vec<_> = (0..9)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.eshop().await })
        })
        .collect();
    for c in calls {
        c.await.unwrap().unwrap();
    }
    sim.max_concurrent()
}

#[tokio::test]
async fn two_of_the_tokens_three_connections_by_default_and_as_configured() {
    let (sim, server, client) = demo().await;
    assert_eq!(peak_concurrency(&sim, &client).await, 2, "one left for the shop's other tools");
    for (n, expected) in [(3, 3), (1, 1), (7, 3), (0, 1)] {
        let configured = self::client(&server, RetryPolicy::fast()).with_max_connections(n);
        assert_eq!(peak_concurrency(&sim, &configured).await, expected, "max_connections = {n}");
    }
    // The config's setting reaches the client the engine builds.
    let mut config = shoptet_raynet_sync::config::Config::example().shoptet;
    config.base_url = server.url.clone();
    config.api_token = SecretString::from(DEMO_TOKEN);
    config.max_connections = 3;
    let from_config = shoptet_raynet_sync::shoptet::shoptet_client_for(&config, RetryPolicy::fast()).unwrap();
    assert_eq!(peak_concurrency(&sim, &from_config).await, 3);
}

#[test]
fn max_connections_is_checked_and_defaults_to_two() {
    use shoptet_raynet_sync::config::Config;
    // Any start will do: a month back, so the file reads the same on any date.
    let start = (chrono::Utc::now() - ChronoDuration::days(30)).to_rfc3339();
    let toml = |extra: &str| {
        format!(
            "[shoptet]\napi_token = \"t-123456\"\n{extra}\n[raynet]\ninstance = \"acme\"\n\
             username = \"jana@example.cz\"\napi_key = \"k-123456\"\n[sync]\n\
             enabled_at = \"{start}\"\ndefault_owner_id = 7\n\
             business_case_phase_id = 2\nsource_id = 3\n"
        )
    };
    assert_eq!(Config::from_toml_str(&toml(""), None).unwrap().shoptet.max_connections, 2);
    assert_eq!(Config::from_toml_str(&toml("max_connections = 3"), None).unwrap().shoptet.max_connections, 3);
    for bad in ["max_connections = 0", "max_connections = 4"] {
        let e = Config::from_toml_str(&toml(bad), None).unwrap_err().to_string();
        assert!(e.contains("shoptet.max_connections") && e.contains("1, 2 or 3"), "{bad}: {e}");
    }
}

#[tokio::test]
async fn a_full_bucket_slows_the_next_request() {
    let (sim, server, _client) = demo().await;
    let client =
        client(&server, RetryPolicy { max_inline_wait: Duration::from_millis(600), ..RetryPolicy::fast() });
    client.eshop().await.unwrap();
    let t = Instant::now();
    client.eshop().await.unwrap();
    assert!(t.elapsed() < Duration::from_millis(300), "no throttle at a low filling");
    sim.set_bucket_filling(95);
    client.eshop().await.unwrap();
    let t = Instant::now();
    client.eshop().await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(550), "throttled: {:?}", t.elapsed());
}

#[tokio::test]
async fn call_sink_sees_every_attempt_and_never_the_token() {
    let (sim, server, _client) = demo().await;
    let records: Arc<Mutex<Vec<CallRecord>>> = Arc::default();
    let sink = |records: &Arc<Mutex<Vec<CallRecord>>>| {
        let r = records.clone();
        Arc::new(move |rec: CallRecord| r.lock().unwrap().push(rec))
    };
    let client = client(&server, RetryPolicy::fast()).with_call_sink(sink(&records));
    sim.control().add_fault(fault(FaultKind::Status, Some(503), "/api/eshop", 1));
    client.eshop().await.unwrap();
    let bad = ShoptetClient::new(&server.url, SecretString::from("wrong-token-123"), RetryPolicy::fast())
        .unwrap()
        .with_call_sink(sink(&records));
    let err = bad.eshop().await.unwrap_err();
    let recs = records.lock().unwrap().clone();
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0].status, Some(503));
    assert!(recs[0].error.as_deref().unwrap().contains("maintenance"));
    assert_eq!((recs[1].status, recs[1].error.is_none()), (Some(200), true));
    assert_eq!(recs[2].status, Some(401));
    assert!(recs.iter().all(|r| r.path == "/api/eshop" && r.method == "GET"));
    let dump = format!("{recs:?} {err} {err:?} {client:?}");
    assert!(!dump.contains(DEMO_TOKEN) && !dump.contains("wrong-token-123"));
}

#[tokio::test]
async fn webhooks_register_list_delete_and_renew_the_key() {
    let (sim, _server, client) = demo().await;
    assert!(client.webhooks().await.unwrap().is_empty());
    let hook =
        client.register_webhook("order:update", "https://sync.example.cz/webhooks/shoptet").await.unwrap();
    assert_eq!(hook.event, "order:update");
    let dup = client.register_webhook("order:update", "https://other.example.cz/").await.unwrap_err();
    assert_eq!(dup.kind, ErrorKind::Permanent);
    assert!(dup.to_string().contains("Webhook already exists for this event"));
    let conflict = client.register_webhook("order:cancel", "https://sync.example.cz/x").await.unwrap_err();
    assert_eq!(conflict.status, Some(409));
    assert_eq!(client.webhooks().await.unwrap(), vec![hook.clone()]);
    client.delete_webhook(hook.id).await.unwrap();
    assert!(client.webhooks().await.unwrap().is_empty());
    assert_eq!(client.delete_webhook(hook.id).await.unwrap_err().kind, ErrorKind::NotFound);

    let key = client.renew_signature_key().await.unwrap();
    assert_eq!(key.expose_secret(), sim.signature_key());
    let again = client.renew_signature_key().await.unwrap();
    assert_ne!(key.expose_secret(), again.expose_secret());
}

#[tokio::test]
async fn every_request_carries_token_and_json_content_type() {
    use axum::extract::Request;
    use axum::routing::get;
    /// (token header, content-type header) of each request.
    type Seen = Arc<Mutex<Vec<(Option<String>, Option<String>)>>>;
    let seen: Seen = Arc::default();
    let s = seen.clone();
    let app = axum::Router::new().route(
        "/api/eshop",
        get(move |req: Request| {
            let s = s.clone();
            async move {
                let h = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok()).map(str::to_string);
                s.lock().unwrap().push((h("shoptet-private-api-token"), h("content-type")));
                axum::http::StatusCode::SERVICE_UNAVAILABLE
            }
        }),
    );
    let server = SimServer::start(app, 0).await.unwrap();
    let err = client(&server, RetryPolicy::fast()).eshop().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Transient);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter()
            .all(|(t, ct)| t.as_deref() == Some(DEMO_TOKEN) && ct.as_deref() == Some("application/json"))
    );
}
