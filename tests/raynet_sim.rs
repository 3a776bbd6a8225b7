//! The RAYNET simulator, exercised over HTTP with plain reqwest.

use std::sync::Arc;

use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use shoptet_raynet_sync::sim::SimServer;
use shoptet_raynet_sync::sim::raynet::{
    DEMO_API_KEY, DEMO_INSTANCE, DEMO_USERNAME, RaynetDump, RaynetSim, base_url,
};

struct Env {
    sim: Arc<RaynetSim>,
    server: SimServer,
    http: reqwest::Client,
}

impl Env {
    async fn demo() -> Env {
        Env::with(RaynetSim::demo()).await
    }

    async fn with(sim: Arc<RaynetSim>) -> Env {
        let server = sim.start(0).await.expect("sim starts");
        Env { sim, server, http: reqwest::Client::new() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", base_url(&self.server))
    }

    fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .basic_auth(DEMO_USERNAME, Some(DEMO_API_KEY))
            .header("X-Instance-Name", DEMO_INSTANCE)
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut r = self.req(method, path);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(body)).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }
}

fn assert_error_body(body: &Value) {
    assert_eq!(body["success"], false, "{body}");
    for key in ["message", "translatedMessage", "type"] {
        assert!(body[key].as_str().is_some_and(|s| !s.is_empty()), "missing {key} in {body}");
    }
}

fn company_body(name: &str) -> Value {
    json!({"name": name, "rating": "A", "state": "A_POTENTIAL", "role": "A_SUBSCRIBER", "owner": 12,
           "addresses": [{"address": {"name": "Sídlo", "city": "Liberec", "country": "CZ"},
                          "contactInfo": {"email": "info@example.cz"}}]})
}

