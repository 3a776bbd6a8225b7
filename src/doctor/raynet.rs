//! RAYNET: credentials, the configured owner and value lists, currencies, the daily budget.

use super::{AuthFix, Check, CheckName, Crm, Finding, policy};
use crate::config::Config;
use crate::raynet::client::{RaynetClient, ValueList};
use crate::shoptet::models::Eshop;

fn crm(level: fn(CheckName, Finding) -> Check, name: CheckName, f: Crm) -> Check {
    level(name, Finding::Crm(f))
}

pub async fn all(config: &Config, eshop: Option<&Eshop>, out: &mut Vec<Check>) {
    let r = &config.raynet;
    let client = match RaynetClient::new(&r.base_url, &r.instance, &r.username, r.api_key.clone(), policy()) {
        Ok(c) => c,
        Err(e) => {
            let f = Finding::Setup { error: e.to_string(), section: "raynet" };
            out.push(Check::fail(CheckName::Raynet, f));
            return;
        }
    };
    let users = match client.user_accounts().await {
        Ok(u) => u,
        Err(e) => {
            out.push(Check::api(CheckName::Raynet, &e, AuthFix::RaynetLogin));
            return;
        }
    };
    out.push(crm(Check::ok, CheckName::Raynet, Crm::Reached { users: users.len() }));
    let id = config.sync.default_owner_id;
    out.push(if users.iter().any(|u| u.person_id() == Some(id)) {
        crm(Check::ok, CheckName::DefaultOwner, Crm::OwnerOk { id })
    } else {
        crm(Check::fail, CheckName::DefaultOwner, Crm::OwnerGone { id })
    });
    let s = &config.sync;
    let wanted = [
        (CheckName::CasePhase, ValueList::BusinessCasePhase, Some(s.business_case_phase_id)),
        (CheckName::Source, ValueList::ContactSource, Some(s.source_id)),
        (CheckName::Category, ValueList::BusinessCaseCategory, s.category_id),
        (CheckName::StornoPhase, ValueList::BusinessCasePhase, s.cancelled_phase_id),
    ];
    for (name, list, id) in wanted {
        let Some(id) = id else { continue };
        out.push(match client.value_list(list).await {
            Ok(rows) if rows.iter().any(|v| v.id == id) => crm(Check::ok, name, Crm::ValueOk { id }),
            Ok(_) => crm(Check::fail, name, Crm::ValueGone { id }),
            Err(e) => Check::api(name, &e, AuthFix::RaynetLogin),
        });
    }
    if let Some(eshop) = eshop {
        currencies(&client, eshop, out).await;
    }
    budget(&client, out);
}

async fn currencies(client: &RaynetClient, eshop: &Eshop, out: &mut Vec<Check>) {
    let rows = match client.value_list(ValueList::Currency).await {
        Ok(r) => r,
        Err(e) => {
            out.push(Check::api(CheckName::Currencies, &e, AuthFix::RaynetCredentials));
            return;
        }
    };
    let codes: Vec<String> = eshop
        .currencies
        .iter()
        .map(|c| c.code.clone())
        .filter(|code| {
            !rows.iter().any(|r| r.code02.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(code)))
        })
        .collect();
    out.push(if codes.is_empty() {
        crm(Check::ok, CheckName::Currencies, Crm::CurrenciesOk)
    } else {
        crm(Check::fail, CheckName::Currencies, Crm::CurrenciesMissing { codes })
    });
}

fn budget(client: &RaynetClient, out: &mut Vec<Check>) {
    let rate = client.rate_limit();
    let (Some(limit), Some(left)) = (rate.limit, rate.remaining) else { return };
    let reset = rate.reset.map(|r| r.to_rfc3339());
    let low = left < limit / 20;
    let level = if low { Check::warn } else { Check::ok };
    out.push(crm(level, CheckName::RaynetBudget, Crm::Budget { left, limit, reset, low }));
}
