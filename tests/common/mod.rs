//! Test world: both simulators on loopback, a temp data dir, a config pointing at them, and
//! builders for realistic Shoptet orders.
#![allow(dead_code)]

pub mod process;
pub mod screen;
pub mod settings;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use secrecy::SecretString;
use serde_json::{Value, json};

use shoptet_raynet_sync::config::{
    Config, RaynetConfig, ShoptetAuth, ShoptetConfig, SyncConfig, WebhookConfig,
};
use shoptet_raynet_sync::engine::retry::RetrySchedule;
use shoptet_raynet_sync::engine::{Engine, EngineParts};
use shoptet_raynet_sync::http::RetryPolicy;
use shoptet_raynet_sync::sim::SimServer;
use shoptet_raynet_sync::sim::raynet::{self, RaynetDump, RaynetSim};
use shoptet_raynet_sync::sim::shoptet::ShoptetSim;
use shoptet_raynet_sync::store::Store;

pub const ESHOP_ID: i64 = 312457;
pub const OWNER: i64 = 12;
pub const OTHER_OWNER: i64 = 15;
pub const PHASE: i64 = 1;
pub const STORNO: i64 = 4;
pub const SOURCE: i64 = 1;
pub const CATEGORY: i64 = 1;
pub const CZK: i64 = 1;
pub const EUR: i64 = 2;

pub struct World {
    pub shoptet: Arc<ShoptetSim>,
    pub raynet: Arc<RaynetSim>,
    pub shoptet_server: SimServer,
    pub raynet_server: SimServer,
    pub dir: tempfile::TempDir,
    pub config: Config,
}

impl World {
    /// Empty shop (no orders) and a CRM with only users and value lists.
    pub async fn empty() -> World {
        World::with(ShoptetSim::empty(ESHOP_ID), RaynetSim::empty()).await
    }

    pub async fn demo() -> World {
        World::with(ShoptetSim::demo(), RaynetSim::demo()).await
    }

    pub async fn with(shoptet: Arc<ShoptetSim>, raynet: Arc<RaynetSim>) -> World {
        if ignore_create_ext_ids() {
            raynet.set_ignore_create_ext_ids(true);
        }
        let shoptet_server = shoptet.start(0).await.expect("shoptet sim");
        let raynet_server = raynet.start(0).await.expect("raynet sim");
        let dir = tempfile::tempdir().expect("tempdir");
        let config = Config {
            shoptet: ShoptetConfig {
                base_url: shoptet_server.url.clone(),
                auth: ShoptetAuth::PrivateToken,
                api_token: SecretString::from(shoptet.token().to_string()),
                eshop_url: None,
                max_connections: shoptet_raynet_sync::config::default_shoptet_max_connections(),
            },
            raynet: RaynetConfig {
                base_url: raynet::base_url(&raynet_server),
                instance: raynet.instance().into(),
                username: raynet.username().into(),
                api_key: SecretString::from(raynet.api_key().to_string()),
                max_connections: shoptet_raynet_sync::config::default_raynet_max_connections(),
            },
            sync: SyncConfig {
                enabled_at: days_ago(5),
                final_status_ids: vec![-3],
                default_owner_id: OWNER,
                business_case_phase_id: PHASE,
                source_id: SOURCE,
                category_id: Some(CATEGORY),
                poll_interval_secs: 60,
                name_template: "Objednávka {code}".into(),
                cancelled_status_ids: vec![-4],
                cancelled_phase_id: Some(STORNO),
                overlap_secs: 600,
                settings_refresh_secs: shoptet_raynet_sync::config::default_settings_refresh(),
                client_refresh_secs: shoptet_raynet_sync::config::default_client_refresh(),
                backfill_reserve: shoptet_raynet_sync::config::default_backfill_reserve(),
            },
            webhook: WebhookConfig::default(),
            server: Default::default(),
            alerts: Default::default(),
        };
        World { shoptet, raynet, shoptet_server, raynet_server, dir, config }
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("sync.db")
    }

    pub fn store(&self) -> Store {
        Store::open(&self.db_path()).expect("store")
    }

