//! Contract tests: the simulators' responses for the endpoints the clients use, and the
//! clients' request bodies, validated against the official OpenAPI specs in `shared/specs`
//! (read at test time; a test passes with "skipped: … not found" when they are absent).

mod support;

use std::sync::Arc;

use serde_json::{Value, json};
use shoptet_raynet_sync::mapping::{
    MappingSettings, business_case_draft, client_draft, order_link, plan_lines, product_draft,
    product_ext_id, product_link,
};
use shoptet_raynet_sync::raynet::models::{BusinessCaseItemEdit, BusinessCaseUpdate};
use shoptet_raynet_sync::shoptet::models::{Order, Product as ShoptetProduct};
use shoptet_raynet_sync::sim::SimServer;
use shoptet_raynet_sync::sim::raynet::{
    DEMO_API_KEY, DEMO_INSTANCE, DEMO_USERNAME, RaynetSim, base_url as raynet_base_url,
};
use shoptet_raynet_sync::sim::shoptet::ShoptetSim;
use support::openapi::{Spec, Strictness, compare_with_example, distinct_paths};

const SHOPTET_SPEC: &str = "shoptet-openapi.yaml";
const RAYNET_SPEC: &str = "raynet-openapi.json";

fn report(what: &str, errors: &[String]) -> String {
    format!("{what}: {} violation(s):\n  {}", errors.len(), errors.join("\n  "))
}

// ---------------------------------------------------------------- validator self-checks

fn toy_spec() -> Spec {
    Spec::from_value(
        "toy",
        json!({"components": {"schemas": {
            "Money": {"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$"},
            "Item": {"type": "object", "additionalProperties": false, "required": ["code", "price"],
                     "properties": {"code": {"type": ["string", "null"], "maxLength": 5},
                                    "price": {"$ref": "#/components/schemas/Money"},
                                    "kind": {"enum": ["product", "shipping"]},
                                    "created": {"type": "string", "format": "date-time"}}},
            "Order": {"type": "object", "required": ["items"],
                      "properties": {"items": {"type": "array", "minItems": 1,
                                               "items": {"$ref": "#/components/schemas/Item"}},
                                     "id": {"type": "integer", "nullable": true},
                                     "pay": {"oneOf": [{"type": "integer"}, {"type": "string", "format": "date"}]}}}
        }}}),
    )
}

#[test]
fn validator_accepts_a_conforming_body() {
    let spec = toy_spec();
    let schema = json!({"$ref": "#/components/schemas/Order"});
    let good = json!({"id": null, "pay": "2025-01-31", "items": [
        {"code": null, "price": "10.00", "kind": "shipping", "created": "2025-01-31T10:00:00+0100"},
        {"code": "AB-1", "price": "-1.50"}]});
    assert_eq!(spec.validate(&schema, &good), Vec::<String>::new());
}

#[test]
fn validator_reports_every_kind_of_broken_body() {
    let spec = toy_spec();
    let schema = json!({"$ref": "#/components/schemas/Order"});
    let bad = json!({"id": 1.5, "pay": "soon", "items": [
        {"code": "TOO-LONG", "price": 10, "kind": "gift", "created": "yesterday", "extra": 1},
        {"price": "1.5"}]});
    let errors = spec.validate(&schema, &bad);
    for expected in [
        "/id: expected type",
        "/pay: matches no branch of oneOf",
        "/items/0/code: 8 violates maxLength 5",
        "/items/0/price: expected type \"string\", got number",
        "/items/0/kind: \"gift\" is not one of",
        "/items/0/created: \"yesterday\" is not a",
        "/items/0/extra: not allowed (additionalProperties: false)",
        "/items/1/code: required but missing",
        "/items/1/price: \"1.5\" does not match",
    ] {
        assert!(errors.iter().any(|e| e.starts_with(expected)), "no {expected:?} in {errors:#?}");
    }
    assert_eq!(errors.len(), 9, "{errors:#?}");
    assert!(!spec.validate(&schema, &json!({"items": []})).is_empty(), "minItems");
    assert!(!spec.validate(&schema, &json!([])).is_empty(), "an array is not an object");
}

