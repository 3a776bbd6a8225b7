//! Turning the wizard's draft into a `Config`, and showing it with secrets masked.

use secrecy::SecretString;

use crate::config::{Config, RaynetConfig, ShoptetAuth, ShoptetConfig, SyncConfig, WebhookConfig};
use crate::tui::panes::config::MASK;
use crate::tui::wizard::{Wizard, validate};

/// The configuration the draft describes. Settings the wizard does not ask about keep
/// their current value (or the documented default on first run).
pub fn config(w: &Wizard) -> Result<Config, String> {
    let base = w.base.as_ref();
    let enabled_at = validate::parse_start(w.start.value(), w.tz()).ok_or("start date")?;
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
        },
        sync,
        webhook: WebhookConfig {
            enabled: w.webhook_enabled,
            listen: opt(w.listen.value()).filter(|_| w.webhook_enabled),
            public_url: opt(w.public_url.value()).filter(|_| w.webhook_enabled),
            signature_key: base.and_then(|c| c.webhook.signature_key.clone()),
        },
    })
}

/// The TOML that will be written, with every secret replaced by a mask.
pub fn masked_toml(cfg: &Config) -> Result<String, String> {
    let mut shown = cfg.clone();
    shown.shoptet.api_token = SecretString::from(MASK);
    shown.raynet.api_key = SecretString::from(MASK);
    if shown.webhook.signature_key.is_some() {
        shown.webhook.signature_key = Some(SecretString::from(MASK));
    }
    toml::to_string_pretty(&shown).map_err(|e| e.to_string())
}
