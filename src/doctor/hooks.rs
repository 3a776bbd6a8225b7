//! The webhook, when it is on: a signature key, a public URL Shoptet can deliver to and that
//! reaches the receiver, our events registered there, and the deliveries that failed.

use super::{AuthFix, Check, CheckName, FailedDelivery, Finding, Hook, refused};
use crate::config::Config;
use crate::shoptet::client::ShoptetClient;
use crate::shoptet::models::{WebhookNotification, timestamp};
use crate::webhooks::{EVENTS, check_public_url, is_plain_http, registration};

fn hook(level: fn(CheckName, Finding) -> Check, name: CheckName, f: Hook) -> Check {
    level(name, Finding::Hook(f))
}

pub async fn check(client: &ShoptetClient, config: &Config, out: &mut Vec<Check>) {
    if config.webhook.signature_key.is_none() {
        out.push(hook(Check::fail, CheckName::Webhook, Hook::NoKey));
        return;
    }
    let url = config.webhook.public_url.clone().unwrap_or_default();
    if is_plain_http(&url) {
        out.push(hook(Check::warn, CheckName::Webhook, Hook::PlainHttp { url: url.clone() }));
    }
    let hooks = match client.webhooks().await {
        Ok(h) => h,
        Err(e) if refused(&e) => {
            out.push(hook(Check::warn, CheckName::Webhook, Hook::NotAllowed));
            return;
        }
        Err(e) => {
            out.push(Check::api(CheckName::Webhook, &e, AuthFix::TokenRights));
            return;
        }
    };
    if let Err(problem) = check_public_url(&url) {
        out.push(hook(Check::warn, CheckName::Webhook, Hook::BadUrl { url, problem }));
    } else {
        let r = registration(&hooks, &url);
        out.push(if r.complete() {
            hook(Check::ok, CheckName::Webhook, Hook::Registered { url })
        } else {
            let elsewhere = r.elsewhere.iter().map(|w| (w.event.clone(), w.url.clone())).collect();
            hook(Check::warn, CheckName::Webhook, Hook::NotRegistered { url, missing: r.missing, elsewhere })
        });
    }
    deliveries(client, out).await;
}

/// Failed deliveries of our events in Shoptet's 7-day notification log.
async fn deliveries(client: &ShoptetClient, out: &mut Vec<Check>) {
    let failed: Vec<WebhookNotification> = match client.webhook_notifications("failed").await {
        Ok(list) => list.into_iter().filter(|n| EVENTS.contains(&n.event.as_str())).collect(),
        Err(e) => {
            out.push(Check::api(CheckName::WebhookDeliveries, &e, AuthFix::TokenRights));
            return;
        }
    };
    let when = |n: &WebhookNotification| {
        n.attempted.as_deref().or(n.created.as_deref()).and_then(|t| timestamp::parse(t).ok())
    };
    let Some(last) = failed.iter().max_by_key(|n| when(n)) else {
        out.push(hook(Check::ok, CheckName::WebhookDeliveries, Hook::DeliveriesOk));
        return;
    };
    let last = FailedDelivery {
        event: last.event.clone(),
        order: last.data.event_instance.clone(),
        url: last.webhook_url.clone(),
        attempted: last.attempted.clone().or(last.created.clone()),
        attempts: last.attempts,
    };
    let f = Hook::DeliveriesFailed { count: failed.len(), last };
    out.push(hook(Check::warn, CheckName::WebhookDeliveries, f));
}