#[test]
fn strict_mode_reports_undocumented_members() {
    let spec = toy_spec();
    let schema = json!({"type": "object", "properties": {"name": {"type": "string"}}});
    let body = json!({"name": "x", "extId": "shoptet:1"});
    assert!(spec.validate(&schema, &body).is_empty(), "open objects accept extra members");
    let strict = Strictness { undocumented_properties: true };
    assert_eq!(spec.validate_with(&schema, &body, strict), vec!["/extId: undocumented property".to_string()]);
}

#[test]
fn example_comparison_finds_kind_conflicts_and_missing_members() {
    let example = json!({"success": "true", "data": [{"id": 1, "name": "A", "owner": {"id": 2}}]});
    let actual = json!({"success": true, "data": [{"id": "1", "owner": null, "extra": 0},
                                                  {"id": 2, "name": "B", "owner": {"id": 3}}]});
    let diff = compare_with_example(&example, &actual);
    assert_eq!(diff.kind_conflicts, vec!["/data/0/id: example has number, actual string".to_string()]);
    assert_eq!(diff.missing, vec!["/data/0/name".to_string()]);
    assert_eq!(distinct_paths(&diff.extra), vec!["/data/*/extra".to_string()]);
}

#[test]
fn specs_are_found_and_hold_the_operations_we_call() {
    let (Some(shoptet), Some(raynet)) = (Spec::load(SHOPTET_SPEC), Spec::load(RAYNET_SPEC)) else {
        return;
    };
    assert!(shoptet.response_schema("/api/orders/{code}", "get", 200).is_object());
    assert!(raynet.request_schema("/company/", "put").is_object());
}

// ---------------------------------------------------------------- Shoptet simulator

struct Shoptet {
    sim: Arc<ShoptetSim>,
    server: SimServer,
    http: reqwest::Client,
    spec: Spec,
}

impl Shoptet {
    async fn start() -> Option<Shoptet> {
        let spec = Spec::load(SHOPTET_SPEC)?;
        let sim = ShoptetSim::demo();
        let server = sim.start(0).await.expect("simulator starts");
        Some(Shoptet { sim, server, http: reqwest::Client::new(), spec })
    }

    async fn get_with(&self, path_and_query: &str, token: Option<&str>) -> (u16, Value) {
        let mut req = self.http.get(format!("{}{path_and_query}", self.server.url));
        if let Some(t) = token {
            req = req.header("Shoptet-Private-API-Token", t);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{path_and_query}: not JSON ({e}): {text}")),
        )
    }

    /// GETs `path_and_query` and validates the body against `spec_path`'s response schema.
    async fn check(&self, path_and_query: &str, spec_path: &str, status: u16) -> (Value, Vec<String>) {
        let (got, body) = self.get_with(path_and_query, Some(self.sim.token())).await;
        assert_eq!(got, status, "{path_and_query}: {body}");
        let schema = self.spec.response_schema(spec_path, "get", status);
        let errors = self
            .spec
            .validate_with(schema, &body, Strictness { undocumented_properties: true })
            .into_iter()
            .map(|e| format!("GET {path_and_query} {e}"))
            .collect();
        (body, errors)
    }

    /// Shoptet documents one error envelope (`data`, `errors`, `metadata`) on its 4xx responses;
    /// 401/404 are not listed per operation, so errors are checked against that envelope.
    fn error_schema(&self) -> &Value {
        self.spec.response_schema("/api/orders", "get", 400)
    }
}

