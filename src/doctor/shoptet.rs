//! Shoptet: reachable with the token, the configured statuses, the feed window, the webhook.

use std::path::Path;

use chrono::Utc;

use super::{AuthFix, Check, CheckName, Finding, Shop, hooks, policy};
use crate::config::Config;
use crate::shoptet::client::shoptet_client_for;
use crate::shoptet::models::Eshop;
use crate::store::Store;

/// Shoptet's changes feed reaches this far back.
const FEED_DAYS: i64 = 30;

fn shop(level: fn(CheckName, Finding) -> Check, name: CheckName, f: Shop) -> Check {
    level(name, Finding::Shop(f))
}

pub async fn all(config: &Config, database: Option<&Path>, out: &mut Vec<Check>) -> Option<Eshop> {
    let client = match shoptet_client_for(&config.shoptet, policy()) {
        Ok(c) => c,
        Err(e) => {
            let f = Finding::Setup { error: e.to_string(), section: "shoptet" };
            out.push(Check::fail(CheckName::Shoptet, f));
            return None;
        }
    };
    let eshop = match client.eshop().await {
        Ok(e) => e,
        Err(e) => {
            out.push(Check::api(CheckName::Shoptet, &e, AuthFix::ShoptetToken));
            return None;
        }
    };
    let id = eshop.contact_information.eshop_id;
    let name = eshop.contact_information.eshop_name.clone().unwrap_or_default();
    out.push(shop(Check::ok, CheckName::Shoptet, Shop::Reached { name, id }));
    match client.order_statuses().await {
        Ok(list) => {
            let known: Vec<i64> = list.statuses.iter().map(|s| s.id).collect();
            let s = &config.sync;
            let ids: Vec<i64> = s
                .final_status_ids
                .iter()
                .chain(s.cancelled_status_ids.iter())
                .filter(|id| !known.contains(id))
                .copied()
                .collect();
            out.push(if ids.is_empty() {
                shop(Check::ok, CheckName::OrderStatuses, Shop::StatusesOk)
            } else {
                shop(Check::fail, CheckName::OrderStatuses, Shop::StatusesGone { ids })
            });
        }
        Err(e) => out.push(Check::api(CheckName::OrderStatuses, &e, AuthFix::ShoptetToken)),
    }
    if let Some(db) = database {
        feed_window(db, out);
    }
    if config.webhook.enabled {
        hooks::check(&client, config, out).await;
    }
    Some(eshop)
}

/// The cursor against the feed's 30 days: older means the slower order list is used.
fn feed_window(db: &Path, out: &mut Vec<Check>) {
    if !db.exists() {
        return;
    }
    let Ok(Some(cursor)) = Store::open(db).and_then(|s| s.cursor()) else { return };
    let age = Utc::now().signed_duration_since(cursor);
    out.push(if age > chrono::Duration::days(FEED_DAYS) {
        shop(Check::warn, CheckName::ChangesFeed, Shop::FeedBehind { days: age.num_days() })
    } else {
        shop(Check::ok, CheckName::ChangesFeed, Shop::FeedOk { cursor: cursor.to_rfc3339() })
    });
}
