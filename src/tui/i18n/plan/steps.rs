//! What was done (the plan's reports) and the writes a plan lists, as sentences.

use crate::engine::plan::{Entity, Named, Report, Target, WriteOp};
use crate::money::money;
use crate::tui::i18n::Lang;

use super::words::{cs, entity_of, match_key, plural_cs, target};

fn names(candidates: &[Named]) -> String {
    candidates.iter().map(|c| format!("{} (#{})", c.name, c.raynet_id)).collect::<Vec<_>>().join(", ")
}

/// One thing done, e.g. "Client: created company Pražírna Vltava s.r.o. (RAYNET #101)".
pub fn report(r: &Report, lang: Lang) -> String {
    if cs(lang) { report_cs(r) } else { report_en(r) }
}

fn report_en(r: &Report) -> String {
    let lang = Lang::En;
    match r {
        Report::ClientGone { raynet_id } => {
            format!("Client #{raynet_id} no longer exists in RAYNET (merged or deleted): looked up again")
        }
        Report::ClientKnown { raynet_id, label } => {
            format!("Client: {label} (RAYNET #{raynet_id}), known from an earlier order")
        }
        Report::ClientMatched { raynet_id, name, matched_by } => {
            format!("Client: matched by {} → {name} (RAYNET #{raynet_id})", match_key(*matched_by, lang))
        }
        Report::ClientResumed { raynet_id, name } => {
            format!("Client: {name} (RAYNET #{raynet_id}) created (finished after an interruption)")
        }
        Report::ClientCreated { raynet_id, name, person, contact_address } => format!(
            "Client: created {} {name} (RAYNET {}){}",
            if *person { "person" } else { "company" },
            target(*raynet_id, lang),
            if *contact_address { " with a contact address" } else { "" }
        ),
        Report::ClientAmbiguous { matched_by, candidates } => format!(
            "Client: ambiguous — {} RAYNET clients match by {}: {} — choose one or create a new client",
            candidates.len(),
            match_key(*matched_by, lang),
            names(candidates)
        ),
        Report::ProductKnown { code, raynet_id } => format!("Product {code}: RAYNET #{raynet_id} (known)"),
        Report::ProductMatched { code, raynet_id } => {
            format!("Product {code}: matched by code → RAYNET #{raynet_id}")
        }
        Report::ProductCreated { code, raynet_id } => {
            format!("Product {code}: created RAYNET {}", target(*raynet_id, lang))
        }
        Report::CaseCreated { raynet_id, name, lines, total_without_vat, currency } => format!(
            "Business case {}: created \"{name}\", {lines} lines, {} {currency} without VAT, with the order link",
            target(*raynet_id, lang),
            money(*total_without_vat)
        ),
        Report::CaseResumed { raynet_id, name, lines, total_without_vat, currency } => format!(
            "Business case #{raynet_id}: found by extId (created before an interruption) \"{name}\", {lines} lines, {} {currency} without VAT, with the order link",
            money(*total_without_vat)
        ),
        Report::CaseFoundByName { raynet_id } => {
            format!("Business case #{raynet_id}: found by name and client after an interruption")
        }
        Report::CaseLines { raynet_id, kept, edited, added, removed, .. } => format!(
            "Lines of business case #{raynet_id}: {kept} kept, {edited} edited in place, {added} added, {removed} removed"
        ),
        Report::CaseUpdated { raynet_id } => {
            format!("Business case #{raynet_id}: updated from the changed order (client unchanged)")
        }
        Report::CaseCancelled { raynet_id } => {
            format!("Business case #{raynet_id}: moved to the storno phase")
        }
    }
}

fn report_cs(r: &Report) -> String {
    let lang = Lang::Cs;
    match r {
        Report::ClientGone { raynet_id } => {
            format!("Klient #{raynet_id} už v RAYNETu není (sloučen nebo smazán): hledá se znovu")
        }
        Report::ClientKnown { raynet_id, label } => {
            format!("Klient: {label} (RAYNET #{raynet_id}), známý z dřívější objednávky")
        }
        Report::ClientMatched { raynet_id, name, matched_by } => {
            format!("Klient: spárován podle {} → {name} (RAYNET #{raynet_id})", match_key(*matched_by, lang))
        }
        Report::ClientResumed { raynet_id, name } => {
            format!("Klient: {name} (RAYNET #{raynet_id}) založen (dokončeno po přerušení)")
        }
        Report::ClientCreated { raynet_id, name, person, contact_address } => format!(
            "Klient: založen{} {name} (RAYNET {}){}",
            if *person { "a osoba" } else { "a firma" },
            target(*raynet_id, lang),
            if *contact_address { " s kontaktní adresou" } else { "" }
        ),
        Report::ClientAmbiguous { matched_by, candidates } => format!(
            "Klient: nejednoznačný — podle {} odpovídají {} v RAYNETu: {} — vyberte jednoho, nebo založte nového",
            match_key(*matched_by, lang),
            plural_cs(candidates.len(), "klient", "klienti", "klientů"),
            names(candidates)
        ),
        Report::ProductKnown { code, raynet_id } => format!("Produkt {code}: RAYNET #{raynet_id} (známý)"),
        Report::ProductMatched { code, raynet_id } => {
            format!("Produkt {code}: spárován podle kódu → RAYNET #{raynet_id}")
        }
        Report::ProductCreated { code, raynet_id } => {
            format!("Produkt {code}: založen RAYNET {}", target(*raynet_id, lang))
        }
        Report::CaseCreated { raynet_id, name, lines, total_without_vat, currency } => format!(
            "Obchodní případ {}: založen „{name}“, {}, {} {currency} bez DPH, s odkazem na objednávku",
            target(*raynet_id, lang),
            plural_cs(*lines, "řádek", "řádky", "řádků"),
            money(*total_without_vat)
        ),
        Report::CaseResumed { raynet_id, name, lines, total_without_vat, currency } => format!(
            "Obchodní případ #{raynet_id}: nalezen podle extId (založen před přerušením) „{name}“, {}, {} {currency} bez DPH, s odkazem na objednávku",
            plural_cs(*lines, "řádek", "řádky", "řádků"),
            money(*total_without_vat)
        ),
        Report::CaseFoundByName { raynet_id } => {
            format!("Obchodní případ #{raynet_id}: po přerušení nalezen podle názvu a klienta")
        }
        Report::CaseLines { raynet_id, kept, edited, added, removed, .. } => format!(
            "Řádky obchodního případu #{raynet_id}: beze změny {kept}, upraveno na místě {edited}, přidáno {added}, odebráno {removed}"
        ),
        Report::CaseUpdated { raynet_id } => {
            format!("Obchodní případ #{raynet_id}: aktualizován podle změněné objednávky (klient beze změny)")
        }
        Report::CaseCancelled { raynet_id } => {
            format!("Obchodní případ #{raynet_id}: přesunut do fáze storno")
        }
    }
}

