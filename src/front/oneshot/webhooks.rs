//! `webhooks register|remove|status`: our Shoptet webhooks from the command line (an admin
//! over SSH), the same setup the dashboard's wizard does. `register` stores a fetched
//! signature key in the config file (0600) and never prints it.

use std::time::Duration;

use serde_json::json;

use crate::config::{Config, Paths, save_signature_key};
use crate::http::RetryPolicy;
use crate::runtime::{AppError, EXIT_OK};
use crate::shoptet::client::{ShoptetClient, shoptet_client_for};
use crate::shoptet::models::Webhook;
use crate::tui::i18n::Texts;
use crate::tui::i18n::doctor as text;
use crate::webhooks::{Desired, EVENTS, Job, SetupError, apply, registration};

/// `status`: what is registered differs from the configuration.
const EXIT_MISMATCH: i32 = 2;

fn client(config: &Config) -> Result<ShoptetClient, AppError> {
    let policy =
        RetryPolicy { max_attempts: 2, max_inline_wait: Duration::from_secs(5), ..RetryPolicy::default() };
    shoptet_client_for(&config.shoptet, policy).map_err(|e| AppError::Refused(e.to_string()))
}

fn refused(t: &Texts, e: SetupError) -> AppError {
    AppError::Refused(text::setup_error(t.lang, &e))
}

/// Registers ours at `webhook.public_url` (moving ours from `replace`), fetching a signature
/// key when none is stored or `new_key` asks.
pub async fn register(
    t: &Texts,
    paths: &Paths,
    new_key: bool,
    replace: Vec<String>,
) -> Result<i32, AppError> {
    let config = Config::load(&paths.config_file)?;
    let (true, Some(url)) = (config.webhook.enabled, config.webhook.public_url.clone()) else {
        return Err(AppError::Refused(t.cli().webhooks_off().into()));
    };
    let renew_key = new_key || config.webhook.signature_key.is_none();
    let job = Job { desired: Desired::On { url: url.clone(), previous: replace }, renew_key };
    let report = apply(&client(&config)?, &job).await.map_err(|e| refused(t, e))?;
    if let Some(key) = &report.key {
        save_signature_key(&paths.config_file, key)?;
    }
    println!("{}.", text::setup_done(t.lang, &report, Some(&url)));
    if report.key.is_some() {
        println!("{}", t.cli().webhooks_key_reload);
    }
    Ok(EXIT_OK)
}

/// Removes ours: at `webhook.public_url` and at each `urls`; other tools' webhooks stay.
pub async fn remove(t: &Texts, paths: &Paths, urls: Vec<String>) -> Result<i32, AppError> {
    let config = Config::load(&paths.config_file)?;
    let mut ours = urls;
    ours.extend(config.webhook.public_url.clone());
    if ours.is_empty() {
        return Err(AppError::Usage(t.cli().webhooks_no_url().into()));
    }
    let job = Job { desired: Desired::Off { ours }, renew_key: false };
    let report = apply(&client(&config)?, &job).await.map_err(|e| refused(t, e))?;
    for w in &report.removed {
        println!("{} {} → {} (id {})", t.cli().removed(), w.event, w.url, w.id);
    }
    println!("{}.", text::setup_done(t.lang, &report, None));
    Ok(EXIT_OK)
}

/// What is registered, whether it matches the configuration, and failed deliveries.
pub async fn status(t: &Texts, paths: &Paths, as_json: bool) -> Result<i32, AppError> {
    let config = Config::load(&paths.config_file)?;
    let client = client(&config)?;
    let hooks = client.webhooks().await.map_err(|e| refused(t, SetupError::Api(e)))?;
    let failed = client.webhook_notifications("failed").await.map_err(|e| refused(t, SetupError::Api(e)))?;
    let failed: Vec<_> = failed.into_iter().filter(|n| EVENTS.contains(&n.event.as_str())).collect();
    let w = &config.webhook;
    let url = w.public_url.clone().unwrap_or_default();
    let r = registration(&hooks, &url);
    let ours = |h: &Webhook| EVENTS.contains(&h.event.as_str()) && h.url == url;
    let matches = if w.enabled { r.complete() && w.signature_key.is_some() } else { !hooks.iter().any(ours) };
    let code = if matches { EXIT_OK } else { EXIT_MISMATCH };
    if as_json {
        let rows: Vec<_> = hooks
            .iter()
            .map(|h| json!({"id": h.id, "event": h.event, "url": h.url, "ours": ours(h)}))
            .collect();
        let out = json!({"enabled": w.enabled, "public_url": w.public_url,
            "signature_key_stored": w.signature_key.is_some(), "webhooks": rows, "missing": r.missing,
            "failed_deliveries": failed, "matches_config": matches, "exit_code": code});
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(code);
    }
    let cli = t.cli();
    println!("{}", cli.webhooks_config(w.enabled, w.public_url.as_deref().unwrap_or("—")));
    println!("{}", cli.signature_key(w.signature_key.is_some()));
    for h in &hooks {
        let mark = if ours(h) { cli.ours() } else { "    " };
        println!("  {mark}  {:<16} → {} (id {})", h.event, h.url, h.id);
    }
    for event in &r.missing {
        println!("  —     {event:<16} {}", cli.not_registered());
    }
    println!("{}", cli.failed_deliveries(failed.len()));
    for n in failed.iter().rev().take(5) {
        let at = n.attempted.as_deref().or(n.created.as_deref()).unwrap_or("—");
        let attempts = cli.attempts(u64::try_from(n.attempts).unwrap_or(0));
        println!("  {at}  {} {} → {} ({attempts})", n.event, n.data.event_instance, n.webhook_url);
    }
    if !matches {
        println!("{}", cli.webhooks_mismatch);
    }
    Ok(code)
}
