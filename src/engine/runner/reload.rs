//! A new configuration for a running engine (the daemon on SIGHUP): checked against both
//! services before it replaces the one in force, which stays when the new one does not check out.

use serde_json::Value;

use crate::config::Config;
use crate::http::RetryPolicy;
use crate::raynet::client::RaynetClient;
use crate::shoptet::client::ShoptetClient;

use super::super::EngineError;
use super::super::api::{ConfigIssue, EngineState};
use super::super::context::{SyncContext, config_hash};
use super::{Engine, clients};

/// What a configuration that checks out brings: its clients and what they found.
type Checked = (ShoptetClient, RaynetClient, SyncContext);

impl Engine {
    /// Switches to `config` when `SyncContext::load` accepts it (credentials, statuses, owner,
    /// phase, source, category, the same e-shop); the next pass polls at once with it. Either
    /// way one log line says what happened.
    pub(super) async fn reload(&mut self, config: Config) {
        let eshop_id = self.ctx.as_ref().map(|c| c.eshop_id);
        let policy = self.policy.clone();
        let (shoptet, raynet, mut ctx) = match check(&config, &policy, eshop_id).await {
            Ok(checked) => checked,
            Err(e) => {
                tracing::error!("configuration not reloaded, the one in force stays: {e}");
                return;
            }
        };
        ctx.read_at = self.now();
        self.cache_checked_settings(&config, &ctx);
        let changed = changed_keys(&self.config, &config);
        self.config = config;
        self.shoptet = shoptet;
        self.raynet = raynet;
        self.ctx = Some(ctx);
        self.fetched.clear();
        self.auth_problem = None;
        self.config_problem = None;
        self.poll_requested = true;
        self.set_state(if self.paused { EngineState::Paused } else { EngineState::Idle });
        let changed = if changed.is_empty() { "nothing".to_string() } else { changed.join(", ") };
        tracing::info!(
            "configuration reloaded (changed: {changed}); it applies from this pass, poll interval {} s",
            self.config.sync.poll_interval_secs
        );
    }
}

impl Engine {
    /// The settings the new configuration was checked against are the freshest there are: they
    /// replace the cached ones, under the new configuration, so neither the next pass nor the
    /// next process reads them again (a failure to save costs only that read).
    fn cache_checked_settings(&mut self, config: &Config, ctx: &SyncContext) {
        if !self.cache_settings {
            return;
        }
        if let Err(e) = self.store.save_settings(&ctx.to_cache(config_hash(config))) {
            tracing::warn!(error = %e, "cannot cache the settings read for the new configuration");
        }
    }
}

/// The clients and the context for `config`, or why it cannot be used (`eshop_id`: the e-shop
/// this data directory belongs to, when known).
async fn check(config: &Config, policy: &RetryPolicy, eshop_id: Option<i64>) -> Result<Checked, EngineError> {
    let (shoptet, raynet) = clients(config, policy)?;
    let ctx = SyncContext::load(config, &shoptet, &raynet).await?;
    if let Some(old) = eshop_id.filter(|old| *old != ctx.eshop_id) {
        return Err(EngineError::Config(ConfigIssue::OtherEshop { new_id: ctx.eshop_id, old_id: old }));
    }
    Ok((shoptet, raynet, ctx))
}

/// The keys (`section.key`) whose values differ; never the values themselves.
pub(super) fn changed_keys(old: &Config, new: &Config) -> Vec<String> {
    let (Ok(Value::Object(old)), Ok(Value::Object(new))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    let mut changed = Vec::new();
    for (section, new_table) in &new {
        let old_table = old.get(section).cloned().unwrap_or(Value::Null);
        let keys =
            |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        let mut names = keys(new_table);
        names.extend(keys(&old_table).into_iter().filter(|k| new_table.get(k).is_none()));
        for key in names {
            if old_table.get(&key) != new_table.get(&key) {
                changed.push(format!("{section}.{key}"));
            }
        }
    }
    changed.sort();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        toml::from_str(
            r#"
            [shoptet]
            api_token = "t"
            [raynet]
            instance = "i"
            username = "u@example.cz"
            api_key = "k"
            [sync]
            enabled_at = "2026-01-01T00:00:00+01:00"
            default_owner_id = 1
            business_case_phase_id = 1
            source_id = 1
            "#,
        )
        .expect("config")
    }

    #[test]
    fn changed_keys_name_what_differs_and_never_a_value() {
        let old = config();
        assert!(changed_keys(&old, &old.clone()).is_empty());
        let mut new = old.clone();
        new.sync.name_template = "Zakázka {code}".into();
        new.sync.category_id = Some(3);
        new.raynet.api_key = secrecy::SecretString::from("new-secret-key".to_string());
        let changed = changed_keys(&old, &new);
        assert_eq!(changed, vec!["raynet.api_key", "sync.category_id", "sync.name_template"]);
        assert!(!changed.join(" ").contains("new-secret-key"));
        // A key the new file drops counts too.
        assert_eq!(
            changed_keys(&new, &old),
            vec!["raynet.api_key", "sync.category_id", "sync.name_template"]
        );
    }
}
