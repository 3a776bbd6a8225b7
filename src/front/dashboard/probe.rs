//! The setup wizard's live tests, its webhook setup and the doctor's checks, over the real
//! API clients.

// `ApiError` (shared, in `crate::http`) is the clients' error type; it is not boxed.
#![allow(clippy::result_large_err)]

use secrecy::SecretString;

use crate::config::{Config, Paths};
use crate::doctor::{self, Check};
use crate::http::{ApiError, ErrorKind, RetryPolicy};
use crate::raynet::client::{RaynetClient, ValueList};
use crate::shoptet::client::ShoptetClient;
use crate::tui::i18n::setup::TestFailure;
use crate::tui::{BoxFut, Choice, Lang, RaynetFacts, SetupProbe, ShoptetAccess, ShoptetFacts};
use crate::webhooks::{self, Job, Report, SetupError};

pub struct ClientProbe {
    policy: RetryPolicy,
    /// Where the configuration and the data live, for the doctor's local checks.
    paths: Option<Paths>,
    /// The language of the hints after a failed test.
    lang: Lang,
}

impl ClientProbe {
    pub fn new(policy: RetryPolicy) -> ClientProbe {
        // A wizard test should answer quickly; no long inline waits.
        let policy = RetryPolicy { max_attempts: policy.max_attempts.min(2), ..policy };
        ClientProbe { policy, paths: None, lang: Lang::En }
    }

    /// Hints in `lang`.
    pub fn with_lang(mut self, lang: Lang) -> ClientProbe {
        self.lang = lang;
        self
    }

    /// The doctor also checks the config file, the data directory and the database here.
    pub fn with_paths(mut self, paths: Paths) -> ClientProbe {
        self.paths = Some(paths);
        self
    }

    fn shoptet(
        &self,
        base_url: &str,
        token: SecretString,
        addon: Option<&str>,
    ) -> Result<ShoptetClient, ApiError> {
        match addon {
            Some(eshop) => ShoptetClient::new_addon(base_url, eshop, token, self.policy.clone()),
            None => ShoptetClient::new(base_url, token, self.policy.clone()),
        }
    }
}

impl SetupProbe for ClientProbe {
    fn test_shoptet<'a>(
        &'a self,
        base_url: String,
        token: SecretString,
        addon_eshop_url: Option<String>,
    ) -> BoxFut<'a, Result<ShoptetFacts, String>> {
        Box::pin(async move {
            let client =
                self.shoptet(&base_url, token, addon_eshop_url.as_deref()).map_err(|e| e.to_string())?;
            let eshop = client.eshop().await.map_err(|e| hint(self.lang, e))?;
            let statuses = client.order_statuses().await.map_err(|e| hint(self.lang, e))?;
            Ok(ShoptetFacts {
                eshop_id: eshop.contact_information.eshop_id,
                name: eshop
                    .contact_information
                    .eshop_name
                    .clone()
                    .or(eshop.contact_information.url.clone())
                    .unwrap_or_default(),
                default_currency: eshop.default_currency().unwrap_or("CZK").to_string(),
                currencies: eshop.currencies.iter().map(|c| c.code.clone()).collect(),
                timezone: eshop.settings.timezone.clone().unwrap_or_else(|| "Europe/Prague".into()),
                statuses: statuses
                    .statuses
                    .iter()
                    .map(|s| Choice { id: s.id, label: s.name.clone() })
                    .collect(),
            })
        })
    }

    fn test_raynet<'a>(
        &'a self,
        base_url: String,
        instance: String,
        username: String,
        api_key: SecretString,
    ) -> BoxFut<'a, Result<RaynetFacts, String>> {
        Box::pin(async move {
            let client = RaynetClient::new(&base_url, &instance, &username, api_key, self.policy.clone())
                .map_err(|e| e.to_string())?;
            let users = client.user_accounts().await.map_err(|e| hint(self.lang, e))?;
            let list = |items: Vec<crate::raynet::models::ValueListItem>| -> Vec<Choice> {
                items.iter().map(|v| Choice { id: v.id, label: v.label().to_string() }).collect()
            };
            let phases =
                list(client.value_list(ValueList::BusinessCasePhase).await.map_err(|e| e.to_string())?);
            let sources = list(client.value_list(ValueList::ContactSource).await.map_err(|e| e.to_string())?);
            let categories =
                list(client.value_list(ValueList::BusinessCaseCategory).await.map_err(|e| e.to_string())?);
            let currencies = client
                .value_list(ValueList::Currency)
                .await
                .map_err(|e| e.to_string())?
                .iter()
                .filter_map(|c| c.code02.clone().or(c.code01.clone()))
                .collect();
            Ok(RaynetFacts {
                instance,
                users: users
                    .iter()
                    .filter_map(|u| {
                        let p = u.person.as_ref()?;
                        let label = match (&p.name, &u.username) {
                            (Some(n), Some(user)) => format!("{n} <{user}>"),
                            (Some(n), None) => n.clone(),
                            (None, Some(user)) => user.clone(),
                            (None, None) => format!("#{}", p.id),
                        };
                        Some(Choice { id: p.id, label })
                    })
                    .collect(),
                phases,
                sources,
                categories,
                currencies,
            })
        })
    }

    fn set_up_webhooks<'a>(
        &'a self,
        shop: ShoptetAccess,
        job: Job,
    ) -> BoxFut<'a, Result<Report, SetupError>> {
        Box::pin(self.webhooks(shop, job))
    }

    fn doctor<'a>(&'a self, config: Config) -> BoxFut<'a, Vec<Check>> {
        Box::pin(self.checks(config))
    }
}

impl ClientProbe {
    async fn webhooks(&self, shop: ShoptetAccess, job: Job) -> Result<Report, SetupError> {
        let client = self
            .shoptet(&shop.base_url, shop.token, shop.addon_eshop_url.as_deref())
            .map_err(SetupError::Api)?;
        webhooks::apply(&client, &job).await
    }

    async fn checks(&self, config: Config) -> Vec<Check> {
        let mut out = Vec::new();
        let mut database = None;
        if let Some(paths) = &self.paths {
            out = doctor::local(paths).1;
            database = Some(paths.database());
        }
        out.extend(doctor::online(&config, database.as_deref()).await);
        out
    }
}

/// The error (the request and what the service said), and what to do about it in `lang`.
fn hint(lang: Lang, e: crate::http::ApiError) -> String {
    let why = match e.kind {
        ErrorKind::Auth => TestFailure::Credentials,
        _ if e.status.is_none() => TestFailure::NoAnswer,
        _ => TestFailure::Other,
    };
    format!("{e}\n→ {}", lang.texts().test_hint(e.service, why))
}
