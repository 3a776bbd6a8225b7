//! The RAYNET client against scripted servers: the exact requests it sends and how it reads
//! answers, errors and rate limits.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;
use secrecy::SecretString;
use serde_json::{Value, json};
use shoptet_raynet_sync::http::{CallRecord, CallSink, ErrorKind, RetryPolicy};
use shoptet_raynet_sync::raynet::models::{
    AddressFields, AddressInput, BusinessCaseCreate, BusinessCaseItemEdit, BusinessCaseItemInput,
    BusinessCaseUpdate, CompanyCreate, ContactInfo, LinkAttachment, ProductCreate,
};
use shoptet_raynet_sync::raynet::{CompanyFilter, RateLimitState, RaynetClient, ValueList};
use shoptet_raynet_sync::sim::SimServer;

const USER: &str = "obchod@firma.cz";
const KEY: &str = "k3y-Secr3t-9f8e7d";
const INSTANCE: &str = "firma";

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Raw path, still percent-encoded.
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: String,
}

impl Seen {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

enum Answer {
    Reply {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Headers go out, then the connection breaks.
    Drop,
    /// Answers 200 after a pause.
    Slow(Duration),
}

fn ok(body: Value) -> Answer {
    reply(200, body)
}

fn reply(status: u16, body: Value) -> Answer {
    Answer::Reply { status, headers: vec![], body: body.to_string() }
}

fn reply_with(status: u16, headers: Vec<(&'static str, String)>, body: Value) -> Answer {
    Answer::Reply { status, headers, body: body.to_string() }
}

#[derive(Clone, Default)]
struct Script {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
}

impl Script {
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn handle(State(s): State<Script>, req: Request) -> Response {
    let now = s.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    s.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    s.seen.lock().unwrap().push(Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(String::from),
        headers: parts.headers.clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let answer = s.answers.lock().unwrap().pop_front();
    let resp = match answer {
        Some(Answer::Reply { status, headers, body }) => {
            let mut b = Response::builder().status(status).header("content-type", "application/json");
            for (k, v) in headers {
                b = b.header(k, v);
            }
            b.body(Body::from(body)).unwrap()
        }
        Some(Answer::Drop) => {
            let stream = futures_util::stream::once(async {
                Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("cut"))
            });
            Response::builder().status(200).body(Body::from_stream(stream)).unwrap()
        }
        Some(Answer::Slow(d)) => {
            tokio::time::sleep(d).await;
            axum::Json(json!({"success": true, "data": []})).into_response()
        }
        None => (axum::http::StatusCode::IM_A_TEAPOT, "script exhausted").into_response(),
    };
    s.in_flight.fetch_sub(1, Ordering::SeqCst);
    resp
}

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        max_inline_wait: Duration::from_secs(3),
        base_backoff: Duration::from_millis(10),
        timeout: Duration::from_millis(1500),
    }
}

async fn serve(answers: Vec<Answer>) -> (SimServer, Script) {
    let script = Script::default();
    script.answers.lock().unwrap().extend(answers);
    let router = Router::new().fallback(handle).with_state(script.clone());
    (SimServer::start(router, 0).await.unwrap(), script)
}

fn client_with(server: &SimServer, policy: RetryPolicy) -> RaynetClient {
    RaynetClient::new(&server.url, INSTANCE, USER, SecretString::from(KEY), policy).unwrap()
}

fn client(server: &SimServer) -> RaynetClient {
    client_with(server, policy())
}

fn basic() -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{KEY}")))
}

fn created(id: i64) -> Answer {
    reply(201, json!({"success": true, "data": {"id": id}}))
}

fn item(name: &str, price: i64) -> BusinessCaseItemInput {
    BusinessCaseItemInput {
        product_code: None,
        name: name.into(),
        product: None,
        price: Decimal::new(price, 2),
        tax_rate: Decimal::new(21, 0),
        count: Decimal::new(2, 0),
        cost: None,
        unit: Some("ks".into()),
        description: None,
    }
}

// ------------------------------------------------------------------ request shapes

#[tokio::test]
async fn every_request_carries_basic_auth_and_the_instance() {
    let (server, script) = serve(vec![
        ok(json!({"success": true, "totalCount": 1, "data": [{"id": 3, "name": "ACME s.r.o.", "regNumber": "27074358"}]})),
        ok(json!({"success": true, "data": {"id": 3, "name": "ACME s.r.o."}})),
    ])
    .await;
    let c = client(&server);
    let found = c.companies(&CompanyFilter::RegNumber("27074358".into())).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].reg_number.as_deref(), Some("27074358"));
    assert_eq!(c.company(3).await.unwrap().name.as_deref(), Some("ACME s.r.o."));

    let seen = script.seen();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_eq!(s.header("authorization"), Some(basic().as_str()));
        assert_eq!(s.header("x-instance-name"), Some(INSTANCE));
    }
    assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("GET", "/company/"));
    assert_eq!(
        seen[0].query.as_deref(),
        Some("regNumber[EQ]=27074358&offset=0&limit=1000&sortColumn=id&sortDirection=ASC")
    );
    assert_eq!(
        (seen[1].method.as_str(), seen[1].path.as_str(), seen[1].query.as_deref()),
        ("GET", "/company/3/", None)
    );
    assert!(seen[1].body.is_empty());
}

