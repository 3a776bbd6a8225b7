//! Checks against the live services: reachability and credentials, the configured values
//! against the live lists, the feed window, the daily budget, the clocks and the webhook.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Check;
use crate::config::{Config, Paths};
use crate::http::{ApiError, ErrorKind, RetryPolicy};
use crate::raynet::client::{RaynetClient, ValueList};
use crate::raynet::models::ValueListItem;
use crate::shoptet::client::shoptet_client_for;
use crate::shoptet::models::Eshop;
use crate::store::Store;

/// Shoptet's changes feed reaches this far back.
const FEED_DAYS: i64 = 30;
/// A clock further off than this is reported.
const SKEW_WARN_SECS: i64 = 60;

fn policy() -> RetryPolicy {
    // A check should answer quickly: one retry, short waits.
    RetryPolicy { max_attempts: 2, max_inline_wait: Duration::from_secs(2), ..RetryPolicy::default() }
}

fn api_fail(name: &'static str, e: &ApiError, fix_auth: &str) -> Check {
    let fix = match e.kind {
        ErrorKind::Auth => fix_auth.to_string(),
        ErrorKind::RateLimited => "wait for the rate limit to pass, then run doctor again".to_string(),
        _ => "check the base URL and the network; run doctor again".to_string(),
    };
    Check::fail(name, e.to_string(), fix)
}

pub async fn all(paths: &Paths, config: &Config, out: &mut Vec<Check>) {
    let eshop = shoptet(paths, config, out).await;
    raynet(config, eshop.as_ref(), out).await;
    clocks(config, out).await;
}

async fn shoptet(paths: &Paths, config: &Config, out: &mut Vec<Check>) -> Option<Eshop> {
    let client = match shoptet_client_for(&config.shoptet, policy()) {
        Ok(c) => c,
        Err(e) => {
            out.push(Check::fail("Shoptet", e.to_string(), "fix [shoptet] in the config"));
            return None;
        }
    };
    let fix_auth =
        "the API token was refused: create a new one in the Shoptet admin and set shoptet.api_token";
    let eshop = match client.eshop().await {
        Ok(e) => e,
        Err(e) => {
            out.push(api_fail("Shoptet", &e, fix_auth));
            return None;
        }
    };
    let id = eshop.contact_information.eshop_id;
    let name = eshop.contact_information.eshop_name.clone().unwrap_or_default();
    out.push(Check::ok("Shoptet", format!("reachable, token accepted: {name} (id {id})")));
    match client.order_statuses().await {
        Ok(list) => {
            let known: Vec<i64> = list.statuses.iter().map(|s| s.id).collect();
            let missing: Vec<String> = config
                .sync
                .final_status_ids
                .iter()
                .chain(config.sync.cancelled_status_ids.iter())
                .filter(|id| !known.contains(id))
                .map(i64::to_string)
                .collect();
            if missing.is_empty() {
                out.push(Check::ok("order statuses", "every configured status exists in the shop"));
            } else {
                out.push(Check::fail(
                    "order statuses",
                    format!("status id(s) {} no longer exist in the shop", missing.join(", ")),
                    "pick the statuses again: `shoptet-raynet-sync setup` (Configuration → e)",
                ));
            }
        }
        Err(e) => out.push(api_fail("order statuses", &e, fix_auth)),
    }
    feed_window(paths, out);
    if config.webhook.enabled {
        webhook(&client, config, out).await;
    }
    Some(eshop)
}

/// The cursor against the feed's 30 days: older means the slower order list is used.
fn feed_window(paths: &Paths, out: &mut Vec<Check>) {
    if !paths.database().exists() {
        return;
    }
    let Ok(Some(cursor)) = Store::open(&paths.database()).and_then(|s| s.cursor()) else { return };
    let age = Utc::now().signed_duration_since(cursor);
    if age > chrono::Duration::days(FEED_DAYS) {
        out.push(Check::warn(
            "changes feed",
            format!(
                "the last change read is {} days old, beyond the feed's {FEED_DAYS} days",
                age.num_days()
            ),
            "start the daemon: until it catches up, orders are read from the slower order list",
        ));
    } else {
        out.push(Check::ok(
            "changes feed",
            format!("cursor {} is within the feed's window", cursor.to_rfc3339()),
        ));
    }
}

async fn webhook(client: &crate::shoptet::client::ShoptetClient, config: &Config, out: &mut Vec<Check>) {
    if config.webhook.signature_key.is_none() {
        out.push(Check::fail(
            "webhook",
            "webhooks are on but no signature key is set: every delivery is refused",
            "set webhook.signature_key (POST /api/webhooks/renew-signature-key gives one)",
        ));
        return;
    }
    let url = config.webhook.public_url.clone().unwrap_or_default();
    match client.webhooks().await {
        Ok(hooks) => {
            let missing: Vec<&str> = ["order:create", "order:update"]
                .into_iter()
                .filter(|ev| !hooks.iter().any(|h| h.event == *ev && h.url == url))
                .collect();
            if missing.is_empty() {
                out.push(Check::ok("webhook", format!("order:create and order:update go to {url}")));
            } else {
                out.push(Check::warn(
                    "webhook",
                    format!("{} not registered for {url}", missing.join(" and ")),
                    "register them (POST /api/webhooks); polling still finds every order",
                ));
            }
        }
        Err(e) if e.kind == ErrorKind::Auth => out.push(Check::warn(
            "webhook",
            "this token cannot read webhooks (Shoptet ties them to addon installations)",
            "rely on polling, or use an addon token for webhooks",
        )),
        Err(e) => out.push(api_fail("webhook", &e, "check the token's rights")),
    }
}

