//! The RAYNET CRM REST API v2 client: Basic auth + `X-Instance-Name`, PUT creates, POST
//! updates, lenient envelopes, error classification, in-call retries and at most three
//! concurrent connections (RAYNET rejects a fifth).

// `ApiError` is the crate-wide error the engine reads; boxing it only here would split the API.
#![allow(clippy::result_large_err)]

use std::fmt;

use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::envelope::{self, EnvelopeError};
use super::models::{
    AddressInput, BusinessCase, BusinessCaseCreate, BusinessCaseItemEdit, BusinessCaseItemInput,
    BusinessCaseUpdate, Company, CompanyCreate, LinkAttachment, Product, ProductCreate, ProductDetail,
    UserAccount, ValueListItem,
};
pub use super::query::{CompanyFilter, ValueList, like_literal};
use super::ratelimit::RateLimitState;
use super::vendor::{ENTITY_NOT_FOUND, NOT_CONNECTED, Raynet, lock};
use crate::http::transport::config_error;
use crate::http::{ApiError, CallSink, ErrorKind, Reply, RetryPolicy, Service, Transport, excerpt};

/// RAYNET allows four concurrent connections per client (docs/raynet-api.md §2).
const RAYNET_CONNECTIONS: usize = 4;
/// By default stay one below (`raynet.max_connections`).
const MAX_CONNECTIONS: usize = 3;
/// RAYNET's maximum page size.
const MAX_PAGE: usize = 1000;

/// Whether a request may be repeated after its outcome became unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// Reads, deletes, updates without new lines: repeating changes nothing more.
    Safe,
    /// Creates: repeated only when RAYNET certainly did not act on it (429, 423, no
    /// connection). After a timeout or a cut response the engine re-checks by extId.
    OnlyIfNotProcessed,
}

/// Characters escaped in a path segment (an extId): everything but unreserved and `:`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b':');
/// Characters escaped in a query value.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A RAYNET API client. Cheap to clone; clones share the connection limit and the
/// rate-limit state.
#[derive(Clone)]
pub struct RaynetClient {
    transport: Transport<Raynet>,
    instance: HeaderValue,
    /// `Basic …`, marked sensitive so it never shows in Debug output.
    auth: HeaderValue,
    page_size: usize,
}

impl fmt::Debug for RaynetClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RaynetClient")
            .field("base", &self.transport.base())
            .field("instance", &self.instance)
            .finish_non_exhaustive()
    }
}