#[tokio::test]
async fn company_filters_use_documented_operators_and_encode_values() {
    let empty = || ok(json!({"success": true, "totalCount": 0, "data": []}));
    let (server, script) = serve(vec![empty(), empty(), empty(), empty()]).await;
    let c = client(&server);
    assert!(
        c.companies(&CompanyFilter::Email("Jan.Novak+eshop@Example.cz".into())).await.unwrap().is_empty()
    );
    assert!(c.companies(&CompanyFilter::Name("Kovář & syn s.r.o.".into())).await.unwrap().is_empty());
    assert!(c.companies(&CompanyFilter::Name(" 100% Bio_Káva\\ ".into())).await.unwrap().is_empty());
    assert!(c.companies(&CompanyFilter::Email("jan_novak@example.cz".into())).await.unwrap().is_empty());
    let seen = script.seen();
    assert_eq!(
        seen[0].query.as_deref(),
        Some(
            "primaryAddress-contactInfo.email[LIKE_NOCASE]=Jan.Novak%2Beshop%40Example.cz\
             &offset=0&limit=1000&sortColumn=id&sortDirection=ASC"
        )
    );
    assert!(
        seen[1]
            .query
            .as_deref()
            .unwrap()
            .starts_with("name[LIKE_NOCASE]=Kov%C3%A1%C5%99%20%26%20syn%20s.r.o.&offset=0"),
        "name[EQ] is case-sensitive on the server: {:?}",
        seen[1].query
    );
    // `%`, `_` and `\` become `_` (one character of any kind), whatever RAYNET's escaping is.
    assert!(
        seen[2].query.as_deref().unwrap().starts_with("name[LIKE_NOCASE]=100_%20Bio_K%C3%A1va_&offset=0"),
        "{:?}",
        seen[2].query
    );
    assert!(
        seen[3]
            .query
            .as_deref()
            .unwrap()
            .starts_with("primaryAddress-contactInfo.email[LIKE_NOCASE]=jan_novak%40example.cz&offset=0"),
        "{:?}",
        seen[3].query
    );
}

#[tokio::test]
async fn companies_reads_every_page() {
    let page = |ids: &[i64]| {
        let data: Vec<Value> = ids.iter().map(|i| json!({"id": i, "name": format!("C{i}")})).collect();
        ok(json!({"success": true, "totalCount": 5, "data": data}))
    };
    let (server, script) = serve(vec![page(&[1, 2]), page(&[3, 4]), page(&[5])]).await;
    let c = client(&server).with_page_size(2);
    let all = c.companies(&CompanyFilter::Name("C".into())).await.unwrap();
    assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
    let offsets: Vec<String> = script
        .seen()
        .iter()
        .map(|s| s.query.clone().unwrap().split('&').find(|p| p.starts_with("offset=")).unwrap().to_string())
        .collect();
    assert_eq!(offsets, vec!["offset=0", "offset=2", "offset=4"]);
    assert!(script.seen()[0].query.as_deref().unwrap().contains("limit=2"));
}

#[tokio::test]
async fn paging_without_total_count_stops_at_a_short_page() {
    let (server, script) = serve(vec![
        ok(json!({"success": true, "data": [{"id": 1}, {"id": 2}]})),
        ok(json!({"success": true, "data": [{"id": 3}]})),
    ])
    .await;
    let all = client(&server).with_page_size(2).user_accounts().await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(script.seen().len(), 2);
}

