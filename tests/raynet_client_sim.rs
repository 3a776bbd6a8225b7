//! The RAYNET client driven against the RAYNET simulator: every method's happy path on the
//! demo world, and each error class as the simulator produces it (credentials, missing
//! records, validation, rate limits, outages, broken and unreadable answers).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Duration as ChronoDuration, Utc};
use rust_decimal::Decimal;
use secrecy::SecretString;
use shoptet_raynet_sync::http::{ErrorKind, RetryPolicy};
use shoptet_raynet_sync::raynet::models::{
    AddressFields, AddressInput, BusinessCaseCreate, BusinessCaseItemEdit, BusinessCaseItemInput,
    BusinessCaseUpdate, CompanyCreate, ContactInfo, LinkAttachment, ProductCreate,
};
use shoptet_raynet_sync::raynet::{CompanyFilter, RaynetClient, ValueList};
use shoptet_raynet_sync::sim::raynet::{RaynetSim, base_url};
use shoptet_raynet_sync::sim::{FaultKind, FaultRule, SimServer};

async fn demo() -> (Arc<RaynetSim>, SimServer, RaynetClient) {
    let sim = RaynetSim::demo();
    let server = sim.start(0).await.unwrap();
    let client = client(&sim, &server, RetryPolicy::fast());
    (sim, server, client)
}

fn client(sim: &RaynetSim, server: &SimServer, policy: RetryPolicy) -> RaynetClient {
    RaynetClient::new(
        &base_url(server),
        sim.instance(),
        sim.username(),
        SecretString::from(sim.api_key().to_string()),
        policy,
    )
    .unwrap()
}

/// A fault on every method of requests whose path starts with `/api/v2{path}`.
fn fault(kind: FaultKind, status: Option<u16>, method: Option<&str>, path: &str) -> FaultRule {
    FaultRule {
        kind,
        status,
        method: method.map(str::to_string),
        path_prefix: Some(format!("/api/v2{path}")),
        count: 1,
        skip: 0,
        delay_ms: None,
        retry_after_secs: None,
    }
}

fn with_retry(mut rule: FaultRule, secs: u64) -> FaultRule {
    rule.retry_after_secs = Some(secs);
    rule
}

/// Requests the simulator saw whose `"METHOD /api/v2/path"` key starts with `prefix`.
fn seen(sim: &RaynetSim, prefix: &str) -> u64 {
    sim.control().stats().count(prefix)
}

/// Requests the simulator saw with exactly this `"METHOD /api/v2/path"` key.
fn seen_exactly(sim: &RaynetSim, key: &str) -> u64 {
    sim.control().stats().requests.get(key).copied().unwrap_or(0)
}

fn company_body(name: &str) -> CompanyCreate {
    CompanyCreate {
        name: name.into(),
        rating: "A".into(),
        state: "B_ACTUAL".into(),
        role: "A_SUBSCRIBER".into(),
        person: false,
        first_name: None,
        last_name: None,
        reg_number: None,
        tax_number: None,
        owner: Some(12),
        contact_source: Some(1),
        addresses: vec![AddressInput {
            address: AddressFields {
                name: "Sídlo".into(),
                street: Some("Dlouhá 5".into()),
                city: Some("Tábor".into()),
                zip_code: Some("390 01".into()),
                country: Some("CZ".into()),
                ..AddressFields::default()
            },
            contact_info: Some(ContactInfo {
                email: Some("info@dlouha.cz".into()),
                ..ContactInfo::default()
            }),
        }],
        ext_id: None,
    }
}

fn line(name: &str, product: Option<i64>, price: i64, count: i64) -> BusinessCaseItemInput {
    BusinessCaseItemInput {
        name: name.into(),
        product,
        product_code: None,
        price: Decimal::new(price, 0),
        tax_rate: Decimal::new(21, 0),
        count: Decimal::new(count, 0),
        cost: None,
        unit: Some("ks".into()),
        description: None,
    }
}

fn case_body(company: i64, ext_id: &str, items: Vec<BusinessCaseItemInput>) -> BusinessCaseCreate {
    BusinessCaseCreate {
        name: "Objednávka 2026000001".into(),
        company,
        owner: Some(15),
        business_case_phase: Some(1),
        source: Some(1),
        category: Some(1),
        currency: Some(1),
        exchange_rate: None,
        valid_from: Some("2026-11-20".into()),
        description: Some("Ze Shoptetu".into()),
        ext_id: Some(ext_id.into()),
        items,
    }
}