#[tokio::test]
async fn shoptet_sim_responses_match_the_spec() {
    let Some(api) = Shoptet::start().await else { return };
    let mut errors = Vec::new();

    for (path, spec_path) in [
        ("/api/eshop", "/api/eshop"),
        ("/api/orders/statuses", "/api/orders/statuses"),
        ("/api/orders?itemsPerPage=50", "/api/orders"),
        ("/api/orders?statusId=-2&page=1", "/api/orders"),
        ("/api/products?itemsPerPage=100", "/api/products"),
    ] {
        errors.extend(api.check(path, spec_path, 200).await.1);
    }

    let from = shoptet_raynet_sync::shoptet::models::timestamp::format(
        &(api.sim.now() - chrono::Duration::days(29)),
    )
    .replace('+', "%2B");
    let (changes, errs) =
        api.check(&format!("/api/orders/changes?from={from}"), "/api/orders/changes", 200).await;
    errors.extend(errs);
    assert!(!changes["data"]["changes"].as_array().expect("changes").is_empty(), "the feed is not empty");

    let codes = api.sim.order_codes();
    assert!(codes.len() >= 3, "the demo has orders");
    for code in &codes {
        errors.extend(
            api.check(&format!("/api/orders/{code}?include=notes"), "/api/orders/{code}", 200).await.1,
        );
    }

    let (list, _) = api.check("/api/products?itemsPerPage=100", "/api/products", 200).await;
    let guids: Vec<String> = list["data"]["products"]
        .as_array()
        .expect("products")
        .iter()
        .filter_map(|p| p["guid"].as_str().map(str::to_owned))
        .collect();
    assert!(!guids.is_empty(), "the demo has products");
    let mut product_codes = Vec::new();
    for guid in &guids {
        let (product, errs) = api.check(&format!("/api/products/{guid}"), "/api/products/{guid}", 200).await;
        errors.extend(errs);
        for v in product["data"]["variants"].as_array().into_iter().flatten() {
            if let Some(c) = v["code"].as_str() {
                product_codes.push(c.to_string());
            }
        }
    }
    for code in &product_codes {
        let encoded = percent_encoding::utf8_percent_encode(code, percent_encoding::NON_ALPHANUMERIC);
        errors.extend(
            api.check(&format!("/api/products/code/{encoded}"), "/api/products/code/{code}", 200).await.1,
        );
    }
    let joined = product_codes.iter().take(3).cloned().collect::<Vec<_>>().join(",");
    let (found, errs) =
        api.check(&format!("/api/products?productCodes={joined}"), "/api/products", 200).await;
    errors.extend(errs);
    assert!(!found["data"]["products"].as_array().expect("products").is_empty());

    let resp = api
        .http
        .post(format!("{}/api/webhooks", api.server.url))
        .header("Shoptet-Private-API-Token", api.sim.token())
        .json(&json!({"data": [{"event": "order:update", "url": "https://example.com/hook"}]}))
        .send()
        .await
        .expect("register webhook");
    assert!(resp.status().is_success(), "webhook registered");
    let (hooks, errs) = api.check("/api/webhooks", "/api/webhooks", 200).await;
    errors.extend(errs);
    assert_eq!(hooks["data"]["webhooks"].as_array().map(Vec::len), Some(1));

    assert!(errors.is_empty(), "{}", report("Shoptet simulator", &errors));
}

#[test]
fn a_broken_order_detail_fails_the_real_schema() {
    let Some(spec) = Spec::load(SHOPTET_SPEC) else { return };
    let sim = ShoptetSim::demo();
    let code = sim.order_codes().remove(0);
    let order = sim.order_json(&code).expect("demo order");
    let schema = spec.response_schema("/api/orders/{code}", "get", 200);
    let envelope =
        |order: Value| json!({"data": {"order": order}, "errors": null, "metadata": {"requestId": "x"}});
    assert_eq!(spec.validate(schema, &envelope(order.clone())), Vec::<String>::new());

    let mut broken = order;
    let map = broken.as_object_mut().expect("an order object");
    map.remove("code");
    map.insert("price".into(), json!(100));
    map.insert("sellerNote".into(), json!("not in the spec"));
    let errors = spec.validate(schema, &envelope(broken));
    for expected in [
        "/data/order/code: required",
        "/data/order/price: expected type",
        "/data/order/sellerNote: not allowed",
    ] {
        assert!(errors.iter().any(|e| e.starts_with(expected)), "no {expected:?} in {errors:#?}");
    }
}