#[tokio::test]
async fn create_company_puts_the_body_and_returns_the_new_id() {
    let (server, script) = serve(vec![created(55)]).await;
    let body = CompanyCreate {
        name: "Jan Novák".into(),
        rating: "A".into(),
        state: "B_ACTUAL".into(),
        role: "A_SUBSCRIBER".into(),
        person: true,
        first_name: Some("Jan".into()),
        last_name: Some("Novák".into()),
        reg_number: None,
        tax_number: None,
        owner: Some(9),
        contact_source: Some(3),
        addresses: vec![AddressInput {
            address: AddressFields { name: "Sídlo".into(), city: Some("Brno".into()), ..Default::default() },
            contact_info: Some(ContactInfo { email: Some("jan@novak.cz".into()), ..Default::default() }),
        }],
        ext_id: Some("shoptet:customer:abc".into()),
    };
    assert_eq!(client(&server).create_company(&body).await.unwrap(), 55);
    let s = &script.seen()[0];
    assert_eq!((s.method.as_str(), s.path.as_str()), ("PUT", "/company/"));
    assert!(s.header("content-type").unwrap().starts_with("application/json"));
    assert_eq!(
        s.json(),
        json!({
            "name": "Jan Novák", "rating": "A", "state": "B_ACTUAL", "role": "A_SUBSCRIBER",
            "person": true, "firstName": "Jan", "lastName": "Novák", "owner": 9, "contactSource": 3,
            "addresses": [{"address": {"name": "Sídlo", "city": "Brno"}, "contactInfo": {"email": "jan@novak.cz"}}],
            "extId": "shoptet:customer:abc"
        })
    );
}

#[tokio::test]
async fn addresses_are_added_with_put_and_made_contact_with_post() {
    let (server, script) = serve(vec![created(91), ok(json!({"success": "true"}))]).await;
    let c = client(&server);
    let a = AddressInput {
        address: AddressFields {
            name: "Dodací".into(),
            street: Some("Hlavní 1".into()),
            ..Default::default()
        },
        contact_info: None,
    };
    assert_eq!(c.add_company_address(5, &a).await.unwrap(), 91);
    c.set_contact_address(5, 91).await.unwrap();
    let seen = script.seen();
    assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("PUT", "/company/5/address/"));
    assert_eq!(seen[0].json(), json!({"address": {"name": "Dodací", "street": "Hlavní 1"}}));
    assert_eq!(
        (seen[1].method.as_str(), seen[1].path.as_str()),
        ("POST", "/company/5/address/91/setContact/")
    );
    assert!(seen[1].body.is_empty());
}

#[tokio::test]
async fn ext_id_lookup_encodes_the_id_and_maps_404_to_none() {
    let (server, script) = serve(vec![
        ok(json!({"success": true, "data": {"id": 42, "name": "Objednávka"}})),
        reply(404, json!({"message": "Entity not found", "type": "EntityNotFoundException"})),
    ])
    .await;
    let c = client(&server);
    assert_eq!(c.find_by_ext_id("businessCase", "shoptet:order:2024/001 ř").await.unwrap(), Some(42));
    assert_eq!(c.find_by_ext_id("company", "shoptet:customer:x").await.unwrap(), None);
    let seen = script.seen();
    assert_eq!(seen.len(), 2, "a 404 is an answer, not a retry");
    assert_eq!(seen[0].path, "/businessCase/ext/shoptet:order:2024%2F001%20%C5%99/");
    assert_eq!(seen[1].path, "/company/ext/shoptet:customer:x/");
}

#[tokio::test]
async fn an_unknown_ext_id_is_absent_however_raynet_says_it() {
    let not_found = json!({"message": "Entity not found", "translatedMessage": "Záznam nenalezen",
        "type": "EntityNotFoundException"});
    let (server, script) = serve(vec![
        ok(json!({"success": true, "data": null})),
        reply(500, not_found.clone()),
        reply(400, not_found.clone()),
        ok(json!({"success": false, "type": "EntityNotFoundException", "message": "not found"})),
        reply(404, json!({})),
        reply(500, json!({"message": "Database down", "type": "SomethingElse"})),
        reply(400, json!({"message": "Unsupported filter column [x]", "type": "UnsupportedFilterException"})),
    ])
    .await;
    let c = client_with(&server, RetryPolicy { max_attempts: 1, ..policy() });
    for n in 0..5 {
        assert_eq!(c.find_by_ext_id("product", "shoptet:1:product:x").await.unwrap(), None, "answer {n}");
    }
    assert_eq!(
        c.find_by_ext_id("product", "shoptet:1:product:x").await.unwrap_err().kind,
        ErrorKind::Transient
    );
    assert_eq!(
        c.find_by_ext_id("product", "shoptet:1:product:x").await.unwrap_err().kind,
        ErrorKind::Permanent
    );
    assert_eq!(script.seen().len(), 7);
}

