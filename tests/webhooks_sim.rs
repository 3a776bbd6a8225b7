//! The simulator's webhook endpoints answer in the shapes the Shoptet spec documents (its
//! "Webhooks" tag): list, register, detail, change of URL, delete, a new signature key, the
//! notifications log with failed deliveries, and the refusals. Read by our models too.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use shoptet_raynet_sync::http::RetryPolicy;
use shoptet_raynet_sync::shoptet::ShoptetClient;
use shoptet_raynet_sync::sim::shoptet::ShoptetSim;
use support::openapi::{Spec, Strictness};

const URL: &str = "https://sync.zahrada.cz/webhook";

async fn call(server: &str, token: &str, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{server}{path}"))
        .header("Shoptet-Private-API-Token", token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}")))
}

#[tokio::test]
async fn webhook_endpoints_match_the_spec() {
    let Some(spec) = Spec::load("shoptet-openapi.yaml") else { return };
    let sim = ShoptetSim::empty(312457);
    let server = sim.start(0).await.expect("sim");
    let (url, token) = (server.url.clone(), sim.token().to_string());
    let strict = Strictness { undocumented_properties: true };
    let mut errors = Vec::new();
    let mut check = |what: &str, path: &str, method: &str, status: u16, body: &Value| {
        let schema = spec.response_schema(path, method, status);
        assert!(schema.is_object(), "the spec documents {method} {path} {status}");
        errors.extend(spec.validate_with(schema, body, strict).into_iter().map(|e| format!("{what}: {e}")));
    };

    let data =
        json!({"data": [{"event": "order:create", "url": URL}, {"event": "order:update", "url": URL}]});
    let (st, body) = call(&url, &token, Method::POST, "/api/webhooks", Some(data)).await;
    assert_eq!(st, 201, "{body}");
    check("register", "/api/webhooks", "post", 201, &body);
    let id = body["data"]["webhooks"][0]["id"].as_i64().expect("id");

    let (st, body) = call(&url, &token, Method::GET, "/api/webhooks", None).await;
    assert_eq!(st, 200);
    check("list", "/api/webhooks", "get", 200, &body);
    assert_eq!(body["data"]["paginator"]["itemsPerPage"], 20, "the documented default page");

    let (st, body) = call(&url, &token, Method::GET, &format!("/api/webhooks/{id}"), None).await;
    assert_eq!(st, 200);
    check("detail", "/api/webhooks/{id}", "get", 200, &body);

    let moved = json!({"data": {"url": "https://new.zahrada.cz/webhook"}});
    let (st, body) = call(&url, &token, Method::PATCH, &format!("/api/webhooks/{id}"), Some(moved)).await;
    assert_eq!(st, 200, "{body}");
    check("patch", "/api/webhooks/{id}", "patch", 200, &body);
    let (_, detail) = call(&url, &token, Method::GET, &format!("/api/webhooks/{id}"), None).await;
    assert_eq!(detail["data"]["webhook"]["url"], "https://new.zahrada.cz/webhook");
    assert!(detail["data"]["webhook"]["updated"].is_string(), "the change is dated");

    let (st, body) = call(&url, &token, Method::POST, "/api/webhooks/renew-signature-key", None).await;
    assert_eq!(st, 200);
    check("renew", "/api/webhooks/renew-signature-key", "post", 200, &body);
    assert_eq!(body["data"]["signatureKey"].as_str(), Some(sim.signature_key().as_str()));

    assert!(sim.record_delivery("order:update", "2026000123", false));
    assert!(sim.record_delivery("order:create", "2026000124", true));
    assert!(!sim.record_delivery("order:delete", "2026000125", false), "no webhook for that event");
    let (st, body) = call(&url, &token, Method::GET, "/api/webhooks/notifications?status=failed", None).await;
    assert_eq!(st, 200);
    check("notifications", "/api/webhooks/notifications", "get", 200, &body);
    let rows = body["data"]["notifications"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "only the failed one: {body}");
    assert_eq!(rows[0]["data"]["eventInstance"], "2026000123");
    assert_eq!(rows[0]["active"], false, "three attempts made: Shoptet gives up");
    let (_, all) =
        call(&url, &token, Method::GET, "/api/webhooks/notifications?event=order:create", None).await;
    assert_eq!(all["data"]["notifications"].as_array().map(Vec::len), Some(1));

    let (st, body) = call(&url, &token, Method::DELETE, &format!("/api/webhooks/{id}"), None).await;
    assert_eq!(st, 200);
    check("delete", "/api/webhooks/{id}", "delete", 200, &body);
    let (st, body) = call(&url, &token, Method::DELETE, &format!("/api/webhooks/{id}"), None).await;
    assert_eq!(st, 404);
    check("delete again", "/api/webhooks/{id}", "delete", 404, &body);
    assert_eq!(body["errors"][0]["errorCode"], "webhook-not-found");

    sim.forbid_webhooks(true);
    let (st, body) = call(&url, &token, Method::GET, "/api/webhooks", None).await;
    assert_eq!(st, 403);
    assert_eq!(
        body["errors"][0]["errorCode"], "invalid-token-no-rights",
        "as the spec's Authentication section shows"
    );
    check("refused", "/api/orders", "get", 400, &body);
    assert!(errors.is_empty(), "{} violation(s):\n  {}", errors.len(), errors.join("\n  "));
}

