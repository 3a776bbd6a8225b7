//! The members our API models read must be ones the vendors document: every field of each
//! model, read from the simulators' answers, is looked up in the official spec (a Shoptet
//! schema, or a RAYNET example — RAYNET documents its responses by example). A member that
//! neither shows is allowed only with a source in `RAYNET_READ_BEYOND_EXAMPLES` /
//! `SHOPTET_READ_BEYOND_SCHEMA`.

mod support;

use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use shoptet_raynet_sync::raynet::models::{BusinessCase, Company, Product, UserAccount, ValueListItem};
use shoptet_raynet_sync::shoptet::models as shoptet;
use shoptet_raynet_sync::sim::raynet::{DEMO_API_KEY, DEMO_INSTANCE, DEMO_USERNAME, RaynetSim, base_url};
use shoptet_raynet_sync::sim::shoptet::ShoptetSim;
use support::fields::field_paths;
use support::openapi::{Spec, example_declares};

/// Members a RAYNET model reads that the CS spec's examples do not show, each with the
/// public source that shows the live service answering with it (see raynet-api.md §4, §16).
const RAYNET_READ_BEYOND_EXAMPLES: &[(&str, &str)] = &[
    (
        "/extIds",
        "EN-SPEC product and businessCase detail examples carry \"extIds\"; webhook events carry data.extIds",
    ),
    (
        "/items/*/priceListItem",
        "EN-SPEC businessCase detail example: items[].priceListItem {id, price, product {id, code}} (CS example: null)",
    ),
    (
        "/addresses",
        "CS-SPEC company detail lists addresses[] (companyInsert / address endpoints, raynet-api.md §5)",
    ),
];

/// Members a Shoptet model reads that the schema does not declare (none today).
const SHOPTET_READ_BEYOND_SCHEMA: &[(&str, &str)] = &[];

/// `Ref` reads its label as `name`, or as RAYNET's `fullName` (people), `value` (value lists)
/// or `code01` (phases) — serde aliases the field lister cannot see.
fn aliases(path: &str) -> Vec<String> {
    match path.strip_suffix("/name") {
        Some(base) => ["name", "fullName", "value", "code01"].iter().map(|a| format!("{base}/{a}")).collect(),
        None => vec![path.to_string()],
    }
}