#[tokio::test]
async fn set_ext_id_puts_the_id() {
    let (server, script) = serve(vec![ok(json!({"success": "true"}))]).await;
    client(&server).set_ext_id("company", 7, "shoptet:customer:g-1").await.unwrap();
    let s = &script.seen()[0];
    assert_eq!((s.method.as_str(), s.path.as_str()), ("PUT", "/company/7/extId/"));
    assert_eq!(s.json(), json!({"extId": "shoptet:customer:g-1"}));
}

#[tokio::test]
async fn bad_entity_names_are_refused_before_sending() {
    let (server, script) = serve(vec![]).await;
    let err = client(&server).find_by_ext_id("../company", "x").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Permanent);
    assert!(script.seen().is_empty());
}

#[tokio::test]
async fn products_by_code_and_create_product() {
    let (server, script) = serve(vec![
        ok(json!({"success": true, "totalCount": 1, "data": [{"id": 8, "code": "ABC 1", "name": "Kapalina"}]})),
        created(9),
    ])
    .await;
    let c = client(&server);
    let found = c.products_by_code("ABC 1").await.unwrap();
    assert_eq!(found[0].id, 8);
    let p = ProductCreate {
        code: "ABC 2".into(),
        name: "Olej".into(),
        unit: Some("l".into()),
        description: None,
        tax_rate: Some(Decimal::new(21, 0)),
        price: Some(Decimal::new(12050, 2)),
        cost: None,
        ext_id: None,
    };
    assert_eq!(c.create_product(&p).await.unwrap(), 9);
    let seen = script.seen();
    assert_eq!(seen[0].path, "/product/");
    assert!(seen[0].query.as_deref().unwrap().starts_with("code=ABC%201&offset=0"));
    assert_eq!((seen[1].method.as_str(), seen[1].path.as_str()), ("PUT", "/product/"));
    assert_eq!(
        seen[1].json(),
        json!({"code": "ABC 2", "name": "Olej", "unit": "l", "taxRate": 21.0, "price": 120.5})
    );
}

