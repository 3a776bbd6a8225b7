//! `backfill --from DATE`: queue older, unchanged final orders at low priority.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};

use super::render::plural;
use crate::config::Paths;
use crate::engine::{Engine, EngineParts};
use crate::http::RetryPolicy;
use crate::runtime::{AppError, EXIT_OK, Global, load_config, open_store};

pub async fn run(global: &Global, paths: &Paths, from: &str) -> Result<i32, AppError> {
    let config = load_config(paths)?;
    crate::runtime::logging::init_stderr(global.log_level.as_deref());
    let from = parse_date(from, config.sync.enabled_at.timezone())?;
    let store = open_store(paths)?;
    let mut engine = Engine::new(EngineParts::from_config(config, store, RetryPolicy::default())?);
    let n = engine.backfill(from).await?;
    println!(
        "{} created since {from} queued at low priority; `run` or `sync --once` syncs them.",
        plural(n, "final order", "final orders")
    );
    Ok(EXIT_OK)
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
