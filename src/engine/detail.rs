//! The text the order detail view shows before an order is worked: its Shoptet data and the
//! plan that the pure mapping already knows (lookups in RAYNET happen when it is worked).

use crate::mapping;
use crate::money::money;
use crate::shoptet::models::{Address, Order};

use super::context::SyncContext;

pub(crate) fn shoptet_lines(o: &Order) -> Vec<String> {
    let mut out = Vec::new();
    let status = o.status.as_ref().map(|s| format!("{} ({})", s.label(), s.id)).unwrap_or_default();
    out.push(format!("Order {} — {status}", o.code));
    if let Some(c) = o.creation_time {
        out.push(format!("Created {}", c.format("%Y-%m-%d %H:%M %:z")));
    }
    if let Some(c) = o.change_time {
        out.push(format!("Changed {}", c.format("%Y-%m-%d %H:%M %:z")));
    }
    let contact =
        [o.email.as_deref(), o.phone.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
    out.push(format!("Customer {} {contact}", mapping::client_label(o)));
    if let Some(b) = &o.billing_address {
        let ids = [
            b.company_id.as_deref().map(|v| format!("IČ {v}")),
            b.vat_id.as_deref().map(|v| format!("DIČ {v}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        if !ids.is_empty() {
            out.push(ids);
        }
        out.push(format!("Billing  {}", address(b)));
    }
    if let Some(d) = o.delivery_address.as_ref().map(Address::from)
        && o.billing_address.as_ref().is_none_or(|b| !b.same_place(&d))
    {
        out.push(format!("Delivery {}", address(&d)));
    }
    for i in &o.items {
        out.push(format!(
            "  {} × {}{} — {} {}",
            i.quantity().normalize(),
            i.name,
            i.code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(),
            i.item_price.with_vat.map(money).unwrap_or_default(),
            o.price.currency_code
        ));
    }
    let rate = o
        .price
        .exchange_rate
        .filter(|r| *r != rust_decimal::Decimal::ONE)
        .map(|r| format!(", rate {}", r.normalize()))
        .unwrap_or_default();
    out.push(format!(
        "Total {} {} with VAT ({} without){rate}",
        money(o.price.with_vat),
        o.price.currency_code,
        money(o.price.without_vat)
    ));
    if let Some(note) =
        o.notes.as_ref().and_then(|n| n.customer_remark.as_deref()).filter(|n| !n.trim().is_empty())
    {
        out.push(format!("Note: {note}"));
    }
    out
}

fn address(a: &Address) -> String {
    [
        a.company.clone(),
        a.full_name.clone(),
        a.street_line(),
        a.zip.clone(),
        a.city.clone(),
        a.country_code.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

pub(crate) fn plan_lines(o: &Order, ctx: &SyncContext) -> Vec<String> {
    let mut out = Vec::new();
    let steps: Vec<String> = mapping::client_lookup(o, ctx.eshop_id)
        .iter()
        .map(|s| format!("{} {}", super::plan::by_label(s.key_name()), s.value()))
        .collect();
    out.push(format!("Client: look up by {} — else create", steps.join(" → ")));
    match mapping::plan_lines(o, &ctx.settings) {
        Ok(lines) => {
            for l in &lines {
                let product = match (&l.code, l.link_product) {
                    (Some(code), true) => format!("product {code}: find by code or create"),
                    _ => "plain line".to_string(),
                };
                out.push(format!(
                    "  {} × {} at {} + {}% VAT — {product}",
                    l.amount.normalize(),
                    l.name,
                    l.price.round_dp(2),
                    l.vat_rate.normalize()
                ));
            }
            if let Err(e) = mapping::check_totals(o, &lines) {
                out.push(format!("Problem: {e}"));
            }
        }
        Err(e) => out.push(format!("Problem: {e}")),
    }
    out.push(format!(
        "Business case: \"{}\" in {}, with a link to the order in Shoptet",
        ctx.settings.name_template.replace("{code}", &o.code),
        o.price.currency_code
    ));
    out
}
