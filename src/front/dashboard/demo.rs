//! `demo`: the dashboard over the demo world, with the engine running and orders arriving.

use std::net::SocketAddr;
use std::sync::Arc;

use super::{ClientProbe, RunningEngine, StoreSource, lang, require_terminal};
use crate::config::Config;
use crate::engine::api::EngineCommand;
use crate::front::demo::status_endpoint;
use crate::runtime::demo_world::{DemoEnv, demo_policy, drive_activity};
use crate::runtime::{AppError, EXIT_FATAL, EXIT_OK, Global};
use crate::server::Watch;
use crate::store::Store;
use crate::tui::DashboardDeps;

/// `demo` (without `--headless`).
pub async fn demo(global: &Global, listen: Option<SocketAddr>) -> Result<i32, AppError> {
    if !require_terminal() {
        return Ok(EXIT_FATAL);
    }
    let env = DemoEnv::start().await?;
    let _log = crate::runtime::logging::init_file(&env.paths.log_dir(), global.log_level.as_deref())?;
    env.inject_faults();
    let mut engine = env.engine()?;
    let commands = engine.command_sender();
    let watch = match listen {
        Some(addr) => Some(status_endpoint(&env, addr, &engine, commands.clone()).await?),
        None => None,
    };
    let running = RunningEngine::start_observed(engine, commands, watch.as_ref().map(Watch::observer));
    let activity = tokio::spawn(drive_activity(env.shoptet.clone(), running.commands.clone()));
    let link = running.link();
    let cmds = running.commands.clone();
    let db = env.paths.database();
    let fixed = lang(global).texts().demo_config_fixed();
    let deps = DashboardDeps {
        source: Box::new(StoreSource::new(Store::open(&db)?, Some(env.config.clone()))),
        config: Some(env.config.clone()),
        setup: false,
        config_path: env.paths.config_file.clone(),
        engine: Some(link),
        probe: Arc::new(
            ClientProbe::new(demo_policy()).with_paths(env.paths.clone()).with_lang(lang(global)),
        ),
        on_save: Box::new(move |_cfg: &Config| {
            let _ = cmds.send(EngineCommand::SyncNow);
            Err(fixed.into())
        }),
        lang: lang(global),
        // Short: it shares the top line with the pane tabs at 80 columns.
        banner: Some("DEMO".to_string()),
    };
    let result = crate::tui::run_dashboard(deps).await;
    activity.abort();
    running.stop().await;
    if let Some(watch) = watch {
        watch.stop().await;
    }
    result?;
    Ok(EXIT_OK)
}
