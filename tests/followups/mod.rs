//! Shared by the tests that prove "created once, followed up once" (lost answers, SIGKILL,
//! chaos): a shop with a real catalogue (so created products get their link attachment),
//! customers with a separate delivery address (so created clients get a contact address), and
//! the check that RAYNET holds exactly one of every record, attachment and address.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};
use shoptet_raynet_sync::sim::raynet::{RaynetDump, RaynetSim};
use shoptet_raynet_sync::sim::shoptet::ShoptetSim;
use shoptet_raynet_sync::sim::{FaultKind, FaultRule};

use crate::common::*;

/// The demo shop's catalogue (products with public URLs), no orders; e-shop id [`ESHOP_ID`].
pub fn shop_with_catalogue() -> std::sync::Arc<ShoptetSim> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/shoptet.json");
    let demo: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("demo shop")).expect("JSON");
    let seed =
        json!({"eshop": demo["eshop"], "orderStatuses": demo["orderStatuses"], "products": demo["products"]});
    let shop = ShoptetSim::from_json(&seed.to_string()).expect("catalogue seed");
    assert_eq!(demo["eshop"]["contactInformation"]["eshopId"], json!(ESHOP_ID));
    shop
}

/// Both simulators: the catalogue shop and a CRM with users and value lists only.
pub async fn catalogue_world() -> World {
    World::with(shop_with_catalogue(), RaynetSim::empty()).await
}

/// The delivery address [`with_delivery`] writes (it differs from every billing address of
/// `common::order`, so a created client gets it as its contact address).
pub fn delivery(city: &str) -> Value {
    json!({"company": null, "fullName": "Petr Svoboda", "street": "Dlouhá", "houseNumber": "12",
           "city": city, "district": null, "additional": null, "zip": "602 00", "countryCode": "CZ",
           "regionName": null, "regionShortcut": null})
}

/// `order` shipped to [`delivery`] in `city`.
pub fn with_delivery(mut order: Value, city: &str) -> Value {
    order["deliveryAddress"] = delivery(city);
    order["addressesEqual"] = json!(false);
    order
}

/// A rule that lets `method` + `pattern` (see `FaultRule::path_prefix`) happen in RAYNET and
/// cuts the connection before the answer arrives, `count` times.
pub fn lost_answer(method: &str, pattern: &str, count: u32) -> FaultRule {
    rule(FaultKind::DropAfter, None, method, pattern, count)
}

/// Every write the sync makes to RAYNET, as (name, method, path pattern).
pub const WRITES: &[(&str, &str, &str)] = &[
    ("create client", "PUT", "/api/v2/company/$"),
    ("contact address", "PUT", "/api/v2/company/*/address/$"),
    ("setContact", "POST", "/api/v2/company/*/address/*/setContact/"),
    ("client extId", "PUT", "/api/v2/company/*/extId/"),
    ("create product", "PUT", "/api/v2/product/$"),
    ("product extId", "PUT", "/api/v2/product/*/extId/"),
    ("product link", "PUT", "/api/v2/attachment/product/"),
    ("create business case", "PUT", "/api/v2/businessCase/createWithItems"),
    ("business case extId", "PUT", "/api/v2/businessCase/*/extId/"),
    ("order link", "PUT", "/api/v2/attachment/businessCase/"),
    ("case fields", "POST", "/api/v2/businessCase/*/$"),
    ("add line", "PUT", "/api/v2/businessCase/*/item/$"),
    ("edit line", "POST", "/api/v2/businessCase/*/item/*/"),
    ("remove line", "DELETE", "/api/v2/businessCase/*/item/*/"),
];

/// What RAYNET must hold at the end.
#[derive(Debug, Default)]
pub struct Expect {
    /// Order codes, each with exactly one business case carrying its order link once.
    pub orders: Vec<String>,
    /// Client names, each exactly once; `Some(city)`: its contact address is the delivery
    /// address in that city (exactly one non-primary address), `None`: no other address.
    pub clients: Vec<(String, Option<String>)>,
    /// Product codes, each exactly once with its shop link once.
    pub products: Vec<String>,
    /// Other records expected in RAYNET (seeded before the sync): clients.
    pub seeded_clients: usize,
}

fn attachments_of<'a>(dump: &'a RaynetDump, entity: &str, id: &Value) -> Vec<&'a Value> {
    dump.attachments.iter().filter(|a| a["entityName"] == entity && a["entityId"] == *id).collect()
}

