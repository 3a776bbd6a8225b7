//! Our clock against each service's `Date` header.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Check, CheckName, Clock, Finding};
use crate::config::Config;

/// A clock further off than this is reported.
const SKEW_WARN_SECS: i64 = 60;

pub async fn check(config: &Config, out: &mut Vec<Check>) {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build();
    let Ok(http) = http else { return };
    let mut skews = Vec::new();
    for (service, url) in [("Shoptet", &config.shoptet.base_url), ("RAYNET", &config.raynet.base_url)] {
        let Ok(resp) = http.get(url.as_str()).send().await else { continue };
        let date = resp.headers().get(reqwest::header::DATE).and_then(|d| d.to_str().ok());
        let Some(theirs) = date.and_then(|d| DateTime::parse_from_rfc2822(d).ok()) else { continue };
        skews.push((service, Utc::now().signed_duration_since(theirs).num_seconds()));
    }
    match skews.iter().find(|(_, s)| s.abs() > SKEW_WARN_SECS) {
        Some((service, secs)) => {
            out.push(Check::warn(CheckName::Clock, Finding::Clock(Clock::Off { service, secs: *secs })))
        }
        None if !skews.is_empty() => out.push(Check::ok(CheckName::Clock, Finding::Clock(Clock::Agrees))),
        None => {}
    }
}