fn ids(companies: &[shoptet_raynet_sync::raynet::models::Company]) -> Vec<i64> {
    companies.iter().map(|c| c.id).collect()
}

// ------------------------------------------------------------------ happy paths

#[tokio::test]
async fn companies_are_found_by_reg_number_email_and_name() {
    let (sim, _server, client) = demo().await;
    let by_ic = client.companies(&CompanyFilter::RegNumber("27082440".into())).await.unwrap();
    assert_eq!(ids(&by_ic), [101]);
    assert_eq!(by_ic[0].owner.as_ref().map(|o| o.id), Some(15));
    assert_eq!(by_ic[0].primary_email(), Some("nakup@prazirnavltava.cz"));

    let by_mail =
        client.companies(&CompanyFilter::Email("OBJEDNAVKY@Kavarna-Slunce.cz".into())).await.unwrap();
    assert_eq!(ids(&by_mail), [104, 105], "e-mail matches case-insensitively");

    let by_name = client.companies(&CompanyFilter::Name("Kancelář Novák & syn s.r.o.".into())).await.unwrap();
    assert_eq!(ids(&by_name), [102], "`&` and spaces in a filter value are encoded");

    let none = client.companies(&CompanyFilter::RegNumber("00000000".into())).await.unwrap();
    assert!(none.is_empty());

    // Small pages: every page is read.
    sim.control().reset_stats();
    let paged = client.clone().with_page_size(1);
    let by_mail =
        paged.companies(&CompanyFilter::Email("objednavky@kavarna-slunce.cz".into())).await.unwrap();
    assert_eq!(ids(&by_mail), [104, 105]);
    assert_eq!(seen_exactly(&sim, "GET /api/v2/company/"), 2);

    let detail = client.company(104).await.unwrap();
    assert_eq!(detail.name.as_deref(), Some("Kavárna Slunce s.r.o."));
    assert_eq!(detail.reg_number.as_deref(), Some("06234517"));
    assert!(detail.primary_address.as_ref().is_some_and(|a| a.primary));
}

#[tokio::test]
async fn companies_are_created_with_addresses_and_a_contact_address() {
    let (sim, _server, client) = demo().await;
    let mut body = company_body("Dlouhá s.r.o.");
    body.reg_number = Some("11223344".into());
    body.ext_id = Some("shoptet:customer:77".into());
    let id = client.create_company(&body).await.unwrap();
    let created = client.company(id).await.unwrap();
    assert_eq!(created.name.as_deref(), Some("Dlouhá s.r.o."));
    assert_eq!(created.reg_number.as_deref(), Some("11223344"));
    assert_eq!(created.owner.as_ref().map(|o| o.id), Some(12));
    assert_eq!(created.primary_email(), Some("info@dlouha.cz"));
    assert_eq!(created.ext_ids.as_deref(), Some(&["shoptet:customer:77".to_string()][..]));
    assert_eq!(client.companies(&CompanyFilter::RegNumber("11223344".into())).await.unwrap().len(), 1);

    let person = CompanyCreate {
        person: true,
        first_name: Some("Jana".into()),
        last_name: Some("Dvořáková".into()),
        owner: Some(15),
        ..company_body("Jana Dvořáková")
    };
    let person_id = client.create_company(&person).await.unwrap();
    let person = client.company(person_id).await.unwrap();
    assert!(person.person);
    assert_eq!(person.owner.as_ref().map(|o| o.id), Some(15));

    let delivery = AddressInput {
        address: AddressFields {
            name: "Dodací adresa".into(),
            street: Some("Skladová 9".into()),
            city: Some("Písek".into()),
            zip_code: Some("397 01".into()),
            country: Some("CZ".into()),
            ..AddressFields::default()
        },
        contact_info: Some(ContactInfo { tel1: Some("+420 777 000 111".into()), ..ContactInfo::default() }),
    };
    let address_id = client.add_company_address(id, &delivery).await.unwrap();
    client.set_contact_address(id, address_id).await.unwrap();
    let company = client.company(id).await.unwrap();
    assert_eq!(company.addresses.len(), 2);
    let added = company.addresses.iter().find(|a| a.id == Some(address_id)).unwrap();
    assert!(added.contact_address && !added.primary);
    let seat = company.addresses.iter().find(|a| a.id != Some(address_id)).unwrap();
    assert!(seat.primary && !seat.contact_address, "only one contact address");
    assert_eq!(seen(&sim, &format!("POST /api/v2/company/{id}/address/{address_id}/setContact/")), 1);
}