/// Checks the RAYNET dump against `expect`: no record, attachment or address twice, none
/// missing. Returns a list of what is wrong (empty when all is well).
pub fn problems(dump: &RaynetDump, expect: &Expect) -> Vec<String> {
    let mut out = Vec::new();
    // No attachment is on one record twice.
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    for a in &dump.attachments {
        let key = (a["entityName"].to_string(), a["entityId"].to_string(), a["link"].to_string());
        *seen.entry(key).or_default() += 1;
    }
    for ((entity, id, link), n) in &seen {
        if *n > 1 {
            out.push(format!("{entity} {id}: link {link} attached {n} times"));
        }
    }
    // Business cases: one per order, with its order link.
    if dump.business_cases.len() != expect.orders.len() {
        out.push(format!("{} business cases for {} orders", dump.business_cases.len(), expect.orders.len()));
    }
    for code in &expect.orders {
        let cases = cases_for_ext(dump, &order_ext(code));
        if cases.len() != 1 {
            out.push(format!("order {code}: {} business cases", cases.len()));
            continue;
        }
        let links: Vec<&Value> = attachments_of(dump, "businessCase", &cases[0]["id"])
            .into_iter()
            .filter(|a| a["link"].as_str().is_some_and(|l| l.ends_with(&format!("?id={code}"))))
            .collect();
        if links.len() != 1 {
            out.push(format!("order {code}: order link attached {} times", links.len()));
        }
        let mut per_product: BTreeMap<i64, usize> = BTreeMap::new();
        for item in cases[0]["items"].as_array().into_iter().flatten() {
            if let Some(p) = line_product(item) {
                *per_product.entry(p).or_default() += 1;
            }
        }
        for (p, n) in per_product {
            if n > 1 {
                out.push(format!("order {code}: product #{p} on {n} lines"));
            }
        }
    }
    // Clients: each once; addresses once.
    if dump.companies.len() != expect.clients.len() + expect.seeded_clients {
        let names: Vec<&str> = dump.companies.iter().filter_map(|c| c["name"].as_str()).collect();
        out.push(format!(
            "{} clients, expected {} + {} seeded: {names:?}",
            dump.companies.len(),
            expect.clients.len(),
            expect.seeded_clients
        ));
    }
    for (name, city) in &expect.clients {
        let found = company_named(dump, name);
        if found.len() != 1 {
            out.push(format!("client {name}: {} records", found.len()));
            continue;
        }
        let others: Vec<&Value> = found[0]["addresses"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| a["primary"] != json!(true))
            .collect();
        match city {
            Some(city) => {
                let delivery: Vec<&&Value> =
                    others.iter().filter(|a| a["address"]["city"] == **city).collect();
                if others.len() != 1 || delivery.len() != 1 {
                    out.push(format!(
                        "client {name}: {} other addresses, {} in {city}",
                        others.len(),
                        delivery.len()
                    ));
                } else if delivery[0]["contactAddress"] != json!(true) {
                    out.push(format!("client {name}: the delivery address is not the contact address"));
                }
            }
            None if !others.is_empty() => {
                out.push(format!("client {name}: {} other addresses", others.len()))
            }
            None => {}
        }
    }
    // Products: one per code, each with its shop link once.
    if dump.products.len() != expect.products.len() {
        let codes: Vec<&str> = dump.products.iter().filter_map(|p| p["code"].as_str()).collect();
        out.push(format!("{} products for {} codes: {codes:?}", dump.products.len(), expect.products.len()));
    }
    for code in &expect.products {
        let found: Vec<&Value> = dump.products.iter().filter(|p| p["code"] == code.as_str()).collect();
        if found.len() != 1 {
            out.push(format!("product {code}: {} records", found.len()));
            continue;
        }
        let links = attachments_of(dump, "product", &found[0]["id"]);
        if links.len() != 1 {
            out.push(format!("product {code}: {} link attachments", links.len()));
        }
    }
    out
}

/// Panics with every problem [`problems`] finds.
pub fn assert_once(dump: &RaynetDump, expect: &Expect) {
    let p = problems(dump, expect);
    assert!(p.is_empty(), "RAYNET does not hold exactly one of everything:\n  {}", p.join("\n  "));
}
