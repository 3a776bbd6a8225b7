//! `backfill --from DATE [--dry-run]`: older, unchanged final orders, estimated against
//! RAYNET's daily budget, queued at low priority and — unless an engine runs already — synced
//! now, as far as today's budget allows after `sync.backfill_reserve`.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

use crate::config::Paths;
use crate::engine::{Engine, EngineParts};
use crate::http::RetryPolicy;
use crate::runtime::{AppError, EXIT_OK, Global, PidNote, acquire_lock, load_config, open_store};
use crate::store::Store;

pub async fn run(global: &Global, paths: &Paths, from: &str, dry_run: bool) -> Result<i32, AppError> {
    let config = load_config(paths)?;
    let cli = super::render::texts(global).cli();
    crate::runtime::logging::init_stderr(global.log_level.as_deref());
    let from = parse_date(from, config.sync.enabled_at.timezone())?;
    if dry_run {
        // Like `sync --once --dry-run`, a fresh install gets no database from it.
        let store = if !paths.database().exists() { Store::open_in_memory()? } else { open_store(paths)? };
        let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
        let report = engine.backfill_with(from, true).await?;
        println!("{}", cli.describe(&report.estimate, Utc::now()));
        println!("{}", cli.nothing_queued);
        return Ok(EXIT_OK);
    }
    // A running engine (the daemon, a dashboard) works the queue itself: only queue then.
    let lock = match acquire_lock(paths) {
        Ok(lock) => Some(lock),
        Err(AppError::Locked(_)) => None,
        Err(e) => return Err(e),
    };
    let store = open_store(paths)?;
    let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
    let report = engine.backfill_with(from, false).await?;
    if report.orders == 0 {
        println!("{}", cli.backfill_none(&from.to_string()));
        return Ok(EXIT_OK);
    }
    println!("{}", cli.describe(&report.estimate, Utc::now()));
    println!("{}", cli.backfill_queued(report.orders, &from.to_string(), lock.is_some()));
    if lock.is_none() {
        return Ok(EXIT_OK);
    }
    let _pid = PidNote::write(paths, "backfill");
    super::sync::sync_once(super::render::texts(global), paths, &mut engine, false, true).await
}

/// `YYYY-MM-DD` (midnight in the e-shop's offset) or RFC 3339.
pub fn parse_date(s: &str, tz: FixedOffset) -> Result<DateTime<FixedOffset>, AppError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t);
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| AppError::Usage(format!("--from {s:?}: use YYYY-MM-DD or an RFC 3339 time")))?;
    tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .ok_or_else(|| AppError::Usage(format!("--from {s:?} is not a valid local time")))
}