#[tokio::test]
async fn ext_ids_are_looked_up_and_set() {
    let (sim, _server, client) = demo().await;
    let ext = "shoptet:order/2026000001";
    assert_eq!(client.find_by_ext_id("businessCase", ext).await.unwrap(), None);
    assert_eq!(client.find_by_ext_id("company", "shoptet:customer:1").await.unwrap(), None);
    client.set_ext_id("businessCase", 302, ext).await.unwrap();
    assert_eq!(client.find_by_ext_id("businessCase", ext).await.unwrap(), Some(302));
    assert_eq!(seen(&sim, "GET /api/v2/businessCase/ext/shoptet:order%2F2026000001/"), 2, "`/` is escaped");
    client.set_ext_id("company", 103, "shoptet:customer:1").await.unwrap();
    assert_eq!(client.find_by_ext_id("company", "shoptet:customer:1").await.unwrap(), Some(103));
    assert!(client.business_case(302).await.unwrap().ext_ids.unwrap_or_default().iter().any(|e| e == ext));
    let bad = client.find_by_ext_id("../company", "x").await.unwrap_err();
    assert_eq!(bad.kind, ErrorKind::Permanent);
}

#[tokio::test]
async fn products_are_found_by_code_and_created() {
    let (sim, _server, client) = demo().await;
    let found = client.products_by_code("KAV-BRA-1000/ZRN").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, 202);
    assert_eq!(found[0].code.as_deref(), Some("KAV-BRA-1000/ZRN"));
    assert!(client.products_by_code("KAV-BRA-1000").await.unwrap().is_empty(), "code is matched exactly");

    let new = ProductCreate {
        code: "KAV-KEN-500/MLE".into(),
        name: "Keňa AA 500 g – mletá".into(),
        unit: Some("ks".into()),
        description: Some("<p>Ovocná</p>".into()),
        tax_rate: Some(Decimal::new(12, 0)),
        price: Some(Decimal::new(31250, 2)),
        cost: Some(Decimal::new(180, 0)),
        ext_id: Some("shoptet:product:KAV-KEN-500/MLE".into()),
    };
    let id = client.create_product(&new).await.unwrap();
    let found = client.products_by_code("KAV-KEN-500/MLE").await.unwrap();
    assert_eq!(found.iter().map(|p| p.id).collect::<Vec<_>>(), [id]);
    assert_eq!(found[0].name.as_deref(), Some("Keňa AA 500 g – mletá"));
    assert_eq!(client.find_by_ext_id("product", "shoptet:product:KAV-KEN-500/MLE").await.unwrap(), Some(id));
    let stored = sim.dump().products.into_iter().find(|p| p["id"] == id).unwrap();
    assert_eq!(stored["price"], serde_json::json!(312.5));
    assert_eq!(stored["taxRate"], serde_json::json!(12.0));
}

