//! Call recording is scoped to the order being worked: each unit of work run inside
//! `http::recorded` gets exactly the calls it made — not those of work running beside it (joined
//! on the same task or on another task), and not those made before it outside any scope.

use std::sync::{Arc, Mutex};

use secrecy::SecretString;
use shoptet_raynet_sync::http::{CallRecord, CallSink, RetryPolicy, Service, recorded};
use shoptet_raynet_sync::raynet::{RaynetClient, ValueList};
use shoptet_raynet_sync::shoptet::ShoptetClient;
use shoptet_raynet_sync::sim::SimServer;
use shoptet_raynet_sync::sim::raynet::{RaynetSim, base_url};
use shoptet_raynet_sync::sim::shoptet::{DEMO_TOKEN, ShoptetSim};

struct World {
    _servers: (SimServer, SimServer),
    raynet: RaynetClient,
    shoptet: ShoptetClient,
}

async fn world() -> World {
    let rsim = RaynetSim::demo();
    let rserver = rsim.start(0).await.unwrap();
    let raynet = RaynetClient::new(
        &base_url(&rserver),
        rsim.instance(),
        rsim.username(),
        SecretString::from(rsim.api_key().to_string()),
        RetryPolicy::fast(),
    )
    .unwrap();
    let ssim = ShoptetSim::demo();
    let sserver = ssim.start(0).await.unwrap();
    let shoptet =
        ShoptetClient::new(&sserver.url, SecretString::from(DEMO_TOKEN), RetryPolicy::fast()).unwrap();
    World { _servers: (rserver, sserver), raynet, shoptet }
}

fn paths(calls: &[CallRecord]) -> Vec<(Service, &str)> {
    calls.iter().map(|c| (c.service, c.path.as_str())).collect()
}

/// Order A: the shop's e-shop info and RAYNET's currencies, three times over.
async fn order_a(w: &World) {
    for _ in 0..3 {
        w.shoptet.eshop().await.unwrap();
        w.raynet.value_list(ValueList::Currency).await.unwrap();
        tokio::task::yield_now().await;
    }
}

/// Order B: the order statuses and RAYNET's phases, three times over.
async fn order_b(w: &World) {
    for _ in 0..3 {
        w.raynet.value_list(ValueList::BusinessCasePhase).await.unwrap();
        w.shoptet.order_statuses().await.unwrap();
        tokio::task::yield_now().await;
    }
}

fn expect(calls: &[CallRecord], want: [(Service, &str); 2]) {
    let got = paths(calls);
    assert_eq!(got.len(), 6, "{got:?}");
    assert!(got.iter().all(|p| want.contains(p)), "calls of another order recorded: {got:?}");
    assert!(calls.iter().all(|c| c.status == Some(200) && c.error.is_none()), "{calls:?}");
}

const A: [(Service, &str); 2] = [(Service::Shoptet, "/api/eshop"), (Service::Raynet, "/currency/")];
const B: [(Service, &str); 2] =
    [(Service::Raynet, "/businessCasePhase/"), (Service::Shoptet, "/api/orders/statuses")];

#[tokio::test]
async fn two_orders_worked_side_by_side_each_get_only_their_own_calls() {
    let w = world().await;
    let ((), a) = recorded(order_a(&w)).await;
    expect(&a, A);
    // Joined on one task: the scopes follow the futures, not the task.
    let (((), a), ((), b)) = tokio::join!(recorded(order_a(&w)), recorded(order_b(&w)));
    expect(&a, A);
    expect(&b, B);
}

#[tokio::test]
async fn orders_on_separate_tasks_each_get_only_their_own_calls() {
    let w = Arc::new(world().await);
    let (wa, wb) = (w.clone(), w.clone());
    let ta = tokio::spawn(async move { recorded(order_a(&wa)).await.1 });
    let tb = tokio::spawn(async move { recorded(order_b(&wb)).await.1 });
    let (a, b) = (ta.await.unwrap(), tb.await.unwrap());
    expect(&a, A);
    expect(&b, B);
}

#[tokio::test]
async fn a_call_outside_any_order_lands_on_no_order_but_still_reaches_the_client_sink() {
    let w = world().await;
    let all: Arc<Mutex<Vec<CallRecord>>> = Arc::default();
    let into = all.clone();
    let sink: CallSink = Arc::new(move |r| into.lock().unwrap().push(r));
    let raynet = w.raynet.clone().with_call_sink(sink.clone());
    let shoptet = w.shoptet.clone().with_call_sink(sink);
    // Outside any order: e.g. the poll reading the changes feed, or loading the context.
    raynet.value_list(ValueList::Currency).await.unwrap();
    shoptet.eshop().await.unwrap();
    let ((), next) = recorded(async {
        raynet.value_list(ValueList::BusinessCasePhase).await.unwrap();
        shoptet.order_statuses().await.unwrap();
    })
    .await;
    assert_eq!(
        paths(&next),
        vec![(Service::Raynet, "/businessCasePhase/"), (Service::Shoptet, "/api/orders/statuses")]
    );
    // A call after the scope closed lands on no order either; the client's own sink saw all.
    let ((), empty) = recorded(async {}).await;
    raynet.value_list(ValueList::Currency).await.unwrap();
    assert!(empty.is_empty());
    assert_eq!(all.lock().unwrap().len(), 5);
}