    pub fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            max_inline_wait: Duration::from_secs(2),
            base_backoff: Duration::from_millis(5),
            timeout: Duration::from_secs(3),
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine_with(self.config.clone())
    }

    pub fn engine_with(&self, config: Config) -> Engine {
        let mut parts =
            EngineParts::from_config(config, self.store(), World::policy()).expect("engine parts");
        parts.schedule = RetrySchedule {
            base: Duration::from_millis(50),
            cap: Duration::from_millis(400),
            max_attempts: 5,
        };
        Engine::new(parts)
    }

    pub fn dump(&self) -> RaynetDump {
        self.raynet.dump()
    }

    /// Writes the config where the CLI can read it; returns (config path, data dir).
    pub fn write_config(&self) -> (std::path::PathBuf, std::path::PathBuf) {
        let path = self.dir.path().join("config.toml");
        self.config.save(&path).expect("save config");
        (path, self.dir.path().to_path_buf())
    }

    /// Sync passes until no job is due soon (retries included), at most `max_passes`.
    pub async fn sync_until_settled(&self, engine: &mut Engine, max_passes: usize) {
        for _ in 0..max_passes {
            let _ = engine.sync_once().await;
            let blocked = match engine.status().borrow().state {
                shoptet_raynet_sync::engine::api::EngineState::RateLimited { until, .. } => Some(until),
                _ => None,
            };
            let due = engine.store().next_due_at().unwrap();
            match due.max(blocked) {
                Some(at) => {
                    let wait = (at - Utc::now()).to_std().unwrap_or_default();
                    if wait > Duration::from_secs(5) {
                        return;
                    }
                    tokio::time::sleep(wait + Duration::from_millis(20)).await;
                }
                None => return,
            }
        }
    }
}

/// Sync passes, each after waiting for the next job due (or a short pause), until `done` holds
/// or `within` has passed; true once it holds. A deadline, not a count of passes, so a loaded
/// machine (slow answers, later retries) only takes longer.
pub async fn sync_until(engine: &mut Engine, within: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + within;
    loop {
        let _ = engine.sync_once().await;
        if done() {
            return true;
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return false;
        }
        let due = engine.store().next_due_at().unwrap();
        let wait =
            due.map_or(Duration::from_millis(100), |at| (at - Utc::now()).to_std().unwrap_or_default());
        tokio::time::sleep(wait.min(left) + Duration::from_millis(20)).await;
    }
}

/// `RAYNET_SIM_IGNORE_CREATE_EXTID=1`: every test world's RAYNET simulator drops the extId of
/// product and business-case create bodies (as RAYNET may), so the engine tests run in both
/// modes: `RAYNET_SIM_IGNORE_CREATE_EXTID=1 cargo test --test engine_rules …`.
pub fn ignore_create_ext_ids() -> bool {
    std::env::var("RAYNET_SIM_IGNORE_CREATE_EXTID").is_ok_and(|v| v.trim() == "1")
}

pub fn ts(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z").expect("timestamp")
}

/// Midnight (Prague winter offset) `days` days before now: the sync's start, relative to
/// today so that no test depends on the calendar date it runs on.
pub fn days_ago(days: i64) -> DateTime<FixedOffset> {
    start_before(Utc::now(), days)
}

/// Midnight (Prague winter offset) `days` days before `now`: the sync's start for a test that
/// injects its own clock, so that its screens stay the same on any date.
pub fn start_before(now: DateTime<Utc>, days: i64) -> DateTime<FixedOffset> {
    let cet = FixedOffset::east_opt(3600).expect("offset");
    let day = (now - chrono::Duration::days(days)).with_timezone(&cet).date_naive();
    day.and_hms_opt(0, 0, 0).expect("midnight").and_local_timezone(cet).single().expect("fixed offset")
}

/// A recent timestamp in Shoptet's form.
pub fn recent(minutes_ago: i64) -> String {
    let t = Utc::now() - chrono::Duration::minutes(minutes_ago);
    t.with_timezone(&FixedOffset::east_opt(3600).unwrap()).format("%Y-%m-%dT%H:%M:%S%z").to_string()
}

/// One order line: (type, code, name, amount, unit price with VAT, VAT rate).
pub struct Line {
    pub kind: &'static str,
    pub code: Option<&'static str>,
    pub name: &'static str,
    pub amount: i64,
    pub unit_with_vat: &'static str,
    pub vat_rate: i64,
}

pub fn product(code: &'static str, name: &'static str, amount: i64, unit_with_vat: &'static str) -> Line {
    Line { kind: "product", code: Some(code), name, amount, unit_with_vat, vat_rate: 21 }
}

