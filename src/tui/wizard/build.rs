//! Turning the wizard's draft into a `Config`, and showing it with secrets masked.

use secrecy::{ExposeSecret, SecretString};

use crate::config::{Config, RaynetConfig, ShoptetAuth, ShoptetConfig, SyncConfig, WebhookConfig, mask};
use crate::tui::wizard::{Wizard, validate};

/// The settings a new configuration starts with (the documented defaults), for the keys the
/// guided walk does not ask about.
pub fn default_sync() -> Option<SyncConfig> {
    toml::from_str(
        "enabled_at = \"2026-01-01T00:00:00Z\"\ndefault_owner_id = 1\nbusiness_case_phase_id = 1\nsource_id = 1",
    )
    .ok()
}

/// Whether two configurations would be written the same (secrets included; compared here,
/// never shown).
pub fn same(a: &Config, b: &Config) -> bool {
    match (toml::to_string(a), toml::to_string(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The configuration the draft describes. Settings the wizard does not ask about keep
/// their current value (or the documented default on first run).
pub fn config(w: &Wizard) -> Result<Config, String> {
    let base = w.base.as_ref();
    let enabled_at = match base {
        // Untouched, the configured moment is kept exactly (the field shows it in minutes).
        Some(c) if !w.start_edited => c.sync.enabled_at,
        _ => validate::parse_start(w.start.value(), w.tz()).ok_or("start date")?,
    };
    let owner = w.owner.ok_or("default owner")?;
    let phase = w.phase.ok_or("phase")?;
    let source = w.source.ok_or("source")?;
    let mut sync = match base {
        Some(c) => c.sync.clone(),
        None => {
            // Deserialising the required keys alone fills every other key with its default.
            let mut t = toml::Table::new();
            t.insert("enabled_at".into(), toml::Value::String(enabled_at.to_rfc3339()));
            t.insert("default_owner_id".into(), toml::Value::Integer(owner));
            t.insert("business_case_phase_id".into(), toml::Value::Integer(phase));
            t.insert("source_id".into(), toml::Value::Integer(source));
            t.try_into::<SyncConfig>().map_err(|e| e.to_string())?
        }
    };
    sync.enabled_at = enabled_at;
    sync.final_status_ids = w.final_statuses.clone();
    sync.default_owner_id = owner;
    sync.business_case_phase_id = phase;
    sync.source_id = source;
    sync.category_id = w.category;
    sync.poll_interval_secs = w.poll.value().trim().parse().map_err(|_| "poll interval")?;
    sync.name_template = w.name_template.value().trim().to_string();
    sync.cancelled_status_ids = w.cancelled_statuses.clone();
    sync.cancelled_phase_id = w.cancelled_phase;
    let trimmed = |s: &str| s.trim().trim_end_matches('/').to_string();
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Config {
        shoptet: ShoptetConfig {
            base_url: trimmed(w.shoptet_url.value()),
            auth: if w.addon { ShoptetAuth::Addon } else { ShoptetAuth::PrivateToken },
            api_token: SecretString::from(w.shoptet_token.value().trim().to_string()),
            eshop_url: opt(w.eshop_url.value())
                .map(|u| u.trim_end_matches('/').to_string())
                .filter(|_| w.addon),
            max_connections: base
                .map_or_else(crate::config::default_shoptet_max_connections, |c| c.shoptet.max_connections),
        },
        raynet: RaynetConfig {
            base_url: trimmed(w.raynet_url.value()),
            instance: w.instance.value().trim().to_string(),
            username: w.username.value().trim().to_string(),
            api_key: SecretString::from(w.api_key.value().trim().to_string()),
            max_connections: base
                .map_or_else(crate::config::default_raynet_max_connections, |c| c.raynet.max_connections),
        },
        sync,
        webhook: WebhookConfig {
            enabled: w.webhook_enabled,
            listen: opt(w.listen.value()).filter(|_| w.webhook_enabled),
            public_url: opt(w.public_url.value()).filter(|_| w.webhook_enabled),
            // A key fetched by this setup replaces the stored one.
            signature_key: w
                .signature_key
                .clone()
                .or_else(|| base.and_then(|c| c.webhook.signature_key.clone())),
        },
        // Not asked by the wizard: kept as the file had them.
        server: base.map(|c| c.server.clone()).unwrap_or_default(),
        alerts: base.map(|c| c.alerts.clone()).unwrap_or_default(),
    })
}

/// The TOML that will be written, with every secret masked the way the whole program masks
/// them (dots, and the last four characters of a long secret so you can tell which it is).
pub fn masked_toml(cfg: &Config) -> Result<String, String> {
    let mut shown = cfg.clone();
    let masked = |s: &SecretString| SecretString::from(mask(s.expose_secret()));
    shown.shoptet.api_token = masked(&cfg.shoptet.api_token);
    shown.raynet.api_key = masked(&cfg.raynet.api_key);
    shown.webhook.signature_key = cfg.webhook.signature_key.as_ref().map(masked);
    shown.alerts.webhook_url = cfg.alerts.webhook_url.as_ref().map(masked);
    toml::to_string_pretty(&shown).map_err(|e| e.to_string())
}

/// What saving `new` over `base` changes, one line per setting ("[sync] category_id = 2 (was
/// 1)"), secrets masked.
pub fn changes(base: &Config, new: &Config) -> Vec<String> {
    let (Ok(old), Ok(new)) = (masked_toml(base), masked_toml(new)) else { return Vec::new() };
    let keyed = |text: &str| {
        let mut section = String::new();
        let mut out: Vec<(String, String, String)> = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                section = line.to_string();
            } else if let Some((k, v)) = line.split_once(" = ") {
                out.push((section.clone(), k.to_string(), v.to_string()));
            }
        }
        out
    };
    let (old, new) = (keyed(&old), keyed(&new));
    let find = |list: &[(String, String, String)], s: &str, k: &str| {
        list.iter().find(|(ls, lk, _)| ls == s && lk == k).map(|(_, _, v)| v.clone())
    };
    let mut lines = Vec::new();
    for (s, k, v) in &new {
        match find(&old, s, k) {
            Some(was) if was == *v => {}
            Some(was) => lines.push(format!("{s} {k} = {v} (was {was})")),
            None => lines.push(format!("{s} {k} = {v} (new)")),
        }
    }
    for (s, k, v) in &old {
        if find(&new, s, k).is_none() {
            lines.push(format!("{s} {k} removed (was {v})"));
        }
    }
    lines
}