#[tokio::test]
async fn business_case_create_read_update_and_item_delete() {
    // The detail in the documented shape: a line's product under `priceListItem.product`.
    let detail = json!({"success": true, "data": {
        "id": 70, "name": "Objednávka 2024001", "company": {"id": 5, "name": "ACME"},
        "owner": {"id": 9, "fullName": "Milan"}, "businessCasePhase": {"id": 3, "value": "Vyhráno"},
        "status": "E_WIN", "_version": 4, "rowInfo.createdAt": "2024-11-04 10:00",
        "validFrom": "2024-11-04", "exchangeRate": 1,
        "items": [{"id": 1, "priceListItem": {"id": 4, "price": 120.5, "product": {"id": 8, "code": "OL-1",
                   "category": null, "productLine": null}, "priceList": {"id": 1, "code": "Default"}},
                   "name": "Olej", "description": null, "price": 120.5, "taxRate": 21, "unit": "ks",
                   "discountPercent": 0, "count": 2},
                  {"id": 2, "priceListItem": null, "name": "Doprava", "description": null, "price": 99,
                   "taxRate": 21, "unit": null, "discountPercent": 0, "count": 1}],
        "attachments": [{"id": 213, "link": "https://e-shop.cz/admin/order/1", "linkName": "Shoptet"}]
    }});
    let (server, script) = serve(vec![
        created(70),
        ok(detail),
        ok(json!({"success": "true"})),
        ok(json!({"success": "true"})),
        reply(201, json!({"success": "true"})),
        ok(json!({})),
    ])
    .await;
    let c = client(&server);
    let mut olej = item("Olej", 12050);
    olej.product = Some(8);
    olej.cost = Some(Decimal::new(80, 0));
    let bc = BusinessCaseCreate {
        name: "Objednávka 2024001".into(),
        company: 5,
        owner: Some(9),
        business_case_phase: Some(3),
        source: None,
        category: None,
        currency: Some(19),
        exchange_rate: Some(Decimal::ONE),
        valid_from: Some("2024-11-04".into()),
        description: None,
        ext_id: Some("shoptet:order:2024001".into()),
        items: vec![olej.clone()],
    };
    assert_eq!(c.create_business_case(&bc).await.unwrap(), 70);
    let read = c.business_case(70).await.unwrap();
    assert_eq!(read.items[0].price, Some(Decimal::new(1205, 1)));
    assert_eq!(read.items[0].product_id(), Some(8));
    assert_eq!(read.items[0].product().and_then(|p| p.code.as_deref()), Some("OL-1"));
    assert_eq!(read.items[1].product_id(), None);
    assert_eq!(read.valid_from.as_deref(), Some("2024-11-04"));
    assert_eq!(read.exchange_rate, Some(Decimal::ONE));
    assert_eq!(read.attachments[0].link.as_deref(), Some("https://e-shop.cz/admin/order/1"));
    assert_eq!(read.status.as_deref(), Some("E_WIN"));

    let update = BusinessCaseUpdate {
        business_case_phase: Some(4),
        valid_from: Some("2024-11-05".into()),
        ..Default::default()
    };
    c.update_business_case(70, &update).await.unwrap();
    let mut three = olej.clone();
    three.count = Decimal::new(3, 0);
    c.edit_business_case_item(70, 1, &BusinessCaseItemEdit::from_input(&three)).await.unwrap();
    c.add_business_case_item(70, &item("Doprava", 9900)).await.unwrap();
    c.delete_business_case_item(70, 2).await.unwrap();

    let seen = script.seen();
    assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("PUT", "/businessCase/createWithItems"));
    assert_eq!(
        seen[0].json(),
        json!({"name": "Objednávka 2024001", "company": 5, "owner": 9, "businessCasePhase": 3, "currency": 19,
               "exchangeRate": 1.0, "validFrom": "2024-11-04", "extId": "shoptet:order:2024001",
               "items": [{"name": "Olej", "product": 8, "price": 120.5, "taxRate": 21.0, "count": 2.0,
                          "cost": 80.0, "unit": "ks"}]})
    );
    assert_eq!((seen[1].method.as_str(), seen[1].path.as_str()), ("GET", "/businessCase/70/"));
    assert_eq!((seen[2].method.as_str(), seen[2].path.as_str()), ("POST", "/businessCase/70/"));
    assert_eq!(seen[2].json(), json!({"businessCasePhase": 4, "validFrom": "2024-11-05"}), "no lines here");
    assert_eq!((seen[3].method.as_str(), seen[3].path.as_str()), ("POST", "/businessCase/70/item/1/"));
    assert_eq!(
        seen[3].json(),
        json!({"name": "Olej", "price": 120.5, "taxRate": 21.0, "count": 3.0, "cost": 80.0, "unit": "ks"}),
        "an item edit carries the cost"
    );
    assert_eq!((seen[4].method.as_str(), seen[4].path.as_str()), ("PUT", "/businessCase/70/item/"));
    assert_eq!(
        seen[4].json(),
        json!({"name": "Doprava", "price": 99.0, "taxRate": 21.0, "count": 2.0, "unit": "ks"})
    );
    assert_eq!((seen[5].method.as_str(), seen[5].path.as_str()), ("DELETE", "/businessCase/70/item/2/"));
}

#[tokio::test]
async fn link_attachment_accepts_the_bare_id_answer() {
    let (server, script) = serve(vec![reply(201, json!({"success": "true", "data": 3}))]).await;
    let link = LinkAttachment {
        link: "https://e-shop.cz/admin/order/1".into(),
        link_name: "Shoptet 2024001".into(),
    };
    client(&server).add_link_attachment("businessCase", 70, &link).await.unwrap();
    let s = &script.seen()[0];
    assert_eq!((s.method.as_str(), s.path.as_str()), ("PUT", "/attachment/businessCase/70/"));
    assert_eq!(s.json(), json!({"link": "https://e-shop.cz/admin/order/1", "linkName": "Shoptet 2024001"}));
}

#[tokio::test]
async fn users_expose_person_ids_and_value_lists_use_their_paths() {
    let (server, script) = serve(vec![
        ok(json!({"success": true, "totalCount": 1, "data": [
            {"id": 8, "username": "u@firma.cz", "person": {"id": 9, "fullName": "Milan Buldog"}, "userRole": "ADMIN"}]})),
        ok(json!({"success": true, "totalCount": 1, "data": [{"id": 19, "code01": "Kč", "code02": "CZK"}]})),
        ok(json!({"success": true, "totalCount": 1, "data": [
            {"id": 3, "code01": "Vyhráno", "strValue01": "E_WIN", "probability": 100}]})),
    ])
    .await;
    let c = client(&server);
    let users = c.user_accounts().await.unwrap();
    assert_eq!((users[0].id, users[0].person_id()), (8, Some(9)));
    assert_eq!(c.value_list(ValueList::Currency).await.unwrap()[0].code02.as_deref(), Some("CZK"));
    let phases = c.value_list(ValueList::BusinessCasePhase).await.unwrap();
    assert_eq!(phases[0].str_value01.as_deref(), Some("E_WIN"));
    let paths: Vec<String> = script.seen().iter().map(|s| s.path.clone()).collect();
    assert_eq!(paths, vec!["/userAccount/", "/currency/", "/businessCasePhase/"]);
    assert_eq!(
        script.seen()[0].query.as_deref(),
        Some("offset=0&limit=1000&sortColumn=username&sortDirection=ASC")
    );
    // Value lists document no paging or sorting parameters.
    assert_eq!(script.seen()[1].query, None);
    assert_eq!(ValueList::ContactSource.path(), "/contactSource/");
    assert_eq!(ValueList::BusinessCaseCategory.path(), "/businessCaseCategory/");
}

