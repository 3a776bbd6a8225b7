//! Every field the Shoptet spec marks nullable may be `null`: our models read such answers
//! (the set of nullable members is derived from `shared/specs/shoptet-openapi.yaml` at test
//! time), the simulator's null modes null exactly those members and stay within the spec, and
//! the engine keeps working on them — each order syncs, waits (unknown status) or fails with a
//! readable reason; no answer is ever unreadable as a whole and the cursor never jumps.

mod common;
mod support;

use std::collections::BTreeSet;

use common::*;
use rust_decimal::Decimal;
use serde_json::Value;
use shoptet_raynet_sync::shoptet::models::{
    Eshop, Order, OrderChange, OrderStatuses, OrderSummary, Product, timestamp,
};
use shoptet_raynet_sync::sim::shoptet::{NullMode, ShoptetSim};
use shoptet_raynet_sync::store::{OrderQuery, OrderState, Reason};
use shoptet_raynet_sync::tui::Lang;
use support::openapi::Spec;

const SHOPTET_SPEC: &str = "shoptet-openapi.yaml";

// ---------------------------------------------------------------- the spec's nullable members

/// Whether `schema` admits `null` (`type: null` or a list with it, `nullable`, an enum with
/// `null`, or a `oneOf`/`anyOf` branch that does).
fn admits_null(spec: &Spec, schema: &Value) -> bool {
    let s = spec.deref(schema);
    let by_type = match s.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
        _ => false,
    };
    by_type
        || s.get("nullable") == Some(&Value::Bool(true))
        || s.get("enum").and_then(Value::as_array).is_some_and(|e| e.contains(&Value::Null))
        || ["oneOf", "anyOf"].iter().any(|k| {
            s.get(*k).and_then(Value::as_array).is_some_and(|bs| bs.iter().any(|b| admits_null(spec, b)))
        })
}

