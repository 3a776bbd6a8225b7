//! Axum handlers of the `/api/v2` routes.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::{MethodRouter, get, post, put};
use serde_json::Value;

use super::RaynetSim;
use super::filter::{Column, ListQuery};
use super::reply::{self, SimError, SimResult};
use super::store::Entity;
use crate::sim::lock;

type Sim = State<Arc<RaynetSim>>;
type Pairs = Query<Vec<(String, String)>>;

const COMPANY_COLUMNS: &[Column] = &[
    ("id", "/id"),
    ("name", "/name"),
    ("lastName", "/lastName"),
    ("regNumber", "/regNumber"),
    ("taxNumber", "/taxNumber"),
    ("person", "/person"),
    ("rating", "/rating"),
    ("state", "/state"),
    ("role", "/role"),
    ("owner", "/owner/id"),
    ("contactSource", "/contactSource/id"),
    ("primaryAddress-contactInfo.email", "/primaryAddress/contactInfo/email"),
    ("primaryAddress-contactInfo.email2", "/primaryAddress/contactInfo/email2"),
    ("primaryAddress-address.city", "/primaryAddress/address/city"),
];
const PRODUCT_COLUMNS: &[Column] = &[("id", "/id"), ("code", "/code"), ("name", "/name"), ("unit", "/unit")];
const CASE_COLUMNS: &[Column] = &[
    ("id", "/id"),
    ("code", "/code"),
    ("name", "/name"),
    ("company", "/company/id"),
    ("company-id", "/company/id"),
    ("owner", "/owner/id"),
    ("status", "/status"),
    ("businessCasePhase", "/businessCasePhase/id"),
    ("currency", "/currency/id"),
];
const LIST_COLUMNS: &[Column] = &[("id", "/id"), ("code01", "/code01"), ("code02", "/code02")];
const USER_COLUMNS: &[Column] = &[("id", "/id"), ("username", "/username"), ("userRole", "/userRole")];

/// Registers `path` and its twin without the trailing slash.
fn both(
    router: Router<Arc<RaynetSim>>,
    path: &str,
    methods: MethodRouter<Arc<RaynetSim>>,
) -> Router<Arc<RaynetSim>> {
    let bare = path.trim_end_matches('/');
    let router = router.route(path, methods.clone());
    if bare != path { router.route(bare, methods) } else { router }
}

pub fn api_routes() -> Router<Arc<RaynetSim>> {
    let mut r = Router::new();
    r = both(r, "/api/v2/company/", get(list_companies).put(create_company));
    r = both(r, "/api/v2/company/{id}/", get(|s: Sim, p: Path<String>| detail(s, p, Entity::Company)));
    r = both(r, "/api/v2/company/{id}/address/", put(add_address));
    r = both(
        r,
        "/api/v2/company/{id}/address/{address_id}/setContact/",
        post(|s: Sim, p| set_flag(s, p, "contactAddress")),
    );
    r = both(
        r,
        "/api/v2/company/{id}/address/{address_id}/setPrimary/",
        post(|s: Sim, p| set_flag(s, p, "primary")),
    );
    r = both(r, "/api/v2/product/", get(list_products).put(create_product));
    r = both(r, "/api/v2/product/{id}/", get(|s: Sim, p: Path<String>| detail(s, p, Entity::Product)));
    r = both(r, "/api/v2/businessCase/", get(list_cases).put(|s: Sim, b: Bytes| create_case(s, b, false)));
    r = both(r, "/api/v2/businessCase/createWithItems/", put(|s: Sim, b: Bytes| create_case(s, b, true)));
    r = both(
        r,
        "/api/v2/businessCase/{id}/",
        get(|s: Sim, p: Path<String>| detail(s, p, Entity::BusinessCase)).post(update_case),
    );
    r = both(r, "/api/v2/businessCase/{id}/item/", put(add_item));
    r = both(r, "/api/v2/businessCase/{id}/item/{item_id}/", post(edit_item).delete(delete_item));
    for entity in Entity::ALL {
        let e = entity.path();
        r = both(r, &format!("/api/v2/{e}/ext/{{ext_id}}/"), get(move |s: Sim, p| ext_detail(s, p, entity)));
        r = both(
            r,
            &format!("/api/v2/{e}/{{id}}/extId/"),
            put(move |s: Sim, p, b| add_ext_id(s, p, b, entity)),
        );
        r = both(
            r,
            &format!("/api/v2/{e}/{{id}}/extId/{{ext_id}}"),
            axum::routing::delete(move |s: Sim, p| remove_ext_id(s, p, entity)),
        );
    }
    r = both(r, "/api/v2/attachment/{entity}/{id}/", put(add_attachment));
    r = both(r, "/api/v2/userAccount/", get(|s: Sim, q: Pairs| value_list(s, q, "userAccount")));
    r = both(r, "/api/v2/businessCasePhase/", get(|s: Sim, q: Pairs| value_list(s, q, "businessCasePhase")));
    r = both(r, "/api/v2/contactSource/", get(|s: Sim, q: Pairs| value_list(s, q, "contactSource")));
    r = both(r, "/api/v2/currency/", get(|s: Sim, q: Pairs| value_list(s, q, "currency")));
    r = both(
        r,
        "/api/v2/businessCaseCategory/",
        get(|s: Sim, q: Pairs| value_list(s, q, "businessCaseCategory")),
    );
    r = both(r, "/api/v2/securityLevel/", get(|s: Sim, q: Pairs| value_list(s, q, "securityLevel")));
    r.fallback(unknown_path)
}

