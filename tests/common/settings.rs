//! The settings RAYNET is asked for, and an engine whose clock can be moved ahead (to pass the
//! settings cache's refresh time).

use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};

use shoptet_raynet_sync::config::Config;
use shoptet_raynet_sync::engine::{Engine, EngineParts};
use shoptet_raynet_sync::sim::SimStats;

use super::World;

/// RAYNET requests that read settings.
pub const SETTINGS_PATHS: [&str; 5] = [
    "GET /api/v2/userAccount/",
    "GET /api/v2/businessCasePhase/",
    "GET /api/v2/contactSource/",
    "GET /api/v2/currency/",
    "GET /api/v2/businessCaseCategory/",
];

/// How many settings reads RAYNET saw.
pub fn settings_reads(stats: &SimStats) -> u64 {
    SETTINGS_PATHS.iter().map(|p| stats.count(p)).sum()
}

/// An engine whose clock runs `offset` ahead of the real one.
pub fn engine_ahead(world: &World, config: Config, offset: &Arc<Mutex<Duration>>) -> Engine {
    let mut store = world.store();
    let o = offset.clone();
    store.set_clock(Box::new(move || Utc::now() + *o.lock().unwrap()));
    Engine::new(EngineParts::from_config(config, store, World::policy()).expect("engine parts"))
}
