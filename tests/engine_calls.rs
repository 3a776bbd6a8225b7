//! The engine records each order's calls from the order's own recording scope: an order's
//! record holds the requests made while its work ran (its detail fetch, its RAYNET writes) and
//! no request made outside any order (the changes feed, the context load) or for another order.

mod common;

use common::*;
use shoptet_raynet_sync::http::Service;
use shoptet_raynet_sync::store::OrderState;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_order_keeps_only_its_own_calls() {
    let world = World::empty().await;
    let codes = ["2026000501", "2026000502"];
    let customers = [
        company("Pražírna Jih s.r.o.", "27082440", "jih@prazirna.cz"),
        person("Eva Malá", "eva.mala@example.cz"),
    ];
    for (code, c) in codes.iter().zip(&customers) {
        let o = order(code, -3, c, &[product("KAV-ETH-250", "Káva", 2, "289.00")], "CZK");
        world.shoptet.upsert_order(o).unwrap();
    }
    let mut engine = world.engine();
    world.sync_until_settled(&mut engine, 10).await;
    let store = world.store();
    for code in codes {
        let row = store.order(code).unwrap().unwrap();
        assert_eq!(row.state, OrderState::Synced, "{code}: {:?}", row.last_error);
        let calls = store.calls(code).unwrap();
        let shoptet: Vec<&str> =
            calls.iter().filter(|c| c.service == Service::Shoptet).map(|c| c.path.as_str()).collect();
        assert!(
            shoptet.iter().any(|p| p.starts_with(&format!("/api/orders/{code}"))),
            "{code}: its own detail fetch is recorded: {shoptet:?}"
        );
        for p in &shoptet {
            assert!(!p.starts_with("/api/orders/changes"), "{code}: the feed read is no order's call");
            if let Some(other) = codes.iter().find(|o| **o != code) {
                assert!(!p.contains(other), "{code}: a call of {other} recorded here: {p}");
            }
        }
        assert!(
            calls.iter().any(|c| c.service == Service::Raynet && c.method == "PUT"),
            "{code}: its RAYNET writes are recorded: {calls:?}"
        );
        for c in calls.iter().filter(|c| c.service == Service::Raynet) {
            assert!(
                !["/userAccount/", "/businessCasePhase/", "/currency/", "/contactSource/"]
                    .iter()
                    .any(|p| c.path.starts_with(p)),
                "{code}: the context load is no order's call: {}",
                c.path
            );
        }
    }
}