impl RaynetClient {
    /// `base_url` is the API root (`https://app.raynet.cz/api/v2`), `username` the user's
    /// e-mail login, `api_key` the key created for that user.
    pub fn new(
        base_url: &str,
        instance: &str,
        username: &str,
        api_key: SecretString,
        policy: RetryPolicy,
    ) -> Result<Self, ApiError> {
        let config_error =
            |message: String| config_error(Service::Raynet, "/", Some("ClientConfig"), message);
        let base = base_url.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(config_error(format!("the RAYNET URL must start with https:// (got {base:?})")));
        }
        let instance = HeaderValue::from_str(instance.trim())
            .ok()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| config_error("the RAYNET instance name is empty or not plain text".into()))?;
        let token = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            username.trim(),
            api_key.expose_secret()
        ));
        let mut auth = HeaderValue::from_str(&format!("Basic {token}")).map_err(|_| {
            config_error("the RAYNET user name or API key contains invalid characters".into())
        })?;
        auth.set_sensitive(true);
        let transport =
            Transport::new(Raynet::default(), base, policy, MAX_CONNECTIONS).map_err(config_error)?;
        Ok(RaynetClient { transport, instance, auth, page_size: MAX_PAGE })
    }

    /// At most `n` requests at once (clamped to 1..=4; default 3). Set it before the client is
    /// used: permits already taken are not withdrawn.
    pub fn with_max_connections(self, n: usize) -> Self {
        self.transport.set_connections(n.clamp(1, RAYNET_CONNECTIONS));
        self
    }

    /// A client that reports every request to `sink` (shares limits with `self`).
    pub fn with_call_sink(mut self, sink: CallSink) -> Self {
        self.transport = self.transport.with_sink(sink);
        self
    }

    /// A client that reads lists in pages of `size` (1..=1000; default 1000).
    pub fn with_page_size(mut self, size: usize) -> Self {
        self.page_size = size.clamp(1, MAX_PAGE);
        self
    }

    /// The `X-Ratelimit-*` values of the last response that carried them.
    pub fn rate_limit(&self) -> RateLimitState {
        lock(&self.transport.vendor().rate).clone()
    }

    // ------------------------------------------------------------ companies

    /// All clients matching `filter` (every page).
    pub async fn companies(&self, filter: &CompanyFilter) -> Result<Vec<Company>, ApiError> {
        let (key, value) = filter.param();
        self.list_all("/company/", &[(key, value.as_str())], "id").await
    }

    pub async fn company(&self, id: i64) -> Result<Company, ApiError> {
        self.get_one(&format!("/company/{id}/")).await
    }

    /// `PUT /company/`; the new client's id.
    pub async fn create_company(&self, c: &CompanyCreate) -> Result<i64, ApiError> {
        self.create("/company/", c).await
    }

    /// `PUT /company/{id}/address/` (a non-primary address); the new address id.
    pub async fn add_company_address(&self, company_id: i64, a: &AddressInput) -> Result<i64, ApiError> {
        self.create(&format!("/company/{company_id}/address/"), a).await
    }

    /// Makes an address the client's contact address.
    pub async fn set_contact_address(&self, company_id: i64, address_id: i64) -> Result<(), ApiError> {
        let path = format!("/company/{company_id}/address/{address_id}/setContact/");
        self.call(Method::POST, &path, None, Repeat::Safe).await.map(drop)
    }

    // ------------------------------------------------------------ external ids

    /// The id of the `entity` record carrying `ext_id`, `None` when there is none. RAYNET
    /// documents only the 200 answer; "none" is read from a 404, from `data: null`, and from an
    /// error of type `EntityNotFoundException` whatever its status (raynet-api.md §16).
    pub async fn find_by_ext_id(&self, entity: &str, ext_id: &str) -> Result<Option<i64>, ApiError> {
        let entity = checked_entity(entity, "GET")?;
        let path = format!("/{entity}/ext/{}/", utf8_percent_encode(ext_id, SEGMENT));
        let absent =
            |e: &ApiError| e.kind == ErrorKind::NotFound || e.code.as_deref() == Some(ENTITY_NOT_FOUND);
        let reply = match self.call(Method::GET, &path, None, Repeat::Safe).await {
            Ok(r) => r,
            Err(e) if absent(&e) => return Ok(None),
            Err(e) => return Err(e),
        };
        let data = match self.envelope(&Method::GET, &path, &reply) {
            Ok(env) => env.data,
            Err(e) if absent(&e) => return Ok(None),
            Err(e) => return Err(e),
        };
        if data.is_null() {
            return Ok(None);
        }
        envelope::created_id(&data)
            .map(Some)
            .ok_or_else(|| unreadable(&Method::GET, &path, &reply, "the record has no id"))
    }

    /// Adds `ext_id` to an existing record (`PUT /{entity}/{id}/extId/`).
    pub async fn set_ext_id(&self, entity: &str, id: i64, ext_id: &str) -> Result<(), ApiError> {
        let entity = checked_entity(entity, "PUT")?;
        let path = format!("/{entity}/{id}/extId/");
        let body = serde_json::json!({ "extId": ext_id });
        self.call(Method::PUT, &path, Some(body), Repeat::OnlyIfNotProcessed).await.map(drop)
    }

    // ------------------------------------------------------------ products

    /// Products whose `code` equals `code` (every page).
    pub async fn products_by_code(&self, code: &str) -> Result<Vec<Product>, ApiError> {
        self.list_all("/product/", &[("code", code)], "id").await
    }

    /// `GET /product/{id}/`: the product's detail, with its attachments.
    pub async fn product(&self, id: i64) -> Result<ProductDetail, ApiError> {
        self.get_one(&format!("/product/{id}/")).await
    }

    pub async fn create_product(&self, p: &ProductCreate) -> Result<i64, ApiError> {
        self.create("/product/", p).await
    }

    // ------------------------------------------------------------ business cases

    /// `PUT /businessCase/createWithItems`; the new case id (line ids: read the detail).
    pub async fn create_business_case(&self, bc: &BusinessCaseCreate) -> Result<i64, ApiError> {
        self.create("/businessCase/createWithItems", bc).await
    }

    pub async fn business_case(&self, id: i64) -> Result<BusinessCase, ApiError> {
        self.get_one(&format!("/businessCase/{id}/")).await
    }

    /// Business cases named exactly `name` of the client `company` (every page): the second
    /// way, besides the extId, to find a case this sync created.
    pub async fn business_cases_named(
        &self,
        name: &str,
        company: i64,
    ) -> Result<Vec<BusinessCase>, ApiError> {
        let company = company.to_string();
        self.list_all("/businessCase/", &[("name[EQ]", name), ("company[EQ]", &company)], "id").await
    }

    /// `POST /businessCase/{id}/`: changes the fields set in `u` (never the lines).
    pub async fn update_business_case(&self, id: i64, u: &BusinessCaseUpdate) -> Result<(), ApiError> {
        let path = format!("/businessCase/{id}/");
        let body = to_body(&Method::POST, &path, u)?;
        self.call(Method::POST, &path, Some(body), Repeat::Safe).await.map(drop)
    }

    /// `PUT /businessCase/{id}/item/`: adds one line. RAYNET answers without the new line's id
    /// (read the detail for it). Not repeated after an unknown outcome.
    pub async fn add_business_case_item(
        &self,
        bc_id: i64,
        item: &BusinessCaseItemInput,
    ) -> Result<(), ApiError> {
        let path = format!("/businessCase/{bc_id}/item/");
        let body = to_body(&Method::PUT, &path, item)?;
        self.call(Method::PUT, &path, Some(body), Repeat::OnlyIfNotProcessed).await.map(drop)
    }

    /// `POST /businessCase/{id}/item/{itemId}/`: edits one line in place (id and product stay).
    pub async fn edit_business_case_item(
        &self,
        bc_id: i64,
        item_id: i64,
        edit: &BusinessCaseItemEdit,
    ) -> Result<(), ApiError> {
        let path = format!("/businessCase/{bc_id}/item/{item_id}/");
        let body = to_body(&Method::POST, &path, edit)?;
        self.call(Method::POST, &path, Some(body), Repeat::Safe).await.map(drop)
    }

    /// Deletes a line. A line that is already gone (404, e.g. when a retried delete finds
    /// the first one succeeded) counts as deleted.
    pub async fn delete_business_case_item(&self, bc_id: i64, item_id: i64) -> Result<(), ApiError> {
        let path = format!("/businessCase/{bc_id}/item/{item_id}/");
        match self.call(Method::DELETE, &path, None, Repeat::Safe).await {
            Ok(_) => Ok(()),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    // ------------------------------------------------------------ attachments

    /// Attaches a URL to a record (`PUT /attachment/{entity}/{id}/`).
    pub async fn add_link_attachment(
        &self,
        entity: &str,
        id: i64,
        link: &LinkAttachment,
    ) -> Result<(), ApiError> {
        let entity = checked_entity(entity, "PUT")?;
        let path = format!("/attachment/{entity}/{id}/");
        let body = to_body(&Method::PUT, &path, link)?;
        self.call(Method::PUT, &path, Some(body), Repeat::OnlyIfNotProcessed).await.map(drop)
    }

    // ------------------------------------------------------------ configuration

    /// All user accounts; `UserAccount::person_id` is what `owner` fields take.
    pub async fn user_accounts(&self) -> Result<Vec<UserAccount>, ApiError> {
        // The spec offers no `id` sort here; user names are unique.
        self.list_all("/userAccount/", &[], "username").await
    }

    /// A value list. These endpoints take no paging or sorting parameters: one request.
    pub async fn value_list(&self, list: ValueList) -> Result<Vec<ValueListItem>, ApiError> {
        let path = list.path();
        let reply = self.call(Method::GET, path, None, Repeat::Safe).await?;
        let env = self.envelope(&Method::GET, path, &reply)?;
        if env.data.is_null() {
            return Ok(Vec::new());
        }
        envelope::data_as(env.data).map_err(|e| self.envelope_error(&Method::GET, path, &reply, e))
    }

    // ------------------------------------------------------------ plumbing

    async fn get_one<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let reply = self.call(Method::GET, path, None, Repeat::Safe).await?;
        let env = self.envelope(&Method::GET, path, &reply)?;
        envelope::data_as(env.data).map_err(|e| self.envelope_error(&Method::GET, path, &reply, e))
    }

    async fn create<B: Serialize>(&self, path: &str, body: &B) -> Result<i64, ApiError> {
        let body = to_body(&Method::PUT, path, body)?;
        let reply = self.call(Method::PUT, path, Some(body), Repeat::OnlyIfNotProcessed).await?;
        let env = self.envelope(&Method::PUT, path, &reply)?;
        envelope::created_id(&env.data)
            .ok_or_else(|| unreadable(&Method::PUT, path, &reply, "the answer carries no new id"))
    }

    /// Every page of a list, sorted by a unique `sort_column` so pages do not shift.
    async fn list_all<T: DeserializeOwned>(
        &self,
        path: &str,
        filters: &[(&str, &str)],
        sort_column: &str,
    ) -> Result<Vec<T>, ApiError> {
        let limit = self.page_size;
        let mut out: Vec<T> = Vec::new();
        let mut offset = 0usize;
        loop {
            let mut query: Vec<String> =
                filters.iter().map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, QUERY_VALUE))).collect();
            query.push(format!("offset={offset}"));
            query.push(format!("limit={limit}"));
            query.push(format!("sortColumn={sort_column}"));
            query.push("sortDirection=ASC".into());
            let full = format!("{path}?{}", query.join("&"));
            let reply = self.call(Method::GET, &full, None, Repeat::Safe).await?;
            let env = self.envelope(&Method::GET, &full, &reply)?;
            let page: Vec<T> = if env.data.is_null() {
                Vec::new()
            } else {
                envelope::data_as(env.data)
                    .map_err(|e| self.envelope_error(&Method::GET, &full, &reply, e))?
            };
            let got = page.len();
            out.extend(page);
            offset += got;
            let more = match env.total_count {
                Some(total) => (offset as u64) < total,
                None => got == limit,
            };
            if got == 0 || !more {
                return Ok(out);
            }
        }
    }

    fn envelope(&self, method: &Method, path: &str, reply: &Reply) -> Result<envelope::Envelope, ApiError> {
        envelope::parse(&reply.body).map_err(|e| self.envelope_error(method, path, reply, e))
    }

    fn envelope_error(&self, method: &Method, path: &str, reply: &Reply, e: EnvelopeError) -> ApiError {
        match e {
            EnvelopeError::Unreadable(why) => unreadable(method, path, reply, &why),
            EnvelopeError::Refused(body) => {
                let kind = if body.kind.as_deref() == Some("RequestLimitReached") {
                    ErrorKind::RateLimited
                } else {
                    ErrorKind::Permanent
                };
                let retry_after = (kind == ErrorKind::RateLimited).then(|| self.rate_limit().reset).flatten();
                ApiError {
                    service: Service::Raynet,
                    method: method.to_string(),
                    path: path.to_string(),
                    status: Some(reply.status),
                    kind,
                    message: body.message.unwrap_or_else(|| "RAYNET answered success: false".into()),
                    code: body.kind,
                    retry_after,
                    body_excerpt: Some(excerpt(&reply.body)),
                }
            }
        }
    }

    /// One call with in-call retries per the policy.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        repeat: Repeat,
    ) -> Result<Reply, ApiError> {
        let policy = self.transport.policy();
        let send = |_| self.transport.send(&method, path, self.headers(body.is_some()), body.as_ref());
        policy.run(Service::Raynet, |e| may_repeat(e, repeat), send).await
    }

    fn headers(&self, with_body: bool) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, self.auth.clone());
        h.insert("X-Instance-Name", self.instance.clone());
        h.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if with_body {
            h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=UTF-8"));
        }
        h
    }
}

