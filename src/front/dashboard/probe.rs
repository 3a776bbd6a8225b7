//! The setup wizard's live tests, over the real API clients.

use secrecy::SecretString;

use crate::http::{ErrorKind, RetryPolicy};
use crate::raynet::client::{RaynetClient, ValueList};
use crate::shoptet::client::ShoptetClient;
use crate::tui::{BoxFut, Choice, RaynetFacts, SetupProbe, ShoptetFacts};

pub struct ClientProbe {
    policy: RetryPolicy,
}

impl ClientProbe {
    pub fn new(policy: RetryPolicy) -> ClientProbe {
        // A wizard test should answer quickly; no long inline waits.
        let policy = RetryPolicy { max_attempts: policy.max_attempts.min(2), ..policy };
        ClientProbe { policy }
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
            let client = match addon_eshop_url {
                Some(eshop) => ShoptetClient::new_addon(&base_url, &eshop, token, self.policy.clone()),
                None => ShoptetClient::new(&base_url, token, self.policy.clone()),
            }
            .map_err(|e| e.to_string())?;
            let eshop = client.eshop().await.map_err(shoptet_hint)?;
            let statuses = client.order_statuses().await.map_err(shoptet_hint)?;
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
            let users = client.user_accounts().await.map_err(raynet_hint)?;
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
}

/// The error, and what to do about it.
fn shoptet_hint(e: crate::http::ApiError) -> String {
    let hint = match e.kind {
        ErrorKind::Auth => "check the token: Shoptet admin → Connections → API partner / Private API",
        _ if e.status.is_none() => "check the API address and the network",
        _ => "try again; if it persists, check the address",
    };
    format!("{e}\n→ {hint}")
}

fn raynet_hint(e: crate::http::ApiError) -> String {
    let hint = match e.kind {
        ErrorKind::Auth => {
            "check the instance name, the user e-mail and the API key (RAYNET → My account → Security); after 20 failed logins RAYNET blocks this address"
        }
        _ if e.status.is_none() => "check the API address and the network",
        _ => "try again; if it persists, check the address",
    };
    format!("{e}\n→ {hint}")
}
