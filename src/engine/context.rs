//! What the engine learns from both services: the e-shop's id, currency and time zone, the
//! order statuses, and the RAYNET value lists the configuration refers to. Read once, checked
//! against the configuration and cached in the store ([`CachedSettings`]) with the time it was
//! read: reused until `sync.settings_refresh_secs` have passed, the configuration changes or
//! RAYNET refuses one of the values, so a pass with nothing to do asks neither service for them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::http::ApiError;
use crate::mapping::MappingSettings;
use crate::raynet::client::{RaynetClient, ValueList};
use crate::raynet::models::ValueListItem;
use crate::shoptet::client::ShoptetClient;
use crate::shoptet::models::Eshop;
use crate::store::{CachedSettings, Store};

use super::EngineError;
use super::api::ConfigIssue;

/// Facts about the connected shop and CRM, checked against the configuration.
#[derive(Debug, Clone)]
pub struct SyncContext {
    pub eshop_id: i64,
    pub eshop_name: String,
    pub settings: MappingSettings,
    /// Shoptet status id → name.
    pub statuses: HashMap<i64, String>,
    /// ISO code → RAYNET currency id.
    pub currencies: HashMap<String, i64>,
    /// Person id → full name of RAYNET users.
    pub owners: HashMap<i64, String>,
    /// When these facts were read from the services.
    pub read_at: DateTime<Utc>,
}

/// What both services answered, before it is checked and shaped.
struct Answers {
    eshop: Eshop,
    statuses: Vec<(i64, String)>,
    owners: HashMap<i64, String>,
    phases: Vec<ValueListItem>,
    sources: Vec<ValueListItem>,
    currencies: Vec<ValueListItem>,
    categories: Vec<ValueListItem>,
}

impl SyncContext {
    /// Reads `/api/eshop`, `/api/orders/statuses` and RAYNET's users and value lists, and
    /// checks that every configured id exists. A wrong id is a configuration error that names
    /// the key and lists what would be valid.
    pub async fn load(
        config: &Config,
        shoptet: &ShoptetClient,
        raynet: &RaynetClient,
    ) -> Result<SyncContext, EngineError> {
        Self::read(config, shoptet, raynet, Utc::now()).await
    }

    /// The context from the store's cache while it is fresh (read less than
    /// `sync.settings_refresh_secs` ago, with this configuration, not refused since); else
    /// read from both services — and, with `save`, cached for the next pass.
    pub async fn cached(
        config: &Config,
        shoptet: &ShoptetClient,
        raynet: &RaynetClient,
        store: &mut Store,
        save: bool,
    ) -> Result<SyncContext, EngineError> {
        let now = store.now();
        let hash = config_hash(config);
        // An unreadable cache is no cache: the services are asked again.
        let cached = store.cached_settings().ok().flatten();
        if let Some(c) = cached.filter(|c| is_fresh(c, &hash, config, now)) {
            return Ok(Self::from_cache(config, c));
        }
        let ctx = Self::read(config, shoptet, raynet, now).await?;
        if save {
            store.save_settings(&ctx.to_cache(hash))?;
        }
        Ok(ctx)
    }

    /// Whether it is time to read the settings again (`sync.settings_refresh_secs`).
    pub fn is_due(&self, config: &Config, now: DateTime<Utc>) -> bool {
        !within_refresh(self.read_at, config, now)
    }

    async fn read(
        config: &Config,
        shoptet: &ShoptetClient,
        raynet: &RaynetClient,
        now: DateTime<Utc>,
    ) -> Result<SyncContext, EngineError> {
        let a = ask(config, shoptet, raynet).await?;
        let sync = &config.sync;
        check_config(sync, &a.owners, &a.phases, &a.sources, &a.categories)?;
        let currency_map: HashMap<String, i64> = a
            .currencies
            .iter()
            .filter_map(|c| {
                let code = c.code02.clone().or_else(|| c.code01.clone())?;
                Some((code.trim().to_uppercase(), c.id))
            })
            .collect();
        let eshop_currency = a.eshop.default_currency().unwrap_or("CZK").to_string();
        // RAYNET's default currency is the first one listed (its own ordering puts it first);
        // when the e-shop's currency is known to RAYNET, that is the home currency.
        let crm_currency = if currency_map.contains_key(&eshop_currency) {
            eshop_currency.clone()
        } else {
            a.currencies
                .first()
                .and_then(|c| c.code02.clone().or_else(|| c.code01.clone()))
                .unwrap_or_else(|| eshop_currency.clone())
        };
        let info = &a.eshop.contact_information;
        let cache = CachedSettings {
            read_at: now,
            config_hash: String::new(),
            stale: false,
            eshop_id: info.eshop_id,
            eshop_name: info.eshop_name.clone().or(info.url.clone()).unwrap_or_default(),
            eshop_currency,
            crm_currency,
            timezone: a.eshop.settings.timezone.clone().unwrap_or_else(|| "Europe/Prague".into()),
            statuses: a.statuses,
            currencies: currency_map.into_iter().collect(),
            owners: a.owners.into_iter().collect(),
        };
        Ok(Self::from_cache(config, cache))
    }