#[tokio::test]
async fn empty_shoptet_sim_matches_the_spec() {
    let Some(spec) = Spec::load(SHOPTET_SPEC) else { return };
    let sim = ShoptetSim::empty(4242);
    let server = sim.start(0).await.expect("simulator starts");
    let http = reqwest::Client::new();
    let mut errors = Vec::new();
    for path in ["/api/eshop", "/api/orders/statuses", "/api/orders", "/api/products", "/api/webhooks"] {
        let (status, body) = shoptet_get(&http, &server, sim.token(), path).await;
        assert_eq!(status, 200, "{path}: {body}");
        let schema = spec.response_schema(path, "get", 200);
        let strict = Strictness { undocumented_properties: true };
        errors
            .extend(spec.validate_with(schema, &body, strict).into_iter().map(|e| format!("GET {path} {e}")));
    }
    assert!(errors.is_empty(), "{}", report("empty Shoptet simulator", &errors));
}

#[tokio::test]
async fn shoptet_sim_error_bodies_match_the_spec() {
    let Some(api) = Shoptet::start().await else { return };
    let mut errors = Vec::new();
    for (path, token, status) in [
        ("/api/eshop", None, 401),
        ("/api/orders", Some("312457-p-104-wrong"), 401),
        ("/api/orders/0000000000?include=notes", Some(api.sim.token()), 404),
        ("/api/products/00000000-0000-0000-0000-000000000000", Some(api.sim.token()), 404),
        ("/api/products/code/NO-SUCH-CODE", Some(api.sim.token()), 404),
        ("/api/orders?page=999", Some(api.sim.token()), 404),
    ] {
        let (got, body) = api.get_with(path, token).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()), "{path}: {body}");
        errors.extend(
            api.spec
                .validate_with(api.error_schema(), &body, Strictness { undocumented_properties: true })
                .into_iter()
                .map(|e| format!("{path} {e}")),
        );
    }
    assert!(errors.is_empty(), "{}", report("Shoptet error bodies", &errors));
}

// ---------------------------------------------------------------- RAYNET simulator

struct Raynet {
    server: SimServer,
    http: reqwest::Client,
    spec: Spec,
}

impl Raynet {
    async fn start() -> Option<Raynet> {
        let spec = Spec::load(RAYNET_SPEC)?;
        let sim = RaynetSim::demo();
        let server = sim.start(0).await.expect("simulator starts");
        // The server task keeps its own handle on the simulator.
        drop(sim);
        Some(Raynet { server, http: reqwest::Client::new(), spec })
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        valid_key: bool,
    ) -> (u16, Value) {
        let mut req = self.http.request(method, format!("{}{path}", raynet_base_url(&self.server)));
        let key = if valid_key { DEMO_API_KEY } else { "wrong-key" };
        req = req.basic_auth(DEMO_USERNAME, Some(key)).header("X-Instance-Name", DEMO_INSTANCE);
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}")))
    }

    /// Creates with `PUT` (the body itself checked against the request schema) and checks the
    /// `201` body against the operation's response schema.
    async fn create(&self, path: &str, spec_path: &str, body: &Value, errors: &mut Vec<String>) -> Value {
        let sent = self.spec.validate(self.spec.request_schema(spec_path, "put"), body);
        assert!(sent.is_empty(), "{}", report(&format!("test body for PUT {spec_path}"), &sent));
        let (status, got) = self.call(reqwest::Method::PUT, path, Some(body), true).await;
        assert_eq!(status, 201, "PUT {path}: {got}");
        let schema = self.spec.response_schema(spec_path, "put", 201);
        errors.extend(self.spec.validate(schema, &got).into_iter().map(|e| format!("PUT {path} {e}")));
        got
    }

    /// GETs `path` and compares the body with the documented example (RAYNET documents these
    /// responses only by example).
    async fn compare(&self, path: &str, spec_path: &str, found: &mut RaynetFindings) -> Value {
        let (status, got) = self.call(reqwest::Method::GET, path, None, true).await;
        assert_eq!(status, 200, "GET {path}: {got}");
        let diff = compare_with_example(self.spec.response_example(spec_path, "get", 200), &got);
        found.add(spec_path, diff);
        got
    }
}