#[tokio::test]
async fn shoptet_refuses_a_port_it_does_not_deliver_to() {
    let sim = ShoptetSim::empty(312457);
    let server = sim.start(0).await.expect("sim");
    let data = json!({"data": [{"event": "order:create", "url": "https://sync.zahrada.cz:9000/webhook"}]});
    let (st, body) = call(&server.url, sim.token(), Method::POST, "/api/webhooks", Some(data)).await;
    assert_eq!(st, 400, "{body}");
    assert!(sim.webhooks().is_empty());
}

#[tokio::test]
async fn the_client_reads_notifications_and_moves_webhooks() {
    let sim = ShoptetSim::empty(312457);
    let server = sim.start(0).await.expect("sim");
    let client =
        ShoptetClient::new(&server.url, sim.token().to_string().into(), RetryPolicy::fast()).expect("client");
    let made = client.register_webhooks(&["order:create", "order:update"], URL).await.expect("registered");
    assert_eq!(made.len(), 2);
    client.update_webhook_url(made[0].id, "https://new.zahrada.cz/webhook").await.expect("moved");
    let listed = client.webhooks().await.expect("list");
    assert_eq!(
        listed.iter().find(|w| w.id == made[0].id).map(|w| w.url.as_str()),
        Some("https://new.zahrada.cz/webhook")
    );
    sim.record_delivery("order:create", "2026000200", false);
    let failed = client.webhook_notifications("failed").await.expect("notifications");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].webhook_id, made[0].id);
    assert_eq!(failed[0].webhook_url, "https://new.zahrada.cz/webhook");
    assert_eq!(failed[0].data.event_instance, "2026000200");
    assert_eq!((failed[0].status.as_str(), failed[0].attempts), ("failed", 3));
    assert!(client.webhook_notifications("success").await.expect("none").is_empty());
}

/// One refused request and the answer it must get.
struct Refusal {
    what: &'static str,
    method: Method,
    path: &'static str,
    body: Option<Value>,
    status: u16,
    code: &'static str,
}

impl Refusal {
    fn new(
        what: &'static str,
        method: Method,
        path: &'static str,
        body: Option<Value>,
        status: u16,
        code: &'static str,
    ) -> Refusal {
        Refusal { what, method, path, body, status, code }
    }

    /// A registration (`POST /api/webhooks`) with `body`.
    fn post(what: &'static str, body: Option<Value>, status: u16, code: &'static str) -> Refusal {
        Refusal::new(what, Method::POST, "/api/webhooks", body, status, code)
    }
}