    /// The context from what was read (now or earlier) and the configuration.
    fn from_cache(config: &Config, c: CachedSettings) -> SyncContext {
        let sync = &config.sync;
        let timezone: chrono_tz::Tz = c.timezone.parse().unwrap_or(chrono_tz::Europe::Prague);
        SyncContext {
            eshop_id: c.eshop_id,
            eshop_name: c.eshop_name,
            settings: MappingSettings {
                eshop_id: c.eshop_id,
                eshop_currency: c.eshop_currency,
                crm_currency: c.crm_currency,
                timezone,
                name_template: sync.name_template.clone(),
                default_owner_id: sync.default_owner_id,
                phase_id: sync.business_case_phase_id,
                source_id: sync.source_id,
                category_id: sync.category_id,
            },
            statuses: c.statuses.into_iter().collect(),
            currencies: c.currencies.into_iter().collect(),
            owners: c.owners.into_iter().collect(),
            read_at: c.read_at,
        }
    }

    pub(crate) fn to_cache(&self, config_hash: String) -> CachedSettings {
        let sorted = |mut v: Vec<(i64, String)>| {
            v.sort();
            v
        };
        let mut currencies: Vec<(String, i64)> = self.currencies.clone().into_iter().collect();
        currencies.sort();
        CachedSettings {
            read_at: self.read_at,
            config_hash,
            stale: false,
            eshop_id: self.eshop_id,
            eshop_name: self.eshop_name.clone(),
            eshop_currency: self.settings.eshop_currency.clone(),
            crm_currency: self.settings.crm_currency.clone(),
            timezone: self.settings.timezone.name().to_string(),
            statuses: sorted(self.statuses.clone().into_iter().collect()),
            currencies,
            owners: sorted(self.owners.clone().into_iter().collect()),
        }
    }

    pub fn status_name(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.statuses.get(&id).cloned())
    }

    pub fn currency_id(&self, iso: &str) -> Option<i64> {
        self.currencies.get(&iso.trim().to_uppercase()).copied()
    }
}

/// Asks both services: 2 Shoptet requests and 4 or 5 RAYNET requests (the categories only when
/// one is configured).
async fn ask(
    config: &Config,
    shoptet: &ShoptetClient,
    raynet: &RaynetClient,
) -> Result<Answers, EngineError> {
    let eshop = shoptet.eshop().await?;
    let statuses = shoptet.order_statuses().await?;
    let users = raynet.user_accounts().await?;
    let phases = raynet.value_list(ValueList::BusinessCasePhase).await?;
    let sources = raynet.value_list(ValueList::ContactSource).await?;
    let currencies = raynet.value_list(ValueList::Currency).await?;
    let categories = match config.sync.category_id {
        Some(_) => raynet.value_list(ValueList::BusinessCaseCategory).await?,
        None => Vec::new(),
    };
    let owners = users
        .iter()
        .filter_map(|u| {
            let p = u.person.as_ref()?;
            Some((p.id, p.name.clone().or_else(|| u.username.clone()).unwrap_or_default()))
        })
        .collect();
    let statuses = statuses.statuses.iter().map(|s| (s.id, s.name.clone())).collect();
    Ok(Answers { eshop, statuses, owners, phases, sources, currencies, categories })
}

/// Names of the RAYNET records behind the settings, as they appear in its refusals (`Entity
/// [currency] with id [7] not found`): users (owners), phases, sources, categories, currencies.
const SETTINGS_RECORDS: &[&str] = &[
    "person",
    "userAccount",
    "owner",
    "businessCasePhase",
    "contactSource",
    "businessCaseCategory",
    "currency",
];

/// Whether a RAYNET refusal names one of the records behind the settings (a user, phase, source,
/// category or currency): then the settings may be out of date, not the order's own records.
pub(crate) fn refusal_names_a_setting(api: &ApiError) -> bool {
    let text = format!("{} {}", api.message, api.body_excerpt.as_deref().unwrap_or_default()).to_lowercase();
    SETTINGS_RECORDS.iter().any(|r| text.contains(&format!("[{}]", r.to_lowercase())))
}

/// Cached settings may be used: read with this configuration, recently, and not refused since.
fn is_fresh(c: &CachedSettings, hash: &str, config: &Config, now: DateTime<Utc>) -> bool {
    !c.stale && c.config_hash == hash && within_refresh(c.read_at, config, now)
}

/// Read less than `settings_refresh_secs` ago (and not in the future: a clock set back).
fn within_refresh(read_at: DateTime<Utc>, config: &Config, now: DateTime<Utc>) -> bool {
    let refresh =
        chrono::Duration::seconds(i64::try_from(config.sync.settings_refresh_secs).unwrap_or(i64::MAX));
    read_at <= now && now - read_at < refresh
}

