//! Contract tests: the simulators' responses for the endpoints the clients use, and the
//! clients' request bodies, validated against the official OpenAPI specs in `shared/specs`
//! (read at test time; a test passes with "skipped: … not found" when they are absent).

mod support;

use std::sync::Arc;

use serde_json::{Value, json};
use shoptet_raynet_sync::sim::SimServer;
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
            .validate(schema, &body)
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
        errors
            .extend(api.spec.validate(api.error_schema(), &body).into_iter().map(|e| format!("{path} {e}")));
    }
    assert!(errors.is_empty(), "{}", report("Shoptet error bodies", &errors));
}
