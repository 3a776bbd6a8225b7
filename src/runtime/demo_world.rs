//! The demo world: the embedded simulators with the demo shop and CRM, a temporary config and
//! data dir, a few injected faults, and new orders arriving — so a newcomer sees everything
//! work. `demo` shows it in the dashboard, `demo --headless` prints a summary.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use secrecy::SecretString;

use super::AppError;
use crate::config::{Config, Paths, RaynetConfig, ShoptetAuth, ShoptetConfig, SyncConfig, WebhookConfig};
use crate::engine::api::EngineCommand;
use crate::engine::retry::RetrySchedule;
use crate::engine::{Engine, EngineParts};
use crate::http::RetryPolicy;
use crate::sim::raynet::{self, RaynetSim};
use crate::sim::shoptet::ShoptetSim;
use crate::sim::{FaultKind, FaultRule, SimServer};
use crate::store::Store;

/// Ids in the demo CRM (assets/demo/raynet.json).
pub const DEMO_OWNER: i64 = 12;
pub const DEMO_PHASE: i64 = 1;
pub const DEMO_STORNO_PHASE: i64 = 4;
pub const DEMO_SOURCE: i64 = 1;
pub const DEMO_CATEGORY: i64 = 1;

/// Both simulators running, and a throwaway config + data dir pointing at them.
pub struct DemoEnv {
    pub shoptet: Arc<ShoptetSim>,
    pub raynet: Arc<RaynetSim>,
    pub shoptet_server: SimServer,
    pub raynet_server: SimServer,
    pub config: Config,
    pub paths: Paths,
    _dir: tempfile::TempDir,
}

impl DemoEnv {
    pub async fn start() -> std::io::Result<DemoEnv> {
        let shoptet = ShoptetSim::demo();
        let raynet = RaynetSim::demo();
        let shoptet_server = shoptet.start(0).await?;
        let raynet_server = raynet.start(0).await?;
        let dir = tempfile::Builder::new().prefix("shoptet-raynet-sync-demo").tempdir()?;
        let config = demo_config(&shoptet_server.url, &raynet::base_url(&raynet_server), &shoptet, &raynet);
        let paths = Paths { config_file: dir.path().join("config.toml"), data_dir: dir.path().join("data") };
        // 0700 like a real install, so the demo's checks (doctor, `d`) show a clean setup.
        crate::config::ensure_private_dir(&paths.data_dir)?;
        if let Err(e) = config.save(&paths.config_file) {
            tracing::warn!(error = %e, "could not write the demo config");
        }
        Ok(DemoEnv { shoptet, raynet, shoptet_server, raynet_server, config, paths, _dir: dir })
    }

    pub fn open_store(&self) -> Result<Store, AppError> {
        Ok(Store::open(&self.paths.database())?)
    }

    /// A few realistic failures so the retry queue has something to show.
    pub fn inject_faults(&self) {
        let rc = self.raynet.control();
        // A server error on a create: not repeated blindly, so one order goes to the retry queue.
        let mut server_error = FaultRule::new(FaultKind::Status, Some("PUT"), "/api/v2/businessCase/");
        server_error.status = Some(500);
        server_error.skip = 2;
        rc.add_fault(server_error);
        // A short rate-limit burst, waited out inline.
        let mut burst = FaultRule::new(FaultKind::Status, Some("GET"), "/api/v2/company/");
        burst.status = Some(429);
        burst.skip = 1;
        burst.retry_after_secs = Some(1);
        rc.add_fault(burst);
        // A Shoptet hiccup on one order detail.
        let mut hiccup = FaultRule::new(FaultKind::Status, Some("GET"), "/api/orders/");
        hiccup.status = Some(500);
        hiccup.skip = 4;
        self.shoptet.control().add_fault(hiccup);
    }

    /// The engine over this environment, with demo-speed retries.
    pub fn engine(&self) -> Result<Engine, AppError> {
        let mut parts = EngineParts::from_config(self.config.clone(), self.open_store()?, demo_policy())?;
        parts.schedule = demo_schedule();
        Ok(Engine::new(parts))
    }
}