async fn raynet(config: &Config, eshop: Option<&Eshop>, out: &mut Vec<Check>) {
    let r = &config.raynet;
    let client = match RaynetClient::new(&r.base_url, &r.instance, &r.username, r.api_key.clone(), policy()) {
        Ok(c) => c,
        Err(e) => {
            out.push(Check::fail("RAYNET", e.to_string(), "fix [raynet] in the config"));
            return;
        }
    };
    let fix_auth = "the username or API key was refused (RAYNET blocks an address after 20 failed \
                    logins): check raynet.username, raynet.instance and raynet.api_key";
    let users = match client.user_accounts().await {
        Ok(u) => u,
        Err(e) => {
            out.push(api_fail("RAYNET", &e, fix_auth));
            return;
        }
    };
    out.push(Check::ok("RAYNET", format!("reachable, credentials accepted ({} users)", users.len())));
    let owner = config.sync.default_owner_id;
    if users.iter().any(|u| u.person_id() == Some(owner)) {
        out.push(Check::ok("default owner", format!("person #{owner} is a user")));
    } else {
        out.push(Check::fail(
            "default owner",
            format!("person #{owner} is not a RAYNET user any more"),
            "pick the owner again: `shoptet-raynet-sync setup` (Configuration → e)",
        ));
    }
    let s = &config.sync;
    let wanted = [
        ("phase", ValueList::BusinessCasePhase, Some(s.business_case_phase_id)),
        ("source", ValueList::ContactSource, Some(s.source_id)),
        ("category", ValueList::BusinessCaseCategory, s.category_id),
        ("storno phase", ValueList::BusinessCasePhase, s.cancelled_phase_id),
    ];
    for (label, list, id) in wanted {
        let Some(id) = id else { continue };
        match client.value_list(list).await {
            Ok(rows) if rows.iter().any(|v| v.id == id) => {
                out.push(Check::ok(label_name(label), format!("#{id} exists")));
            }
            Ok(_) => out.push(Check::fail(
                label_name(label),
                format!("#{id} no longer exists in RAYNET"),
                "pick it again: `shoptet-raynet-sync setup` (Configuration → e)",
            )),
            Err(e) => out.push(api_fail(label_name(label), &e, fix_auth)),
        }
    }
    if let Some(eshop) = eshop {
        currencies(&client, eshop, out).await;
    }
    budget(&client, out);
}

/// A `&'static str` check name for each value list.
fn label_name(label: &str) -> &'static str {
    match label {
        "phase" => "case phase",
        "source" => "source",
        "category" => "category",
        _ => "storno phase",
    }
}

async fn currencies(client: &RaynetClient, eshop: &Eshop, out: &mut Vec<Check>) {
    let rows: Vec<ValueListItem> = match client.value_list(ValueList::Currency).await {
        Ok(r) => r,
        Err(e) => {
            out.push(api_fail("currencies", &e, "check the RAYNET credentials"));
            return;
        }
    };
    let missing: Vec<&str> = eshop
        .currencies
        .iter()
        .map(|c| c.code.as_str())
        .filter(|code| {
            !rows.iter().any(|r| r.code02.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(code)))
        })
        .collect();
    if missing.is_empty() {
        out.push(Check::ok("currencies", "every currency of the shop exists in RAYNET"));
    } else {
        out.push(Check::fail(
            "currencies",
            format!("{} not in RAYNET: orders in it cannot be synced", missing.join(", ")),
            "add the currency in RAYNET (Settings → Currencies)",
        ));
    }
}

fn budget(client: &RaynetClient, out: &mut Vec<Check>) {
    let rate = client.rate_limit();
    let (Some(limit), Some(left)) = (rate.limit, rate.remaining) else { return };
    let reset = rate.reset.map(|r| format!(", renewed {}", r.to_rfc3339())).unwrap_or_default();
    if left < limit / 20 {
        out.push(Check::warn(
            "RAYNET budget",
            format!("{left} of {limit} requests left today{reset}"),
            "new orders wait for the renewal; avoid large backfills today",
        ));
    } else {
        out.push(Check::ok("RAYNET budget", format!("{left} of {limit} requests left today{reset}")));
    }
}

/// Our clock against each service's `Date` header.
async fn clocks(config: &Config, out: &mut Vec<Check>) {
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
        Some((service, s)) => out.push(Check::warn(
            "clock",
            format!("this machine's clock is {s} s off {service}'s"),
            "synchronise the clock (e.g. systemd-timesyncd or chrony)",
        )),
        None if !skews.is_empty() => out.push(Check::ok("clock", "agrees with the services' clocks")),
        None => {}
    }
}
