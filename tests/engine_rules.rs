//! Every row of SYNC-RULES.md, end to end against both simulators.

mod common;

use common::*;
use rust_decimal::Decimal;
use serde_json::Value;
use shoptet_raynet_sync::engine::api::{ClientChoice, EngineCommand};
use shoptet_raynet_sync::engine::detail;
use shoptet_raynet_sync::store::{EntityKind, How, OrderState};
use shoptet_raynet_sync::tui::i18n::{Lang, plan};

fn dec(v: &Value) -> Decimal {
    match v {
        Value::String(s) => s.parse().unwrap(),
        Value::Number(n) => n.to_string().parse().unwrap(),
        other => panic!("not a number: {other}"),
    }
}

fn case_of<'a>(dump: &'a shoptet_raynet_sync::sim::raynet::RaynetDump, code: &str) -> &'a Value {
    let cases = cases_for_ext(dump, &order_ext(code));
    assert_eq!(cases.len(), 1, "exactly one business case for {code}");
    cases[0]
}

fn company_by_id(dump: &shoptet_raynet_sync::sim::raynet::RaynetDump, id: i64) -> &Value {
    dump.companies.iter().find(|c| c["id"].as_i64() == Some(id)).expect("company exists")
}

fn pv_company() -> Value {
    serde_json::json!({
        "name": "Pražírna Vltava s.r.o.", "regNumber": "27082440", "rating": "A", "state": "B_ACTUAL",
        "role": "A_SUBSCRIBER", "owner": OTHER_OWNER,
        "addresses": [{"address": {"name": "Sídlo", "street": "Plzeňská 12", "city": "Praha", "zipCode": "150 00", "country": "CZ"},
                       "contactInfo": {"email": "jine@prazirnavltava.cz"}}]
    })
}