// ------------------------------------------------------------------ envelopes

#[tokio::test]
async fn envelope_variants() {
    let (server, _script) = serve(vec![
        ok(json!({"success": "true", "data": {"id": 4, "name": "Bare success string"}})),
        ok(json!({"id": 5, "name": "No envelope"})),
        ok(json!({"success": false, "type": "BusinessException", "message": "cannot do that"})),
        Answer::Reply {
            status: 200,
            headers: vec![],
            body: r#"{"success": true, "data": {"id": 1, "na"#.into(),
        },
        reply(201, json!({"success": true, "data": {}})),
    ])
    .await;
    let c = client_with(&server, RetryPolicy { max_attempts: 1, ..policy() });
    assert_eq!(c.company(4).await.unwrap().id, 4);
    assert_eq!(c.company(5).await.unwrap().name.as_deref(), Some("No envelope"));
    let refused = c.company(6).await.unwrap_err();
    assert_eq!((refused.kind, refused.code.as_deref()), (ErrorKind::Permanent, Some("BusinessException")));
    assert_eq!(refused.message, "cannot do that");
    let broken = c.company(7).await.unwrap_err();
    assert_eq!((broken.kind, broken.status), (ErrorKind::Transient, Some(200)));
    assert!(broken.message.starts_with("unreadable response"));
    let product = ProductCreate {
        code: "x".into(),
        name: "x".into(),
        unit: None,
        description: None,
        tax_rate: None,
        price: None,
        cost: None,
        ext_id: None,
    };
    assert_eq!(c.create_product(&product).await.unwrap_err().status, Some(201));
}

// ------------------------------------------------------------------ errors

#[tokio::test]
async fn every_error_class() {
    let cases: Vec<(u16, Value, ErrorKind)> = vec![
        (
            400,
            json!({"message": "Unsupported filter column [x]", "type": "BadRequest"}),
            ErrorKind::Permanent,
        ),
        (409, json!({"message": "conflict"}), ErrorKind::Permanent),
        (422, json!({"message": "invalid"}), ErrorKind::Permanent),
        (404, json!({"message": "missing", "type": "EntityNotFoundException"}), ErrorKind::NotFound),
        (401, json!({"message": "Bad credentials"}), ErrorKind::Auth),
        (403, json!({"message": "denied", "type": "AccessTokenNotFoundException"}), ErrorKind::Auth),
        (423, json!({"message": "locked"}), ErrorKind::Transient),
        (500, json!({"message": "boom"}), ErrorKind::Transient),
        (502, json!({}), ErrorKind::Transient),
        (
            500,
            json!({"message": "exception.duplicateKey", "translatedMessage": "Záznam již existuje",
                   "type": "TranslatedApplicationException"}),
            ErrorKind::Permanent,
        ),
        (
            503,
            json!({"message": "API request limit reached.", "type": "RequestLimitReached"}),
            ErrorKind::RateLimited,
        ),
        (
            429,
            json!({"message": "API request limit reached.", "type": "RequestLimitReached"}),
            ErrorKind::RateLimited,
        ),
    ];
    let answers = cases.iter().map(|(st, body, _)| reply(*st, body.clone())).collect();
    let (server, _script) = serve(answers).await;
    let c = client_with(&server, RetryPolicy { max_attempts: 1, ..policy() });
    for (status, body, kind) in cases {
        let err = c.company(1).await.unwrap_err();
        assert_eq!((err.status, err.kind), (Some(status), kind), "{body}");
        let want = body.get("translatedMessage").or(body.get("message")).and_then(Value::as_str);
        if let Some(want) = want {
            assert_eq!(err.message, want);
        }
        assert_eq!(err.code.as_deref(), body.get("type").and_then(Value::as_str));
        assert!(err.to_string().contains(&format!("HTTP {status}")));
    }
}