pub fn shipping(name: &'static str, with_vat: &'static str) -> Line {
    Line { kind: "shipping", code: None, name, amount: 1, unit_with_vat: with_vat, vat_rate: 21 }
}

pub fn payment(name: &'static str, with_vat: &'static str) -> Line {
    Line { kind: "billing", code: None, name, amount: 1, unit_with_vat: with_vat, vat_rate: 21 }
}

pub fn discount(name: &'static str, with_vat: &'static str) -> Line {
    Line { kind: "discount-coupon", code: None, name, amount: 1, unit_with_vat: with_vat, vat_rate: 21 }
}

/// A customer as written on the order's billing address.
#[derive(Clone)]
pub struct Customer {
    pub company: Option<&'static str>,
    pub full_name: &'static str,
    pub email: &'static str,
    pub phone: Option<&'static str>,
    pub ic: Option<&'static str>,
    pub dic: Option<&'static str>,
    pub guid: Option<&'static str>,
}

pub fn company(name: &'static str, ic: &'static str, email: &'static str) -> Customer {
    Customer {
        company: Some(name),
        full_name: "Petr Svoboda",
        email,
        phone: Some("+420 602 123 456"),
        ic: Some(ic),
        dic: Some("CZ00000000"),
        guid: None,
    }
}

pub fn person(full_name: &'static str, email: &'static str) -> Customer {
    Customer {
        company: None,
        full_name,
        email,
        phone: Some("+420 731 000 111"),
        ic: None,
        dic: None,
        guid: None,
    }
}

fn money(d: rust_decimal::Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// A complete order JSON as `GET /api/orders/{code}?include=notes` returns it.
pub fn order(code: &str, status: i64, customer: &Customer, lines: &[Line], currency: &str) -> Value {
    use rust_decimal::Decimal;
    let mut items = Vec::new();
    let (mut total_with, mut total_without) = (Decimal::ZERO, Decimal::ZERO);
    for (i, l) in lines.iter().enumerate() {
        let unit: Decimal = l.unit_with_vat.parse().unwrap();
        let with = unit * Decimal::from(l.amount);
        let rate = Decimal::from(l.vat_rate);
        let without = (with / (Decimal::ONE + rate / Decimal::from(100))).round_dp(2);
        total_with += with;
        total_without += without;
        items.push(json!({
            "itemId": 1000 + i as i64,
            "itemType": l.kind,
            "code": l.code,
            "name": l.name,
            "amount": format!("{}.000", l.amount),
            "amountUnit": if l.kind == "product" { Some("ks") } else { None },
            "itemPrice": {"withVat": money(with), "withoutVat": money(without), "vat": money(with - without), "vatRate": format!("{}.00", l.vat_rate)},
            "unitPrice": {"withVat": money(unit), "withoutVat": money((unit / (Decimal::ONE + rate / Decimal::from(100))).round_dp(2)), "vatRate": format!("{}.00", l.vat_rate)},
            "purchasePrice": if l.kind == "product" { Some(json!({"withoutVat": "80.00", "withVat": "96.80", "vatRate": "21.00"})) } else { None },
        }));
    }
    let billing = json!({
        "company": customer.company, "fullName": customer.full_name,
        "street": "Vinohradská", "houseNumber": "1511/230", "city": "Praha", "zip": "100 00",
        "countryCode": "CZ", "companyId": customer.ic, "vatId": customer.dic,
    });
    let rate = if currency == "CZK" { json!("1.00000000") } else { json!("25.30000000") };
    json!({
        "code": code,
        "guid": format!("guid-{code}"),
        "creationTime": recent(30),
        "changeTime": recent(5),
        "email": customer.email,
        "phone": customer.phone,
        "customerGuid": customer.guid,
        "adminUrl": format!("https://www.zrnko.cz/admin/objednavky-detail/?id={code}"),
        "status": {"id": status, "name": status_name(status)},
        "price": {"currencyCode": currency, "withVat": money(total_with), "withoutVat": money(total_without),
                  "vat": money(total_with - total_without), "toPay": money(total_with), "exchangeRate": rate},
        "billingAddress": billing,
        "deliveryAddress": null,
        "addressesEqual": true,
        "items": items,
        "notes": {"customerRemark": null},
    })
}

pub fn status_name(id: i64) -> &'static str {
    match id {
        -1 => "Nevyřízená",
        -2 => "Vyřizuje se",
        -3 => "Vyřízena",
        -4 => "Stornována",
        _ => "Vlastní stav",
    }
}

