//! A whole order plan as `sync --once --dry-run` prints it.

use crate::engine::plan::{CaseAction, ClientPlan, LineView, OrderPlan, ProductPlan};
use crate::tui::i18n::Lang;

use super::steps::write;
use super::words::{action, cs, line_kind, match_key, not_linked, problem, writes_heading};

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).chain(['…']).collect() }
}

fn client(c: &ClientPlan, lang: Lang) -> String {
    let cz = cs(lang);
    match c {
        ClientPlan::Known { raynet_id, label, matched_by, .. } => match (matched_by, cz) {
            (Some(by), false) => {
                format!("known client {label} (RAYNET #{raynet_id}, matched by {})", match_key(*by, lang))
            }
            (None, false) => format!("known client {label} (RAYNET #{raynet_id})"),
            (Some(by), true) => {
                format!("známý klient {label} (RAYNET #{raynet_id}, spárován podle {})", match_key(*by, lang))
            }
            (None, true) => format!("známý klient {label} (RAYNET #{raynet_id})"),
        },
        ClientPlan::Matched { raynet_id, name, matched_by } => {
            let by = match_key(*matched_by, lang);
            if cz {
                format!("spárován podle {by} → {name} (RAYNET #{raynet_id})")
            } else {
                format!("matched by {by} → {name} (RAYNET #{raynet_id})")
            }
        }
        ClientPlan::Create { name, person } => match (person, cz) {
            (true, false) => format!("will create person {name}"),
            (false, false) => format!("will create company {name}"),
            (true, true) => format!("založí se osoba {name}"),
            (false, true) => format!("založí se firma {name}"),
        },
        ClientPlan::Ambiguous { matched_by, candidates } => {
            let names: Vec<String> =
                candidates.iter().map(|c| format!("{} (#{})", c.name, c.raynet_id)).collect();
            let by = match_key(*matched_by, lang);
            if cz {
                format!("NEJEDNOZNAČNÝ podle {by}: {} — čeká na rozhodnutí", names.join(", "))
            } else {
                format!("AMBIGUOUS by {by}: {} — needs a decision", names.join(", "))
            }
        }
        ClientPlan::Unchanged { raynet_id } => match (raynet_id, cz) {
            (Some(id), false) => format!("unchanged (RAYNET #{id})"),
            (None, false) => "unchanged".into(),
            (Some(id), true) => format!("beze změny (RAYNET #{id})"),
            (None, true) => "beze změny".into(),
        },
    }
}

fn product(p: &ProductPlan, currency: &str, lang: Lang) -> String {
    let cz = cs(lang);
    match p {
        ProductPlan::Known { raynet_id } => {
            format!("{} #{raynet_id}", if cz { "produkt" } else { "product" })
        }
        ProductPlan::Matched { raynet_id, matched_by } => {
            let by = match_key(*matched_by, lang);
            if cz {
                format!("spárován podle {by} → produkt #{raynet_id}")
            } else {
                format!("matched by {by} → product #{raynet_id}")
            }
        }
        ProductPlan::Create if cz => "založí se produkt".into(),
        ProductPlan::Create => "will create product".into(),
        ProductPlan::Finish { raynet_id } if cz => {
            format!("produkt #{raynet_id} (založen před přerušením, dokončí se)")
        }
        ProductPlan::Finish { raynet_id } => {
            format!("product #{raynet_id} (created before an interruption; finished)")
        }
        ProductPlan::NotLinked { why } if cz => {
            format!("prostý řádek ({})", not_linked(*why, currency, lang))
        }
        ProductPlan::NotLinked { why } => format!("plain line ({})", not_linked(*why, currency, lang)),
        ProductPlan::Waiting if cz => "až po rozhodnutí o klientovi".into(),
        ProductPlan::Waiting => "once the client is decided".into(),
    }
}