async fn synced_world(orders: Vec<Value>) -> World {
    let world = World::empty().await;
    for o in orders {
        world.shoptet.upsert_order(o).unwrap();
    }
    world
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_final_orders_are_synced_pending_ones_are_watched() {
    let c = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
    let world = synced_world(vec![order(
        "2026000001",
        -1,
        &c,
        &[product("KAV-ETH-250", "Káva", 1, "289.00")],
        "CZK",
    )])
    .await;
    let mut engine = world.engine();
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, 0);
    assert_eq!(world.store().order("2026000001").unwrap().unwrap().state, OrderState::Pending);
    assert!(world.dump().business_cases.is_empty());
    world.shoptet.set_order_status("2026000001", -3).unwrap();
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, 1, "{report:?}");
    assert_eq!(world.store().order("2026000001").unwrap().unwrap().state, OrderState::Synced);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scope_follows_enabled_at_and_backfill() {
    let c = person("Ondřej Černý", "ondrej.cerny@email.cz");
    let lines = [product("KAV-ETH-250", "Káva", 1, "289.00")];
    let mut new = order("2026000010", -3, &c, &lines, "CZK");
    new["creationTime"] = recent(60).into();
    let mut old_changed = order("2026000011", -3, &c, &lines, "CZK");
    old_changed["creationTime"] = recent(60 * 24 * 20).into();
    old_changed["changeTime"] = recent(10).into();
    let mut old_unchanged = order("2026000012", -3, &c, &lines, "CZK");
    old_unchanged["creationTime"] = recent(60 * 24 * 20).into();
    old_unchanged["changeTime"] = recent(60 * 24 * 19).into();
    let world = synced_world(vec![new, old_changed, old_unchanged]).await;
    let mut config = world.config.clone();
    config.sync.enabled_at = ts(&recent(60 * 24 * 7));
    let mut engine = world.engine_with(config.clone());
    engine.sync_once().await.unwrap();
    let dump = world.dump();
    assert_eq!(cases_for_ext(&dump, &order_ext("2026000010")).len(), 1, "new order synced");
    assert_eq!(cases_for_ext(&dump, &order_ext("2026000011")).len(), 1, "old but changed order synced");
    assert_eq!(cases_for_ext(&dump, &order_ext("2026000012")).len(), 0, "old unchanged order left alone");
    // Explicit backfill brings it in.
    let from = ts(&recent(60 * 24 * 25));
    assert_eq!(engine.backfill(from).await.unwrap(), 1);
    engine.sync_once().await.unwrap();
    assert_eq!(cases_for_ext(&world.dump(), &order_ext("2026000012")).len(), 1, "backfilled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_matched_by_ic_email_and_name_in_that_order() {
    let world = World::empty().await;
    let by_ic = world.raynet.add_company(pv_company());
    let by_email = world.raynet.add_company(serde_json::json!({
        "name": "Novák a syn", "rating": "B", "state": "B_ACTUAL", "role": "A_SUBSCRIBER", "owner": OWNER,
        "addresses": [{"address": {"name": "Sídlo", "city": "Brno"}, "contactInfo": {"email": "INFO@novakasyn.cz"}}]
    }));
    let by_name = world.raynet.add_company(serde_json::json!({
        "name": "Bistro U Tří lip s.r.o.", "rating": "B", "state": "B_ACTUAL", "role": "A_SUBSCRIBER", "owner": OWNER,
        "addresses": [{"address": {"name": "Sídlo", "city": "Kolín"}, "contactInfo": {"email": "jine@bistro.cz"}}]
    }));
    let lines = [product("KAV-ETH-250", "Káva", 1, "289.00")];
    for (code, c) in [
        ("2026000021", company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz")),
        ("2026000022", company("Kancelář Novák & syn s.r.o.", "04512345", "info@novakasyn.cz")),
        ("2026000023", company("Bistro U Tří lip s.r.o.", "08765432", "bistro3lipy@email.cz")),
    ] {
        world.shoptet.upsert_order(order(code, -3, &c, &lines, "CZK")).unwrap();
    }
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    let dump = world.dump();
    assert_eq!(id_of(&case_of(&dump, "2026000021")["company"]), Some(by_ic));
    assert_eq!(id_of(&case_of(&dump, "2026000022")["company"]), Some(by_email));
    assert_eq!(id_of(&case_of(&dump, "2026000023")["company"]), Some(by_name));
    assert_eq!(dump.companies.len(), 3, "nothing created");
    let store = world.store();
    let by: Vec<Option<String>> = [by_ic, by_email, by_name]
        .iter()
        .map(|id| store.entity_by_raynet_id(EntityKind::Client, *id).unwrap().unwrap().matched_by)
        .collect();
    assert_eq!(by, vec![Some("reg_number".into()), Some("email".into()), Some("name".into())]);
    // Owner rule: the matched client's owner owns the case.
    assert_eq!(id_of(&case_of(&dump, "2026000021")["owner"]), Some(OTHER_OWNER));
    // A matched client receives our extId and nothing else changes.
    let c = company_by_id(&dump, by_ic);
    assert_eq!(c["rating"], "A");
    assert!(c["extIds"].as_array().is_some_and(|a| !a.is_empty()), "extId added: {c}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ambiguous_client_waits_for_a_decision() {
    let world = World::empty().await;
    let ids = ambiguous_slunce(&world, "2026000031");
    let mut engine = world.engine();
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.needs_decision, 1);
    let store = world.store();
    assert_eq!(store.order("2026000031").unwrap().unwrap().state, OrderState::NeedsDecision);
    let decision = store.decision("2026000031").unwrap().unwrap();
    let mut cand: Vec<i64> = decision.candidates.iter().map(|c| c.raynet_id).collect();
    cand.sort();
    assert_eq!(cand, ids);
    assert!(world.dump().business_cases.is_empty(), "never picks at random");
    // A second pass does not touch it.
    engine.sync_once().await.unwrap();
    assert!(world.dump().business_cases.is_empty());
    // The person decides.
    engine
        .handle(EngineCommand::Resolve { code: "2026000031".into(), choice: ClientChoice::Existing(ids[1]) })
        .await;
    engine.sync_once().await.unwrap();
    let dump = world.dump();
    assert_eq!(id_of(&case_of(&dump, "2026000031")["company"]), Some(ids[1]));
    assert_eq!(dump.companies.len(), 2);
    assert_eq!(world.store().order("2026000031").unwrap().unwrap().state, OrderState::Synced);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_company_and_person_are_created_with_every_field() {
    let world = World::empty().await;
    let mut firm = company("Horská chata Krkonoše s.r.o.", "25412589", "recepce@chatakrkonose.cz");
    firm.dic = Some("CZ25412589");
    firm.guid = Some("cust-guid-1");
    let mut o1 = order("2026000041", -3, &firm, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK");
    o1["deliveryAddress"] = serde_json::json!({"fullName": "Recepce", "street": "Špindlerův Mlýn", "houseNumber": "48",
        "city": "Špindlerův Mlýn", "zip": "543 51", "countryCode": "CZ"});
    o1["addressesEqual"] = false.into();
    let jana = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
    let o2 = order("2026000042", -3, &jana, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK");
    let marek = person("Marek", "marek@post.cz");
    let o3 = order("2026000043", -3, &marek, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK");
    for o in [o1, o2, o3] {
        world.shoptet.upsert_order(o).unwrap();
    }
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    let dump = world.dump();
    let firm_id = id_of(&case_of(&dump, "2026000041")["company"]).unwrap();
    let f = company_by_id(&dump, firm_id);
    assert_eq!(f["name"], "Horská chata Krkonoše s.r.o.");
    assert_eq!(f["person"], false);
    assert_eq!(f["regNumber"], "25412589");
    assert_eq!(f["taxNumber"], "CZ25412589");
    assert_eq!(f["rating"], "B");
    assert_eq!(f["role"], "A_SUBSCRIBER");
    assert_eq!(f["state"], "B_ACTUAL");
    assert_eq!(id_of(&f["owner"]), Some(OWNER));
    assert!(has_ext(f, &format!("shoptet:{ESHOP_ID}:customer:cust-guid-1")), "{f}");
    let text = f.to_string();
    assert!(
        text.contains("recepce@chatakrkonose.cz") && text.contains("+420 602 123 456"),
        "contact info: {text}"
    );
    assert!(text.contains("Vinohradská"), "billing address = primary: {text}");
    assert!(text.contains("Špindlerův Mlýn"), "delivery address added as contact address: {text}");
    let jana_id = id_of(&case_of(&dump, "2026000042")["company"]).unwrap();
    let j = company_by_id(&dump, jana_id);
    assert_eq!(j["person"], true);
    assert_eq!(j["firstName"], "Jana");
    assert_eq!(j["lastName"], "Dvořáková");
    assert_eq!(j["name"], "Jana Dvořáková");
    assert!(has_ext(j, &format!("shoptet:{ESHOP_ID}:email:jana.dvorakova@seznam.cz")), "{j}");
    let marek_id = id_of(&case_of(&dump, "2026000043")["company"]).unwrap();
    let m = company_by_id(&dump, marek_id);
    assert_eq!(m["lastName"], "Marek");
    assert!(m["firstName"].is_null() || m["firstName"] == "");
    // Owner of new clients' cases = default owner.
    assert_eq!(id_of(&case_of(&dump, "2026000042")["owner"]), Some(OWNER));
    let store = world.store();
    assert_eq!(store.count_entities(EntityKind::Client, Some(How::Created)).unwrap(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn business_case_fields_lines_and_totals() {
    let world = World::empty().await;
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    let lines = [
        product("KAV-ETH-250", "Etiopie 250 g", 3, "289.00"),
        product("KAV-BRA-1000/ZRN", "Brazílie 1 kg zrno", 1, "699.00"),
        shipping("PPL na adresu", "99.00"),
        payment("Dobírka", "39.00"),
        discount("Sleva 10 %", "-100.00"),
    ];
    let mut o = order("2026000051", -3, &c, &lines, "CZK");
    o["notes"]["customerRemark"] = "Prosím zvonit dvakrát.".into();
    world.shoptet.upsert_order(o.clone()).unwrap();
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    let dump = world.dump();
    let bc = case_of(&dump, "2026000051");
    assert_eq!(bc["name"], "Objednávka 2026000051");
    assert_eq!(id_of(&bc["businessCasePhase"]), Some(PHASE));
    assert_eq!(id_of(&bc["source"]), Some(SOURCE));
    assert_eq!(id_of(&bc["category"]), Some(CATEGORY));
    assert_eq!(id_of(&bc["currency"]), Some(CZK));
    assert!(
        bc["exchangeRate"].is_null() || dec(&bc["exchangeRate"]) == Decimal::ONE,
        "home currency: no exchange rate sent: {}",
        bc["exchangeRate"]
    );
    assert_eq!(bc["description"], "Prosím zvonit dvakrát.");
    let created: String = o["creationTime"].as_str().unwrap()[..10].to_string();
    assert_eq!(bc["validFrom"].as_str().map(|s| &s[..10]), Some(created.as_str()));
    let items = bc["items"].as_array().expect("items");
    let order_lines =
        items.iter().filter(|i| !i["name"].as_str().unwrap_or("").starts_with("Zaokrouhlení")).count();
    assert_eq!(
        order_lines, 5,
        "one line per order item (plus rounding lines when VAT needs them): {items:?}"
    );
    let total: Decimal = items.iter().map(|i| dec(&i["price"]) * dec(&i["count"])).sum();
    assert_eq!(total.round_dp(2), o["price"]["withoutVat"].as_str().unwrap().parse::<Decimal>().unwrap());
    let with_vat: Decimal = items
        .iter()
        .map(|i| {
            dec(&i["price"]) * dec(&i["count"]) * (Decimal::ONE + dec(&i["taxRate"]) / Decimal::from(100))
        })
        .sum();
    let expected: Decimal = o["price"]["withVat"].as_str().unwrap().parse().unwrap();
    assert_eq!(with_vat.round_dp(2), expected, "totals invariant with VAT");
    assert_eq!(dec(&items[0]["taxRate"]), Decimal::from(21));
    assert_eq!(dec(&items[0]["count"]), Decimal::from(3));
    let linked = items.iter().filter(|i| line_product(i).is_some()).count();
    assert_eq!(linked, 2, "product lines link products, the others are plain: {items:?}");
    // Products created with code, name, price, unit; one per code.
    for code in ["KAV-ETH-250", "KAV-BRA-1000/ZRN"] {
        let p: Vec<&Value> = dump.products.iter().filter(|p| p["code"] == code).collect();
        assert_eq!(p.len(), 1, "{code}");
        assert!(p[0]["name"].as_str().is_some_and(|n| !n.is_empty()));
    }
    // The order detail record says what was done, step by step.
    let detail = detail::load(&world.store(), "2026000051").unwrap().expect("detail kept");
    let detail = [plan::shoptet(&detail.shoptet, Lang::En), plan::plan_section(&detail.plan, Lang::En)]
        .concat()
        .join("\n");
    assert!(detail.contains("Client: created company Pražírna Vltava"), "{detail}");
    assert!(detail.contains("Product KAV-BRA-1000/ZRN: created"), "{detail}");
    assert!(detail.contains("Business case #"), "{detail}");
    assert!(detail.contains("Prosím zvonit dvakrát."), "Shoptet data kept: {detail}");
    // The order link attachment.
    let text = serde_json::to_string(&dump.attachments).unwrap() + &bc.to_string();
    assert!(text.contains("objednavky-detail/?id=2026000051"), "order link attached");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_currency_orders_carry_the_rate_and_no_products() {
    let world = World::empty().await;
    let c = company("Café Wien GmbH", "ATU12345678", "einkauf@cafewien.at");
    world
        .shoptet
        .upsert_order(order(
            "2026000061",
            -3,
            &c,
            &[product("KAV-ETH-250", "Káva", 2, "11.90"), shipping("DPD", "9.90")],
            "EUR",
        ))
        .unwrap();
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    let dump = world.dump();
    let bc = case_of(&dump, "2026000061");
    assert_eq!(id_of(&bc["currency"]), Some(EUR));
    assert_eq!(dec(&bc["exchangeRate"]), "25.3".parse::<Decimal>().unwrap());
    assert!(bc["items"].as_array().unwrap().iter().all(|i| line_product(i).is_none()));
    assert!(dump.products.is_empty(), "no product created for a foreign-currency order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn existing_products_are_matched_by_code() {
    let world = World::empty().await;
    let c = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
    world
        .shoptet
        .upsert_order(order("2026000071", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK"))
        .unwrap();
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    let product_id = world.dump().products[0]["id"].as_i64().unwrap();
    // A second shop install (fresh local store) still finds it by code.
    let world2 = World::with(world.shoptet.clone(), world.raynet.clone()).await;
    world
        .shoptet
        .upsert_order(order("2026000072", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK"))
        .unwrap();
    let mut engine2 = world2.engine();
    engine2.sync_once().await.unwrap();
    let dump = world2.dump();
    assert_eq!(dump.products.len(), 1);
    let bc = case_of(&dump, "2026000072");
    assert_eq!(line_product(&bc["items"][0]), Some(product_id));
    let rec = world2.store().entity_by_raynet_id(EntityKind::Product, product_id).unwrap().unwrap();
    assert_eq!(rec.how, How::Matched);
    assert_eq!(rec.matched_by.as_deref(), Some("code"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_order_updates_the_same_case_and_cancel_moves_it_to_storno() {
    let world = World::empty().await;
    let c = person("Ondřej Černý", "ondrej.cerny@email.cz");
    world
        .shoptet
        .upsert_order(order(
            "2026000081",
            -3,
            &c,
            &[product("KAV-ETH-250", "Káva", 2, "289.00"), shipping("PPL", "99.00")],
            "CZK",
        ))
        .unwrap();
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    let first_id = case_of(&world.dump(), "2026000081")["id"].as_i64().unwrap();
    // Twice: nothing new.
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, 0);
    // The shop changes a price.
    world.shoptet.set_item_price("2026000081", 0, "250.00".parse().unwrap()).unwrap();
    engine.sync_once().await.unwrap();
    let dump = world.dump();
    let bc = case_of(&dump, "2026000081");
    assert_eq!(bc["id"].as_i64(), Some(first_id), "same business case");
    let items = bc["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "lines replaced, not added: {items:?}");
    assert!(line_product(&items[0]).is_some(), "the edited product line keeps its product: {items:?}");
    assert_eq!(world.dump().products.len(), 1, "no product created by the update");
    let total: Decimal = items.iter().map(|i| dec(&i["price"]) * dec(&i["count"])).sum();
    let order = world.shoptet.order_json("2026000081").unwrap();
    assert_eq!(total.round_dp(2), order["price"]["withoutVat"].as_str().unwrap().parse::<Decimal>().unwrap());
    // Cancelled → storno phase.
    world.shoptet.set_order_status("2026000081", -4).unwrap();
    engine.sync_once().await.unwrap();
    let dump = world.dump();
    assert_eq!(id_of(&case_of(&dump, "2026000081")["businessCasePhase"]), Some(STORNO));
    assert_eq!(dump.business_cases.len(), 1);
    assert_eq!(dump.companies.len(), 1, "the client is never duplicated or changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_changes_nothing_anywhere() {
    let world = World::empty().await;
    world.raynet.add_company(pv_company());
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    world
        .shoptet
        .upsert_order(order("2026000091", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK"))
        .unwrap();
    let before = world.dump();
    let mut engine = world.engine();
    let plans = engine.dry_run().await.unwrap();
    assert_eq!(plans.len(), 1);
    let text = plan::order_plan(&plans[0], Lang::En);
    assert!(text.contains("matched by IČ"), "{text}");
    assert!(text.contains("will create product"), "{text}");
    let after = world.dump();
    assert_eq!(before.companies.len(), after.companies.len());
    assert!(after.business_cases.is_empty() && after.products.is_empty());
    assert_eq!(world.store().counts().unwrap().values().sum::<u64>(), 0, "local record untouched");
    assert!(world.store().cursor().unwrap().is_none());
    // The next real run syncs what the dry run planned.
    engine.sync_once().await.unwrap();
    assert_eq!(world.dump().business_cases.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn created_products_carry_every_field_and_a_link_to_the_shop() {
    use shoptet_raynet_sync::sim::raynet::RaynetSim;
    use shoptet_raynet_sync::sim::shoptet::ShoptetSim;
    let world = World::with(ShoptetSim::demo(), RaynetSim::empty()).await;
    let mut config = world.config.clone();
    config.sync.enabled_at = ts(&recent(60 * 24 * 29));
    let mut engine = world.engine_with(config);
    engine.sync_once().await.unwrap();
    let dump = world.dump();
    assert!(!dump.products.is_empty());
    for p in &dump.products {
        let code = p["code"].as_str().unwrap();
        assert!(p["name"].as_str().is_some_and(|n| !n.is_empty()), "{code}: name");
        assert!(dec(&p["price"]) > Decimal::ZERO, "{code}: standard price without VAT");
        assert!(!p["taxRate"].is_null(), "{code}: VAT rate");
        assert!(p["unit"].as_str().is_some_and(|u| !u.is_empty()), "{code}: unit");
        assert!(!p["cost"].is_null(), "{code}: cost (purchase price)");
        assert!(p["description"].as_str().is_some_and(|d| !d.is_empty()), "{code}: description");
        let id = p["id"].as_i64().unwrap();
        let links: Vec<&Value> = dump
            .attachments
            .iter()
            .filter(|a| a["entityName"] == "product" && a["entityId"].as_i64() == Some(id))
            .collect();
        assert_eq!(links.len(), 1, "{code}: one link to the product page");
        assert!(links[0]["link"].as_str().is_some_and(|l| l.starts_with("http")), "{code}: {:?}", links[0]);
        let ext = shoptet_raynet_sync::mapping::product_ext_id(ESHOP_ID, code);
        assert!(!ext.contains('/'), "{ext}: no slash in an extId");
        assert!(has_ext(p, &ext), "{code}: extId {ext}");
    }
    // Every business case has its order link, once.
    for bc in &dump.business_cases {
        let id = bc["id"].as_i64().unwrap();
        let links = dump
            .attachments
            .iter()
            .filter(|a| a["entityName"] == "businessCase" && a["entityId"].as_i64() == Some(id))
            .count();
        assert_eq!(links, 1, "business case {id}: one order link");
    }
}