/// JSON pointers of the members of `value` that hold a value although `schema` allows `null`.
fn nullable_members(spec: &Spec, schema: &Value, value: &Value, path: &str, out: &mut BTreeSet<String>) {
    let s = spec.deref(schema);
    for k in ["allOf", "oneOf", "anyOf"] {
        for branch in s.get(k).and_then(Value::as_array).into_iter().flatten() {
            nullable_members(spec, branch, value, path, out);
        }
    }
    match value {
        Value::Object(members) => {
            let Some(props) = s.get("properties").and_then(Value::as_object) else { return };
            for (name, v) in members {
                let Some(prop) = props.get(name) else { continue };
                let here = format!("{path}/{name}");
                if !v.is_null() && admits_null(spec, prop) {
                    out.insert(here.clone());
                }
                nullable_members(spec, prop, v, &here, out);
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = s.get("items") {
                for (i, v) in items.iter().enumerate() {
                    nullable_members(spec, item_schema, v, &format!("{path}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

fn members_of(spec: &Spec, api_path: &str, body: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    nullable_members(spec, spec.response_schema(api_path, "get", 200), body, "", &mut out);
    out
}

/// `value` with the member at `pointer` set to `null`.
fn nulled(value: &Value, pointer: &str) -> Value {
    let mut v = value.clone();
    if let Some(m) = v.pointer_mut(pointer) {
        *m = Value::Null;
    }
    v
}

/// The member at `pointer` is `null`, or one of its ancestors is.
fn null_at_or_above(value: &Value, pointer: &str) -> bool {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    (1..=segments.len()).any(|n| {
        let prefix = format!("/{}", segments[..n].join("/"));
        value.pointer(&prefix).is_some_and(Value::is_null)
    })
}

// ---------------------------------------------------------------- HTTP against the simulator

struct Api {
    sim: std::sync::Arc<ShoptetSim>,
    _server: shoptet_raynet_sync::sim::SimServer,
    url: String,
    http: reqwest::Client,
}

impl Api {
    async fn demo() -> Api {
        let sim = ShoptetSim::demo();
        let server = sim.start(0).await.expect("simulator starts");
        let url = server.url.clone();
        Api { sim, _server: server, url, http: reqwest::Client::new() }
    }

    async fn get(&self, path: &str) -> Value {
        let resp = self
            .http
            .get(format!("{}{path}", self.url))
            .header("Shoptet-Private-API-Token", self.sim.token())
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status().as_u16(), 200, "{path}");
        resp.json().await.expect("JSON")
    }

    fn feed_path(&self) -> String {
        let from = timestamp::format(&(self.sim.now() - chrono::Duration::days(29))).replace('+', "%2B");
        format!("/api/orders/changes?from={from}&itemsPerPage=1000")
    }

    /// Every answer the sync reads about orders: (spec path, request path, body).
    async fn order_answers(&self) -> Vec<(&'static str, String, Value)> {
        let mut out = vec![
            ("/api/orders/changes", self.feed_path(), Value::Null),
            ("/api/orders", "/api/orders?itemsPerPage=50".to_string(), Value::Null),
        ];
        for code in self.sim.order_codes() {
            out.push(("/api/orders/{code}", format!("/api/orders/{code}?include=notes"), Value::Null));
        }
        for (_, path, body) in out.iter_mut() {
            *body = self.get(path).await;
        }
        out
    }

    /// The answers without their per-request `metadata.requestId`.
    async fn order_data(&self) -> Vec<Value> {
        self.order_answers().await.into_iter().map(|(_, _, b)| b["data"].clone()).collect()
    }
}

/// A split shipping item (21 % and 12 %) on one demo order, so that the breakdown is served too.
fn add_split_shipping(sim: &ShoptetSim) -> String {
    let code = sim.order_codes().into_iter().next().expect("demo orders");
    let mut order = sim.order_json(&code).unwrap();
    let items = order["items"].as_array_mut().unwrap();
    items.push(serde_json::json!({"itemId": 9901, "itemType": "shipping", "productGuid": null, "code": null,
        "ean": null, "name": "PPL", "variantName": null, "brand": null, "remark": null, "weight": "0.000",
        "additionalField": null, "amount": "1.000", "amountUnit": null, "priceRatio": "1.0000",
        "status": {"id": -1, "name": "Nevyřízeno"},
        "itemPrice": {"withVat": "0.00", "withoutVat": "0.00", "vat": "0.00", "vatRate": "21.00"},
        "unitPrice": {"withVat": "0.00", "withoutVat": "0.00", "vat": "0.00", "vatRate": "21.00"},
        "purchasePrice": null, "recyclingFee": null, "warrantyDescription": null, "amountCompleted": null}));
    let index = items.len() - 1;
    sim.upsert_order(order).unwrap();
    sim.split_item_vat(
        &code,
        index,
        &[(Decimal::from(21), Decimal::new(7260, 2)), (Decimal::from(12), Decimal::new(5600, 2))],
    )
    .unwrap();
    code
}

// ---------------------------------------------------------------- models and simulator

#[tokio::test]
async fn our_models_read_every_nullable_member_as_null_one_at_a_time() {
    let Some(spec) = Spec::load(SHOPTET_SPEC) else { return };
    let api = Api::demo().await;
    add_split_shipping(&api.sim);
    let mut checked = 0;
    let mut failures = Vec::new();
    for (spec_path, path, body) in api.order_answers().await {
        for pointer in members_of(&spec, spec_path, &body) {
            let body = nulled(&body, &pointer);
            let read = match spec_path {
                "/api/orders/{code}" => {
                    serde_json::from_value::<Order>(body["data"]["order"].clone()).map(|_| ())
                }
                "/api/orders" => {
                    serde_json::from_value::<Vec<OrderSummary>>(body["data"]["orders"].clone()).map(|_| ())
                }
                _ => serde_json::from_value::<Vec<OrderChange>>(body["data"]["changes"].clone()).map(|_| ()),
            };
            checked += 1;
            if let Err(e) = read {
                failures.push(format!("GET {path} with {pointer} = null: {e}"));
            }
        }
    }
    // The other answers the sync reads: e-shop, statuses, products.
    let mut others = vec![
        ("/api/eshop", "/api/eshop".to_string()),
        ("/api/orders/statuses", "/api/orders/statuses".to_string()),
    ];
    let products = api.get("/api/products?itemsPerPage=100").await;
    for p in products["data"]["products"].as_array().unwrap() {
        others.push(("/api/products/{guid}", format!("/api/products/{}", p["guid"].as_str().unwrap())));
    }
    for (spec_path, path) in others {
        let body = api.get(&path).await;
        for pointer in members_of(&spec, spec_path, &body) {
            let data = nulled(&body, &pointer)["data"].clone();
            let read = match spec_path {
                "/api/eshop" => serde_json::from_value::<Eshop>(data).map(|_| ()),
                "/api/orders/statuses" => serde_json::from_value::<OrderStatuses>(data).map(|_| ()),
                _ => serde_json::from_value::<Product>(data).map(|_| ()),
            };
            checked += 1;
            if let Err(e) = read {
                failures.push(format!("GET {path} with {pointer} = null: {e}"));
            }
        }
    }
    assert!(checked > 1000, "the demo exercises many nullable members: {checked}");
    assert!(
        failures.is_empty(),
        "{} of {checked} nulls unreadable:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_all_null_mode_nulls_every_nullable_member_and_stays_within_the_spec() {
    let Some(spec) = Spec::load(SHOPTET_SPEC) else { return };
    let api = Api::demo().await;
    let split = add_split_shipping(&api.sim);
    let plain = api.order_answers().await;
    let detail = plain.iter().find(|(_, p, _)| p.contains(&split)).map(|(_, _, b)| b).unwrap();
    assert_eq!(
        detail["data"]["order"]["items"].as_array().unwrap().last().unwrap()["itemPriceVatBreakdown"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "the simulator serves the breakdown"
    );
    api.sim.set_null_mode(NullMode::All, &[]);
    let all = api.order_answers().await;
    let mut errors = Vec::new();
    let mut patterns = BTreeSet::new();
    for ((spec_path, path, before), (_, _, after)) in plain.iter().zip(&all) {
        for e in spec.validate(spec.response_schema(spec_path, "get", 200), before) {
            errors.push(format!("GET {path} {e}"));
        }
        for e in spec.validate(spec.response_schema(spec_path, "get", 200), after) {
            errors.push(format!("GET {path} (all null) {e}"));
        }
        for pointer in members_of(&spec, spec_path, before) {
            if !null_at_or_above(after, &pointer) {
                errors.push(format!("GET {path}: {pointer} is nullable but was sent"));
            }
            let pattern: Vec<&str> =
                pointer.split('/').map(|s| if s.parse::<usize>().is_ok() { "*" } else { s }).collect();
            patterns.insert(pattern.join("/"));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    for must in [
        "/data/order/creationTime",
        "/data/order/status/name",
        "/data/order/price/withVat",
        "/data/order/customerGuid",
        "/data/order/items/*/amount",
        "/data/order/items/*/status/name",
        "/data/order/items/*/purchasePrice",
        "/data/order/items/*/itemPriceVatBreakdown/*/withVat",
        "/data/changes/*/changeTime",
        "/data/orders/*/price/withoutVat",
    ] {
        assert!(patterns.contains(must), "the demo answers exercise {must}: {patterns:#?}");
    }
    // Every all-null answer still reads.
    for (spec_path, path, body) in &all {
        let ok = match *spec_path {
            "/api/orders/{code}" => serde_json::from_value::<Order>(body["data"]["order"].clone()).is_ok(),
            "/api/orders" => {
                serde_json::from_value::<Vec<OrderSummary>>(body["data"]["orders"].clone()).is_ok()
            }
            _ => serde_json::from_value::<Vec<OrderChange>>(body["data"]["changes"].clone()).is_ok(),
        };
        assert!(ok, "GET {path} (all null) does not read: {body}");
    }
}

#[tokio::test]
async fn random_null_answers_are_seeded_and_within_the_spec() {
    let Some(spec) = Spec::load(SHOPTET_SPEC) else { return };
    let api = Api::demo().await;
    let plain = api.order_answers().await;
    let mut seen = Vec::new();
    for seed in [1, 2] {
        api.sim.set_null_mode(NullMode::Random { seed, percent: 30 }, &[]);
        let answers = api.order_answers().await;
        assert_eq!(
            api.order_data().await,
            api.order_data().await,
            "seed {seed}: the same answers every time"
        );
        for (spec_path, path, body) in &answers {
            let errors = spec.validate(spec.response_schema(spec_path, "get", 200), body);
            assert!(errors.is_empty(), "GET {path} (seed {seed}): {errors:#?}");
        }
        seen.push(answers.into_iter().map(|(_, _, b)| b["data"].clone()).collect::<Vec<_>>());
    }
    assert_ne!(seen[0], seen[1], "seeds differ");
    let plain: Vec<Value> = plain.into_iter().map(|(_, _, b)| b["data"].clone()).collect();
    assert_ne!(seen[0], plain, "some fields are null");
}

// ---------------------------------------------------------------- the engine on null answers

/// The codes of the orders the first poll's feed lists (changed since the sync's start).
fn feed_codes(world: &World) -> BTreeSet<String> {
    let from =
        world.config.sync.enabled_at - chrono::Duration::seconds(world.config.sync.overlap_secs as i64);
    world
        .shoptet
        .order_codes()
        .into_iter()
        .filter(|c| {
            let o = world.shoptet.order_json(c).unwrap();
            o["changeTime"].as_str().and_then(|t| timestamp::parse(t).ok()).is_some_and(|t| t >= from)
        })
        .collect()
}

fn recorded(world: &World) -> BTreeSet<String> {
    rows(world).into_iter().map(|r| r.code).collect()
}

fn rows(world: &World) -> Vec<shoptet_raynet_sync::store::OrderRow> {
    world.store().orders_page(&OrderQuery { limit: 1000, ..OrderQuery::default() }).unwrap()
}

/// A reason a person can act on: says what is wrong with the order, never that Shoptet's
/// answer could not be read as a whole.
/// A reason as an English reader sees it.
fn english(r: &Reason) -> String {
    Lang::En.texts().reason(r, &chrono::Utc)
}

fn assert_readable(code: &str, reason: Option<&Reason>) {
    let text = reason.map(english).unwrap_or_default();
    assert!(!text.trim().is_empty(), "{code}: empty reason");
    assert!(
        !matches!(reason, Some(Reason::UnreadableAnswer { .. })),
        "{code}: the answer was unreadable: {text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_keeps_working_when_every_nullable_field_is_null() {
    let world = World::demo().await;
    let listed = feed_codes(&world);
    assert!(listed.len() > 5, "the demo has recent orders: {listed:?}");
    world.shoptet.set_null_mode(NullMode::All, &[]);
    let mut engine = world.engine();
    let report = engine.sync_once().await.expect("the pass completes");
    assert_eq!(report.poll_error, None, "the feed pages read");
    for o in report.outcomes.iter().filter(|o| o.reason.is_some()) {
        assert_readable(&o.code, o.reason.as_ref());
    }
    let first = rows(&world);
    assert_eq!(recorded(&world), listed, "every order of the feed was read and recorded");
    // With a null status no order is known to be final: they wait, and say so by their status.
    assert!(first.iter().all(|r| r.state == OrderState::Pending && r.status_id.is_none()), "{first:#?}");
    assert_eq!(world.store().cursor().unwrap(), None, "feed entries without a time never move the cursor");

    // The same, but with the orders' status kept: every final order is worked, and fails with a
    // reason naming what is missing (its items have no prices) — or syncs.
    world.shoptet.set_null_mode(NullMode::All, &["/status"]);
    let report = engine.sync_once().await.expect("the pass completes");
    assert_eq!(report.poll_error, None);
    assert!(report.outcomes.len() > 3, "final orders were worked: {report:?}");
    for o in &report.outcomes {
        let reason = o.reason.as_ref().map(english).unwrap_or_default();
        assert_readable(&o.code, o.reason.as_ref());
        assert!(o.result == "synced" || reason.starts_with("order data:"), "{}: {reason}", o.code);
    }
    assert!(
        report
            .outcomes
            .iter()
            .any(|o| o.reason.as_ref().is_some_and(|r| english(r).contains("no usable price"))),
        "{report:?}"
    );
    assert_eq!(world.store().cursor().unwrap(), None);

    // Once Shoptet sends the values again, the same orders sync and the cursor moves on.
    world.shoptet.set_null_mode(NullMode::Off, &[]);
    world.sync_until_settled(&mut engine, 5).await;
    let newest = world
        .shoptet
        .order_codes()
        .iter()
        .filter_map(|c| world.shoptet.order_json(c)?["changeTime"].as_str().map(timestamp::parse))
        .filter_map(Result::ok)
        .max();
    assert_eq!(world.store().cursor().unwrap(), newest);
    let after = rows(&world);
    assert!(after.iter().any(|r| r.state == OrderState::Synced), "{after:#?}");
    for r in &after {
        assert!(!matches!(r.last_error, Some(Reason::UnreadableAnswer { .. })), "{r:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_order_syncs_waits_or_fails_readably_under_random_nulls() {
    let (mut synced, mut failed) = (0, 0);
    let mut orders = 0;
    for seed in 1..=4u64 {
        let mut world = World::demo().await;
        // Start four weeks back, so that every demo order is in the feed.
        world.config.sync.enabled_at = days_ago(28);
        world.shoptet.set_null_mode(NullMode::Random { seed, percent: 25 }, &[]);
        let mut engine = world.engine();
        world.sync_until_settled(&mut engine, 6).await;
        let all = rows(&world);
        orders += all.len();
        assert!(
            recorded(&world).is_superset(&feed_codes(&world)),
            "seed {seed}: every order of the feed recorded"
        );
        for r in &all {
            match r.state {
                OrderState::Synced => synced += 1,
                OrderState::Pending | OrderState::NeedsDecision => {}
                OrderState::Failed | OrderState::Dead => {
                    failed += 1;
                    assert_readable(&r.code, r.last_error.as_ref());
                }
                other => panic!("seed {seed}: {} ended {other:?}", r.code),
            }
        }
    }
    assert!(orders > 150, "many generated orders: {orders}");
    assert!(synced > 0 && failed > 0, "the seeds exercise both outcomes: {synced} synced, {failed} failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_entry_without_a_time_is_read_but_does_not_move_the_cursor() {
    let world = World::empty().await;
    let c = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
    world
        .shoptet
        .upsert_order(order("2026000301", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK"))
        .unwrap();
    // Only the feed's change times are null: every member of details and list rows is kept.
    let keep = ["order:", "list:"];
    world.shoptet.set_null_mode(NullMode::All, &keep);
    let mut engine = world.engine();
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, 1, "{report:?}");
    assert_eq!(world.store().cursor().unwrap(), None, "a null feed time moves nothing");
    // Fetched again on the next poll (its change may be news), and still no duplicate case.
    world.shoptet.clear_requests();
    engine.sync_once().await.unwrap();
    assert!(world.shoptet.requests().iter().any(|r| r.starts_with("GET /api/orders/2026000301")));
    assert_eq!(cases_for_ext(&world.dump(), &order_ext("2026000301")).len(), 1);
    // With times back, the cursor moves to the order's change time.
    world.shoptet.set_null_mode(NullMode::Off, &[]);
    engine.sync_once().await.unwrap();
    let changed =
        world.shoptet.order_json("2026000301").unwrap()["changeTime"].as_str().map(timestamp::parse);
    assert_eq!(world.store().cursor().unwrap(), changed.and_then(Result::ok));
}

// ---------------------------------------------------------------- VAT breakdown end to end

fn dec(v: &Value) -> Decimal {
    match v {
        Value::String(s) => s.parse().unwrap(),
        Value::Number(n) => n.to_string().parse().unwrap(),
        other => panic!("not a number: {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shipping_item_split_across_two_rates_becomes_two_lines_and_both_totals_match() {
    let world = World::empty().await;
    let c = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
    let lines = [product("KAV-ETH-250", "Káva", 2, "289.00"), shipping("PPL", "0.00")];
    world.shoptet.upsert_order(order("2026000302", -3, &c, &lines, "CZK")).unwrap();
    world
        .shoptet
        .split_item_vat(
            "2026000302",
            1,
            &[(Decimal::from(21), Decimal::new(7260, 2)), (Decimal::from(12), Decimal::new(5600, 2))],
        )
        .unwrap();
    let o = world.shoptet.order_json("2026000302").unwrap();
    let mut engine = world.engine();
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, 1, "{report:?}");
    let dump = world.dump();
    let cases = cases_for_ext(&dump, &order_ext("2026000302"));
    let items = cases[0]["items"].as_array().expect("lines");
    let names: Vec<&str> = items.iter().filter_map(|i| i["name"].as_str()).collect();
    assert_eq!(names, ["Káva", "PPL (DPH 21 %)", "PPL (DPH 12 %)"], "no rounding line needed");
    let rates: Vec<Decimal> = items.iter().map(|i| dec(&i["taxRate"])).collect();
    assert_eq!(rates, [Decimal::from(21), Decimal::from(21), Decimal::from(12)]);
    let without: Decimal = items.iter().map(|i| dec(&i["price"]) * dec(&i["count"])).sum();
    let with: Decimal = items
        .iter()
        .map(|i| {
            dec(&i["price"]) * dec(&i["count"]) * (Decimal::ONE + dec(&i["taxRate"]) / Decimal::ONE_HUNDRED)
        })
        .sum();
    assert_eq!(without.round_dp(2), dec(&o["price"]["withoutVat"]), "without VAT");
    assert_eq!(with.round_dp(2), dec(&o["price"]["withVat"]), "with VAT");
}