/// What the comparison with RAYNET's examples found, per documented operation.
#[derive(Default)]
struct RaynetFindings {
    kind_conflicts: Vec<String>,
    missing: Vec<String>,
    extra: Vec<String>,
}

impl RaynetFindings {
    fn add(&mut self, op: &str, diff: support::openapi::ExampleDiff) {
        let tag = |paths: Vec<String>| distinct_paths(&paths).into_iter().map(move |p| format!("{op} {p}"));
        self.kind_conflicts.extend(tag(diff.kind_conflicts));
        self.missing.extend(tag(diff.missing));
        self.extra.extend(tag(diff.extra));
    }
}

#[tokio::test]
async fn raynet_sim_responses_match_the_spec() {
    let Some(api) = Raynet::start().await else { return };
    let (mut errors, mut found) = (Vec::new(), RaynetFindings::default());

    for (path, spec_path) in [
        ("/company/?limit=5", "/company/"),
        ("/company/101/", "/company/{companyId}/"),
        ("/product/?limit=5", "/product/"),
        ("/userAccount/", "/userAccount/"),
        ("/businessCasePhase/", "/businessCasePhase/"),
        ("/contactSource/", "/contactSource/"),
        ("/currency/", "/currency/"),
        ("/businessCaseCategory/", "/businessCaseCategory/"),
        ("/businessCase/301/", "/businessCase/{businessCaseId}/"),
    ] {
        api.compare(path, spec_path, &mut found).await;
    }

    let company = json!({"name": "Kontrakt s.r.o.", "rating": "A", "state": "B_ACTUAL", "role": "A_SUBSCRIBER",
        "owner": 12, "addresses": [{"address": {"name": "Sídlo", "city": "Brno", "country": "CZ"}}]});
    let created = api.create("/company/", "/company/", &company, &mut errors).await;
    let company_id = created["data"]["id"].as_i64().expect("company id");
    let address = json!({"address": {"name": "Dodací adresa", "city": "Olomouc", "country": "CZ"}});
    let path = format!("/company/{company_id}/address/");
    api.create(&path, "/company/{companyId}/address/", &address, &mut errors).await;
    api.compare(&format!("/company/{company_id}/"), "/company/{companyId}/", &mut found).await;

    let product = json!({"code": "KONTRAKT-1", "name": "Kontraktní zboží", "price": 100, "taxRate": 21});
    api.create("/product/", "/product/", &product, &mut errors).await;
    api.compare("/product/?code=KONTRAKT-1", "/product/", &mut found).await;

    let case = json!({"name": "Kontrakt", "company": company_id, "owner": 12, "businessCasePhase": 3,
        "currency": 1, "validFrom": "2025-01-31",
        "items": [{"productCode": "KONTRAKT-1", "name": "Kontraktní zboží", "price": 100, "taxRate": 21, "count": 2}]});
    let created = api
        .create("/businessCase/createWithItems", "/businessCase/createWithItems", &case, &mut errors)
        .await;
    let case_id = created["data"]["id"].as_i64().expect("case id");
    let link = json!({"link": "https://example.com/order", "linkName": "Objednávka"});
    let path = format!("/attachment/businessCase/{case_id}/");
    api.create(&path, "/attachment/{entityName}/{entityId}/", &link, &mut errors).await;
    api.compare(&format!("/businessCase/{case_id}/"), "/businessCase/{businessCaseId}/", &mut found).await;

    assert!(found.kind_conflicts.is_empty(), "{}", report("RAYNET kinds", &found.kind_conflicts));
    let unexpected_gaps: Vec<String> = distinct(&found.missing)
        .into_iter()
        .filter(|p| !RAYNET_SIM_GAPS.iter().any(|g| p.ends_with(&format!("/{g}"))))
        .collect();
    assert!(
        unexpected_gaps.is_empty(),
        "{}",
        report("RAYNET sim lacks documented members", &unexpected_gaps)
    );
    let unexpected_extra: Vec<String> = distinct(&found.extra)
        .into_iter()
        .filter(|p| !RAYNET_UNDOCUMENTED_IN_EXAMPLES.iter().any(|g| p.ends_with(&format!("/{g}"))))
        .collect();
    assert!(
        unexpected_extra.is_empty(),
        "{}",
        report("RAYNET sim returns unknown members", &unexpected_extra)
    );
    let known: Vec<&String> = errors.iter().filter(|e| is_known_raynet_deviation(e)).collect();
    eprintln!("known RAYNET simulator deviations: {known:#?}");
    errors.retain(|e| !is_known_raynet_deviation(e));
    assert!(errors.is_empty(), "{}", report("RAYNET simulator", &errors));
}

