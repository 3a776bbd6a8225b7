//! A known client with known products costs at most 4 RAYNET requests per order.

mod common;

use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_client_and_products_cost_at_most_four_requests() {
    let world = World::empty().await;
    let c = company("Pražírna Vltava s.r.o.", "27082440", "nakup@prazirnavltava.cz");
    let lines =
        || [product("KAV-ETH-250", "Etiopie Yirgacheffe 250 g", 2, "289.00"), shipping("PPL", "99.00")];
    world.shoptet.upsert_order(order("2026000001", -3, &c, &lines(), "CZK")).unwrap();
    let mut engine = world.engine();
    engine.sync_once().await.unwrap();
    // The client and product are now known; ten more orders of the same kind.
    world.raynet.control().reset_stats();
    for i in 2..=11 {
        world.shoptet.upsert_order(order(&format!("20260000{i:02}"), -3, &c, &lines(), "CZK")).unwrap();
    }
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.synced, 10, "{report:?}");
    let stats = world.raynet.control().stats();
    let per_order = stats.total as f64 / 10.0;
    assert!(per_order <= 4.0, "{per_order} RAYNET requests per order: {:#?}", stats.requests);
    assert_eq!(stats.count("PUT /api/v2/company/"), 0, "no client created again");
    assert_eq!(stats.count("PUT /api/v2/product/"), 0, "no product created again");
}