#[tokio::test]
async fn business_cases_are_created_read_updated_and_trimmed() {
    let (sim, _server, client) = demo().await;
    let body = case_body(
        101,
        "shoptet:order:2026000001",
        vec![line("Etiopie Yirgacheffe 250 g", Some(201), 250, 2), line("Doprava PPL", None, 99, 1)],
    );
    let id = client.create_business_case(&body).await.unwrap();
    assert_eq!(seen(&sim, "PUT /api/v2/businessCase/createWithItems"), 1);
    let case = client.business_case(id).await.unwrap();
    assert_eq!(case.name.as_deref(), Some("Objednávka 2026000001"));
    assert_eq!(case.company.as_ref().map(|c| c.id), Some(101));
    assert_eq!(case.owner.as_ref().map(|o| o.id), Some(15));
    assert_eq!(case.business_case_phase.as_ref().map(|p| p.id), Some(1));
    assert_eq!(case.status.as_deref(), Some("B_ACTIVE"));
    assert_eq!(case.items.len(), 2);
    let coffee = case.items.iter().find(|i| i.product_id() == Some(201)).unwrap();
    assert_eq!(coffee.product().and_then(|p| p.code.as_deref()), Some("KAV-ETH-250"));
    assert_eq!(coffee.count, Some(Decimal::new(2, 0)));
    assert_eq!(coffee.price, Some(Decimal::new(250, 0)));
    let shipping = case.items.iter().find(|i| i.product_id().is_none()).unwrap().id;
    assert_eq!(client.find_by_ext_id("businessCase", "shoptet:order:2026000001").await.unwrap(), Some(id));
    let named = client.business_cases_named("Objednávka 2026000001", 101).await.unwrap();
    assert_eq!(named.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);
    assert!(client.business_cases_named("Objednávka 2026000001", 102).await.unwrap().is_empty());

    // Move the phase; edit one line in place, add one.
    let update = BusinessCaseUpdate {
        business_case_phase: Some(3),
        description: Some("Vyřízeno".into()),
        ..BusinessCaseUpdate::default()
    };
    client.update_business_case(id, &update).await.unwrap();
    let mut edited = line("Etiopie Yirgacheffe 250 g", Some(201), 240, 3);
    edited.cost = Some(Decimal::new(140, 0));
    client.edit_business_case_item(id, coffee.id, &BusinessCaseItemEdit::from_input(&edited)).await.unwrap();
    let mut added = line("Brazílie Santos 1 kg – zrnková", Some(202), 490, 1);
    added.cost = Some(Decimal::new(300, 0));
    client.add_business_case_item(id, &added).await.unwrap();
    let case = client.business_case(id).await.unwrap();
    assert_eq!(case.status.as_deref(), Some("E_WIN"));
    assert_eq!(case.description.as_deref(), Some("Vyřízeno"));
    assert_eq!(case.items.len(), 3);
    let coffee = case.items.iter().find(|i| i.id == coffee.id).unwrap();
    assert_eq!((coffee.count, coffee.price), (Some(Decimal::new(3, 0)), Some(Decimal::new(240, 0))));
    assert_eq!(coffee.product_id(), Some(201), "edited in place: same line, same product");
    assert!(case.items.iter().any(|i| i.product_id() == Some(202)), "added with its product");
    let stored = sim.dump().business_cases.into_iter().find(|c| c["id"] == id).unwrap();
    let costs: Vec<f64> =
        stored["items"].as_array().unwrap().iter().filter_map(|i| i["cost"].as_f64()).collect();
    assert_eq!(costs, [140.0, 300.0], "both item endpoints keep the cost");

    client.delete_business_case_item(id, shipping).await.unwrap();
    let case = client.business_case(id).await.unwrap();
    assert_eq!(case.items.len(), 2);
    assert!(case.items.iter().all(|i| i.id != shipping));
    // A second delete of the same line finds it gone (404) and still counts as done.
    client.delete_business_case_item(id, shipping).await.unwrap();
    assert_eq!(seen(&sim, &format!("DELETE /api/v2/businessCase/{id}/item/{shipping}/")), 2);

    let link = LinkAttachment {
        link: "https://zrnko.myshoptet.com/admin/prehled-objednavek/2026000001/".into(),
        link_name: "Objednávka 2026000001 v Shoptetu".into(),
    };
    client.add_link_attachment("businessCase", id, &link).await.unwrap();
    let case = client.business_case(id).await.unwrap();
    assert_eq!(case.attachments.len(), 1);
    assert_eq!(case.attachments[0].link.as_deref(), Some(link.link.as_str()));
    assert_eq!(case.attachments[0].link_name.as_deref(), Some(link.link_name.as_str()));
}

#[tokio::test]
async fn users_and_value_lists_are_read() {
    let (_sim, _server, client) = demo().await;
    let users = client.user_accounts().await.unwrap();
    let mut pairs: Vec<_> =
        users.iter().map(|u| (u.username.clone().unwrap_or_default(), u.person_id())).collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [("obchod@zrnko.cz".to_string(), Some(12)), ("tomas.vrba@zrnko.cz".to_string(), Some(15))]
    );
    assert!(users.iter().all(|u| Some(u.id) != u.person_id()), "person ids differ from user ids");

    let phases = client.value_list(ValueList::BusinessCasePhase).await.unwrap();
    let labels: Vec<_> = phases.iter().map(|p| p.label()).collect();
    assert_eq!(labels, ["Nový", "Vyjednávání", "Vyhráno", "Storno"]);
    assert_eq!(phases[2].str_value01.as_deref(), Some("E_WIN"));
    assert_eq!(phases[2].probability, Some(100));

    let sources = client.value_list(ValueList::ContactSource).await.unwrap();
    assert!(sources.iter().any(|s| s.id == 1 && s.label() == "E-shop Shoptet"));
    let currencies = client.value_list(ValueList::Currency).await.unwrap();
    assert!(currencies.iter().any(|c| c.id == 2 && c.code02.as_deref() == Some("EUR")));
    let categories = client.value_list(ValueList::BusinessCaseCategory).await.unwrap();
    assert_eq!(categories.iter().map(|c| c.label()).collect::<Vec<_>>(), ["E-shop", "Velkoobchod"]);
}

