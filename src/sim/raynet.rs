//! Stateful RAYNET API simulator: the real paths, envelopes, error bodies, Basic auth with
//! `X-Instance-Name`, the failed-login block, the daily budget and the 4-connection cap.

mod fields;
mod filter;
mod guard;
mod handlers;
mod reply;
mod store;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{SimControl, SimServer, lock};
use guard::Guard;
use store::{Db, Seed};

pub const DEMO_INSTANCE: &str = "zrnko";
pub const DEMO_USERNAME: &str = "obchod@zrnko.cz";
pub const DEMO_API_KEY: &str = "zrnko-demo-3f9a6c2e1b7d4085";

const DEMO_JSON: &str = include_str!("../../assets/demo/raynet.json");

/// Everything the simulator holds, as served by `GET /__sim/dump`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RaynetDump {
    pub companies: Vec<Value>,
    pub products: Vec<Value>,
    pub business_cases: Vec<Value>,
    pub attachments: Vec<Value>,
    pub failed_logins: u32,
}

pub struct RaynetSim {
    db: Mutex<Db>,
    guard: Arc<Guard>,
    control: Arc<SimControl>,
}

impl RaynetSim {
    /// The shared demo world (`assets/demo/raynet.json`).
    pub fn demo() -> Arc<RaynetSim> {
        match RaynetSim::build(DEMO_JSON, true) {
            Ok(sim) => sim,
            // The demo file is compiled in and covered by tests; fall back to an empty world.
            Err(_) => RaynetSim::from_parts(Seed::default(), Db::default()),
        }
    }

    /// The demo's users and value lists, without companies, products or cases.
    pub fn empty() -> Arc<RaynetSim> {
        match RaynetSim::build(DEMO_JSON, false) {
            Ok(sim) => sim,
            Err(_) => RaynetSim::from_parts(Seed::default(), Db::default()),
        }
    }

    /// A world from a seed file in the layout of `assets/demo/raynet.json`.
    pub fn from_json(json: &str) -> Result<Arc<RaynetSim>, String> {
        RaynetSim::build(json, true)
    }

    fn build(json: &str, with_records: bool) -> Result<Arc<RaynetSim>, String> {
        let seed: Seed = serde_json::from_str(json).map_err(|e| format!("invalid RAYNET seed: {e}"))?;
        let db =
            Db::from_seed(&seed, with_records).map_err(|e| format!("invalid RAYNET seed record: {e}"))?;
        Ok(RaynetSim::from_parts(seed, db))
    }

    fn from_parts(seed: Seed, db: Db) -> Arc<RaynetSim> {
        let guard = Arc::new(Guard::new(&seed.instance, &seed.username, &seed.api_key));
        let style_guard = guard.clone();
        let control = SimControl::new(Arc::new(move |status, retry| style_guard.injected(status, retry)));
        Arc::new(RaynetSim { db: Mutex::new(db), guard, control })
    }

    pub fn instance(&self) -> &str {
        self.guard.instance()
    }

    pub fn username(&self) -> &str {
        self.guard.username()
    }

    pub fn api_key(&self) -> &str {
        self.guard.api_key()
    }

    pub fn control(&self) -> Arc<SimControl> {
        self.control.clone()
    }

    /// The API under `/api/v2` plus `/__sim/stats`, `/__sim/faults` and `/__sim/dump`.
    pub fn router(self: &Arc<Self>) -> Router {
        let api = handlers::api_routes()
            .with_state(self.clone())
            .layer(axum::middleware::from_fn_with_state(self.guard.clone(), guard::admit_layer));
        let dump = Router::new().route("/__sim/dump", get(dump_route)).with_state(self.clone());
        self.control
            .wrap(api)
            .layer(axum::middleware::from_fn_with_state(self.guard.clone(), guard::connection_layer))
            .merge(dump)
    }

    pub async fn start(self: &Arc<Self>, port: u16) -> std::io::Result<SimServer> {
        SimServer::start(self.router(), port).await
    }

    pub fn dump(&self) -> RaynetDump {
        let db = lock(&self.db);
        RaynetDump {
            companies: db.companies.values().cloned().collect(),
            products: db.products.values().cloned().collect(),
            business_cases: db.cases.values().cloned().collect(),
            attachments: db.attachments.clone(),
            failed_logins: self.guard.failed_logins(),
        }
    }