/// A hash of what the cached settings depend on: which shop and CRM (with the credentials, so
/// another token or instance never gets this one's settings) and the ids that were checked.
/// Only the hash is stored, never a secret.
pub(crate) fn config_hash(config: &Config) -> String {
    use secrecy::ExposeSecret;
    use sha1::{Digest, Sha1};
    let (sh, rn, sy) = (&config.shoptet, &config.raynet, &config.sync);
    let parts: Vec<String> = vec![
        sh.base_url.clone(),
        format!("{:?}", sh.auth),
        sh.api_token.expose_secret().to_string(),
        sh.eshop_url.clone().unwrap_or_default(),
        rn.base_url.clone(),
        rn.instance.clone(),
        rn.username.clone(),
        rn.api_key.expose_secret().to_string(),
        format!(
            "{}/{}/{}/{:?}/{:?}",
            sy.default_owner_id,
            sy.business_case_phase_id,
            sy.source_id,
            sy.category_id,
            sy.cancelled_phase_id
        ),
    ];
    let mut h = Sha1::new();
    for p in parts {
        h.update(p.len().to_le_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The configured owner, phase, source and category exist in RAYNET.
fn check_config(
    sync: &crate::config::SyncConfig,
    owners: &HashMap<i64, String>,
    phases: &[ValueListItem],
    sources: &[ValueListItem],
    categories: &[ValueListItem],
) -> Result<(), EngineError> {
    if !owners.contains_key(&sync.default_owner_id) {
        let valid: Vec<String> = owners.iter().map(|(id, n)| format!("{id} ({n})")).collect();
        return Err(EngineError::Config(ConfigIssue::UnknownOwner { id: sync.default_owner_id, valid }));
    }
    check_id("sync.business_case_phase_id", sync.business_case_phase_id, phases)?;
    check_id("sync.source_id", sync.source_id, sources)?;
    if let Some(id) = sync.category_id {
        check_id("sync.category_id", id, categories)?;
    }
    if let Some(id) = sync.cancelled_phase_id {
        check_id("sync.cancelled_phase_id", id, phases)?;
    }
    Ok(())
}

fn check_id(key: &str, id: i64, list: &[ValueListItem]) -> Result<(), EngineError> {
    if list.iter().any(|v| v.id == id) {
        return Ok(());
    }
    let valid: Vec<String> = list.iter().map(|v| format!("{} ({})", v.id, v.label())).collect();
    Err(EngineError::Config(ConfigIssue::UnknownId { key: key.to_string(), id, valid }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_follows_the_shop_the_crm_and_the_checked_ids_but_not_the_rest() {
        let base = Config::example();
        let h = config_hash(&base);
        assert_eq!(h, config_hash(&base.clone()), "stable");
        let mut c = base.clone();
        c.sync.poll_interval_secs += 60;
        c.sync.name_template = "OP {code}".into();
        assert_eq!(config_hash(&c), h, "what the settings do not depend on changes nothing");
        let changes: [fn(&mut Config); 5] = [
            |c| c.shoptet.api_token = secrecy::SecretString::from("another-shop-token"),
            |c| c.raynet.instance = "another".into(),
            |c| c.sync.default_owner_id += 1,
            |c| c.sync.category_id = Some(9),
            |c| c.sync.cancelled_phase_id = Some(4),
        ];
        for change in changes {
            let mut c = base.clone();
            change(&mut c);
            assert_ne!(config_hash(&c), h);
        }
        assert!(!h.contains("paste"), "no secret in the hash");
    }

    #[test]
    fn cached_settings_are_fresh_until_the_refresh_interval_the_config_or_a_refusal() {
        let config = Config::example();
        let now = Utc::now();
        let hash = config_hash(&config);
        let c = CachedSettings {
            read_at: now - chrono::Duration::seconds(3599),
            config_hash: hash.clone(),
            stale: false,
            eshop_id: 1,
            eshop_name: "e".into(),
            eshop_currency: "CZK".into(),
            crm_currency: "CZK".into(),
            timezone: "Europe/Prague".into(),
            statuses: vec![],
            currencies: vec![],
            owners: vec![],
        };
        assert!(is_fresh(&c, &hash, &config, now));
        assert!(!is_fresh(
            &CachedSettings { read_at: now - chrono::Duration::seconds(3600), ..c.clone() },
            &hash,
            &config,
            now
        ));
        assert!(!is_fresh(
            &CachedSettings { read_at: now + chrono::Duration::seconds(5), ..c.clone() },
            &hash,
            &config,
            now
        ));
        assert!(!is_fresh(&CachedSettings { stale: true, ..c.clone() }, &hash, &config, now));
        assert!(!is_fresh(&c, "other", &config, now));
        let mut short = config.clone();
        short.sync.settings_refresh_secs = 600;
        assert!(!is_fresh(&c, &hash, &short, now));
    }
}