async fn unknown_path() -> SimError {
    SimError::new(
        404,
        "NotFoundException",
        "Requested resource does not exist",
        "Požadovaný zdroj neexistuje",
    )
}

fn parse_id(raw: &str, entity: &str) -> Result<i64, SimError> {
    raw.trim().parse().map_err(|_| SimError::not_found(entity, raw))
}

fn parse_body(body: &Bytes) -> Result<Value, SimError> {
    if body.is_empty() {
        return Err(SimError::bad_json("empty body"));
    }
    serde_json::from_slice(body).map_err(|e| SimError::bad_json(&e.to_string()))
}

fn list(sim: &RaynetSim, pairs: &[(String, String)], entity: Entity, columns: &[Column]) -> SimResult {
    let query = ListQuery::parse(pairs, columns)?;
    let rows = lock(&sim.db).list_rows(entity);
    let (total, page) = query.apply(rows.iter());
    Ok(reply::list(total, page))
}

async fn list_companies(State(sim): Sim, Query(q): Pairs) -> SimResult {
    list(&sim, &q, Entity::Company, COMPANY_COLUMNS)
}

async fn list_products(State(sim): Sim, Query(q): Pairs) -> SimResult {
    list(&sim, &q, Entity::Product, PRODUCT_COLUMNS)
}

async fn list_cases(State(sim): Sim, Query(q): Pairs) -> SimResult {
    list(&sim, &q, Entity::BusinessCase, CASE_COLUMNS)
}

async fn value_list(State(sim): Sim, Query(q): Pairs, which: &'static str) -> SimResult {
    let columns = if which == "userAccount" { USER_COLUMNS } else { LIST_COLUMNS };
    let query = ListQuery::parse(&q, columns)?;
    let db = lock(&sim.db);
    let rows = match which {
        "userAccount" => &db.user_accounts,
        "businessCasePhase" => &db.phases,
        "contactSource" => &db.sources,
        "currency" => &db.currencies,
        "businessCaseCategory" => &db.categories,
        _ => &db.security_levels,
    };
    let (total, page) = query.apply(rows.iter());
    Ok(reply::list(total, page))
}

async fn detail(State(sim): Sim, Path(id): Path<String>, entity: Entity) -> SimResult {
    let id = parse_id(&id, entity.path())?;
    Ok(reply::detail(lock(&sim.db).detail(entity, id)?))
}

async fn create_company(State(sim): Sim, body: Bytes) -> SimResult {
    let body = parse_body(&body)?;
    Ok(reply::created(lock(&sim.db).create_company(&body, true)?))
}