/// Members of RAYNET's documented examples that the simulator does not return (the sync reads
/// none of them). A member it drops beyond these fails the test.
const RAYNET_SIM_GAPS: &[&str] = &[
    "_version",
    "rowInfo.createdAt",
    "rowInfo.createdBy",
    "rowInfo.updatedAt",
    "rowInfo.updatedBy",
    "rowInfo.rowAccess",
    "rowInfo.rowState",
    "securityLevel",
    "tags",
    "customFields",
    // company
    "address/id",
    "address/lat",
    "address/lng",
    "contactInfo/otherContact",
    "contactInfo/primary",
    "bankAccount",
    "birthday",
    "category",
    "companyClassification1",
    "companyClassification2",
    "companyClassification3",
    "court",
    "databox",
    "economyActivity",
    "employeesNumber",
    "inlineGdpr",
    "legalForm",
    "logo",
    "originLead",
    "paymentTerm",
    "salutation",
    "socialNetworkContact",
    "turnover",
    // product
    "validFrom",
    "validTill",
    // business case
    "businessCaseClassification1",
    "businessCaseClassification2",
    "businessCaseClassification3",
    "businessCaseType",
    "estimatedValue",
    "losingCategory",
    "losingReason",
    "originalLead",
    "project",
    "scheduledEnd",
    "signatures",
    "tradingProfit",
];

/// Members the simulator returns that RAYNET's examples do not show.
const RAYNET_UNDOCUMENTED_IN_EXAMPLES: &[&str] = &[
    // EN-SPEC product and businessCase detail examples ("extIds": null / list); the extId tag's
    // prose (raynet-api.md §4).
    "extIds",
    // CS-SPEC userAccount example; raynet-api.md §1 "Records carry _version".
    "_version",
    // CS-SPEC company prose and detail: addresses[], contactAddress (raynet-api.md §5).
    "addresses",
    "contactAddress",
    // AIPULSE live capture: an address carries countryCode in output (raynet-api.md §5).
    "address/countryCode",
    // CS-SPEC address item shape (contactInfo.doNotSendMM) used in create and output examples.
    "contactInfo/doNotSendMM",
];

/// Mismatches with the official schemas that are reported, not yet fixed (the RAYNET
/// simulator belongs to another part of the project).
fn is_known_raynet_deviation(e: &str) -> bool {
    // The attachment create schema types `success` as boolean; the simulator sends "true".
    e.starts_with("PUT /attachment/") && e.ends_with("/success: expected type \"boolean\", got string")
}

fn distinct(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v.dedup();
    v
}

// ---------------------------------------------------------------- request bodies

/// Members we send on purpose although the operation's request schema does not list them.
/// Each entry: (operation, JSON pointer with `*` for array indices).
const UNDOCUMENTED_ON_PURPOSE: &[(&str, &str)] = &[
    // extId at creation is documented only in the prose of RAYNET's "extId" tag ("add extId to
    // the PUT create body"); it is our idempotency key (raynet-api.md §4).
    ("PUT /company/", "/extId"),
    ("PUT /product/", "/extId"),
    ("PUT /businessCase/createWithItems", "/extId"),
];

fn mapping_settings(eshop_id: i64) -> MappingSettings {
    MappingSettings {
        eshop_id,
        eshop_currency: "CZK".into(),
        crm_currency: "CZK".into(),
        timezone: chrono_tz::Europe::Prague,
        name_template: "Objednávka {code}".into(),
        default_owner_id: 12,
        phase_id: 3,
        source_id: 1,
        category_id: Some(1),
    }
}