    /// Sets the daily request budget and refills it.
    pub fn set_daily_limit(&self, limit: u64) {
        self.guard.set_daily_limit(limit);
    }

    /// Most requests served at once since the last call (the 4-connection cap refuses more).
    pub fn take_max_concurrent(&self) -> usize {
        let max = self.guard.max_in_flight();
        self.guard.reset_max_in_flight();
        max
    }

    /// Blocks logins as after 20 failures; `false` lifts the block and forgets the failures.
    pub fn set_login_block(&self, blocked: bool) {
        self.guard.set_login_block(blocked);
    }

    /// `true`: products and business cases created through the API drop the `extId` of their
    /// create body, as RAYNET may (it documents `extId` on create for a company only); the
    /// extId must then be set with `PUT /{entity}/{id}/extId/`. `false` (the default) keeps it.
    pub fn set_ignore_create_ext_ids(&self, ignore: bool) {
        lock(&self.db).ignore_create_ext_ids = ignore;
    }

    /// Replaces a value list — `currency`, `businessCasePhase`, `contactSource` or
    /// `businessCaseCategory` — with `values` (rows as `GET /<list>/` shows them), as an
    /// administrator editing RAYNET's settings would.
    pub fn set_value_list(&self, list: &str, values: Vec<Value>) -> Result<(), String> {
        let mut db = lock(&self.db);
        let target = match list {
            "currency" => &mut db.currencies,
            "businessCasePhase" => &mut db.phases,
            "contactSource" => &mut db.sources,
            "businessCaseCategory" => &mut db.categories,
            other => return Err(format!("no value list {other:?}")),
        };
        *target = values;
        Ok(())
    }

    /// Seeds one company (a create body; `rating`/`state`/`role` default, `id`/`extIds`
    /// honoured). Returns its id, or 0 when the body is unusable (no `name`, unknown owner).
    pub fn add_company(&self, company: Value) -> i64 {
        lock(&self.db).create_company(&company, false).unwrap_or(0)
    }
}

async fn dump_route(
    axum::extract::State(sim): axum::extract::State<Arc<RaynetSim>>,
) -> axum::Json<RaynetDump> {
    axum::Json(sim.dump())
}

/// The API base URL of a running simulator: `server.url + "/api/v2"`.
pub fn base_url(server: &SimServer) -> String {
    format!("{}/api/v2", server.url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_world_loads_with_the_shared_records() {
        let sim = RaynetSim::build(DEMO_JSON, true).expect("demo seed must load");
        let dump = sim.dump();
        assert_eq!(dump.companies.len(), 6);
        assert_eq!(dump.products.len(), 2);
        assert_eq!(dump.business_cases.len(), 3);
        let vltava = dump.companies.iter().find(|c| c["regNumber"] == "27082440").expect("Vltava");
        assert_eq!(vltava["owner"]["id"], 15);
        assert_eq!(vltava["primaryAddress"]["contactInfo"]["email"], "nakup@prazirnavltava.cz");
        let won = dump.business_cases.iter().find(|c| c["id"] == 301).expect("case 301");
        assert_eq!(won["status"], "E_WIN");
        assert_eq!(won["totalAmount"], serde_json::json!(3022.9));
        assert_eq!(sim.username(), DEMO_USERNAME);
        assert_eq!(sim.api_key(), DEMO_API_KEY);
        assert_eq!(sim.instance(), DEMO_INSTANCE);
    }

    #[test]
    fn empty_world_keeps_value_lists_only() {
        let sim = RaynetSim::build(DEMO_JSON, false).expect("demo seed must load");
        let dump = sim.dump();
        assert!(dump.companies.is_empty() && dump.products.is_empty() && dump.business_cases.is_empty());
        assert_eq!(lock(&sim.db).phases.len(), 4);
        assert_eq!(lock(&sim.db).user_accounts.len(), 2);
    }

    #[test]
    fn bad_seed_is_an_error() {
        assert!(RaynetSim::from_json("{").is_err());
        let no_name = r#"{"instance":"i","username":"u","apiKey":"k","companies":[{"rating":"A"}]}"#;
        assert!(RaynetSim::from_json(no_name).is_err());
    }
}