/// One write, e.g. "create client Pražírna Vltava s.r.o. — PUT /company/".
pub fn write(w: &WriteOp, lang: Lang) -> String {
    let (method, path) = w.request();
    let path = if cs(lang) { path.replace("{new}", "{nový}") } else { path };
    format!("{} — {method} {path}", if cs(lang) { write_cs(w) } else { write_en(w) })
}

fn link_of(e: Entity, lang: Lang) -> &'static str {
    match (e, cs(lang)) {
        (Entity::Product, false) => "the shop link",
        (Entity::Product, true) => "odkaz do e-shopu",
        (_, false) => "the order link",
        (_, true) => "odkaz na objednávku",
    }
}

fn write_en(w: &WriteOp) -> String {
    let lang = Lang::En;
    let t = |t: &Target| target(*t, lang);
    match w {
        WriteOp::CreateCompany { name } => format!("create client {name}"),
        WriteOp::AddAddress { company } => format!("add the contact address to client {}", t(company)),
        WriteOp::SetContactAddress { company, .. } => {
            format!("make it the contact address of client {}", t(company))
        }
        WriteOp::SetExtId { entity, target: r } => {
            format!("set the extId of {} {}", entity_of(*entity, lang), t(r))
        }
        WriteOp::VerifyExtId { entity, target: r } => {
            format!(
                "set the extId of {} {} if RAYNET dropped it (checked first)",
                entity_of(*entity, lang),
                t(r)
            )
        }
        WriteOp::CreateProduct { code } => format!("create product {code}"),
        WriteOp::AttachLink { entity, target: r } => {
            format!("attach {} to {} {}", link_of(*entity, lang), entity_of(*entity, lang), t(r))
        }
        WriteOp::CreateBusinessCase { name } => format!("create business case \"{name}\" with its lines"),
        WriteOp::UpdateBusinessCase { id } => format!("change the fields of business case #{id}"),
        WriteOp::EditItem { case, item } => format!("edit line #{item} of business case #{case}"),
        WriteOp::AddItem { case } => format!("add a line to business case #{case}"),
        WriteOp::DeleteItem { case, item } => format!("remove line #{item} of business case #{case}"),
    }
}

fn write_cs(w: &WriteOp) -> String {
    let lang = Lang::Cs;
    let t = |t: &Target| target(*t, lang);
    match w {
        WriteOp::CreateCompany { name } => format!("založit klienta {name}"),
        WriteOp::AddAddress { company } => format!("přidat kontaktní adresu klientovi {}", t(company)),
        WriteOp::SetContactAddress { company, .. } => {
            format!("nastavit ji jako kontaktní adresu klienta {}", t(company))
        }
        WriteOp::SetExtId { entity, target: r } => {
            format!("zapsat extId {} {}", entity_of(*entity, lang), t(r))
        }
        WriteOp::VerifyExtId { entity, target: r } => format!(
            "zapsat extId {} {}, pokud ho RAYNET nepřevzal (nejdřív se ověří)",
            entity_of(*entity, lang),
            t(r)
        ),
        WriteOp::CreateProduct { code } => format!("založit produkt {code}"),
        WriteOp::AttachLink { entity, target: r } => {
            format!("připojit {} k {} {}", link_of(*entity, lang), dative(*entity), t(r))
        }
        WriteOp::CreateBusinessCase { name } => format!("založit obchodní případ „{name}“ s jeho řádky"),
        WriteOp::UpdateBusinessCase { id } => format!("změnit údaje obchodního případu #{id}"),
        WriteOp::EditItem { case, item } => format!("upravit řádek #{item} obchodního případu #{case}"),
        WriteOp::AddItem { case } => format!("přidat řádek do obchodního případu #{case}"),
        WriteOp::DeleteItem { case, item } => format!("odebrat řádek #{item} obchodního případu #{case}"),
    }
}

fn dative(e: Entity) -> &'static str {
    match e {
        Entity::Company => "klientovi",
        Entity::Product => "produktu",
        Entity::BusinessCase => "obchodnímu případu",
    }
}
