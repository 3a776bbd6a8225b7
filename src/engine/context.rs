//! What the engine learns once per start from both services: the e-shop's id, currency and
//! time zone, the order statuses, and the RAYNET value lists the configuration refers to.

use std::collections::HashMap;

use crate::config::Config;
use crate::mapping::MappingSettings;
use crate::raynet::client::{RaynetClient, ValueList};
use crate::shoptet::client::ShoptetClient;

use super::EngineError;

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

        let owners: HashMap<i64, String> = users
            .iter()
            .filter_map(|u| {
                let p = u.person.as_ref()?;
                Some((p.id, p.name.clone().or_else(|| u.username.clone()).unwrap_or_default()))
            })
            .collect();
        let sync = &config.sync;
        check_config(sync, &owners, &phases, &sources, &categories)?;

        let currency_map: HashMap<String, i64> = currencies
            .iter()
            .filter_map(|c| {
                let code = c.code02.clone().or_else(|| c.code01.clone())?;
                Some((code.trim().to_uppercase(), c.id))
            })
            .collect();
        let eshop_currency = eshop.default_currency().unwrap_or("CZK").to_string();
        // RAYNET's default currency is the first one listed (its own ordering puts it first);
        // when the e-shop's currency is known to RAYNET, that is the home currency.
        let crm_currency = if currency_map.contains_key(&eshop_currency) {
            eshop_currency.clone()
        } else {
            currencies
                .first()
                .and_then(|c| c.code02.clone().or_else(|| c.code01.clone()))
                .unwrap_or_else(|| eshop_currency.clone())
        };
        let tz_name = eshop.settings.timezone.clone().unwrap_or_else(|| "Europe/Prague".into());
        let timezone: chrono_tz::Tz = tz_name.parse().unwrap_or(chrono_tz::Europe::Prague);

        Ok(SyncContext {
            eshop_id: eshop.contact_information.eshop_id,
            eshop_name: eshop
                .contact_information
                .eshop_name
                .clone()
                .or(eshop.contact_information.url.clone())
                .unwrap_or_default(),
            settings: MappingSettings {
                eshop_id: eshop.contact_information.eshop_id,
                eshop_currency,
                crm_currency,
                timezone,
                name_template: sync.name_template.clone(),
                default_owner_id: sync.default_owner_id,
                phase_id: sync.business_case_phase_id,
                source_id: sync.source_id,
                category_id: sync.category_id,
            },
            statuses: statuses.statuses.iter().map(|s| (s.id, s.name.clone())).collect(),
            currencies: currency_map,
            owners,
        })
    }

    pub fn status_name(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.statuses.get(&id).cloned())
    }

    pub fn currency_id(&self, iso: &str) -> Option<i64> {
        self.currencies.get(&iso.trim().to_uppercase()).copied()
    }
}

/// The configured owner, phase, source and category exist in RAYNET.
fn check_config(
    sync: &crate::config::SyncConfig,
    owners: &HashMap<i64, String>,
    phases: &[crate::raynet::models::ValueListItem],
    sources: &[crate::raynet::models::ValueListItem],
    categories: &[crate::raynet::models::ValueListItem],
) -> Result<(), EngineError> {
    if !owners.contains_key(&sync.default_owner_id) {
        let valid: Vec<String> = owners.iter().map(|(id, n)| format!("{id} ({n})")).collect();
        return Err(EngineError::Config(format!(
            "sync.default_owner_id = {} is not the person id of a RAYNET user; use one of: {}",
            sync.default_owner_id,
            valid.join(", ")
        )));
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

fn check_id(key: &str, id: i64, list: &[crate::raynet::models::ValueListItem]) -> Result<(), EngineError> {
    if list.iter().any(|v| v.id == id) {
        return Ok(());
    }
    let valid: Vec<String> = list.iter().map(|v| format!("{} ({})", v.id, v.label())).collect();
    Err(EngineError::Config(format!(
        "{key} = {id} does not exist in RAYNET; use one of: {}",
        valid.join(", ")
    )))
}
