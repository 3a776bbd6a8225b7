//! The order as read from Shoptet, and the preview of its plan before it is worked.

use crate::engine::detail::{Preview, ShoptetBlock, ShoptetView};
use crate::money::money;
use crate::tui::i18n::Lang;

use super::words::{cs, match_key, problem};

/// The Shoptet part of an order detail, one line each.
pub fn shoptet(view: &ShoptetView, lang: Lang) -> Vec<String> {
    match view {
        ShoptetView::Lines(lines) => lines.clone(),
        ShoptetView::Order(block) => block_lines(block, lang),
    }
}

fn block_lines(o: &ShoptetBlock, lang: Lang) -> Vec<String> {
    let cz = cs(lang);
    let mut out = Vec::new();
    let status = o.status.as_ref().map(|s| format!("{} ({})", s.name, s.id)).unwrap_or_default();
    out.push(format!("{} {} — {status}", if cz { "Objednávka" } else { "Order" }, o.code));
    let time = |t: chrono::DateTime<chrono::FixedOffset>| t.format("%Y-%m-%d %H:%M %:z").to_string();
    if let Some(c) = o.created {
        out.push(format!("{} {}", if cz { "Vytvořena" } else { "Created" }, time(c)));
    }
    if let Some(c) = o.changed {
        out.push(format!("{} {}", if cz { "Změněna" } else { "Changed" }, time(c)));
    }
    let contact =
        [o.email.as_deref(), o.phone.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
    out.push(format!("{} {} {contact}", if cz { "Zákazník" } else { "Customer" }, o.customer));
    let ids =
        [o.reg_number.as_deref().map(|v| format!("IČ {v}")), o.vat_id.as_deref().map(|v| format!("DIČ {v}"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
    if !ids.is_empty() {
        out.push(ids);
    }
    if let Some(b) = &o.billing {
        out.push(format!("{} {b}", if cz { "Fakturační adresa" } else { "Billing " }));
    }
    if let Some(d) = &o.delivery {
        out.push(format!("{} {d}", if cz { "Dodací adresa" } else { "Delivery" }));
    }
    for i in &o.items {
        out.push(format!(
            "  {} × {}{} — {} {}",
            i.amount.normalize(),
            i.name,
            i.code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(),
            i.with_vat.map(money).unwrap_or_default(),
            o.currency
        ));
    }
    let rate = o
        .exchange_rate
        .map(|r| format!(", {} {}", if cz { "kurz" } else { "rate" }, r.normalize()))
        .unwrap_or_default();
    let (with, without) = (money(o.total_with_vat), money(o.total_without_vat));
    out.push(if cz {
        format!("Celkem {with} {} s DPH ({without} bez DPH){rate}", o.currency)
    } else {
        format!("Total {with} {} with VAT ({without} without){rate}", o.currency)
    });
    if let Some(note) = &o.note {
        out.push(format!("{}: {note}", if cz { "Poznámka" } else { "Note" }));
    }
    out
}

/// The plan of an order not worked yet, as far as the mapping knows it.
pub fn preview(p: &Preview, lang: Lang) -> Vec<String> {
    let cz = cs(lang);
    let mut out = Vec::new();
    let steps: Vec<String> = p.lookup.iter().map(|(k, v)| format!("{} {v}", match_key(*k, lang))).collect();
    out.push(if cz {
        format!("Klient: hledat podle {} — jinak založit", steps.join(" → "))
    } else {
        format!("Client: look up by {} — else create", steps.join(" → "))
    });
    for l in &p.lines {
        let product = match (&l.product, cz) {
            (Some(code), false) => format!("product {code}: find by code or create"),
            (Some(code), true) => format!("produkt {code}: najít podle kódu, nebo založit"),
            (None, false) => "plain line".to_string(),
            (None, true) => "prostý řádek".to_string(),
        };
        out.push(if cz {
            format!("  {} × {} za {} + {} % DPH — {product}", l.amount, l.name, l.price, l.vat_rate)
        } else {
            format!("  {} × {} at {} + {}% VAT — {product}", l.amount, l.name, l.price, l.vat_rate)
        });
    }
    if let Some(pr) = &p.problem {
        out.push(format!("{}: {}", if cz { "Problém" } else { "Problem" }, problem(pr, lang)));
    }
    out.push(if cz {
        format!("Obchodní případ: „{}“ v {}, s odkazem na objednávku v Shoptetu", p.case_name, p.currency)
    } else {
        format!("Business case: \"{}\" in {}, with a link to the order in Shoptet", p.case_name, p.currency)
    });
    out
}