/// Every refusal of the webhook endpoints is the spec's error envelope (`data: null`, `errors`
/// with `errorCode`/`message`/`instance`, `metadata.requestId`), with the status the spec names
/// and an error code its examples use: 422/409/400 `invalid-request-data` for bodies, 404
/// `webhook-not-found`, 400 `invalid-parameter` for a query parameter.
#[tokio::test]
async fn webhook_refusals_match_the_spec() {
    let Some(spec) = Spec::load("shoptet-openapi.yaml") else { return };
    let sim = ShoptetSim::empty(312457);
    let server = sim.start(0).await.expect("sim");
    let (url, token) = (server.url.clone(), sim.token().to_string());
    let envelope = spec.response_schema("/api/webhooks/{id}", "get", 404);
    assert!(envelope.is_object(), "the spec documents the 404 of a webhook");
    let strict = Strictness { undocumented_properties: true };
    let hook = |event: &str, url: &str| json!({"event": event, "url": url});
    let (st, _) =
        call(&url, &token, Method::POST, "/api/webhooks", Some(json!({"data": [hook("order:update", URL)]})))
            .await;
    assert_eq!(st, 201);
    let long = format!("https://sync.zahrada.cz/{}", "a".repeat(2000));
    let data = |items: Value| Some(json!({"data": items}));
    let bad = "invalid-request-data";
    let cases = [
        Refusal::post("no data", Some(json!({"hooks": []})), 422, bad),
        Refusal::post("no url", data(json!([{"event": "order:create"}])), 422, bad),
        Refusal::post("url too long", data(json!([hook("order:create", &long)])), 422, bad),
        Refusal::post(
            "unknown member",
            data(json!([{"event": "order:create", "url": URL, "x": 1}])),
            422,
            bad,
        ),
        Refusal::post(
            "bad sendPayload",
            data(json!([{"event": "order:create", "url": URL, "sendPayload": "some"}])),
            422,
            bad,
        ),
        Refusal::post("port", data(json!([hook("order:create", "https://a.cz:9000/")])), 400, bad),
        Refusal::post("exists", data(json!([hook("order:update", URL)])), 422, bad),
        Refusal::post("cancel beside update", data(json!([hook("order:cancel", URL)])), 409, bad),
        Refusal::new("unknown id", Method::GET, "/api/webhooks/999", None, 404, "webhook-not-found"),
        Refusal::new(
            "patch unknown id",
            Method::PATCH,
            "/api/webhooks/999",
            data(json!({"url": URL})),
            404,
            "webhook-not-found",
        ),
        Refusal::new("patch nothing", Method::PATCH, "/api/webhooks/1", data(json!({})), 422, bad),
        Refusal::new(
            "patch event",
            Method::PATCH,
            "/api/webhooks/1",
            data(json!({"event": "order:create"})),
            422,
            bad,
        ),
        Refusal::new(
            "bad from",
            Method::GET,
            "/api/webhooks/notifications?from=yesterday",
            None,
            400,
            "invalid-parameter",
        ),
        Refusal::new(
            "bad active",
            Method::GET,
            "/api/webhooks/notifications?active=maybe",
            None,
            400,
            "invalid-parameter",
        ),
    ];
    let mut errors = Vec::new();
    for r in cases {
        let (st, got) = call(&url, &token, r.method, r.path, r.body).await;
        assert_eq!(
            (st, got["errors"][0]["errorCode"].as_str()),
            (r.status, Some(r.code)),
            "{}: {got}",
            r.what
        );
        errors.extend(
            spec.validate_with(envelope, &got, strict).into_iter().map(|e| format!("{}: {e}", r.what)),
        );
    }
    assert_eq!(sim.webhooks().len(), 1, "no refused request registered anything");
    assert!(errors.is_empty(), "{} violation(s):\n  {}", errors.len(), errors.join("\n  "));
}

/// The leaky bucket's 429 (spec, "Rate limiting"): `Retry-After` as an HTTP-date beside the
/// bucket's filling, and a body in the error envelope every refusal uses.
#[tokio::test]
async fn a_full_bucket_answers_429_in_the_error_envelope() {
    let Some(spec) = Spec::load("shoptet-openapi.yaml") else { return };
    let sim = ShoptetSim::empty(312457);
    let server = sim.start(0).await.expect("sim");
    sim.set_leaky_bucket(true);
    let http = reqwest::Client::new();
    let mut full = None;
    for _ in 0..400 {
        let resp = http
            .get(format!("{}/api/webhooks", server.url))
            .header("Shoptet-Private-API-Token", sim.token())
            .send()
            .await
            .expect("request");
        if resp.status().as_u16() == 429 {
            full = Some(resp);
            break;
        }
    }
    let resp = full.expect("the bucket fills within 400 quick requests");
    let retry_after = resp.headers().get("Retry-After").and_then(|v| v.to_str().ok()).map(String::from);
    let when = retry_after.as_deref().and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok());
    assert!(when.is_some(), "Retry-After is an HTTP-date: {retry_after:?}");
    let filling =
        resp.headers().get("X-RateLimit-Bucket-Filling").and_then(|v| v.to_str().ok()).map(String::from);
    assert!(filling.as_deref().is_some_and(|f| f.ends_with("/200")), "{filling:?}");
    let body: Value = resp.json().await.expect("JSON");
    let envelope = spec.response_schema("/api/webhooks/{id}", "get", 404);
    let strict = Strictness { undocumented_properties: true };
    assert_eq!(spec.validate_with(envelope, &body, strict), Vec::<String>::new(), "{body}");
}
