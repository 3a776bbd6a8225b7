//! `sim`: both simulators standalone, credentials printed as one JSON line.

use crate::runtime::{AppError, EXIT_OK, Global, shutdown_signal};
use crate::sim::{raynet::RaynetSim, shoptet::ShoptetSim};

pub async fn run(global: &Global, shoptet_port: u16, raynet_port: u16) -> Result<i32, AppError> {
    crate::runtime::logging::init_stderr(global.log_level.as_deref().or(Some("warn")));
    let shoptet = ShoptetSim::demo();
    let raynet = RaynetSim::demo();
    let s = shoptet.start(shoptet_port).await?;
    let r = raynet.start(raynet_port).await?;
    let line = serde_json::json!({
        "shoptet_url": s.url,
        "shoptet_token": shoptet.token(),
        "raynet_url": crate::sim::raynet::base_url(&r),
        "raynet_instance": raynet.instance(),
        "raynet_username": raynet.username(),
        "raynet_api_key": raynet.api_key(),
    });
    println!("{line}");
    shutdown_signal().await;
    s.stop().await;
    r.stop().await;
    Ok(EXIT_OK)
}