#[tokio::test]
async fn wrong_credentials_get_401_and_twenty_failures_block_the_login() {
    let env = Env::demo().await;
    let bad = |key: &str| {
        env.http
            .get(env.url("/company/"))
            .basic_auth(DEMO_USERNAME, Some(key.to_string()))
            .header("X-Instance-Name", DEMO_INSTANCE)
    };
    let resp = bad("wrong").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().contains_key("x-ratelimit-limit"));
    assert_error_body(&resp.json::<Value>().await.unwrap());

    let no_instance = env
        .http
        .get(env.url("/company/"))
        .basic_auth(DEMO_USERNAME, Some(DEMO_API_KEY))
        .send()
        .await
        .unwrap();
    assert_eq!(no_instance.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(env.sim.dump().failed_logins, 2);

    for _ in 0..18 {
        assert_eq!(bad("wrong").send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(env.sim.dump().failed_logins, 20);
    let (status, body) = env.get("/company/").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "right credentials are blocked too");
    assert_error_body(&body);

    env.sim.set_login_block(false);
    assert_eq!(env.get("/company/").await.0, StatusCode::OK);
    assert_eq!(env.sim.dump().failed_logins, 0);
    env.sim.set_login_block(true);
    assert_eq!(env.get("/company/").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn envelopes_for_list_detail_and_create() {
    let env = Env::demo().await;
    let (status, list) = env.get("/company/?offset=1&limit=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["success"], true);
    assert_eq!(list["totalCount"], 6);
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    assert_eq!(list["data"][0]["id"], 102);

    let (status, detail) = env.get("/company/101/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["data"]["name"], "Pražírna Vltava s.r.o.");
    assert_eq!(detail["data"]["owner"], json!({"id": 15, "fullName": "Tomáš Vrba"}));

    let (status, created) = env.put("/company/", company_body("Nová firma s.r.o.")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["success"], true);
    let id = created["data"]["id"].as_i64().unwrap();
    let (_, detail) = env.get(&format!("/company/{id}/")).await;
    assert_eq!(detail["data"]["primaryAddress"]["address"]["country"], "Česká republika");
    assert_eq!(detail["data"]["primaryAddress"]["primary"], true);

    let (status, body) = env.get("/company/999999/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_body(&body);
    let (status, body) = env.get("/company/?limit=1001").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_body(&body);
}

#[tokio::test]
async fn company_create_is_validated() {
    let env = Env::demo().await;
    let mut no_rating = company_body("Bez ratingu");
    no_rating.as_object_mut().unwrap().remove("rating");
    let (status, body) = env.put("/company/", no_rating).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_body(&body);
    assert!(body["message"].as_str().unwrap().contains("rating"));

    let mut person = company_body("Jana Dvořáková");
    person["person"] = json!(true);
    person["firstName"] = json!("Jana");
    let (status, body) = env.put("/company/", person.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("lastName"));
    person["lastName"] = json!("Dvořáková");
    assert_eq!(env.put("/company/", person).await.0, StatusCode::CREATED);

    let mut unknown_owner = company_body("Cizí vlastník");
    unknown_owner["owner"] = json!(3); // a userAccount id, not a person id
    let (status, body) = env.put("/company/", unknown_owner).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_body(&body);

    let mut bad_state = company_body("Špatný stav");
    bad_state["state"] = json!("ACTIVE");
    assert_eq!(env.put("/company/", bad_state).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(env.sim.dump().companies.len(), 7, "only the valid person was stored");
}

#[tokio::test]
async fn company_filters_match_regnumber_email_and_name() {
    let env = Env::demo().await;
    let (_, by_reg) = env.get("/company/?regNumber=27082440").await;
    assert_eq!(by_reg["totalCount"], 1);
    assert_eq!(by_reg["data"][0]["id"], 101);
    let (_, by_reg_eq) = env.get("/company/?regNumber%5BEQ%5D=04512345").await;
    assert_eq!(by_reg_eq["totalCount"], 0);

    let (_, by_mail) = env
        .get("/company/?primaryAddress-contactInfo.email%5BLIKE_NOCASE%5D=OBJEDNAVKY@kavarna-slunce.cz")
        .await;
    let ids: Vec<i64> =
        by_mail["data"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![104, 105]);

    let name = "Bistro U Tří lip s.r.o.";
    let (_, by_name) = env.http_get_query("/company/", &[("name[EQ]", name)]).await;
    assert_eq!(by_name["totalCount"], 1);
    // EQ keeps letter case; LIKE_NOCASE ignores it (diacritics included) and takes wildcards.
    let shouted = "BISTRO U TŘÍ LIP S.R.O.";
    let (_, eq_other_case) = env.http_get_query("/company/", &[("name[EQ]", shouted)]).await;
    assert_eq!(eq_other_case["totalCount"], 0);
    let (_, nocase) = env.http_get_query("/company/", &[("name[LIKE_NOCASE]", shouted)]).await;
    assert_eq!(nocase["data"][0]["id"], 103);
    let (_, wildcard) = env.http_get_query("/company/", &[("name[LIKE_NOCASE]", "bistro u t_í lip%")]).await;
    assert_eq!(wildcard["data"][0]["id"], 103);
    let (_, escaped) = env.http_get_query("/company/", &[("name[LIKE_NOCASE]", "bistro u t\\_í lip%")]).await;
    assert_eq!(escaped["totalCount"], 0, "an escaped _ is a literal underscore");
    let (_, by_plain_name) = env.http_get_query("/company/", &[("name", name)]).await;
    assert_eq!(by_plain_name["data"][0]["id"], 103);

    let (status, body) = env.get("/company/?favouriteColour=red").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("Unsupported filter column"));
}

impl Env {
    async fn http_get_query(&self, path: &str, query: &[(&str, &str)]) -> (StatusCode, Value) {
        let resp = self.req(Method::GET, path).query(query).send().await.unwrap();
        (resp.status(), resp.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn ext_ids_are_looked_up_set_and_unique_per_entity() {
    let env = Env::demo().await;
    let (status, body) = env.get("/company/ext/shoptet:customer:abc/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_body(&body);

    let (status, _) = env.put("/company/101/extId/", json!({"extId": "shoptet:customer:abc"})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, found) = env.get("/company/ext/shoptet:customer:abc/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["data"]["id"], 101);
    assert_eq!(found["data"]["extIds"], json!(["shoptet:customer:abc"]));

    let (status, body) = env.put("/company/102/extId/", json!({"extId": "shoptet:customer:abc"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_body(&body);
    let mut dup = company_body("Duplicitní");
    dup["extId"] = json!("shoptet:customer:abc");
    assert_eq!(env.put("/company/", dup).await.0, StatusCode::BAD_REQUEST);

    // Another entity type may use the same string; a product code with "/" travels encoded.
    let (status, _) = env.put("/product/202/extId/", json!({"extId": "shoptet:customer:abc"})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) =
        env.put("/product/202/extId/", json!({"extId": "shoptet:product:KAV-BRA-1000/ZRN"})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, found) = env.get("/product/ext/shoptet:product:KAV-BRA-1000%2FZRN/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["data"]["code"], "KAV-BRA-1000/ZRN");
    assert_eq!(env.put("/businessCase/999/extId/", json!({"extId": "x"})).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn products_are_created_and_found_by_code() {
    let env = Env::demo().await;
    let (status, body) = env.put("/product/", json!({"name": "Bez kódu"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_body(&body);
    let (status, created) = env
        .put("/product/", json!({"code": "KAV-COL-500", "name": "Kolumbie 500 g", "price": 310.5, "taxRate": 12, "extId": "shoptet:product:KAV-COL-500"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["data"]["id"].as_i64().unwrap();
    let (_, by_code) = env.http_get_query("/product/", &[("code", "KAV-COL-500")]).await;
    assert_eq!(by_code["totalCount"], 1);
    assert_eq!(by_code["data"][0]["id"], id);
    // The standard price is shown as the primary price list's item (CS spec product examples).
    assert_eq!(by_code["data"][0]["primaryPriceListItem"]["price"], json!(310.5));
    assert!(by_code["data"][0].get("price").is_none(), "no top-level price in a product row");
    let (_, by_code_eq) = env.http_get_query("/product/", &[("code[EQ]", "KAV-BRA-1000/ZRN")]).await;
    assert_eq!(by_code_eq["data"][0]["id"], 202);
}

#[tokio::test]
async fn create_with_items_links_known_and_creates_unknown_products() {
    let env = Env::demo().await;
    let body = json!({
        "name": "Objednávka 2024001234", "company": 103, "owner": 12, "businessCasePhase": 3, "source": 1,
        "category": 1, "currency": 1, "validFrom": "2024-11-04", "extId": "shoptet:order:2024001234",
        "items": [
            {"productCode": "KAV-ETH-250", "name": "Etiopie 250 g", "price": 258.04, "taxRate": 12, "count": 2},
            {"productCode": "KAV-BRA-1000/MLE", "name": "Brazílie 1 kg – mletá", "price": 490.18, "taxRate": 12, "count": 1, "unit": "ks"},
            {"name": "Doprava PPL", "price": 81.82, "taxRate": 21, "count": 1}
        ]
    });
    let (status, created) = env.put("/businessCase/createWithItems", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["data"]["id"].as_i64().unwrap();

    let (_, detail) = env.get(&format!("/businessCase/{id}/")).await;
    let case = &detail["data"];
    assert_eq!(case["status"], "E_WIN");
    assert_eq!(case["company"]["id"], 103);
    assert_eq!(case["extIds"], json!(["shoptet:order:2024001234"]));
    let items = case["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["priceListItem"]["product"]["id"], 201);
    assert_eq!(items[1]["priceListItem"]["product"]["code"], "KAV-BRA-1000/MLE");
    assert!(items[2]["priceListItem"].is_null());
    assert_eq!(case["totalAmount"], json!(1088.08));
    assert_eq!(case["attachments"], json!([]));

    let (_, made) = env.http_get_query("/product/", &[("code", "KAV-BRA-1000/MLE")]).await;
    assert_eq!(made["totalCount"], 1);
    assert_eq!(made["data"][0]["name"], "Brazílie 1 kg – mletá");
    let (_, by_ext) = env.get("/businessCase/ext/shoptet:order:2024001234/").await;
    assert_eq!(by_ext["data"]["id"], id);
}

#[tokio::test]
async fn business_case_references_are_checked_and_failures_leave_no_trace() {
    let env = Env::demo().await;
    let products_before = env.sim.dump().products.len();
    let items = json!([{"productCode": "NOVY-KOD", "name": "Nový", "price": 1, "taxRate": 21, "count": 1}]);
    for (field, value, want) in [
        ("company", json!(999), StatusCode::NOT_FOUND),
        ("owner", json!(4), StatusCode::NOT_FOUND),
        ("businessCasePhase", json!(99), StatusCode::NOT_FOUND),
        ("source", json!(99), StatusCode::NOT_FOUND),
        ("category", json!(99), StatusCode::NOT_FOUND),
        ("currency", json!(99), StatusCode::NOT_FOUND),
        ("name", json!(""), StatusCode::BAD_REQUEST),
        ("validFrom", json!("4.11.2024"), StatusCode::BAD_REQUEST),
    ] {
        let mut body = json!({"name": "OP", "company": 101, "items": items.clone()});
        body[field] = value;
        let (status, err) = env.put("/businessCase/createWithItems", body).await;
        assert_eq!(status, want, "{field}: {err}");
        assert_error_body(&err);
    }
    let (status, _) = env.put("/businessCase/", json!({"name": "Bez klienta"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let dump = env.sim.dump();
    assert_eq!(dump.products.len(), products_before, "no product left behind by a failed create");
    assert_eq!(dump.business_cases.len(), 3);

    let (status, _) =
        env.put("/businessCase/", json!({"name": "Prostý OP", "company": 101, "currency": 2})).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn update_items_edits_by_id_adds_without_id_and_keeps_the_rest() {
    let env = Env::demo().await;
    let (_, detail) = env.get("/businessCase/301/").await;
    let items = detail["data"]["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    let (first, second) = (items[0]["id"].as_i64().unwrap(), items[1]["id"].as_i64().unwrap());

    let (status, _) = env
        .post(
            "/businessCase/301/",
            json!({"description": "Upraveno", "items": [
                {"id": first, "count": 10},
                {"name": "Dárkové balení", "price": 50, "taxRate": 21, "count": 1}
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, detail) = env.get("/businessCase/301/").await;
    let case = &detail["data"];
    assert_eq!(case["description"], "Upraveno");
    let items = case["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["count"], json!(10.0));
    assert_eq!(items[0]["priceListItem"]["product"]["id"], 202, "an edit keeps the product link");
    assert_eq!(items[1]["id"], second);
    assert_eq!(case["totalAmount"], json!(4901.8 + 81.82 + 50.0));
    assert_eq!(case["_version"], 2);

    let (status, _) = env.call(Method::DELETE, &format!("/businessCase/301/item/{second}/"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, detail) = env.get("/businessCase/301/").await;
    assert_eq!(detail["data"]["items"].as_array().unwrap().len(), 2);
    let (status, body) = env.call(Method::DELETE, &format!("/businessCase/301/item/{second}/"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_body(&body);
    let (status, _) = env.post("/businessCase/301/", json!({"items": [{"id": 424242, "count": 1}]})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) =
        env.put("/businessCase/301/item/", json!({"productCode": "KAV-ETH-250", "count": 2})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, detail) = env.get("/businessCase/301/").await;
    let added = detail["data"]["items"].as_array().unwrap().last().cloned().unwrap();
    assert_eq!(added["priceListItem"]["product"]["id"], 201);
    assert_eq!(added["name"], "Etiopie Yirgacheffe 250 g", "name and price default from the product");
    assert_eq!(added["price"], json!(258.04));
    let (status, _) = env.post("/businessCase/301/", json!({"businessCasePhase": 4})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(env.get("/businessCase/301/").await.1["data"]["status"], "F_LOST");
}

#[tokio::test]
async fn link_attachments_show_in_the_detail() {
    let env = Env::demo().await;
    let link = json!({"link": "https://zrnko.myshoptet.com/admin/objednavky-detail/?id=871", "linkName": "Objednávka 2024000871"});
    let (status, body) = env.put("/attachment/businessCase/301/", link.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(body["data"].as_i64().is_some(), "attachment create answers with the bare id: {body}");
    let (_, detail) = env.get("/businessCase/301/").await;
    let attachments = detail["data"]["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0]["link"], link["link"]);
    assert_eq!(attachments[0]["linkName"], "Objednávka 2024000871");
    assert_eq!(env.sim.dump().attachments.len(), 1);
    assert_eq!(env.put("/attachment/businessCase/9999/", link.clone()).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        env.put("/attachment/businessCase/301/", json!({"linkName": "x"})).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn addresses_are_added_and_set_as_contact() {
    let env = Env::demo().await;
    let (status, body) = env
        .put(
            "/company/102/address/",
            json!({"address": {"name": "Dodací adresa", "street": "Sokolovská 5", "city": "Praha 8", "country": "CZ"}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let address_id = body["data"]["id"].as_i64().unwrap();
    let (status, _) = env.post(&format!("/company/102/address/{address_id}/setContact/"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, detail) = env.get("/company/102/").await;
    let company = &detail["data"];
    assert_eq!(company["addresses"].as_array().unwrap().len(), 2);
    assert_eq!(company["contactAddress"]["id"], address_id);
    assert_eq!(company["primaryAddress"]["contactInfo"]["email"], "info@novakasyn.cz");
    assert_eq!(
        env.put("/company/102/address/", json!({"address": {"city": "X"}})).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn value_lists_and_users() {
    let env = Env::demo().await;
    let (_, users) = env.get("/userAccount/").await;
    assert_eq!(users["totalCount"], 2);
    assert_eq!(users["data"][0]["person"], json!({"id": 12, "fullName": "Petra Malá"}));
    let (_, phases) = env.get("/businessCasePhase/").await;
    assert_eq!(phases["data"][2]["code01"], "Vyhráno");
    assert_eq!(phases["data"][2]["strValue01"], "E_WIN");
    let (_, currencies) = env.get("/currency/").await;
    assert_eq!(currencies["data"][1]["code02"], "EUR");
    assert_eq!(env.get("/contactSource/").await.1["data"][0]["code01"], "E-shop Shoptet");
    assert_eq!(env.get("/businessCaseCategory/").await.1["data"][1]["code01"], "Velkoobchod");
}

fn header(resp: &reqwest::Response, name: &str) -> i64 {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(-1)
}

#[tokio::test]
async fn daily_budget_counts_down_and_runs_out() {
    let env = Env::demo().await;
    env.sim.set_daily_limit(3);
    let now = chrono::Utc::now().timestamp();
    for expected in [2, 1, 0] {
        let resp = env.req(Method::GET, "/currency/").send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(header(&resp, "x-ratelimit-limit"), 3);
        assert_eq!(header(&resp, "x-ratelimit-remaining"), expected);
        let reset = header(&resp, "x-ratelimit-reset");
        assert!(reset > now && reset <= now + 86_400 + 5, "reset {reset} is the next UTC midnight");
    }
    let resp = env.req(Method::GET, "/currency/").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&resp, "x-ratelimit-remaining"), 0);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["type"], "RequestLimitReached");
    env.sim.set_daily_limit(10);
    assert_eq!(env.get("/currency/").await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_fifth_concurrent_request_gets_429() {
    let env = Env::demo().await;
    env.http
        .post(format!("{}/__sim/faults", env.server.url))
        .json(&json!({"kind": "slow", "delay_ms": 1500, "count": 10, "path_prefix": "/api/v2/currency"}))
        .send()
        .await
        .unwrap();
    let calls = (0..6).map(|_| env.req(Method::GET, "/currency/").send());
    let results = futures_util::future::join_all(calls).await;
    let statuses: Vec<StatusCode> = results.into_iter().map(|r| r.unwrap().status()).collect();
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let limited = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((ok, limited), (4, 2), "{statuses:?}");
}

#[tokio::test]
async fn injected_faults_use_raynet_bodies_and_headers() {
    let env = Env::demo().await;
    env.http
        .post(format!("{}/__sim/faults", env.server.url))
        .json(&json!([
            {"kind": "status", "status": 429, "retry_after_secs": 30, "method": "PUT"},
            {"kind": "status", "status": 503, "path_prefix": "/api/v2/product"}
        ]))
        .send()
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    let resp = env.req(Method::PUT, "/company/").json(&company_body("Zkouška")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&resp, "x-ratelimit-remaining"), 0);
    let reset = header(&resp, "x-ratelimit-reset");
    assert!((now + 29..=now + 32).contains(&reset), "reset {reset} vs now {now}");
    assert_eq!(resp.json::<Value>().await.unwrap()["type"], "RequestLimitReached");
    assert_eq!(env.sim.dump().companies.len(), 6, "an injected fault changes nothing");

    let (status, body) = env.get("/product/").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["type"], "RequestLimitReached");
    assert_eq!(env.get("/product/").await.0, StatusCode::OK, "the fault is used up");

    let stats = env.sim.control().stats();
    assert_eq!(stats.count("GET /api/v2/product/"), 2);
    assert_eq!(stats.count("PUT /api/v2/company/"), 1);
}

#[tokio::test]
async fn dump_shows_state_without_credentials() {
    let env = Env::with(RaynetSim::empty()).await;
    assert!(env.sim.dump().companies.is_empty());
    let seeded = env.sim.add_company(json!({"name": "Seedovaná firma", "regNumber": "12345678"}));
    assert!(seeded > 0);
    let (status, _) = env.put("/company/", company_body("Přes API")).await;
    assert_eq!(status, StatusCode::CREATED);
    let dump: RaynetDump =
        env.http.get(format!("{}/__sim/dump", env.server.url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(dump.companies.len(), 2);
    assert_eq!(dump.companies[0]["regNumber"], "12345678");
    assert!(dump.products.is_empty() && dump.business_cases.is_empty());
    let (_, found) = env.get("/company/?regNumber=12345678").await;
    assert_eq!(found["data"][0]["id"], seeded);
}

/// The members of a line in the EN spec's example of `GET /businessCase/{id}/` (raynet-api.md
/// §16); the product sits under `priceListItem.product`.
const DOCUMENTED_LINE_MEMBERS: [&str; 9] =
    ["count", "description", "discountPercent", "id", "name", "price", "priceListItem", "taxRate", "unit"];

fn member_names(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn case_lines_come_in_the_documented_detail_shape() {
    let env = Env::demo().await;
    let (_, detail) = env.get("/businessCase/301/").await;
    let items = detail["data"]["items"].as_array().unwrap();
    for item in items {
        assert_eq!(member_names(item), DOCUMENTED_LINE_MEMBERS, "{item}");
    }
    let product = &items[0]["priceListItem"];
    assert_eq!(product["product"]["id"], 202);
    assert_eq!(product["product"]["code"], "KAV-BRA-1000/ZRN");
    assert!(product["id"].as_i64().is_some() && product["price"].is_number(), "{product}");
    assert!(items[1]["priceListItem"].is_null(), "a line without product: {}", items[1]);
    // The ext detail is the same view; a list row has no lines.
    env.put("/businessCase/301/extId/", json!({"extId": "shoptet:1:order:871"})).await;
    let (_, by_ext) = env.get("/businessCase/ext/shoptet:1:order:871/").await;
    assert_eq!(by_ext["data"]["items"], detail["data"]["items"]);
    let (_, list) = env.get("/businessCase/?limit=5").await;
    assert!(list["data"].as_array().unwrap().iter().all(|row| row.get("items").is_none()), "{list}");
}

#[tokio::test]
async fn line_costs_are_kept_by_the_item_endpoints_and_not_by_the_case_update() {
    let env = Env::demo().await;
    let body = json!({"name": "OP", "company": 101, "items": [
        {"product": 201, "name": "Etiopie", "price": 250, "taxRate": 12, "count": 2, "cost": 140}
    ]});
    let (_, created) = env.put("/businessCase/createWithItems", body).await;
    let id = created["data"]["id"].as_i64().unwrap();
    let stored_line = |env: &Env, n: usize| {
        env.sim.dump().business_cases.into_iter().find(|c| c["id"] == id).unwrap()["items"][n].clone()
    };
    let line = stored_line(&env, 0);
    assert_eq!(line["cost"], json!(140.0), "createWithItems takes the cost");
    let line_id = line["id"].as_i64().unwrap();
    let (_, detail) = env.get(&format!("/businessCase/{id}/")).await;
    assert!(detail["data"]["items"][0].get("cost").is_none(), "the detail shows no line cost");

    // POST /businessCase/{id}/ items: no `cost`, no `product` (businessCaseEdit).
    let (status, _) = env
        .post(
            &format!("/businessCase/{id}/"),
            json!({"items": [
                {"id": line_id, "count": 3, "cost": 1},
                {"name": "Nová", "product": 202, "price": 10, "taxRate": 21, "count": 1, "cost": 5}
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored_line(&env, 0)["count"], json!(3.0));
    assert_eq!(stored_line(&env, 0)["cost"], json!(140.0), "the case update ignores a line cost");
    let added = stored_line(&env, 1);
    assert!(added["priceListItem"].is_null() && added["cost"].is_null(), "{added}");

    // The item endpoints take it: PUT …/item/ (with the product) and POST …/item/{itemId}/.
    let (status, _) = env
        .put(
            &format!("/businessCase/{id}/item/"),
            json!({"product": 202, "name": "Brazílie", "price": 490, "taxRate": 12, "count": 1, "cost": 300}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let put_line = stored_line(&env, 2);
    assert_eq!(
        (put_line["cost"].clone(), put_line["priceListItem"]["product"]["id"].clone()),
        (json!(300.0), json!(202))
    );
    let (status, _) =
        env.post(&format!("/businessCase/{id}/item/{line_id}/"), json!({"count": 4, "cost": 150})).await;
    assert_eq!(status, StatusCode::OK);
    let edited = stored_line(&env, 0);
    assert_eq!(
        (edited["id"].as_i64(), edited["count"].clone(), edited["cost"].clone()),
        (Some(line_id), json!(4.0), json!(150.0))
    );
    assert_eq!(edited["priceListItem"]["product"]["id"], 201, "an item edit keeps the product");
}

#[tokio::test]
async fn create_ext_ids_of_products_and_cases_can_be_ignored() {
    let env = Env::demo().await;
    env.sim.set_ignore_create_ext_ids(true);
    let (status, product) =
        env.put("/product/", json!({"code": "X/1", "name": "X", "extId": "shoptet:1:product:X~2F1"})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(env.get("/product/ext/shoptet:1:product:X~2F1/").await.0, StatusCode::NOT_FOUND);
    let (_, case) = env
        .put(
            "/businessCase/createWithItems",
            json!({"name": "OP", "company": 101, "extId": "shoptet:1:order:9"}),
        )
        .await;
    assert_eq!(env.get("/businessCase/ext/shoptet:1:order:9/").await.0, StatusCode::NOT_FOUND);
    // A company keeps it (documented); a separately set extId works for every entity.
    let mut company = company_body("S extId");
    company["extId"] = json!("shoptet:1:customer:g");
    env.put("/company/", company).await;
    assert_eq!(env.get("/company/ext/shoptet:1:customer:g/").await.0, StatusCode::OK);
    let pid = product["data"]["id"].as_i64().unwrap();
    env.put(&format!("/product/{pid}/extId/"), json!({"extId": "shoptet:1:product:X~2F1"})).await;
    assert_eq!(env.get("/product/ext/shoptet:1:product:X~2F1/").await.1["data"]["id"], pid);
    let cid = case["data"]["id"].as_i64().unwrap();
    env.put(&format!("/businessCase/{cid}/extId/"), json!({"extId": "shoptet:1:order:9"})).await;
    assert_eq!(env.get("/businessCase/ext/shoptet:1:order:9/").await.1["data"]["id"], cid);
    // Business cases are found by name and client.
    let (_, named) =
        env.http_get_query("/businessCase/", &[("name[EQ]", "OP"), ("company[EQ]", "101")]).await;
    assert_eq!(
        named["data"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect::<Vec<_>>(),
        [cid]
    );
    env.sim.set_ignore_create_ext_ids(false);
    env.put("/product/", json!({"code": "Y", "name": "Y", "extId": "shoptet:1:product:Y"})).await;
    assert_eq!(env.get("/product/ext/shoptet:1:product:Y/").await.0, StatusCode::OK);
}
