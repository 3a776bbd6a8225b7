//! Turning what is registered into what is wanted: the plan (pure), and carrying it out.

use super::{CONFLICTING_EVENT, Desired, EVENTS, Job, Report, SetupError, check_public_url};
use crate::shoptet::client::ShoptetClient;
use crate::shoptet::models::Webhook;

/// The requests that bring the registered webhooks to what is desired.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Our events to register at the URL (one request for all).
    pub create: Vec<&'static str>,
    /// Ours at an older URL: pointed at the new one (`PATCH`).
    pub moved: Vec<Webhook>,
    pub kept: Vec<Webhook>,
    pub remove: Vec<Webhook>,
    /// Another tool's webhooks that hold one of our events (or `order:cancel`, which Shoptet
    /// refuses beside `order:update`): nothing is done while there are any.
    pub blocked: Vec<Webhook>,
}

/// What to do, given the registered webhooks.
pub fn plan(existing: &[Webhook], desired: &Desired) -> Plan {
    let mut p = Plan::default();
    match desired {
        Desired::On { url, previous } => {
            for event in EVENTS {
                match existing.iter().find(|w| w.event == event) {
                    None => p.create.push(event),
                    Some(w) if w.url == *url => p.kept.push(w.clone()),
                    Some(w) if previous.contains(&w.url) => p.moved.push(w.clone()),
                    Some(w) => p.blocked.push(w.clone()),
                }
            }
            if p.create.contains(&"order:update") {
                p.blocked.extend(existing.iter().filter(|w| w.event == CONFLICTING_EVENT).cloned());
            }
        }
        Desired::Off { ours } => {
            p.remove = existing
                .iter()
                .filter(|w| EVENTS.contains(&w.event.as_str()) && ours.contains(&w.url))
                .cloned()
                .collect();
        }
    }
    p
}

/// Lists what is registered, then registers, moves or removes ours and fetches a signature
/// key as `job` asks. Nothing is written when another tool's webhook blocks ours. The key is
/// fetched last, so a failed registration never leaves a new key unsaved.
pub async fn apply(client: &ShoptetClient, job: &Job) -> Result<Report, SetupError> {
    if let Desired::On { url, .. } = &job.desired {
        check_public_url(url).map_err(SetupError::Url)?;
    }
    let existing = client.webhooks().await.map_err(SetupError::from_api)?;
    let p = plan(&existing, &job.desired);
    if !p.blocked.is_empty() {
        return Err(SetupError::Blocked(p.blocked));
    }
    let mut report = Report { kept: p.kept, ..Report::default() };
    if let Desired::On { url, .. } = &job.desired {
        for mut w in p.moved {
            client.update_webhook_url(w.id, url).await.map_err(SetupError::from_api)?;
            w.url = url.clone();
            report.moved.push(w);
        }
        if !p.create.is_empty() {
            report.created = client.register_webhooks(&p.create, url).await.map_err(SetupError::from_api)?;
        }
        if job.renew_key {
            report.key = Some(client.renew_signature_key().await.map_err(SetupError::from_api)?);
        }
    }
    for w in p.remove {
        client.delete_webhook(w.id).await.map_err(SetupError::from_api)?;
        report.removed.push(w);
    }
    Ok(report)
}

/// How the registered webhooks stand against the configured URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registration {
    /// Our events registered at the URL.
    pub at_url: Vec<&'static str>,
    /// Our events registered at another URL.
    pub elsewhere: Vec<Webhook>,
    /// Our events not registered at all.
    pub missing: Vec<&'static str>,
}

impl Registration {
    pub fn complete(&self) -> bool {
        self.elsewhere.is_empty() && self.missing.is_empty()
    }
}

/// Whether `existing` sends each of our events to `url`.
pub fn registration(existing: &[Webhook], url: &str) -> Registration {
    let mut r = Registration::default();
    for event in EVENTS {
        match existing.iter().find(|w| w.event == event) {
            Some(w) if w.url == url => r.at_url.push(event),
            Some(w) => r.elsewhere.push(w.clone()),
            None => r.missing.push(event),
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://sync.example.cz/webhook";
    const OLD: &str = "https://old.example.cz/webhook";

    fn hook(id: i64, event: &str, url: &str) -> Webhook {
        Webhook { id, event: event.into(), url: url.into(), created: None, updated: None }
    }

    fn on(previous: &[&str]) -> Desired {
        Desired::On { url: URL.into(), previous: previous.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn nothing_registered_creates_both_events() {
        let p = plan(&[], &on(&[]));
        assert_eq!(p.create, vec!["order:create", "order:update"]);
        assert!(p.kept.is_empty() && p.moved.is_empty() && p.blocked.is_empty());
    }

    #[test]
    fn a_second_run_keeps_ours_and_creates_only_what_is_missing() {
        let existing = [hook(1, "order:create", URL), hook(2, "customer:create", "https://crm.cz/x")];
        let p = plan(&existing, &on(&[]));
        assert_eq!(p.create, vec!["order:update"]);
        assert_eq!(p.kept, vec![existing[0].clone()]);
        assert!(p.blocked.is_empty(), "other events of other tools are not ours to judge");
    }

    #[test]
    fn ours_at_the_previous_url_move_and_others_block() {
        let existing = [hook(1, "order:create", OLD), hook(2, "order:update", "https://erp.cz/hook")];
        let p = plan(&existing, &on(&[OLD]));
        assert_eq!(p.moved, vec![existing[0].clone()]);
        assert_eq!(p.blocked, vec![existing[1].clone()]);
        let p = plan(&existing, &on(&[]));
        assert_eq!(p.blocked.len(), 2, "an unknown URL is not assumed to be ours");
    }

    #[test]
    fn order_cancel_of_another_tool_blocks_registering_order_update() {
        let existing = [hook(5, "order:cancel", "https://erp.cz/cancel")];
        assert_eq!(plan(&existing, &on(&[])).blocked, vec![existing[0].clone()]);
        let with_update = [hook(5, "order:cancel", "https://erp.cz/cancel"), hook(6, "order:update", URL)];
        assert!(plan(&with_update, &on(&[])).blocked.is_empty(), "nothing to register: no conflict");
    }

    #[test]
    fn turning_off_removes_only_ours() {
        let existing = [
            hook(1, "order:create", URL),
            hook(2, "order:update", OLD),
            hook(3, "order:delete", URL),
            hook(4, "order:update", "https://erp.cz/hook"),
        ];
        let p = plan(&existing, &Desired::Off { ours: vec![URL.into(), OLD.into()] });
        assert_eq!(p.remove, vec![existing[0].clone(), existing[1].clone()]);
    }

    #[test]
    fn registration_tells_missing_from_misdirected() {
        let r = registration(&[hook(1, "order:create", OLD)], URL);
        assert_eq!(r.elsewhere.len(), 1);
        assert_eq!(r.missing, vec!["order:update"]);
        assert!(!r.complete());
        assert!(registration(&[hook(1, "order:create", URL), hook(2, "order:update", URL)], URL).complete());
    }
}
