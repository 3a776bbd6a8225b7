//! `doctor [--json]`: checks a setup end to end — the config file, the data directory and its
//! database, the engine lock, both APIs, the configured values against the live lists, the
//! clocks and the webhook — and prints each as ok / warn / fail with the fix in one line.
//! Exit 0 when all are ok, 2 with warnings, 1 with a failure.

mod local;
mod online;

use serde::Serialize;
use serde_json::json;

use crate::config::Paths;
use crate::runtime::{AppError, EXIT_FATAL, EXIT_OK};

/// What one check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

/// One check: its name, what it found, and (unless ok) the fix.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub level: Level,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    pub fn ok(name: &'static str, detail: impl Into<String>) -> Check {
        Check { name, level: Level::Ok, detail: detail.into(), fix: None }
    }
    pub fn warn(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { name, level: Level::Warn, detail: detail.into(), fix: Some(fix.into()) }
    }
    pub fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { name, level: Level::Fail, detail: detail.into(), fix: Some(fix.into()) }
    }
}

/// Exit code 2: warnings only.
const EXIT_WARNINGS: i32 = 2;

pub async fn run(paths: &Paths, json: bool) -> Result<i32, AppError> {
    let checks = checks(paths).await;
    let worst = checks.iter().map(|c| c.level).max().unwrap_or(Level::Ok);
    let code = match worst {
        Level::Ok => EXIT_OK,
        Level::Warn => EXIT_WARNINGS,
        Level::Fail => EXIT_FATAL,
    };
    if json {
        let out = json!({"checks": checks, "result": worst, "exit_code": code});
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        for c in &checks {
            let mark = match c.level {
                Level::Ok => "ok  ",
                Level::Warn => "warn",
                Level::Fail => "FAIL",
            };
            println!("{mark}  {:<22} {}", c.name, c.detail);
            if let Some(fix) = &c.fix {
                println!("      {:<22} → {fix}", "");
            }
        }
        let count = |l: Level| checks.iter().filter(|c| c.level == l).count();
        println!(
            "\n{} ok, {} warning(s), {} failure(s)",
            count(Level::Ok),
            count(Level::Warn),
            count(Level::Fail)
        );
    }
    Ok(code)
}

/// Every check, in the order a person would fix them.
pub async fn checks(paths: &Paths) -> Vec<Check> {
    let mut out = Vec::new();
    let config = local::config(paths, &mut out);
    local::data_dir(paths, &mut out);
    local::database(paths, &mut out);
    local::lock(paths, &mut out);
    if let Some(config) = config {
        online::all(paths, &config, &mut out).await;
    }
    out
}