/// Repeating is sensible for transient and rate-limit errors; for a create only when the
/// request surely was not carried out.
fn may_repeat(err: &ApiError, repeat: Repeat) -> bool {
    if !err.kind.is_retryable() {
        return false;
    }
    match repeat {
        Repeat::Safe => true,
        Repeat::OnlyIfNotProcessed => {
            err.kind == ErrorKind::RateLimited
                || err.status == Some(423)
                || err.code.as_deref() == Some(NOT_CONNECTED)
        }
    }
}

fn unreadable(method: &Method, path: &str, reply: &Reply, why: &str) -> ApiError {
    ApiError::unreadable(Service::Raynet, method.as_str(), path, reply.status, &reply.body, why)
}

fn to_body<B: Serialize>(method: &Method, path: &str, body: &B) -> Result<Value, ApiError> {
    serde_json::to_value(body).map_err(|e| ApiError {
        service: Service::Raynet,
        method: method.to_string(),
        path: path.to_string(),
        status: None,
        kind: ErrorKind::Permanent,
        code: Some("RequestBody".into()),
        message: format!("cannot encode the request body: {e}"),
        retry_after: None,
        body_excerpt: None,
    })
}

/// Entity names go into the path unescaped, so only plain names are allowed (`dms/document`
/// has a slash).
fn checked_entity<'a>(entity: &'a str, method: &str) -> Result<&'a str, ApiError> {
    let ok = !entity.is_empty()
        && !entity.starts_with('/')
        && !entity.ends_with('/')
        && entity.chars().all(|c| c.is_ascii_alphanumeric() || c == '/');
    if ok {
        return Ok(entity);
    }
    Err(ApiError {
        service: Service::Raynet,
        method: method.to_string(),
        path: "/".into(),
        status: None,
        kind: ErrorKind::Permanent,
        code: Some("BadEntityName".into()),
        message: format!("{entity:?} is not a RAYNET entity name"),
        retry_after: None,
        body_excerpt: None,
    })
}
