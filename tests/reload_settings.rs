//! A configuration reloaded into a running engine (SIGHUP) is checked against settings read from
//! RAYNET and Shoptet anew — and those are what the store's settings cache then holds, under the
//! new configuration: the next pass and the next process use them and ask nobody again. A
//! reload that is refused leaves the cache as it was.

mod common;

use std::sync::{Arc, Mutex};

use chrono::Duration;
use serde_json::json;

use common::settings::*;
use common::*;
use shoptet_raynet_sync::config::Config;
use shoptet_raynet_sync::engine::api::{EngineCommand, NewConfig};

fn reload(config: &Config) -> EngineCommand {
    EngineCommand::ReloadConfig(NewConfig(Box::new(config.clone())))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_saves_the_settings_it_read_under_the_new_configuration() {
    let world = World::empty().await;
    let clock = Arc::new(Mutex::new(Duration::zero()));
    let mut engine = engine_ahead(&world, world.config.clone(), &clock);
    engine.sync_once().await.unwrap();
    let before = world.store().cached_settings().unwrap().expect("cached by the first pass");
    assert!(!before.currencies.iter().any(|(iso, _)| iso == "USD"));

    // Meanwhile RAYNET gets a currency; the new file names another source.
    world
        .raynet
        .set_value_list(
            "currency",
            vec![
                json!({"id": 1, "code01": "Kč", "code02": "CZK", "strValue01": "Česká koruna"}),
                json!({"id": 2, "code01": "€", "code02": "EUR", "strValue01": "Euro"}),
                json!({"id": 9, "code01": "$", "code02": "USD", "strValue01": "Americký dolar"}),
            ],
        )
        .unwrap();
    let mut new = world.config.clone();
    new.sync.source_id = 2;
    *clock.lock().unwrap() = Duration::seconds(600);
    world.raynet.control().reset_stats();
    engine.handle(reload(&new)).await;
    assert_eq!(settings_reads(&world.raynet.control().stats()), 5, "checked against RAYNET as it is now");

    // The cache holds what the reload read, when it read it (the engine's clock).
    let after = world.store().cached_settings().unwrap().expect("still cached");
    assert!(after.currencies.contains(&("USD".to_string(), 9)), "{:?}", after.currencies);
    assert!(
        after.read_at >= before.read_at + Duration::seconds(600),
        "{} vs {}",
        after.read_at,
        before.read_at
    );
    assert!(!after.stale);
    assert_ne!(after.config_hash, before.config_hash, "saved under the new configuration");

    // The next pass and a new process with the new file use them: no settings read again.
    world.raynet.control().reset_stats();
    engine.sync_once().await.unwrap();
    engine_ahead(&world, new.clone(), &clock).sync_once().await.unwrap();
    assert_eq!(
        settings_reads(&world.raynet.control().stats()),
        0,
        "{:?}",
        world.raynet.control().stats().requests
    );

    // A reload that is refused (no such source) leaves the cache alone.
    let mut bad = new.clone();
    bad.sync.source_id = 99;
    *clock.lock().unwrap() = Duration::seconds(900);
    engine.handle(reload(&bad)).await;
    assert_eq!(world.store().cached_settings().unwrap(), Some(after));
    world.raynet.control().reset_stats();
    engine_ahead(&world, new, &clock).sync_once().await.unwrap();
    assert_eq!(
        settings_reads(&world.raynet.control().stats()),
        0,
        "the settings of the configuration in force stay cached"
    );
}
