//! Every write the sync makes to RAYNET, with its answer lost once: RAYNET carries the write
//! out, and the connection breaks before the answer arrives, so the sync cannot know whether
//! it happened. After that one sync, and syncs until settled, RAYNET holds exactly one of every
//! record, attachment and address: follow-ups whose earlier attempt may have reached RAYNET
//! read the record first and add only what is missing.

mod common;
mod followups;
mod support;

use common::*;
use followups::*;
use serde_json::json;
use shoptet_raynet_sync::raynet::models::ProductDetail;
use shoptet_raynet_sync::store::OrderState;

const CODE: &str = "2026300001";
const CLIENT: &str = "Kavárna U Zrnka s.r.o.";

fn customer() -> Customer {
    company(CLIENT, "27074358", "objednavky@uzrnka.cz")
}

fn first_order() -> serde_json::Value {
    let lines = [
        product("KAV-ETH-250", "Etiopie Yirgacheffe 250 g", 1, "289.00"),
        product("KAV-BRA-1000/ZRN", "Brazílie Santos 1 kg", 1, "749.00"),
        shipping("PPL", "99.00"),
    ];
    with_delivery(order(CODE, -3, &customer(), &lines, "CZK"), "Brno")
}

/// The order changed after its sync: one line more pieces (edited in place), one product
/// replaced by another (a line added, one removed), a customer remark (a case field).
fn changed_order() -> serde_json::Value {
    let lines = [
        product("KAV-ETH-250", "Etiopie Yirgacheffe 250 g", 2, "289.00"),
        product("CAJ-SEN-100", "Japonský zelený čaj Sencha 100 g", 1, "189.00"),
        shipping("PPL", "99.00"),
    ];
    let mut o = with_delivery(order(CODE, -3, &customer(), &lines, "CZK"), "Brno");
    o["notes"]["customerRemark"] = json!("Prosím zazvonit dvakrát.");
    o
}

fn created_expect(products: &[&str]) -> Expect {
    Expect {
        orders: vec![CODE.into()],
        clients: vec![(CLIENT.into(), Some("Brno".into()))],
        products: products.iter().map(|p| p.to_string()).collect(),
        seeded_clients: 0,
    }
}

/// How the world looks before the lost answer.
#[derive(Clone, Copy, PartialEq)]
enum Setup {
    /// Nothing in RAYNET yet: the sync creates client, products and case.
    Fresh,
    /// RAYNET drops the extId of product and case creates (the sync sets it separately).
    ExtIdsDropped,
    /// The client exists in RAYNET without our extId: matched by IČ, it receives the extId.
    ClientExists,
}

fn write(name: &str) -> (&'static str, &'static str) {
    let (_, method, pattern) = WRITES.iter().find(|(n, _, _)| *n == name).expect("a known write");
    (method, pattern)
}

/// One sync in which the answer to the write `name` is lost, then syncs until settled.
async fn create_with_lost_answer(name: &str, setup: Setup) {
    let world = catalogue_world().await;
    let mut expect = created_expect(&["KAV-ETH-250", "KAV-BRA-1000/ZRN"]);
    if setup == Setup::ExtIdsDropped {
        world.raynet.set_ignore_create_ext_ids(true);
    }
    if setup == Setup::ClientExists {
        let id = world.raynet.add_company(json!({
            "name": CLIENT, "regNumber": "27074358", "rating": "A", "state": "B_ACTUAL", "role": "A_SUBSCRIBER",
            "owner": OTHER_OWNER, "addresses": [{"address": {"name": "Sídlo", "city": "Praha"}}]
        }));
        assert!(id > 0);
        // A matched client is not changed: no contact address is added to it.
        expect.clients = vec![(CLIENT.into(), None)];
    }
    world.shoptet.upsert_order(first_order()).unwrap();
    let (method, pattern) = write(name);
    let rc = world.raynet.control();
    rc.add_fault(lost_answer(method, pattern, 1));
    let mut engine = world.engine();
    let _ = engine.sync_once().await;
    assert!(rc.pending_faults().is_empty(), "{name}: the sync made that write");
    world.sync_until_settled(&mut engine, 12).await;
    assert_eq!(world.store().order(CODE).unwrap().unwrap().state, OrderState::Synced, "{name}");
    assert_once(&world.dump(), &expect);
    if setup == Setup::ClientExists {
        let dump = world.dump();
        let ours = format!("shoptet:{ESHOP_ID}:email:objednavky@uzrnka.cz");
        let c = company_named(&dump, CLIENT)[0];
        let ext: Vec<&str> =
            c["extIds"].as_array().into_iter().flatten().filter_map(|e| e.as_str()).collect();
        assert_eq!(ext.iter().filter(|e| e.starts_with("shoptet:")).count(), 1, "{ext:?} (ours: {ours})");
    }
}

