//! The sync against RAYNET as documented (raynet-api.md §16): lines read where RAYNET puts
//! their product and edited in place (costs survive), extIds that work whether or not RAYNET
//! keeps them in create bodies and never carry `/`, and client names matched in any letter case.
//!
//! Part of the engine suite that also runs with `RAYNET_SIM_IGNORE_CREATE_EXTID=1`.

mod common;

use common::*;
use serde_json::{Value, json};
use shoptet_raynet_sync::mapping::{legacy_product_ext_id, product_code_from_ext_id, product_ext_id};
use shoptet_raynet_sync::sim::FaultKind;
use shoptet_raynet_sync::sim::raynet::RaynetDump;
use shoptet_raynet_sync::store::{CreateExtIdMode, EntityKind, EntityRecord, How, OrderState};

fn case_of<'a>(dump: &'a RaynetDump, code: &str) -> &'a Value {
    let cases = cases_for_ext(dump, &order_ext(code));
    assert_eq!(cases.len(), 1, "exactly one business case for {code}");
    cases[0]
}

/// `(line id, linked product, count, cost)` of every line, as RAYNET stores them.
fn lines(case: &Value) -> Vec<(i64, Option<i64>, f64, Option<f64>)> {
    case["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (i["id"].as_i64().unwrap(), line_product(i), i["count"].as_f64().unwrap(), i["cost"].as_f64())
        })
        .collect()
}

/// Requests that write business-case lines: any `…/item/…` call, or lines sent with the case.
fn line_writes(world: &World) -> Vec<String> {
    world
        .raynet
        .control()
        .stats()
        .requests
        .keys()
        .filter(|k| k.contains("/item/") || k.contains("createWithItems"))
        .cloned()
        .collect()
}

fn requests(world: &World) -> Vec<String> {
    world.raynet.control().stats().requests.into_iter().map(|(k, n)| format!("{k} ×{n}")).collect()
}

/// Re-publishes an order with `change` applied and a fresh change time.
fn change_order(world: &World, code: &str, change: impl FnOnce(&mut Value)) {
    let mut o = world.shoptet.order_json(code).expect("order");
    change(&mut o);
    o["changeTime"] = json!(recent(0));
    world.shoptet.upsert_order(o).unwrap();
}

/// Prices whose VAT needs no rounding line: the case has exactly one line per order item.
async fn synced_order(code: &str) -> (World, shoptet_raynet_sync::engine::Engine) {
    let world = World::empty().await;
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    let lines = [product("KAV-ETH-250", "Káva", 2, "242.00"), shipping("PPL", "121.00")];
    world.shoptet.upsert_order(order(code, -3, &c, &lines, "CZK")).unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    assert_eq!(world.store().order(code).unwrap().unwrap().state, OrderState::Synced);
    (world, engine)
}