#[tokio::test]
async fn rate_limit_headers_are_read_after_a_normal_call() {
    let (_sim, _server, client) = demo().await;
    assert_eq!(client.rate_limit().remaining, None, "nothing known before the first call");
    client.company(101).await.unwrap();
    let state = client.rate_limit();
    assert_eq!(state.limit, Some(24_000));
    assert_eq!(state.remaining, Some(23_999));
    let tomorrow = (Utc::now() + ChronoDuration::days(1)).date_naive();
    assert_eq!(state.reset.map(|r| r.date_naive()), Some(tomorrow));
    client.value_list(ValueList::Currency).await.unwrap();
    assert_eq!(client.rate_limit().remaining, Some(23_998));
}

// ------------------------------------------------------------------ error classes

#[tokio::test]
async fn wrong_api_key_is_an_auth_error_sent_once() {
    let sim = RaynetSim::demo();
    let server = sim.start(0).await.unwrap();
    let bad = RaynetClient::new(
        &base_url(&server),
        sim.instance(),
        sim.username(),
        SecretString::from("zrnko-wrong-key".to_string()),
        RetryPolicy::fast(),
    )
    .unwrap();
    let err = bad.companies(&CompanyFilter::Name("Kavárna Slunce s.r.o.".into())).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Auth, Some(401)));
    assert_eq!(err.code.as_deref(), Some("AuthenticationException"));
    assert_eq!(sim.control().stats().total, 1, "an auth failure is never retried");
    assert_eq!(sim.dump().failed_logins, 1);
    let text = format!("{err} {err:?} {bad:?}");
    assert!(!text.contains("zrnko-wrong-key"), "{text}");

    let wrong_instance = RaynetClient::new(
        &base_url(&server),
        "jina-firma",
        sim.username(),
        SecretString::from(sim.api_key().to_string()),
        RetryPolicy::fast(),
    )
    .unwrap();
    assert_eq!(wrong_instance.company(101).await.unwrap_err().kind, ErrorKind::Auth);
    assert_eq!(sim.control().stats().total, 2);
}

#[tokio::test]
async fn unknown_records_are_not_found() {
    let (sim, _server, client) = demo().await;
    let err = client.company(999_999).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::NotFound, Some(404)));
    assert_eq!(err.code.as_deref(), Some("EntityNotFoundException"));
    assert!(err.message.contains("999999"), "{err}");
    assert_eq!(client.business_case(999_999).await.unwrap_err().kind, ErrorKind::NotFound);
    assert_eq!(seen(&sim, "GET /api/v2/company/999999/"), 1, "404 is not retried");
}

#[tokio::test]
async fn validation_errors_are_permanent_with_a_readable_message() {
    let (sim, _server, client) = demo().await;
    // A natural person without a last name.
    let person = CompanyCreate { person: true, ..company_body("Bez příjmení") };
    let err = client.create_company(&person).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Permanent, Some(400)));
    assert_eq!(err.code.as_deref(), Some("ValidationException"));
    assert!(err.message.contains("lastName"), "{err}");

    // A second record with an extId already in use.
    let mut first = company_body("První s.r.o.");
    first.ext_id = Some("shoptet:customer:9".into());
    client.create_company(&first).await.unwrap();
    let mut second = company_body("Druhá s.r.o.");
    second.ext_id = Some("shoptet:customer:9".into());
    let err = client.create_company(&second).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Permanent, Some(400)));
    assert!(err.message.contains("shoptet:customer:9") && err.message.contains("již existuje"), "{err}");
    let err = client.set_ext_id("company", 101, "shoptet:customer:9").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Permanent);

    // A duplicate product code.
    let dup = ProductCreate {
        code: "KAV-ETH-250".into(),
        name: "Znovu".into(),
        unit: None,
        description: None,
        tax_rate: None,
        price: None,
        cost: None,
        ext_id: None,
    };
    let err = client.create_product(&dup).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Permanent);
    assert!(err.message.contains("KAV-ETH-250"), "{err}");
    assert_eq!(seen_exactly(&sim, "PUT /api/v2/company/"), 3, "no permanent error is retried");
    assert_eq!(seen_exactly(&sim, "PUT /api/v2/company/101/extId/"), 1);
    assert_eq!(seen_exactly(&sim, "PUT /api/v2/product/"), 1);
}