/// Reads an id that a record may hold as a number or as `{ "id": n }`.
pub fn id_of(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.get("id").and_then(Value::as_i64))
}

/// The RAYNET product a business-case line links: `priceListItem.product.id` (the documented
/// detail shape; a line has no top-level `product`).
pub fn line_product(item: &Value) -> Option<i64> {
    item["priceListItem"]["product"]["id"].as_i64()
}

pub fn company_named<'a>(dump: &'a RaynetDump, name: &str) -> Vec<&'a Value> {
    dump.companies.iter().filter(|c| c["name"].as_str() == Some(name)).collect()
}

pub fn cases_for_ext<'a>(dump: &'a RaynetDump, ext: &str) -> Vec<&'a Value> {
    dump.business_cases.iter().filter(|b| has_ext(b, ext)).collect()
}

pub fn has_ext(v: &Value, ext: &str) -> bool {
    v.get("extIds").and_then(Value::as_array).is_some_and(|a| a.iter().any(|e| e.as_str() == Some(ext)))
        || v.get("extId").and_then(Value::as_str) == Some(ext)
}

pub fn order_ext(code: &str) -> String {
    format!("shoptet:{ESHOP_ID}:order:{code}")
}

/// A fault rule for one method and path prefix.
pub fn rule(
    kind: shoptet_raynet_sync::sim::FaultKind,
    status: Option<u16>,
    method: &str,
    path: &str,
    count: u32,
) -> shoptet_raynet_sync::sim::FaultRule {
    let mut r = shoptet_raynet_sync::sim::FaultRule::new(kind, Some(method), path);
    r.status = status;
    r.count = count;
    r
}

/// Two RAYNET clients sharing one e-mail, and a final order of a guest with that e-mail and no
/// IČ: the order's client match is ambiguous. Returns the two client ids.
pub fn ambiguous_slunce(world: &World, code: &str) -> Vec<i64> {
    let ids = ["Kavárna Slunce s.r.o.", "Kavárna Slunce Brno s.r.o."]
        .into_iter()
        .map(|name| {
            world.raynet.add_company(json!({
                "name": name, "rating": "B", "state": "B_ACTUAL", "role": "A_SUBSCRIBER", "owner": OWNER,
                "addresses": [{"address": {"name": "Sídlo", "city": "Brno"}, "contactInfo": {"email": "objednavky@kavarna-slunce.cz"}}]
            }))
        })
        .collect();
    let mut c = company("Kavárna Slunce", "", "objednavky@kavarna-slunce.cz");
    c.ic = None;
    world
        .shoptet
        .upsert_order(order(code, -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK"))
        .unwrap();
    ids
}

/// A busy shop for the benches: `n` completed orders of `customers` customers (two in three
/// companies) buying from `products` products, one to three lines each plus shipping; a fixed
/// seed, so every run gets the same shop.
pub fn busy_shop(world: &World, n: usize, customers: usize, products: usize) {
    let mut rng = fastrand::Rng::with_seed(7);
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let people: Vec<Customer> = (0..customers)
        .map(|i| {
            let email = leak(format!("nakup{i}@zakaznik{i}.cz"));
            if i % 3 == 2 {
                person(leak(format!("Zákazník Číslo{i}")), email)
            } else {
                company(leak(format!("Odběratel {i} s.r.o.")), leak(format!("{:08}", 27_000_000 + i)), email)
            }
        })
        .collect();
    let catalogue: Vec<(&'static str, &'static str)> = (0..products)
        .map(|i| (leak(format!("ZBOZI-{i:03}/{}", i % 4)), leak(format!("Zboží {i}"))))
        .collect();
    for i in 0..n {
        let c = &people[rng.usize(0..customers)];
        let mut lines = Vec::new();
        let mut picked = Vec::new();
        for _ in 0..rng.usize(1..=3) {
            let p = rng.usize(0..products);
            if !picked.contains(&p) {
                picked.push(p);
                let (code, name) = catalogue[p];
                lines.push(product(
                    code,
                    name,
                    rng.i64(1..=3),
                    ["89.00", "149.00", "289.00", "649.00"][p % 4],
                ));
            }
        }
        lines.push(shipping("PPL", "99.00"));
        world.shoptet.upsert_order(order(&format!("2026{i:06}"), -3, c, &lines, "CZK")).expect("order");
    }
}