#[tokio::test]
async fn auth_errors_are_never_retried() {
    let (server, script) =
        serve(vec![reply(401, json!({"message": "Bad credentials"})), ok(json!({}))]).await;
    let err = client(&server).company(1).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Auth);
    assert_eq!(script.seen().len(), 1);
    assert!(!err.to_string().contains(KEY));
}

#[tokio::test]
async fn transient_read_errors_are_retried_within_the_call() {
    let (server, script) = serve(vec![
        reply(500, json!({"message": "x"})),
        reply(502, json!({})),
        ok(json!({"success": true, "data": {"id": 1}})),
    ])
    .await;
    assert_eq!(client(&server).company(1).await.unwrap().id, 1);
    assert_eq!(script.seen().len(), 3);
}

#[tokio::test]
async fn rate_limit_waits_inline_when_short() {
    let (server, script) = serve(vec![
        reply_with(
            429,
            vec![("Retry-After", "1".into())],
            json!({"type": "RequestLimitReached", "message": "limit"}),
        ),
        ok(json!({"success": true, "data": {"id": 1}})),
    ])
    .await;
    let started = Instant::now();
    assert_eq!(client(&server).company(1).await.unwrap().id, 1);
    assert!(started.elapsed() >= Duration::from_millis(900), "{:?}", started.elapsed());
    assert_eq!(script.seen().len(), 2);
}

#[tokio::test]
async fn rate_limit_returns_when_the_daily_budget_is_gone() {
    let reset = Utc::now().timestamp() + 3600;
    let (server, script) = serve(vec![reply_with(
        429,
        vec![
            ("X-Ratelimit-Limit", "24000".into()),
            ("X-Ratelimit-Remaining", "0".into()),
            ("X-Ratelimit-Reset", reset.to_string()),
        ],
        json!({"type": "RequestLimitReached", "message": "API request limit reached."}),
    )])
    .await;
    let c = client(&server);
    let started = Instant::now();
    let err = c.company(1).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(err.kind, ErrorKind::RateLimited);
    assert_eq!(err.retry_after, Utc.timestamp_opt(reset, 0).single());
    assert_eq!(script.seen().len(), 1);
    assert_eq!(
        c.rate_limit(),
        RateLimitState {
            limit: Some(24000),
            remaining: Some(0),
            reset: Utc.timestamp_opt(reset, 0).single()
        }
    );
}

#[tokio::test]
async fn rate_limit_state_follows_the_last_response() {
    let h = |rem: &str| {
        vec![
            ("X-Ratelimit-Limit", "24000".to_string()),
            ("X-Ratelimit-Remaining", rem.to_string()),
            ("X-Ratelimit-Reset", "1719878400".to_string()),
        ]
    };
    let (server, _script) = serve(vec![
        reply_with(200, h("23999"), json!({"success": true, "data": {"id": 1}})),
        reply_with(200, h("23998"), json!({"success": true, "data": {"id": 1}})),
    ])
    .await;
    let c = client(&server);
    assert_eq!(c.rate_limit(), RateLimitState::default());
    c.company(1).await.unwrap();
    assert_eq!(c.rate_limit().remaining, Some(23999));
    c.clone().company(1).await.unwrap();
    assert_eq!(c.rate_limit().remaining, Some(23998), "clones share the state");
    assert_eq!(c.rate_limit().reset, Utc.timestamp_opt(1_719_878_400, 0).single());
}

#[tokio::test]
async fn create_is_not_repeated_after_a_dropped_response() {
    let (server, script) = serve(vec![Answer::Drop, created(5)]).await;
    let bc = BusinessCaseCreate {
        name: "x".into(),
        company: 1,
        owner: None,
        business_case_phase: None,
        source: None,
        category: None,
        currency: None,
        exchange_rate: None,
        valid_from: None,
        description: None,
        ext_id: None,
        items: vec![],
    };
    let err = client(&server).create_business_case(&bc).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, None));
    assert_eq!(script.seen().len(), 1);
}

#[tokio::test]
async fn create_is_not_repeated_after_a_timeout_but_a_read_is() {
    let (server, script) = serve(vec![
        Answer::Slow(Duration::from_millis(800)),
        Answer::Slow(Duration::from_millis(800)),
        ok(json!({"success": true, "data": {"id": 2}})),
    ])
    .await;
    let c = client_with(&server, RetryPolicy { timeout: Duration::from_millis(300), ..policy() });
    let link = LinkAttachment { link: "https://x".into(), link_name: "x".into() };
    let err = c.add_link_attachment("businessCase", 1, &link).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, None));
    assert_eq!(script.seen().len(), 1);
    assert_eq!(c.company(2).await.unwrap().id, 2);
    assert_eq!(script.seen().len(), 3);
}