fn case(c: &CaseAction, lang: Lang) -> String {
    match (c, cs(lang)) {
        (CaseAction::Create { name }, false) => format!("will create \"{name}\""),
        (CaseAction::Create { name }, true) => format!("založí se „{name}“"),
        (CaseAction::Resume { raynet_id, found_by }, false) => format!(
            "#{raynet_id}, created before an interruption (found by {}): brought up to date",
            match_key(*found_by, lang)
        ),
        (CaseAction::Resume { raynet_id, found_by }, true) => format!(
            "#{raynet_id}, založen před přerušením (nalezen podle {}): uvede se do souladu",
            match_key(*found_by, lang)
        ),
        (CaseAction::Update { raynet_id, fields, kept, edited, added, removed }, false) => format!(
            "update #{raynet_id}: lines {kept} kept, {edited} edited, {added} added, {removed} removed{}",
            if *fields { "; case fields change" } else { "" }
        ),
        (CaseAction::Update { raynet_id, fields, kept, edited, added, removed }, true) => format!(
            "aktualizace #{raynet_id}: řádky beze změny {kept}, upraveno {edited}, přidáno {added}, odebráno {removed}{}",
            if *fields { "; mění se údaje případu" } else { "" }
        ),
        (CaseAction::Cancel { raynet_id, .. }, false) => format!("#{raynet_id} moves to the storno phase"),
        (CaseAction::Cancel { raynet_id, .. }, true) => format!("#{raynet_id} se přesune do fáze storno"),
    }
}

fn line(v: &LineView, currency: &str, lang: Lang) -> String {
    let l = &v.line;
    format!(
        "  {:<10} {:<18} {} × {} = {} ({}{}% {}) — {}",
        line_kind(l.kind, lang),
        truncate(&l.name, 18),
        l.amount.normalize(),
        l.price.round_dp(2),
        l.total_without_vat,
        l.vat_rate.normalize(),
        if cs(lang) { " " } else { "" },
        if cs(lang) { "DPH" } else { "VAT" },
        product(&v.product, currency, lang)
    )
}

/// The plan of one order, one line each, ending with a newline.
pub fn order_plan(p: &OrderPlan, lang: Lang) -> String {
    let cz = cs(lang);
    let mut out = vec![format!(
        "{} {} — {} [{}] → {}",
        if cz { "Objednávka" } else { "Order" },
        p.code,
        p.customer,
        p.status.as_deref().unwrap_or("?"),
        action(p.action, lang)
    )];
    if let Some(pr) = &p.problem {
        out.push(format!("  {}: {}", if cz { "problém" } else { "problem" }, problem(pr, lang)));
    }
    if let Some(c) = &p.client {
        out.push(format!("  {}: {}", if cz { "klient" } else { "client" }, client(c, lang)));
    }
    let case_word = if cz { "obchodní případ" } else { "business case" };
    if let Some(id) = p.business_case_id {
        out.push(format!("  {case_word}: RAYNET #{id}"));
    }
    if let Some(c) = &p.case {
        out.push(format!("  {case_word}: {}", case(c, lang)));
    }
    out.extend(p.lines.iter().map(|l| line(l, &p.currency, lang)));
    let rate =
        p.exchange_rate.map(|r| format!(", {} {r}", if cz { "kurz" } else { "rate" })).unwrap_or_default();
    out.push(if cz {
        format!("  celkem: {} {} bez DPH, {} s DPH{rate}", p.total_without_vat, p.currency, p.total_with_vat)
    } else {
        format!(
            "  total: {} {} without VAT, {} with VAT{rate}",
            p.total_without_vat, p.currency, p.total_with_vat
        )
    });
    let writes = p.writes();
    if !writes.is_empty() {
        out.push(format!("  {}", writes_heading(lang)));
        out.extend(writes.iter().enumerate().map(|(i, w)| format!("    {}. {}", i + 1, write(w, lang))));
    }
    out.join("\n") + "\n"
}