/// The paths `declared` does not accept and no allow-list entry covers; the entries that
/// covered one are added to `used`.
fn undeclared(
    paths: impl IntoIterator<Item = String>,
    declared: impl Fn(&str) -> bool,
    allowed: &[(&'static str, &str)],
    used: &mut BTreeSet<&'static str>,
) -> Vec<String> {
    let mut out = Vec::new();
    for p in paths.into_iter().filter(|p| !declared(p)) {
        match allowed.iter().map(|(a, _)| *a).find(|a| p == *a || p.starts_with(&format!("{a}/"))) {
            Some(a) => {
                used.insert(a);
            }
            None => out.push(p),
        }
    }
    out
}

fn parse<T: DeserializeOwned>(v: &Value, what: &str) -> T {
    serde_json::from_value(v.clone())
        .unwrap_or_else(|e| panic!("{what}: our model cannot read the simulator's answer: {e}"))
}

fn paths_of<T: Serialize>(values: &[T]) -> Vec<String> {
    values.iter().flat_map(field_paths).collect::<BTreeSet<_>>().into_iter().collect()
}

#[tokio::test]
async fn shoptet_models_read_only_declared_members() {
    let Some(spec) = Spec::load("shoptet-openapi.yaml") else { return };
    let sim = ShoptetSim::demo();
    let server = sim.start(0).await.expect("simulator starts");
    let http = reqwest::Client::new();
    let get = |path: String| {
        let req = http.get(format!("{}{path}", server.url)).header("Shoptet-Private-API-Token", sim.token());
        async move { req.send().await.expect("request").json::<Value>().await.expect("JSON") }
    };
    let (mut errors, mut used) = (Vec::new(), BTreeSet::new());
    let mut check = |spec_path: &str, prefix: &str, paths: Vec<String>| {
        let schema = spec.response_schema(spec_path, "get", 200);
        assert!(!paths.is_empty(), "{spec_path}: the model has fields");
        for p in undeclared(
            paths,
            |p| spec.declares(schema, &format!("{prefix}{p}")),
            SHOPTET_READ_BEYOND_SCHEMA,
            &mut used,
        ) {
            errors.push(format!("GET {spec_path}: {prefix}{p}"));
        }
    };

    let orders: Vec<shoptet::Order> = sim
        .order_codes()
        .iter()
        .map(|c| parse(&sim.order_json(c).expect("demo order"), &format!("order {c}")))
        .collect();
    check("/api/orders/{code}", "/data/order", paths_of(&orders));

    let eshop = get("/api/eshop?include=orderStatuses".into()).await;
    check("/api/eshop", "/data", paths_of(&[parse::<shoptet::Eshop>(&eshop["data"], "eshop")]));

    let statuses = get("/api/orders/statuses".into()).await;
    check(
        "/api/orders/statuses",
        "/data",
        paths_of(&[parse::<shoptet::OrderStatuses>(&statuses["data"], "statuses")]),
    );

    let list = get("/api/orders?itemsPerPage=50".into()).await;
    let summaries: Vec<shoptet::OrderSummary> = parse(&list["data"]["orders"], "order list");
    check("/api/orders", "/data/orders/*", paths_of(&summaries));
    check(
        "/api/orders",
        "/data/paginator",
        paths_of(&[parse::<shoptet::Paginator>(&list["data"]["paginator"], "paginator")]),
    );

    let from = shoptet::timestamp::format(&(sim.now() - chrono::Duration::days(29))).replace('+', "%2B");
    let feed = get(format!("/api/orders/changes?from={from}")).await;
    let changes: Vec<shoptet::OrderChange> = parse(&feed["data"]["changes"], "changes feed");
    assert!(!changes.is_empty(), "the demo feed has changes");
    check("/api/orders/changes", "/data/changes/*", paths_of(&changes));

    let products = get("/api/products?itemsPerPage=100".into()).await;
    let rows: Vec<shoptet::ProductSummary> = parse(&products["data"]["products"], "product list");
    check("/api/products", "/data/products/*", paths_of(&rows));
    let mut details = Vec::new();
    for row in products["data"]["products"].as_array().expect("products") {
        let guid = row["guid"].as_str().expect("guid");
        details.push(parse::<shoptet::Product>(&get(format!("/api/products/{guid}")).await["data"], guid));
    }
    check("/api/products/{guid}", "/data", paths_of(&details));

    assert!(
        errors.is_empty(),
        "Shoptet models read members the spec does not declare:\n  {}",
        errors.join("\n  ")
    );
}

#[tokio::test]
async fn raynet_models_read_only_documented_members() {
    let Some(spec) = Spec::load("raynet-openapi.json") else { return };
    let sim = RaynetSim::demo();
    let server = sim.start(0).await.expect("simulator starts");
    let http = reqwest::Client::new();
    let base = base_url(&server);
    let get = |path: &str| {
        let req = http
            .get(format!("{base}{path}"))
            .basic_auth(DEMO_USERNAME, Some(DEMO_API_KEY))
            .header("X-Instance-Name", DEMO_INSTANCE);
        async move { req.send().await.expect("request").json::<Value>().await.expect("JSON") }
    };
    let (mut errors, mut used) = (Vec::new(), BTreeSet::new());
    // A model shared by several endpoints (a value list row) may read a member that any of
    // them documents.
    let mut check_any = |spec_paths: &[&str], prefix: &str, paths: Vec<String>| {
        let examples: Vec<&Value> = spec_paths.iter().map(|p| spec.response_example(p, "get", 200)).collect();
        assert!(!paths.is_empty(), "{spec_paths:?}: the model has fields");
        let declared = |p: &str| {
            let full = format!("{prefix}{p}");
            examples.iter().any(|ex| aliases(&full).iter().any(|a| example_declares(ex, a)))
        };
        for p in undeclared(paths, declared, RAYNET_READ_BEYOND_EXAMPLES, &mut used) {
            errors.push(format!("GET {}: {prefix}{p}", spec_paths.join(" | ")));
        }
    };

    let company = get("/company/101/").await;
    check_any(
        &["/company/{companyId}/"],
        "/data",
        paths_of(&[parse::<Company>(&company["data"], "company")]),
    );
    let companies = get("/company/?limit=20").await;
    check_any(
        &["/company/"],
        "/data/*",
        paths_of(&parse::<Vec<Company>>(&companies["data"], "company list")),
    );
    let products = get("/product/?limit=20").await;
    check_any(&["/product/"], "/data/*", paths_of(&parse::<Vec<Product>>(&products["data"], "product list")));
    let case = get("/businessCase/301/").await;
    check_any(
        &["/businessCase/{businessCaseId}/"],
        "/data",
        paths_of(&[parse::<BusinessCase>(&case["data"], "business case")]),
    );
    let users = get("/userAccount/").await;
    check_any(&["/userAccount/"], "/data/*", paths_of(&parse::<Vec<UserAccount>>(&users["data"], "users")));
    let lists = ["/businessCasePhase/", "/contactSource/", "/currency/", "/businessCaseCategory/"];
    let mut rows = Vec::new();
    for list in lists {
        rows.extend(parse::<Vec<ValueListItem>>(&get(list).await["data"], list));
    }
    check_any(&lists, "/data/*", paths_of(&rows));

    assert!(errors.is_empty(), "RAYNET models read members no example shows:\n  {}", errors.join("\n  "));
    let stale: Vec<&str> =
        RAYNET_READ_BEYOND_EXAMPLES.iter().map(|(a, _)| *a).filter(|a| !used.contains(a)).collect();
    assert!(stale.is_empty(), "allow-list entries no model needs any more: {stale:?}");
}

#[test]
fn the_field_lister_sees_skipped_and_nested_members() {
    #[derive(Serialize)]
    struct Inner {
        code: &'static str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Outer {
        item_list: Vec<Inner>,
        #[serde(skip_serializing_if = "Option::is_none")]
        maybe_note: Option<String>,
    }
    let paths = field_paths(&Outer { item_list: vec![Inner { code: "x" }], maybe_note: None });
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    assert_eq!(paths, ["/itemList", "/itemList/*/code", "/maybeNote"]);
}
