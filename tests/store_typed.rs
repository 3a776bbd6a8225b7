//! The engine's typed state (schema v2): each kind has its own table and API, and an install
//! made before v2 keeps what its `meta` rows held.

use chrono::{Duration, Utc};
use shoptet_raynet_sync::store::*;

/// A v1 database with the engine state an older version kept under `meta` keys.
fn v1_database(path: &std::path::Path, rows: &[(&str, String)]) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(include_str!("../src/store/schema_v1.sql")).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    for (k, v) in rows {
        conn.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", rusqlite::params![k, v]).unwrap();
    }
}

#[test]
fn an_existing_install_keeps_its_state_when_meta_moves_to_typed_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    let at = Utc::now() - Duration::minutes(5);
    let reset = Utc::now() + Duration::minutes(1);
    let detail = r#"{"shoptet":["Zákazník: Jan"],"plan":["Client: created"],"done":true,"admin_url":"https://shop/admin/1"}"#;
    v1_database(
        &path,
        &[
            ("intent:client:shoptet:7:guid:ab:cd", "2026000001".into()),
            ("intent:product:KAV/250", "2026000002".into()),
            ("intent:business_case:2026000003", "2026000003".into()),
            ("detail:2026000001", detail.into()),
            ("backfill:2026000009", "1".into()),
            (
                "login_block:raynet",
                format!(r#"{{"fingerprint":"f00","at":"{}","message":"401"}}"#, at.to_rfc3339()),
            ),
            (
                "rate_limit:raynet",
                format!(r#"{{"limit":100,"remaining":7,"reset":"{}"}}"#, reset.to_rfc3339()),
            ),
            ("raynet:create_ext_id:product", "dropped".into()),
            ("raynet:create_ext_id:company", "kept".into()),
            ("eshop_name", "Pražírna".into()),
        ],
    );
    let store = Store::open(&path).unwrap();
    let intents = store.intents().unwrap();
    assert_eq!(intents.len(), 3, "{intents:?}");
    assert_eq!(
        store.intent(IntentKind::Client, "shoptet:7:guid:ab:cd").unwrap().as_deref(),
        Some("2026000001"),
        "a key with colons stays whole"
    );
    assert_eq!(store.intent(IntentKind::Product, "KAV/250").unwrap().as_deref(), Some("2026000002"));
    assert_eq!(store.intent(IntentKind::BusinessCase, "2026000003").unwrap().as_deref(), Some("2026000003"));
    let d = store.order_detail("2026000001").unwrap().unwrap();
    assert_eq!(d.shoptet, vec!["Zákazník: Jan"]);
    assert_eq!(d.plan, vec!["Client: created"]);
    assert!(d.done);
    assert_eq!(d.admin_url.as_deref(), Some("https://shop/admin/1"));
    assert!(store.is_backfill("2026000009").unwrap());
    assert!(!store.is_backfill("2026000001").unwrap());
    let block = store.login_block("raynet").unwrap().unwrap();
    assert_eq!(block.fingerprint, "f00");
    assert_eq!(block.at.timestamp(), at.timestamp());
    assert_eq!(block.message, "401");
    let rl = store.rate_limit("raynet").unwrap().unwrap();
    assert_eq!((rl.limit, rl.remaining), (Some(100), Some(7)));
    assert_eq!(rl.reset.map(|r| r.timestamp()), Some(reset.timestamp()));
    assert_eq!(store.create_ext_id_mode("product").unwrap(), Some(CreateExtIdMode::Dropped));
    assert_eq!(store.create_ext_id_mode("company").unwrap(), Some(CreateExtIdMode::Kept));
    assert_eq!(store.create_ext_id_mode("businessCase").unwrap(), None);
    // What moved is gone from `meta`; what did not move stays.
    assert!(store.meta_with_prefix("intent:").unwrap().is_empty());
    assert!(store.get_meta("detail:2026000001").unwrap().is_none());
    assert_eq!(store.snapshot().unwrap().eshop_name.as_deref(), Some("Pražírna"));
}

#[test]
fn intents_are_set_read_and_cleared_by_kind_and_key() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_intent(IntentKind::Product, "A", "1").unwrap();
    store.set_intent(IntentKind::Client, "A", "2").unwrap();
    assert_eq!(store.intent(IntentKind::Product, "A").unwrap().as_deref(), Some("1"));
    assert_eq!(store.intent(IntentKind::Client, "A").unwrap().as_deref(), Some("2"));
    store.clear_intent(IntentKind::Product, "A").unwrap();
    assert_eq!(store.intent(IntentKind::Product, "A").unwrap(), None);
    assert_eq!(
        store.intents().unwrap(),
        vec![Intent { kind: IntentKind::Client, key: "A".into(), order_code: "2".into() }]
    );
}

#[test]
fn order_details_login_blocks_rate_limits_and_modes_round_trip() {
    let mut store = Store::open_in_memory().unwrap();
    let detail = OrderDetailRecord {
        shoptet: vec!["a".into(), "b".into()],
        plan: vec!["c".into()],
        done: false,
        admin_url: None,
    };
    store.set_order_detail("X", &detail).unwrap();
    assert_eq!(store.order_detail("X").unwrap(), Some(detail));
    assert_eq!(store.order_detail("Y").unwrap(), None);
    let block = LoginBlock { fingerprint: "fp".into(), at: Utc::now(), message: "no".into() };
    store.set_login_block("shoptet", &block).unwrap();
    assert_eq!(store.login_block("shoptet").unwrap().map(|b| b.fingerprint), Some("fp".into()));
    store.clear_login_block("shoptet").unwrap();
    assert_eq!(store.login_block("shoptet").unwrap(), None);
    let rl = RateLimitRecord { limit: Some(5), remaining: None, reset: None };
    store.set_rate_limit("raynet", &rl).unwrap();
    assert_eq!(store.rate_limit("raynet").unwrap(), Some(rl));
    store.set_create_ext_id_mode("product", CreateExtIdMode::Kept).unwrap();
    store.set_create_ext_id_mode("product", CreateExtIdMode::Dropped).unwrap();
    assert_eq!(store.create_ext_id_mode("product").unwrap(), Some(CreateExtIdMode::Dropped));
    store.mark_backfill("B").unwrap();
    store.mark_backfill("B").unwrap();
    assert!(store.is_backfill("B").unwrap());
}