// ---------------------------------------------------------------- lines

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remark_or_status_change_writes_no_line() {
    let code = "2026000101";
    let (world, mut engine) = synced_order(code).await;
    let before = lines(case_of(&world.dump(), code));
    assert_eq!(before.len(), 2);
    assert!(before[0].1.is_some() && before[0].3 == Some(80.0), "a linked line with its cost: {before:?}");

    // Only the customer's remark changes: the note is updated, no line is touched.
    world.raynet.control().reset_stats();
    change_order(&world, code, |o| o["notes"]["customerRemark"] = json!("Prosím doručit ráno."));
    world.sync_until_settled(&mut engine, 5).await;
    let dump = world.dump();
    let bc = case_of(&dump, code);
    assert_eq!(bc["description"], "Prosím doručit ráno.");
    assert_eq!(line_writes(&world), Vec::<String>::new(), "{:#?}", requests(&world));
    let id = bc["id"].as_i64().unwrap();
    assert_eq!(world.raynet.control().stats().count(&format!("POST /api/v2/businessCase/{id}/")), 1);
    assert_eq!(lines(bc), before, "same lines, same ids, costs intact");

    // Only the status changes: nothing at all is written.
    world.raynet.control().reset_stats();
    world.shoptet.set_order_status(code, -2).unwrap();
    world.sync_until_settled(&mut engine, 5).await;
    let stats = world.raynet.control().stats();
    let writes: Vec<&String> = stats.requests.keys().filter(|k| !k.starts_with("GET ")).collect();
    assert!(writes.is_empty(), "a status change alone writes nothing: {writes:?}");
    assert!(stats.total >= 1, "the case was read: {:?}", stats.requests);
    assert_eq!(world.store().order(code).unwrap().unwrap().state, OrderState::Synced);
    assert_eq!(lines(case_of(&world.dump(), code)), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quantity_change_edits_the_line_in_place_and_keeps_its_cost() {
    let code = "2026000102";
    let (world, mut engine) = synced_order(code).await;
    let before = lines(case_of(&world.dump(), code));
    world.raynet.control().reset_stats();
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    let more =
        order(code, -3, &c, &[product("KAV-ETH-250", "Káva", 5, "242.00"), shipping("PPL", "121.00")], "CZK");
    change_order(&world, code, |o| {
        o["items"] = more["items"].clone();
        o["price"] = more["price"].clone();
    });
    world.sync_until_settled(&mut engine, 5).await;
    let dump = world.dump();
    let bc = case_of(&dump, code);
    let after = lines(bc);
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(after[0].0, before[0].0, "the same line (id) was edited");
    assert_eq!(after[0].1, before[0].1, "it keeps its product");
    assert_eq!(after[0].2, 5.0);
    assert_eq!(after[0].3, Some(80.0), "its cost survives");
    assert_eq!(after[1], before[1], "the shipping line is untouched");
    let writes = line_writes(&world);
    assert_eq!(
        writes,
        [format!("POST /api/v2/businessCase/{}/item/{}/", bc["id"], before[0].0)],
        "{writes:?}"
    );
    assert_eq!(dump.products.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_product_is_added_and_a_dropped_one_removed_the_others_stay() {
    let code = "2026000103";
    let (world, mut engine) = synced_order(code).await;
    let before = lines(case_of(&world.dump(), code));
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    let other =
        order(code, -3, &c, &[product("CAJ-SEN-100", "Čaj", 1, "363.00"), shipping("PPL", "121.00")], "CZK");
    change_order(&world, code, |o| {
        o["items"] = other["items"].clone();
        o["price"] = other["price"].clone();
    });
    world.sync_until_settled(&mut engine, 5).await;
    let dump = world.dump();
    let after = lines(case_of(&dump, code));
    let tea = dump.products.iter().find(|p| p["code"] == "CAJ-SEN-100").unwrap()["id"].as_i64();
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after.contains(&before[1]), "the shipping line stays as it was: {after:?}");
    let added = after.iter().find(|l| l.1 == tea).expect("the tea line, linked");
    assert_eq!(added.3, Some(80.0), "added with its cost");
    assert!(after.iter().all(|l| l.0 != before[0].0), "the coffee line is removed, not relinked");
}

// ---------------------------------------------------------------- extIds

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_ext_ids_are_checked_once_per_type_and_set_when_raynet_drops_them() {
    for drops in [false, true] {
        let world = World::empty().await;
        world.raynet.set_ignore_create_ext_ids(drops);
        let c = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
        world
            .shoptet
            .upsert_order(order("2026000201", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK"))
            .unwrap();
        let mut engine = world.engine();
        world.sync_until_settled(&mut engine, 5).await;
        let store = world.store();
        let mode = |entity: &str| store.create_ext_id_mode(entity).unwrap();
        let expected = if drops { CreateExtIdMode::Dropped } else { CreateExtIdMode::Kept };
        assert_eq!(mode("company"), Some(CreateExtIdMode::Kept), "a company's create extId is documented");
        assert_eq!(mode("product"), Some(expected));
        assert_eq!(mode("businessCase"), Some(expected));
        let dump = world.dump();
        assert!(has_ext(&dump.products[0], &product_ext_id(ESHOP_ID, "KAV-ETH-250")), "drops={drops}");
        case_of(&dump, "2026000201");

        // The next creates are not checked again; where RAYNET drops the extId, it is set.
        world.raynet.control().reset_stats();
        world
            .shoptet
            .upsert_order(order("2026000202", -3, &c, &[product("MLY-HAR-01", "Mlýnek", 1, "990.00")], "CZK"))
            .unwrap();
        world.sync_until_settled(&mut engine, 5).await;
        let stats = world.raynet.control().stats();
        // Not checked again; and with no interrupted attempt behind them, the creates are not
        // preceded by a lookup either.
        assert_eq!(stats.count("GET /api/v2/product/ext/"), 0, "no lookup before or after the create");
        assert_eq!(stats.count("GET /api/v2/businessCase/ext/"), 0, "no lookup before or after the create");
        let set = stats.requests.keys().filter(|k| k.ends_with("/extId/")).count();
        assert_eq!(set, if drops { 2 } else { 0 }, "{:?}", stats.requests);
        let dump = world.dump();
        let grinder = dump.products.iter().find(|p| p["code"] == "MLY-HAR-01").unwrap();
        assert!(has_ext(grinder, &product_ext_id(ESHOP_ID, "MLY-HAR-01")));
        case_of(&dump, "2026000202");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_product_create_is_found_by_code_when_raynet_dropped_its_ext_id() {
    let world = World::empty().await;
    world.raynet.set_ignore_create_ext_ids(true);
    let c = person("Ondřej Černý", "ondrej.cerny@email.cz");
    world
        .shoptet
        .upsert_order(order("2026000211", -3, &c, &[product("KAV-BRA-1000/ZRN", "Káva", 1, "589.00")], "CZK"))
        .unwrap();
    // The product is created, but the answer is lost.
    world.raynet.control().add_fault(rule(FaultKind::DropAfter, None, "PUT", "/api/v2/product/", 1));
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 10).await;
    let o = world.store().order("2026000211").unwrap().unwrap();
    assert_eq!(o.state, OrderState::Synced, "{:?}", o.last_error);
    let dump = world.dump();
    assert_eq!(dump.products.len(), 1, "no second product: {:?}", dump.products);
    assert!(
        has_ext(&dump.products[0], &product_ext_id(ESHOP_ID, "KAV-BRA-1000/ZRN")),
        "extId set afterwards"
    );
    assert_eq!(line_product(&case_of(&dump, "2026000211")["items"][0]), dump.products[0]["id"].as_i64());
    assert!(world.store().intents().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_case_create_is_found_by_name_and_client_when_raynet_dropped_its_ext_id() {
    let world = World::empty().await;
    world.raynet.set_ignore_create_ext_ids(true);
    let c = company("Pražírna s.r.o.", "27082440", "nakup@prazirna.cz");
    let lines = [product("A-1", "Káva A", 1, "100.00"), shipping("PPL", "99.00")];
    world.shoptet.upsert_order(order("2026000221", -3, &c, &lines, "CZK")).unwrap();
    world.raynet.control().add_fault(rule(
        FaultKind::DropAfter,
        None,
        "PUT",
        "/api/v2/businessCase/createWithItems",
        1,
    ));
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 10).await;
    let o = world.store().order("2026000221").unwrap().unwrap();
    assert_eq!(o.state, OrderState::Synced, "{:?}", o.last_error);
    let dump = world.dump();
    assert_eq!(dump.business_cases.len(), 1, "adopted, not created twice");
    let bc = case_of(&dump, "2026000221");
    assert_eq!(o.business_case_id, bc["id"].as_i64());
    let links = dump.attachments.iter().filter(|a| a["entityId"] == bc["id"]).count();
    assert_eq!(links, 1, "the order link once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_code_with_a_slash_travels_escaped_and_decodes_back() {
    let world = World::empty().await;
    let c = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
    world
        .shoptet
        .upsert_order(order("2026000231", -3, &c, &[product("40/ZEL", "Zelený čaj", 1, "149.00")], "CZK"))
        .unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    let dump = world.dump();
    let ext: Vec<&str> =
        dump.products[0]["extIds"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(ext, [format!("shoptet:{ESHOP_ID}:product:40~2FZEL")]);
    assert_eq!(product_code_from_ext_id(ESHOP_ID, ext[0]).as_deref(), Some("40/ZEL"));
    let paths = world.raynet.control().stats().requests;
    assert!(paths.keys().any(|k| k.contains("/ext/shoptet:312457:product:40~2FZEL/")), "{paths:?}");
    assert!(!paths.keys().any(|k| k.contains("%2F") || k.contains("%2f")), "no encoded slash: {paths:?}");
    let rec = world.store().entity(EntityKind::Product, &product_ext_id(ESHOP_ID, "40/ZEL")).unwrap();
    assert!(rec.is_some(), "mapped under the escaped key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_mapped_under_an_old_unescaped_key_keeps_working() {
    let world = World::empty().await;
    let c = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
    let tea = || [product("40/ZEL", "Zelený čaj", 1, "149.00")];
    world.shoptet.upsert_order(order("2026000241", -3, &c, &tea(), "CZK")).unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    let product_id = world.dump().products[0]["id"].as_i64().unwrap();
    // As an older version left it: the mapping under the key with the slash.
    let mut store = world.store();
    let key = product_ext_id(ESHOP_ID, "40/ZEL");
    let rec = store.entity(EntityKind::Product, &key).unwrap().unwrap();
    store.delete_entity(EntityKind::Product, &key).unwrap();
    let legacy = legacy_product_ext_id(ESHOP_ID, "40/ZEL");
    assert!(legacy.contains('/'));
    store.record_entity(&EntityRecord { shoptet_key: legacy.clone(), ..rec }).unwrap();
    drop(store);

    world.raynet.control().reset_stats();
    world.shoptet.upsert_order(order("2026000242", -3, &c, &tea(), "CZK")).unwrap();
    world.sync_until_settled(&mut engine, 5).await;
    let dump = world.dump();
    assert_eq!(dump.products.len(), 1);
    assert_eq!(line_product(&case_of(&dump, "2026000242")["items"][0]), Some(product_id));
    let stats = world.raynet.control().stats();
    assert_eq!(
        stats.count("GET /api/v2/product/"),
        0,
        "known from the map, not looked up: {:?}",
        stats.requests
    );
    let store = world.store();
    assert_eq!(store.entity(EntityKind::Product, &legacy).unwrap().map(|r| r.how), Some(How::Created));
    assert!(store.entity(EntityKind::Product, &key).unwrap().is_none(), "no second mapping");
}

// ---------------------------------------------------------------- client matching

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_name_in_other_letter_case_is_matched_not_duplicated() {
    let world = World::empty().await;
    let seeded = |name: &str, email: &str| {
        world.raynet.add_company(json!({
            "name": name, "rating": "B", "state": "B_ACTUAL", "role": "A_SUBSCRIBER", "owner": OTHER_OWNER,
            "addresses": [{"address": {"name": "Sídlo", "city": "Tábor"}, "contactInfo": {"email": email}}]
        }))
    };
    let horak = seeded("Pekařství Horák s.r.o.", "pekarstvi@horak.cz");
    let bio = seeded("Káva_100% s.r.o.", "info@kava100.cz");
    // `_` and `%` in a LIKE pattern match more; only the exact name counts.
    seeded("KávaX100X s.r.o.", "info@kavax.cz");
    let mut c1 = company("  PEKAŘSTVÍ HORÁK S.R.O. ", "", "objednavky@horak.cz");
    c1.ic = None;
    let mut c2 = company("KÁVA_100% S.R.O.", "", "nakup@kava100.cz");
    c2.ic = None;
    world.shoptet.upsert_order(order("2026000301", -3, &c1, &[shipping("PPL", "99.00")], "CZK")).unwrap();
    world.shoptet.upsert_order(order("2026000302", -3, &c2, &[shipping("PPL", "99.00")], "CZK")).unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    let dump = world.dump();
    assert_eq!(dump.companies.len(), 3, "no client created: {:?}", dump.companies);
    assert_eq!(id_of(&case_of(&dump, "2026000301")["company"]), Some(horak));
    assert_eq!(id_of(&case_of(&dump, "2026000302")["company"]), Some(bio));
    let rec = world.store().entity_by_raynet_id(EntityKind::Client, horak).unwrap().unwrap();
    assert_eq!((rec.how, rec.matched_by.as_deref()), (How::Matched, Some("name")));
    assert!(
        world.raynet.control().stats().requests.keys().all(|k| !k.contains("name[EQ]")),
        "names are not looked up case-sensitively"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ic_with_spaces_matches_and_dic_is_no_lookup_key() {
    let world = World::empty().await;
    let spaced = world.raynet.add_company(json!({
        "name": "Horská chata Krkonoše s.r.o.", "regNumber": "254 12 589", "rating": "B", "state": "B_ACTUAL",
        "role": "A_SUBSCRIBER", "owner": OWNER,
        "addresses": [{"address": {"name": "Sídlo", "city": "Vrchlabí"}, "contactInfo": {"email": "jine@chata.cz"}}]
    }));
    world.raynet.add_company(json!({
        "name": "Úplně jiná firma s.r.o.", "taxNumber": "CZ27082440", "rating": "B", "state": "B_ACTUAL",
        "role": "A_SUBSCRIBER", "owner": OWNER,
        "addresses": [{"address": {"name": "Sídlo", "city": "Praha"}, "contactInfo": {"email": "x@jina.cz"}}]
    }));
    let chata = company("Chata Krkonoše", "254 12 589", "recepce@chatakrkonose.cz");
    let mut same_dic = company("Pražírna Vltava s.r.o.", "", "nakup@prazirnavltava.cz");
    same_dic.ic = None;
    same_dic.dic = Some("CZ27082440");
    world.shoptet.upsert_order(order("2026000311", -3, &chata, &[shipping("PPL", "99.00")], "CZK")).unwrap();
    world
        .shoptet
        .upsert_order(order("2026000312", -3, &same_dic, &[shipping("PPL", "99.00")], "CZK"))
        .unwrap();
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 5).await;
    let dump = world.dump();
    assert_eq!(id_of(&case_of(&dump, "2026000311")["company"]), Some(spaced), "IČ written with spaces");
    let created = company_named(&dump, "Pražírna Vltava s.r.o.");
    assert_eq!(created.len(), 1, "the same DIČ alone matches nothing: a new client");
    assert_eq!(id_of(&case_of(&dump, "2026000312")["company"]), created[0]["id"].as_i64());
}