async fn add_address(State(sim): Sim, Path(id): Path<String>, body: Bytes) -> SimResult {
    let id = parse_id(&id, "company")?;
    let body = parse_body(&body)?;
    Ok(reply::created(lock(&sim.db).add_address(id, &body)?))
}

async fn set_flag(State(sim): Sim, Path((id, address_id)): Path<(String, String)>, flag: &str) -> SimResult {
    let id = parse_id(&id, "company")?;
    let address_id = parse_id(&address_id, "companyAddress")?;
    lock(&sim.db).set_address_flag(id, address_id, flag)?;
    Ok(reply::ok())
}

async fn create_product(State(sim): Sim, body: Bytes) -> SimResult {
    let body = parse_body(&body)?;
    Ok(reply::created(lock(&sim.db).create_product(&body, false)?))
}

async fn create_case(State(sim): Sim, body: Bytes, with_items: bool) -> SimResult {
    let body = parse_body(&body)?;
    Ok(reply::created(lock(&sim.db).create_case(&body, with_items, false)?))
}

async fn update_case(State(sim): Sim, Path(id): Path<String>, body: Bytes) -> SimResult {
    let id = parse_id(&id, "businessCase")?;
    let body = parse_body(&body)?;
    lock(&sim.db).update_case(id, &body)?;
    Ok(reply::ok())
}

async fn add_item(State(sim): Sim, Path(id): Path<String>, body: Bytes) -> SimResult {
    let id = parse_id(&id, "businessCase")?;
    let body = parse_body(&body)?;
    lock(&sim.db).add_item(id, &body)?;
    // RAYNET does not return the new line's id here; clients re-read the case.
    Ok(reply::created_without_id())
}

async fn edit_item(State(sim): Sim, Path((id, item_id)): Path<(String, String)>, body: Bytes) -> SimResult {
    let id = parse_id(&id, "businessCase")?;
    let item_id = parse_id(&item_id, "businessCaseItem")?;
    let body = parse_body(&body)?;
    lock(&sim.db).edit_item_of(id, item_id, &body)?;
    Ok(reply::ok())
}

async fn delete_item(State(sim): Sim, Path((id, item_id)): Path<(String, String)>) -> SimResult {
    let id = parse_id(&id, "businessCase")?;
    let item_id = parse_id(&item_id, "businessCaseItem")?;
    lock(&sim.db).delete_item(id, item_id)?;
    Ok(reply::ok())
}

async fn ext_detail(State(sim): Sim, Path(ext_id): Path<String>, entity: Entity) -> SimResult {
    let db = lock(&sim.db);
    let id = db.find_by_ext_id(entity, &ext_id).ok_or_else(|| SimError::not_found(entity.path(), &ext_id))?;
    Ok(reply::detail(db.detail(entity, id)?))
}

async fn add_ext_id(State(sim): Sim, Path(id): Path<String>, body: Bytes, entity: Entity) -> SimResult {
    let id = parse_id(&id, entity.path())?;
    let body = parse_body(&body)?;
    let ext_id = super::fields::text(&body, "extId").ok_or_else(|| SimError::required("extId"))?;
    lock(&sim.db).add_ext_id(entity, id, &ext_id)?;
    Ok(reply::ok())
}

async fn remove_ext_id(
    State(sim): Sim,
    Path((id, ext_id)): Path<(String, String)>,
    entity: Entity,
) -> SimResult {
    let id = parse_id(&id, entity.path())?;
    lock(&sim.db).remove_ext_id(entity, id, &ext_id)?;
    Ok(reply::ok())
}

async fn add_attachment(
    State(sim): Sim,
    Path((entity, id)): Path<(String, String)>,
    body: Bytes,
) -> SimResult {
    let Some(entity) = Entity::from_path(&entity) else {
        return Err(SimError::not_found(&entity, &id));
    };
    let id = parse_id(&id, entity.path())?;
    let body = parse_body(&body)?;
    Ok(reply::created_bare(lock(&sim.db).add_attachment(entity, id, &body)?))
}