#[tokio::test]
async fn create_is_repeated_after_a_rate_limit_and_a_new_line_is_not_after_a_drop() {
    let (server, script) = serve(vec![
        reply_with(429, vec![("Retry-After", "0".into())], json!({"type": "RequestLimitReached"})),
        created(11),
        Answer::Drop,
    ])
    .await;
    let c = client(&server);
    let a = AddressInput {
        address: AddressFields { name: "Sídlo".into(), ..Default::default() },
        contact_info: None,
    };
    assert_eq!(c.add_company_address(1, &a).await.unwrap(), 11);
    assert_eq!(script.seen().len(), 2);
    assert!(c.add_business_case_item(1, &item("Nová", 100)).await.is_err());
    assert_eq!(script.seen().len(), 3, "a line added with an unknown outcome is not sent again");
}

#[tokio::test]
async fn connection_cap_429_asks_for_a_short_pause_not_the_window_reset() {
    let reset = Utc::now().timestamp() + 3600;
    let (server, _script) = serve(vec![reply_with(
        429,
        vec![("X-Ratelimit-Remaining", "1500".into()), ("X-Ratelimit-Reset", reset.to_string())],
        json!({"type": "RequestLimitReached", "message": "too many connections"}),
    )])
    .await;
    let c = client_with(&server, RetryPolicy { max_attempts: 1, ..policy() });
    let err = c.company(1).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimited);
    let wait = err.retry_after.unwrap() - Utc::now();
    assert!(wait > chrono::Duration::zero() && wait <= chrono::Duration::seconds(5), "{wait}");
}

#[tokio::test]
async fn deleting_a_line_that_is_gone_succeeds_but_other_errors_surface() {
    let (server, _script) = serve(vec![
        reply(404, json!({"type": "EntityNotFoundException", "message": "not found"})),
        reply(403, json!({"message": "denied"})),
    ])
    .await;
    let c = client(&server);
    c.delete_business_case_item(1, 2).await.unwrap();
    assert_eq!(c.delete_business_case_item(1, 3).await.unwrap_err().kind, ErrorKind::Auth);
}

// ------------------------------------------------------------------ secrets, sink, connections

#[tokio::test]
async fn call_sink_records_each_attempt_without_the_key() {
    let (server, _script) = serve(vec![
        reply(500, json!({"message": "boom"})),
        ok(json!({"success": true, "data": {"id": 1}})),
        reply(401, json!({"message": "Bad credentials"})),
    ])
    .await;
    let records: Arc<Mutex<Vec<CallRecord>>> = Arc::default();
    let sink_records = records.clone();
    let sink: CallSink = Arc::new(move |r| sink_records.lock().unwrap().push(r));
    let c = client(&server).with_call_sink(sink);
    c.company(1).await.unwrap();
    c.company(2).await.unwrap_err();
    let recs = records.lock().unwrap().clone();
    let got: Vec<(&str, &str, Option<u16>)> =
        recs.iter().map(|r| (r.method.as_str(), r.path.as_str(), r.status)).collect();
    assert_eq!(
        got,
        vec![
            ("GET", "/company/1/", Some(500)),
            ("GET", "/company/1/", Some(200)),
            ("GET", "/company/2/", Some(401))
        ]
    );
    assert!(recs[0].error.as_deref().unwrap().contains("boom"));
    assert!(recs[1].error.is_none());
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{KEY}"));
    let dump = format!("{recs:?} {c:?}");
    assert!(!dump.contains(KEY) && !dump.contains(&token), "{dump}");
}

#[tokio::test]
async fn at_most_three_requests_run_at_once() {
    let answers = (0..8).map(|_| Answer::Slow(Duration::from_millis(150))).collect();
    let (server, script) = serve(answers).await;
    let c = client(&server);
    let calls = (0..8).map(|_| {
        let c = c.clone();
        async move { c.user_accounts().await }
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok));
    let max = script.max_in_flight.load(Ordering::SeqCst);
    assert!((2..=3).contains(&max), "max in flight {max}");
}

#[tokio::test]
async fn unreachable_server_is_transient_without_a_status() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let c = RaynetClient::new(
        &url,
        INSTANCE,
        USER,
        SecretString::from(KEY),
        RetryPolicy { max_attempts: 1, ..policy() },
    )
    .unwrap();
    let err = c.company(1).await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Transient, None));
    assert!(RaynetClient::new("ftp://x", INSTANCE, USER, SecretString::from(KEY), policy()).is_err());
}