/// The simulator refuses an owner that is no RAYNET user with 404 `EntityNotFoundException`
/// (the referenced person is missing), so the client reports it as `NotFound`: not retryable,
/// with the person id in the message.
#[tokio::test]
async fn unknown_owner_is_refused_without_retry() {
    let (sim, _server, client) = demo().await;
    let body = CompanyCreate { owner: Some(4242), ..company_body("Cizí vlastník s.r.o.") };
    let err = client.create_company(&body).await.unwrap_err();
    assert!(!err.kind.is_retryable(), "{err:?}");
    assert_eq!((err.kind, err.status), (ErrorKind::NotFound, Some(404)));
    assert!(err.message.contains("4242"), "{err}");
    assert_eq!(seen_exactly(&sim, "PUT /api/v2/company/"), 1);
    assert!(sim.dump().companies.iter().all(|c| c["name"] != "Cizí vlastník s.r.o."));
}

#[tokio::test]
async fn short_rate_limit_is_waited_out_inline() {
    let (sim, server, _client) = demo().await;
    let policy = RetryPolicy { max_inline_wait: Duration::from_secs(3), ..RetryPolicy::fast() };
    let client = client(&sim, &server, policy);
    sim.control().add_fault(with_retry(fault(FaultKind::Status, Some(429), None, "/company/"), 1));
    let started = Instant::now();
    let found = client.companies(&CompanyFilter::RegNumber("27082440".into())).await.unwrap();
    assert_eq!(ids(&found), [101]);
    assert_eq!(seen_exactly(&sim, "GET /api/v2/company/"), 2);
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert_eq!(client.rate_limit().remaining, Some(23_999), "the success refreshed the budget");
}

#[tokio::test]
async fn long_rate_limit_is_returned_with_its_retry_time() {
    let (sim, server, _client) = demo().await;
    let policy = RetryPolicy { max_inline_wait: Duration::from_secs(3), ..RetryPolicy::fast() };
    let client = client(&sim, &server, policy);
    sim.control().add_fault(with_retry(fault(FaultKind::Status, Some(429), None, "/company/"), 600));
    let err = client.company(101).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::RateLimited, Some(429)));
    assert_eq!(err.code.as_deref(), Some("RequestLimitReached"));
    let wait = err.retry_after.unwrap() - Utc::now();
    assert!(wait > ChronoDuration::seconds(590) && wait <= ChronoDuration::seconds(600), "{wait}");
    assert_eq!(seen(&sim, "GET /api/v2/company/101/"), 1);
}

#[tokio::test]
async fn locked_record_on_a_get_is_retried() {
    let (sim, _server, client) = demo().await;
    sim.control().add_fault(fault(FaultKind::Status, Some(423), Some("GET"), "/businessCase/301/"));
    let case = client.business_case(301).await.unwrap();
    assert_eq!(case.status.as_deref(), Some("E_WIN"));
    assert_eq!(seen(&sim, "GET /api/v2/businessCase/301/"), 2);
}

#[tokio::test]
async fn legacy_503_request_limit_is_rate_limited() {
    let (sim, _server, client) = demo().await;
    // RAYNET's 503 carries `type: RequestLimitReached`: the client treats it as a rate limit
    // and reads the wait from the reset header.
    sim.control().add_fault(with_retry(fault(FaultKind::Status, Some(503), None, "/company/101/"), 600));
    let err = client.company(101).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::RateLimited, Some(503)));
    assert_eq!(err.code.as_deref(), Some("RequestLimitReached"));
    let wait = err.retry_after.unwrap() - Utc::now();
    assert!(wait > ChronoDuration::seconds(590) && wait <= ChronoDuration::seconds(600), "{wait}");
    assert_eq!(seen(&sim, "GET /api/v2/company/101/"), 1);

    // With a short reset it is waited out like a 429.
    sim.control().add_fault(with_retry(fault(FaultKind::Status, Some(503), None, "/company/101/"), 1));
    client.company(101).await.unwrap();
    assert_eq!(seen(&sim, "GET /api/v2/company/101/"), 3);
}

