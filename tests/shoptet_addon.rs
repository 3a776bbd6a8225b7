//! Addon auth: the OAuth access token is exchanged for short-lived API access tokens.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;
use shoptet_raynet_sync::config::{ShoptetAuth, ShoptetConfig};
use shoptet_raynet_sync::http::{CallRecord, ErrorKind, RetryPolicy};
use shoptet_raynet_sync::shoptet::auth::ACCESS_TOKEN_PATH;
use shoptet_raynet_sync::shoptet::{ShoptetClient, shoptet_client_for};
use shoptet_raynet_sync::sim::shoptet::{DEMO_ADDON_OAUTH_TOKEN, DEMO_TOKEN, ShoptetSim};
use shoptet_raynet_sync::sim::{FaultKind, FaultRule, SimServer};

use common::*;

type Calls = Arc<Mutex<Vec<CallRecord>>>;

fn addon_client(server: &SimServer, oauth: &str) -> (ShoptetClient, Calls) {
    let calls: Calls = Arc::default();
    let sink = calls.clone();
    let client = ShoptetClient::new_addon(
        &server.url,
        &format!("{}/", server.url),
        SecretString::from(oauth.to_string()),
        RetryPolicy::fast(),
    )
    .unwrap()
    .with_call_sink(Arc::new(move |r| sink.lock().unwrap().push(r)));
    (client, calls)
}

fn exchanges(sim: &ShoptetSim) -> usize {
    sim.requests().iter().filter(|r| *r == &format!("GET {ACCESS_TOKEN_PATH}")).count()
}

fn api_requests(sim: &ShoptetSim) -> usize {
    sim.requests().iter().filter(|r| r.contains(" /api/")).count()
}

/// Every text a log or an error could show.
fn visible_texts(calls: &Calls, client: &ShoptetClient) -> String {
    let calls = calls.lock().unwrap();
    format!("{calls:?} {client:?}")
}

#[tokio::test]
async fn the_access_token_is_fetched_once_and_reused() {
    let sim = ShoptetSim::demo();
    let server = sim.start(0).await.unwrap();
    let (client, calls) = addon_client(&server, DEMO_ADDON_OAUTH_TOKEN);
    assert_eq!(exchanges(&sim), 0, "the token is fetched lazily");
    assert_eq!(client.eshop().await.unwrap().contact_information.eshop_id, 312457);
    client.order_statuses().await.unwrap();
    let (a, b, c) = tokio::join!(client.eshop(), client.order_statuses(), client.webhooks());
    assert!(a.is_ok() && b.is_ok() && c.is_ok());
    assert_eq!(exchanges(&sim), 1);
    assert_eq!(api_requests(&sim), 5);
    let recorded = calls.lock().unwrap().iter().filter(|r| r.path == ACCESS_TOKEN_PATH).count();
    assert_eq!(recorded, 1, "the exchange is reported as a call");
    assert!(!visible_texts(&calls, &client).contains(DEMO_ADDON_OAUTH_TOKEN));
}

#[tokio::test]
async fn an_expired_access_token_is_renewed_transparently() {
    let sim = ShoptetSim::demo();
    let server = sim.start(0).await.unwrap();
    let (client, calls) = addon_client(&server, DEMO_ADDON_OAUTH_TOKEN);
    client.eshop().await.unwrap();
    sim.expire_access_tokens();
    let statuses = client.order_statuses().await.unwrap();
    assert!(!statuses.statuses.is_empty());
    assert_eq!(exchanges(&sim), 2);
    // eshop, the refused statuses call, the repeated one.
    assert_eq!(api_requests(&sim), 3);
    let refused: Vec<_> = calls.lock().unwrap().iter().filter(|r| r.status == Some(401)).cloned().collect();
    assert_eq!(refused.len(), 1);
    assert!(refused[0].error.as_deref().unwrap_or("").contains("expired"));
    client.webhooks().await.unwrap();
    assert_eq!(exchanges(&sim), 2, "the renewed token is cached");
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    let sim = ShoptetSim::demo();
    sim.set_access_token_lifetime(Duration::from_secs(2));
    let server = sim.start(0).await.unwrap();
    let (client, calls) = addon_client(&server, DEMO_ADDON_OAUTH_TOKEN);
    client.eshop().await.unwrap();
    client.eshop().await.unwrap();
    assert_eq!(exchanges(&sim), 1);
    // Renewed at half of a short lifetime: before the server would refuse it.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.eshop().await.unwrap();
    assert_eq!(exchanges(&sim), 2);
    assert!(calls.lock().unwrap().iter().all(|r| r.status == Some(200)), "no 401 on the way");
}