/// Every body the engine would send for one order, tagged with its operation.
fn bodies_for(
    order: &Order,
    products: &[(String, ShoptetProduct)],
    s: &MappingSettings,
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let client = client_draft(order, s).expect("client draft");
    out.push(("PUT /company/".to_string(), to_json(&client.create)));
    if let Some(a) = &client.contact_address {
        out.push(("PUT /company/{companyId}/address/".to_string(), to_json(a)));
    }
    let lines = plan_lines(order, s).expect("lines");
    let mut with_ids = Vec::new();
    for (n, line) in lines.into_iter().enumerate() {
        let product_id = if line.link_product && line.code.is_some() {
            let code = line.code.clone().unwrap_or_default();
            let detail = products.iter().find(|(c, _)| *c == code).map(|(_, p)| p);
            let draft = product_draft(&line, detail, product_ext_id(s.eshop_id, &code));
            out.push(("PUT /product/".to_string(), to_json(&draft)));
            if let Some(link) = detail.and_then(product_link) {
                out.push(("PUT /attachment/{entityName}/{entityId}/".to_string(), to_json(&link)));
            }
            Some(900 + n as i64)
        } else {
            None
        };
        with_ids.push((line, product_id));
    }
    let case = business_case_draft(order, s, 101, 12, Some(1), &with_ids).expect("business case draft");
    out.push(("PUT /businessCase/createWithItems".to_string(), to_json(&case)));
    // An update as the engine sends it on a changed order: the case fields (never lines), each
    // kept line edited in place and each new one added through the item endpoints.
    let update = BusinessCaseUpdate {
        name: Some(case.name.clone()),
        company: Some(case.company),
        owner: case.owner,
        business_case_phase: case.business_case_phase,
        source: case.source,
        category: case.category,
        currency: case.currency,
        exchange_rate: case.exchange_rate,
        valid_from: case.valid_from.clone(),
        description: case.description.clone(),
    };
    out.push(("POST /businessCase/{businessCaseId}/".to_string(), to_json(&update)));
    for line in &case.items {
        out.push((
            "POST /businessCase/{businessCaseId}/item/{businessCaseItemId}/".to_string(),
            to_json(&BusinessCaseItemEdit::from_input(line)),
        ));
        out.push(("PUT /businessCase/{businessCaseId}/item/".to_string(), to_json(line)));
    }
    if let Some(link) = order_link(order) {
        out.push(("PUT /attachment/{entityName}/{entityId}/".to_string(), to_json(&link)));
    }
    out
}

fn to_json<T: serde::Serialize>(draft: &T) -> Value {
    serde_json::to_value(draft).expect("drafts serialize")
}

/// Violations of `op`'s request schema, without the allow-listed undocumented members.
fn request_violations(spec: &Spec, op: &str, body: &Value) -> Vec<String> {
    let (method, path) = op.split_once(' ').expect("METHOD /path");
    let schema = spec.request_schema(path, &method.to_lowercase());
    let strict = Strictness { undocumented_properties: true };
    spec.validate_with(schema, body, strict)
        .into_iter()
        .filter(|e| {
            let Some(at) = e.strip_suffix(": undocumented property") else { return true };
            let at = distinct_paths(&[at.to_string()]).remove(0);
            !UNDOCUMENTED_ON_PURPOSE.iter().any(|(o, p)| *o == op && *p == at)
        })
        .map(|e| format!("{op} {e}"))
        .collect()
}