#[tokio::test]
async fn server_error_on_a_get_is_retried() {
    let (sim, _server, client) = demo().await;
    let mut rule = fault(FaultKind::Status, Some(500), Some("GET"), "/product/");
    rule.count = 2;
    sim.control().add_fault(rule);
    let found = client.products_by_code("KAV-ETH-250").await.unwrap();
    assert_eq!(found.iter().map(|p| p.id).collect::<Vec<_>>(), [201]);
    assert_eq!(seen_exactly(&sim, "GET /api/v2/product/"), 3);

    // Every attempt failing: the last error comes back, transient.
    let mut rule = fault(FaultKind::Status, Some(500), Some("GET"), "/product/");
    rule.count = 3;
    sim.control().add_fault(rule);
    let err = client.products_by_code("KAV-ETH-250").await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, Some(500)));
    assert_eq!(seen_exactly(&sim, "GET /api/v2/product/"), 6);
}

#[tokio::test]
async fn server_error_on_a_create_is_returned_at_once() {
    let (sim, _server, client) = demo().await;
    sim.control().add_fault(fault(FaultKind::Status, Some(500), Some("PUT"), "/company/"));
    let err = client.create_company(&company_body("Jednou s.r.o.")).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, Some(500)));
    assert_eq!(seen_exactly(&sim, "PUT /api/v2/company/"), 1, "a create is not repeated after a 500");
    assert!(sim.dump().companies.iter().all(|c| c["name"] != "Jednou s.r.o."));

    sim.control().add_fault(fault(FaultKind::Status, Some(500), Some("PUT"), "/businessCase/"));
    let body = case_body(101, "shoptet:order:500", vec![line("Doprava PPL", None, 99, 1)]);
    let err = client.create_business_case(&body).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Transient);
    assert_eq!(seen(&sim, "PUT /api/v2/businessCase/createWithItems"), 1);
    assert_eq!(client.find_by_ext_id("businessCase", "shoptet:order:500").await.unwrap(), None);

    // A 429 on a create is certainly not processed, so it is sent again.
    sim.control().add_fault(with_retry(fault(FaultKind::Status, Some(429), Some("PUT"), "/company/"), 1));
    let id = client.create_company(&company_body("Podruhé s.r.o.")).await.unwrap();
    assert_eq!(client.company(id).await.unwrap().name.as_deref(), Some("Podruhé s.r.o."));
    assert_eq!(seen_exactly(&sim, "PUT /api/v2/company/"), 3);
}

#[tokio::test]
async fn malformed_answer_is_transient() {
    let (sim, _server, client) = demo().await;
    sim.control().add_fault(fault(FaultKind::Malformed, None, Some("GET"), "/businessCase/301/"));
    let err = client.business_case(301).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, Some(200)));
    assert!(err.message.contains("unreadable"), "{err}");
    assert!(err.body_excerpt.as_deref().is_some_and(|b| b.contains("\"items\"")));
    // The fault is used up: the next read works.
    assert_eq!(client.business_case(301).await.unwrap().id, 301);
}

#[tokio::test]
async fn dropped_connection_on_a_get_is_retried() {
    let (sim, server, client) = demo().await;
    sim.control().add_fault(fault(FaultKind::Drop, None, Some("GET"), "/company/101/"));
    assert_eq!(client.company(101).await.unwrap().id, 101);
    assert_eq!(seen(&sim, "GET /api/v2/company/101/"), 2);

    // Without in-call retries the broken read surfaces as transient, with no status.
    let once = client_once(&sim, &server);
    sim.control().add_fault(fault(FaultKind::Drop, None, Some("GET"), "/company/101/"));
    let err = once.company(101).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, None));
}

fn client_once(sim: &RaynetSim, server: &SimServer) -> RaynetClient {
    client(sim, server, RetryPolicy { max_attempts: 1, ..RetryPolicy::fast() })
}