#[tokio::test]
async fn a_token_that_stays_refused_is_an_auth_error_after_one_renewal() {
    let sim = ShoptetSim::demo();
    let server = sim.start(0).await.unwrap();
    let (client, _calls) = addon_client(&server, DEMO_ADDON_OAUTH_TOKEN);
    client.order_statuses().await.unwrap();
    sim.control().add_fault(FaultRule {
        kind: FaultKind::Status,
        status: Some(401),
        method: None,
        path_prefix: Some("/api/eshop".into()),
        count: 10,
        skip: 0,
        delay_ms: None,
        retry_after_secs: None,
    });
    sim.clear_requests();
    let e = client.eshop().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Auth);
    assert_eq!(e.status, Some(401));
    assert_eq!(api_requests(&sim), 2, "one renewal, then the 401 is reported: {:?}", sim.requests());
    assert_eq!(exchanges(&sim), 1);
    // A private token is never renewed: one request, one 401.
    sim.clear_requests();
    let private =
        ShoptetClient::new(&server.url, SecretString::from(DEMO_TOKEN), RetryPolicy::fast()).unwrap();
    assert_eq!(private.eshop().await.unwrap_err().kind, ErrorKind::Auth);
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn a_wrong_oauth_token_is_an_auth_error_without_retries() {
    let sim = ShoptetSim::demo();
    let server = sim.start(0).await.unwrap();
    let wrong = "312457-a-104-oauth-wrongwrongwrongwrong";
    let (client, calls) = addon_client(&server, wrong);
    let e = client.eshop().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Auth);
    assert_eq!(e.status, Some(401));
    assert_eq!(exchanges(&sim), 1);
    assert_eq!(api_requests(&sim), 0);
    let shown = format!("{e} {e:?} {}", visible_texts(&calls, &client));
    assert!(!shown.contains(wrong), "{shown}");
    assert_eq!(calls.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn access_tokens_never_show_in_records_debug_or_errors() {
    let sim = ShoptetSim::demo();
    let server = sim.start(0).await.unwrap();
    let (client, calls) = addon_client(&server, DEMO_ADDON_OAUTH_TOKEN);
    client.eshop().await.unwrap();
    sim.expire_access_tokens();
    client.eshop().await.unwrap();
    let e = client.order("does-not-exist").await.unwrap_err();
    let shown = format!("{e} {e:?} {}", visible_texts(&calls, &client));
    assert!(!shown.contains(DEMO_ADDON_OAUTH_TOKEN));
    // Access tokens are `<eshopId>-at-<hex>`: none may appear anywhere.
    assert!(!shown.contains("-at-"), "{shown}");
}

#[tokio::test]
async fn the_private_token_still_works_and_the_config_picks_the_client() {
    let sim = ShoptetSim::demo();
    let server = sim.start(0).await.unwrap();
    let mut config = ShoptetConfig {
        base_url: server.url.clone(),
        auth: ShoptetAuth::PrivateToken,
        api_token: SecretString::from(DEMO_TOKEN),
        eshop_url: None,
        max_connections: 2,
    };
    shoptet_client_for(&config, RetryPolicy::fast()).unwrap().eshop().await.unwrap();
    assert_eq!(exchanges(&sim), 0);
    config.auth = ShoptetAuth::Addon;
    let e = shoptet_client_for(&config, RetryPolicy::fast()).unwrap_err();
    assert!(e.to_string().contains("eshop_url"), "{e}");
    config.eshop_url = Some(server.url.clone());
    let e = shoptet_client_for(&config, RetryPolicy::fast()).unwrap().eshop().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Auth, "a private token is not an OAuth token");
    config.api_token = SecretString::from(DEMO_ADDON_OAUTH_TOKEN);
    shoptet_client_for(&config, RetryPolicy::fast()).unwrap().eshop().await.unwrap();
    assert_eq!(exchanges(&sim), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_syncs_with_an_addon_config() {
    let mut world = World::empty().await;
    let c = person("Jana Dvořáková", "jana.dvorakova@seznam.cz");
    let o = order("2026000001", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "289.00")], "CZK");
    world.shoptet.upsert_order(o).unwrap();
    world.config.shoptet.auth = ShoptetAuth::Addon;
    world.config.shoptet.eshop_url = Some(world.shoptet_server.url.clone());
    world.config.shoptet.api_token = SecretString::from(DEMO_ADDON_OAUTH_TOKEN);
    let mut engine = world.engine();
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, 1, "{report:?}");
    assert_eq!(cases_for_ext(&world.dump(), &order_ext("2026000001")).len(), 1);
    assert_eq!(exchanges(&world.shoptet), 1);
}