#[tokio::test]
async fn request_bodies_built_from_demo_orders_match_the_spec() {
    let Some(spec) = Spec::load(RAYNET_SPEC) else { return };
    let shop = ShoptetSim::demo();
    let server = shop.start(0).await.expect("simulator starts");
    let http = reqwest::Client::new();
    let (status, eshop) = shoptet_get(&http, &server, shop.token(), "/api/eshop").await;
    assert_eq!(status, 200);
    let eshop_id = eshop["data"]["contactInformation"]["eshopId"].as_i64().expect("eshop id");
    let s = mapping_settings(eshop_id);

    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for code in shop.order_codes() {
        let order: Order =
            serde_json::from_value(shop.order_json(&code).expect("order")).expect("a Shoptet order");
        let mut products = Vec::new();
        for item in order.items.iter().filter_map(|i| i.code.clone()) {
            let encoded = percent_encoding::utf8_percent_encode(&item, percent_encoding::NON_ALPHANUMERIC);
            let (status, body) =
                shoptet_get(&http, &server, shop.token(), &format!("/api/products/code/{encoded}")).await;
            if status == 200 {
                products
                    .push((item, serde_json::from_value(body["data"].clone()).expect("a Shoptet product")));
            }
        }
        for (op, body) in bodies_for(&order, &products, &s) {
            errors.extend(
                request_violations(&spec, &op, &body).into_iter().map(|e| format!("order {code}: {e}")),
            );
            seen.insert(op);
        }
    }
    for op in [
        "PUT /company/",
        "PUT /company/{companyId}/address/",
        "PUT /product/",
        "PUT /businessCase/createWithItems",
        "POST /businessCase/{businessCaseId}/",
        "POST /businessCase/{businessCaseId}/item/{businessCaseItemId}/",
        "PUT /businessCase/{businessCaseId}/item/",
        "PUT /attachment/{entityName}/{entityId}/",
    ] {
        assert!(seen.contains(op), "the demo orders produced no {op} body");
    }
    assert!(errors.is_empty(), "{}", report("request bodies", &errors));
}

#[test]
fn request_check_catches_a_broken_company_body() {
    let Some(spec) = Spec::load(RAYNET_SPEC) else { return };
    let good = json!({"name": "Firma s.r.o.", "rating": "A", "state": "A_POTENTIAL", "role": "A_SUBSCRIBER",
        "extId": "shoptet:1:email:a@b.cz"});
    assert_eq!(request_violations(&spec, "PUT /company/", &good), Vec::<String>::new());
    let bad = json!({"name": "Firma s.r.o.", "rating": "Z", "state": "A_POTENTIAL", "owner": "12",
        "regNo": "123", "extId": "shoptet:1:email:a@b.cz"});
    let errors = request_violations(&spec, "PUT /company/", &bad);
    for expected in
        ["/role: required", "/rating: \"Z\" is not one of", "/owner: expected type", "/regNo: undocumented"]
    {
        assert!(errors.iter().any(|e| e.contains(expected)), "no {expected:?} in {errors:#?}");
    }
    // extId is allowed only where it is documented in prose.
    let attachment = json!({"link": "https://x.cz", "linkName": "x", "extId": "y"});
    assert_eq!(request_violations(&spec, "PUT /attachment/{entityName}/{entityId}/", &attachment).len(), 1);
}

async fn shoptet_get(http: &reqwest::Client, server: &SimServer, token: &str, path: &str) -> (u16, Value) {
    let resp = http
        .get(format!("{}{path}", server.url))
        .header("Shoptet-Private-API-Token", token)
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("JSON"))
}

#[tokio::test]
async fn raynet_sim_error_bodies_match_the_spec() {
    let Some(api) = Raynet::start().await else { return };
    // RAYNET documents error bodies by example only ({"message"} on 400/403, plus
    // "translatedMessage" on 500); 401 is not documented per operation.
    let example = api.spec.response_example("/company/", "get", 400);
    for (method, path, body, valid_key, status) in [
        (reqwest::Method::GET, "/company/", None, false, 401),
        (reqwest::Method::GET, "/company/?limit=1001", None, true, 400),
        (reqwest::Method::GET, "/company/?noSuchColumn=1", None, true, 400),
        (reqwest::Method::PUT, "/company/", Some(json!({"name": "Bez ratingu"})), true, 400),
        (reqwest::Method::GET, "/company/999999/", None, true, 404),
    ] {
        let (got, err) = api.call(method.clone(), path, body.as_ref(), valid_key).await;
        assert_eq!(got, status, "{method} {path}: {err}");
        let diff = compare_with_example(example, &err);
        assert!(
            diff.missing.is_empty() && diff.kind_conflicts.is_empty(),
            "{method} {path}: {diff:?} in {err}"
        );
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()), "{method} {path}: {err}");
    }
}