#[tokio::test]
async fn exhausted_daily_limit_is_rate_limited_until_the_reset() {
    let (sim, _server, client) = demo().await;
    sim.set_daily_limit(2);
    client.company(101).await.unwrap();
    assert_eq!(client.rate_limit().remaining, Some(1));
    client.company(102).await.unwrap();
    assert_eq!(client.rate_limit().remaining, Some(0));
    let err = client.company(103).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::RateLimited, Some(429)));
    assert_eq!(err.code.as_deref(), Some("RequestLimitReached"));
    let state = client.rate_limit();
    assert_eq!((state.limit, state.remaining), (Some(2), Some(0)));
    assert!(state.exhausted());
    let tomorrow = (Utc::now() + ChronoDuration::days(1)).date_naive();
    let reset = state.reset.unwrap();
    assert_eq!((reset.date_naive(), reset.time()), (tomorrow, chrono::NaiveTime::MIN));
    assert_eq!(err.retry_after, Some(reset), "the error waits for the window reset");
    assert_eq!(seen(&sim, "GET /api/v2/company/103/"), 1, "a reset hours away is not waited inline");
}

#[tokio::test]
async fn a_create_cut_after_the_write_is_not_repeated_and_is_found_by_ext_id() {
    let (sim, server, client) = demo().await;
    sim.control().add_fault(fault(FaultKind::DropAfter, None, Some("PUT"), "/company/"));
    let mut body = company_body("Nejistá s.r.o.");
    body.ext_id = Some("shoptet:customer:cut".into());
    let err = client.create_company(&body).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, None));
    assert_eq!(seen_exactly(&sim, "PUT /api/v2/company/"), 1, "the outcome is unknown: no second PUT");
    let id = client.find_by_ext_id("company", "shoptet:customer:cut").await.unwrap();
    assert!(id.is_some(), "the write happened and the extId finds it");

    // A create that times out is not repeated either.
    let quick = client_with_timeout(&sim, &server, Duration::from_millis(300));
    let mut slow = fault(FaultKind::Slow, None, Some("PUT"), "/product/");
    slow.delay_ms = Some(800);
    sim.control().add_fault(slow);
    let product = ProductCreate {
        code: "POMALU-1".into(),
        name: "Pomalý".into(),
        unit: None,
        description: None,
        tax_rate: None,
        price: None,
        cost: None,
        ext_id: None,
    };
    let err = quick.create_product(&product).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, None));
    assert!(err.message.contains("timed out"), "{err}");
    assert_eq!(seen_exactly(&sim, "PUT /api/v2/product/"), 1);
}

fn client_with_timeout(sim: &RaynetSim, server: &SimServer, timeout: Duration) -> RaynetClient {
    client(sim, server, RetryPolicy { timeout, ..RetryPolicy::fast() })
}

#[tokio::test]
async fn line_edits_are_repeated_after_an_outage_line_additions_are_not() {
    let (sim, _server, client) = demo().await;
    let before = client.business_case(302).await.unwrap();
    let existing = before.items[0].id;

    // Editing an existing line: safe to send again after a 500.
    let edit = BusinessCaseItemEdit { count: Some(Decimal::new(41, 0)), ..BusinessCaseItemEdit::default() };
    let path = format!("/businessCase/302/item/{existing}/");
    sim.control().add_fault(fault(FaultKind::Status, Some(500), Some("POST"), &path));
    client.edit_business_case_item(302, existing, &edit).await.unwrap();
    assert_eq!(seen_exactly(&sim, &format!("POST /api/v2{path}")), 2);
    let after = client.business_case(302).await.unwrap();
    assert_eq!(after.items.iter().find(|i| i.id == existing).unwrap().count, Some(Decimal::new(41, 0)));

    // Adding a line: a 500 is returned, never repeated (a repeat could add it twice).
    sim.control().add_fault(fault(FaultKind::Status, Some(500), Some("PUT"), "/businessCase/302/item/"));
    let err = client.add_business_case_item(302, &line("Mlýnek", None, 1200, 1)).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, Some(500)));
    assert_eq!(seen_exactly(&sim, "PUT /api/v2/businessCase/302/item/"), 1);
    assert_eq!(client.business_case(302).await.unwrap().items.len(), before.items.len());

    // A case update carries no lines and is safe to repeat.
    sim.control().add_fault(fault(FaultKind::Status, Some(500), Some("POST"), "/businessCase/302/"));
    let update = BusinessCaseUpdate { description: Some("Znovu".into()), ..BusinessCaseUpdate::default() };
    client.update_business_case(302, &update).await.unwrap();
    assert_eq!(seen_exactly(&sim, "POST /api/v2/businessCase/302/"), 2);
}
