//! The checks of a setup, end to end — the config file, the data directory and its database,
//! the engine lock, both APIs, the configured values against the live lists, the clocks and
//! the webhook — each returning a typed result (ok / warn / fail, what was found, and from
//! that the fix). `doctor` prints them; the dashboard's Configuration pane shows them.

mod clock;
mod finding;
mod hooks;
mod local;
mod raynet;
mod shoptet;

use std::path::Path;
use std::time::Duration;

pub use finding::{AuthFix, BrokenConfig, CheckName, Clock, Crm, FailedDelivery, Finding, Hook, Local, Shop};

use crate::config::{Config, Paths};
use crate::http::{ApiError, ErrorKind, RetryPolicy};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: CheckName,
    pub level: Level,
    pub finding: Finding,
}

impl Check {
    pub fn ok(name: CheckName, finding: Finding) -> Check {
        Check { name, level: Level::Ok, finding }
    }
    pub fn warn(name: CheckName, finding: Finding) -> Check {
        Check { name, level: Level::Warn, finding }
    }
    pub fn fail(name: CheckName, finding: Finding) -> Check {
        Check { name, level: Level::Fail, finding }
    }

    /// A failed request, with the fix for its kind.
    fn api(name: CheckName, e: &ApiError, on_auth: AuthFix) -> Check {
        Check::fail(name, Finding::Api { error: e.to_string(), kind: e.kind, on_auth })
    }
}

/// The worst level among `checks` (ok when there are none).
pub fn worst(checks: &[Check]) -> Level {
    checks.iter().map(|c| c.level).max().unwrap_or(Level::Ok)
}

/// Every check, in the order a person would fix them (what `doctor` runs).
pub async fn all(paths: &Paths) -> Vec<Check> {
    let (config, mut out) = local(paths);
    if let Some(config) = config {
        out.extend(online(&config, Some(&paths.database())).await);
    }
    out
}

/// The checks that need no network; the configuration when it loads.
pub fn local(paths: &Paths) -> (Option<Config>, Vec<Check>) {
    let mut out = Vec::new();
    let config = local::config(paths, &mut out);
    local::data_dir(paths, &mut out);
    local::database(paths, &mut out);
    local::lock(paths, &mut out);
    (config, out)
}

/// The checks against the live services for `config`; `database` (when it exists) holds the
/// cursor the changes-feed check reads.
pub async fn online(config: &Config, database: Option<&Path>) -> Vec<Check> {
    let mut out = Vec::new();
    let eshop = shoptet::all(config, database, &mut out).await;
    raynet::all(config, eshop.as_ref(), &mut out).await;
    clock::check(config, &mut out).await;
    out
}

/// A check should answer quickly: one retry, short waits.
fn policy() -> RetryPolicy {
    RetryPolicy { max_attempts: 2, max_inline_wait: Duration::from_secs(2), ..RetryPolicy::default() }
}

/// Whether a failed request was a refusal of the credentials.
fn refused(e: &ApiError) -> bool {
    e.kind == ErrorKind::Auth
}