pub fn demo_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        max_inline_wait: Duration::from_secs(3),
        base_backoff: Duration::from_millis(100),
        timeout: Duration::from_secs(5),
    }
}

pub fn demo_schedule() -> RetrySchedule {
    RetrySchedule { base: Duration::from_secs(8), cap: Duration::from_secs(60), max_attempts: 8 }
}

fn demo_config(shoptet_url: &str, raynet_url: &str, shoptet: &ShoptetSim, raynet: &RaynetSim) -> Config {
    let enabled_at = (Utc::now() - chrono::Duration::days(28)).with_timezone(&shoptet.now().timezone());
    Config {
        shoptet: ShoptetConfig {
            base_url: shoptet_url.into(),
            auth: ShoptetAuth::PrivateToken,
            api_token: SecretString::from(shoptet.token().to_string()),
            eshop_url: None,
            max_connections: crate::config::default_shoptet_max_connections(),
        },
        raynet: RaynetConfig {
            base_url: raynet_url.into(),
            instance: raynet.instance().into(),
            username: raynet.username().into(),
            api_key: SecretString::from(raynet.api_key().to_string()),
            max_connections: crate::config::default_raynet_max_connections(),
        },
        sync: SyncConfig {
            enabled_at,
            final_status_ids: vec![-3],
            default_owner_id: DEMO_OWNER,
            business_case_phase_id: DEMO_PHASE,
            source_id: DEMO_SOURCE,
            category_id: Some(DEMO_CATEGORY),
            poll_interval_secs: 30,
            name_template: crate::config::default_name_template(),
            cancelled_status_ids: vec![-4],
            cancelled_phase_id: Some(DEMO_STORNO_PHASE),
            overlap_secs: 600,
            settings_refresh_secs: crate::config::default_settings_refresh(),
            client_refresh_secs: crate::config::default_client_refresh(),
            backfill_reserve: crate::config::default_backfill_reserve(),
        },
        webhook: WebhookConfig::default(),
        server: Default::default(),
        alerts: Default::default(),
    }
}

/// The shop at work: every few seconds a pending order is completed, or (when none is left)
/// a new order arrives, completed — so the dashboard keeps showing orders flow.
pub async fn drive_activity(
    shoptet: Arc<ShoptetSim>,
    commands: tokio::sync::mpsc::UnboundedSender<EngineCommand>,
) {
    let mut tick = tokio::time::interval(Duration::from_secs(6));
    tick.tick().await;
    let mut next_code: u64 = 2026000900;
    loop {
        tick.tick().await;
        let codes = shoptet.order_codes();
        let pending = codes.iter().find(|code| {
            shoptet
                .order_json(code)
                .and_then(|o| o.pointer("/status/id").and_then(|v| v.as_i64()))
                .is_some_and(|s| s != -3 && s != -4)
        });
        let changed = match pending {
            Some(code) => shoptet.set_order_status(code, -3).map(|_| code.clone()),
            None => {
                // A repeat order of a random earlier customer.
                let Some(template) =
                    codes.get(fastrand::usize(..codes.len().max(1))).and_then(|c| shoptet.order_json(c))
                else {
                    return;
                };
                next_code += 1;
                new_order(&shoptet, template, &next_code.to_string())
            }
        };
        if let Ok(code) = changed {
            tracing::info!(order = %code, "demo: the shop completed an order");
            if commands.send(EngineCommand::SyncNow).is_err() {
                return;
            }
        }
    }
}

fn new_order(shoptet: &ShoptetSim, mut order: serde_json::Value, code: &str) -> Result<String, String> {
    let now = crate::shoptet::models::timestamp::format(&shoptet.now());
    order["code"] = code.into();
    order["guid"] = format!("demo-{code}").into();
    order["creationTime"] = now.clone().into();
    order["changeTime"] = now.into();
    order["status"] = serde_json::json!({"id": -3, "name": "Vyřízena"});
    if let Some(url) = order["adminUrl"].as_str() {
        let base = url.split("?id=").next().unwrap_or(url).to_string();
        order["adminUrl"] = format!("{base}?id={code}").into();
    }
    shoptet.upsert_order(order)?;
    Ok(code.to_string())
}