/// The order is synced; it changes, and one sync of the change loses the answer to `name`.
async fn update_with_lost_answer(name: &str) {
    let world = catalogue_world().await;
    world.shoptet.upsert_order(first_order()).unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    assert_once(&world.dump(), &created_expect(&["KAV-ETH-250", "KAV-BRA-1000/ZRN"]));

    world.shoptet.upsert_order(changed_order()).unwrap();
    let (method, pattern) = write(name);
    let rc = world.raynet.control();
    rc.add_fault(lost_answer(method, pattern, 1));
    let _ = engine.sync_once().await;
    assert!(rc.pending_faults().is_empty(), "{name}: the sync made that write");
    world.sync_until_settled(&mut engine, 12).await;
    assert_eq!(world.store().order(CODE).unwrap().unwrap().state, OrderState::Synced, "{name}");
    let dump = world.dump();
    assert_once(&dump, &created_expect(&["KAV-ETH-250", "KAV-BRA-1000/ZRN", "CAJ-SEN-100"]));
    // The case's lines are the changed order's, each once (besides them, the rounding lines
    // that make RAYNET's VAT arithmetic meet the order's totals), and add up to its total.
    let case = cases_for_ext(&dump, &order_ext(CODE))[0];
    let mut lines: Vec<(String, f64)> = case["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (i["name"].as_str().unwrap_or_default().to_string(), i["count"].as_f64().unwrap_or_default())
        })
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<&str> = lines.iter().map(|(n, _)| n.as_str()).collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names, unique, "{name}: a line twice");
    let goods: Vec<(String, f64)> =
        lines.into_iter().filter(|(n, _)| !n.starts_with("Zaokrouhlení")).collect();
    assert_eq!(
        goods,
        [
            ("Etiopie Yirgacheffe 250 g".to_string(), 2.0),
            ("Japonský zelený čaj Sencha 100 g".to_string(), 1.0),
            ("PPL".to_string(), 1.0)
        ],
        "{name}"
    );
    let total: f64 = changed_order()["price"]["withoutVat"].as_str().unwrap().parse().unwrap();
    assert!(
        (case["totalAmount"].as_f64().unwrap() - total).abs() < 0.005,
        "{name}: {} ≠ {total}",
        case["totalAmount"]
    );
    assert_eq!(case["description"], "Prosím zazvonit dvakrát.", "{name}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_client_create() {
    create_with_lost_answer("create client", Setup::Fresh).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_contact_address() {
    create_with_lost_answer("contact address", Setup::Fresh).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_set_contact() {
    create_with_lost_answer("setContact", Setup::Fresh).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_extid_of_a_matched_client() {
    create_with_lost_answer("client extId", Setup::ClientExists).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_product_create() {
    create_with_lost_answer("create product", Setup::Fresh).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_product_create_when_raynet_drops_its_extid() {
    create_with_lost_answer("create product", Setup::ExtIdsDropped).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_extid_of_a_new_product() {
    create_with_lost_answer("product extId", Setup::ExtIdsDropped).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_product_link() {
    create_with_lost_answer("product link", Setup::Fresh).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_product_link_when_raynet_drops_extids() {
    create_with_lost_answer("product link", Setup::ExtIdsDropped).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_business_case_create() {
    create_with_lost_answer("create business case", Setup::Fresh).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_business_case_create_when_raynet_drops_its_extid() {
    create_with_lost_answer("create business case", Setup::ExtIdsDropped).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_extid_of_a_new_business_case() {
    create_with_lost_answer("business case extId", Setup::ExtIdsDropped).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_order_link() {
    create_with_lost_answer("order link", Setup::Fresh).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_a_case_field_update() {
    update_with_lost_answer("case fields").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_an_added_line() {
    update_with_lost_answer("add line").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_an_edited_line() {
    update_with_lost_answer("edit line").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_a_removed_line() {
    update_with_lost_answer("remove line").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answer_to_the_product_link_of_a_product_added_by_a_change() {
    update_with_lost_answer("product link").await;
}

/// Every write of the list is covered above (a new write added to `WRITES` must get a test).
#[test]
fn every_write_has_a_lost_answer_test() {
    let src = include_str!("lost_answers.rs");
    for (name, _, _) in WRITES {
        assert!(src.contains(&format!("_with_lost_answer(\"{name}\"")), "no lost-answer test for {name}");
    }
}

/// The product detail the sync reads before repeating a product link: every member it reads is
/// one RAYNET documents — `id`, `code`, `attachments` in the `GET /product/{id}/` example, and
/// an attachment's `id`, `link`, `linkName` where an example shows one (the person detail's;
/// attachments have one shape on every entity, raynet-api.md §9).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_product_detail_reads_only_documented_members() {
    let Some(spec) = support::openapi::Spec::load("raynet-openapi.json") else { return };
    let world = catalogue_world().await;
    world.shoptet.upsert_order(first_order()).unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    let dump = world.dump();
    let id =
        dump.products.iter().find(|p| p["code"] == "KAV-ETH-250").expect("created")["id"].as_i64().unwrap();
    let client = reqwest::Client::new();
    let body: serde_json::Value = client
        .get(format!("{}/product/{id}/", world.config.raynet.base_url))
        .basic_auth(world.raynet.username(), Some(world.raynet.api_key()))
        .header("X-Instance-Name", world.raynet.instance())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let detail: ProductDetail =
        serde_json::from_value(body["data"].clone()).expect("the model reads the detail");
    assert!(detail.has_link("https://www.kavovarnazrnko.cz/etiopie-yirgacheffe-250-g/"));
    let product = spec.response_example("/product/{productId}/", "get", 200);
    let person = spec.response_example("/person/{personId}/", "get", 200);
    let paths = support::fields::field_paths(&detail);
    assert!(paths.iter().any(|p| p == "/attachments/*/link"), "{paths:?}");
    for p in paths {
        let full = format!("/data{p}");
        let documented = match p.strip_prefix("/attachments/*") {
            Some(_) => support::openapi::example_declares(person, &full),
            None => support::openapi::example_declares(product, &full),
        };
        assert!(documented, "GET /product/{{id}}/: {p} is not in RAYNET's examples");
    }
}
