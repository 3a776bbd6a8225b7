//! The words the plan's sentences share: match keys, records, problems, line kinds.

use crate::engine::plan::{Action, Entity, NotLinked, OrderDataProblem, PlanProblem, Target};
use crate::mapping::LineKind;
use crate::mapping::matching::MatchKey;
use crate::tui::i18n::Lang;

/// Whether the sentences are Czech.
pub(super) fn cs(lang: Lang) -> bool {
    lang == Lang::Cs
}

/// What a record was matched by, as it follows "by" / "podle".
pub fn match_key(k: MatchKey, lang: Lang) -> &'static str {
    match (k, cs(lang)) {
        (MatchKey::ExtId, _) => "extId",
        (MatchKey::RegNumber, _) => "IČ",
        (MatchKey::Email, false) => "e-mail",
        (MatchKey::Email, true) => "e-mailu",
        (MatchKey::Name, false) => "name",
        (MatchKey::Name, true) => "jména",
        (MatchKey::Code, false) => "code",
        (MatchKey::Code, true) => "kódu",
        (MatchKey::Decision, false) => "your decision",
        (MatchKey::Decision, true) => "vašeho rozhodnutí",
    }
}

/// A record the plan acts on: `#id`, or one the plan creates.
pub(super) fn target(t: Target, lang: Lang) -> String {
    match t {
        Target::Id(id) => format!("#{id}"),
        Target::New(_) if cs(lang) => "(nový)".into(),
        Target::New(_) => "(new)".into(),
    }
}

/// A RAYNET record type by name ("business case", "obchodní případ").
pub fn record_name(e: Entity, lang: Lang) -> &'static str {
    match (e, cs(lang)) {
        (Entity::Company, false) => "client",
        (Entity::Product, false) => "product",
        (Entity::BusinessCase, false) => "business case",
        (Entity::Company, true) => "klient",
        (Entity::Product, true) => "produkt",
        (Entity::BusinessCase, true) => "obchodní případ",
    }
}

/// A RAYNET record type, as "of a …" / "… {genitive}" needs it.
pub(super) fn entity_of(e: Entity, lang: Lang) -> &'static str {
    match (e, cs(lang)) {
        (Entity::Company, false) => "client",
        (Entity::Product, false) => "product",
        (Entity::BusinessCase, false) => "business case",
        (Entity::Company, true) => "klienta",
        (Entity::Product, true) => "produktu",
        (Entity::BusinessCase, true) => "obchodního případu",
    }
}

/// Czech plural: 1 řádek, 2–4 řádky, 5 řádků.
pub(super) fn plural_cs(n: usize, one: &str, few: &str, many: &str) -> String {
    let word = match n {
        1 => one,
        2..=4 => few,
        _ => many,
    };
    format!("{n} {word}")
}

pub(super) fn writes_heading(lang: Lang) -> &'static str {
    if cs(lang) { "Zápisy do RAYNETu:" } else { "Writes to RAYNET:" }
}

/// Why the plan could not be made.
pub fn problem(p: &PlanProblem, lang: Lang) -> String {
    match p {
        PlanProblem::OrderData(d) => order_data(d, lang),
        PlanProblem::UnknownCurrency { currency } if cs(lang) => format!(
            "objednávka je v {currency}, což v RAYNETu není měna — přidejte {currency} v RAYNETu (Nastavení → Měny) a zkuste znovu"
        ),
        PlanProblem::UnknownCurrency { currency } => format!(
            "the order is in {currency}, which is not a currency in RAYNET — add {currency} in RAYNET (Nastavení → Měny) and retry"
        ),
        PlanProblem::Lookup { message } => message.clone(),
    }
}

fn order_data(d: &OrderDataProblem, lang: Lang) -> String {
    match (d, cs(lang)) {
        (OrderDataProblem::TotalsMismatch { with_vat, expected, got }, false) => format!(
            "order totals do not add up {}: the order says {expected}, its items give {got} (difference too large to be rounding)",
            if *with_vat { "with VAT" } else { "without VAT" }
        ),
        (OrderDataProblem::TotalsMismatch { with_vat, expected, got }, true) => format!(
            "součty objednávky nesedí {}: objednávka uvádí {expected}, položky dávají {got} (rozdíl je na zaokrouhlení příliš velký)",
            if *with_vat { "s DPH" } else { "bez DPH" }
        ),
        (OrderDataProblem::MissingField { field }, false) => format!("the order has no {field}"),
        (OrderDataProblem::MissingField { field }, true) => format!("v objednávce chybí {field}"),
        (OrderDataProblem::InvalidItem { index, reason }, false) => {
            format!("order item #{} is not usable: {reason}", index + 1)
        }
        (OrderDataProblem::InvalidItem { index, reason }, true) => {
            format!("položku objednávky č. {} nelze použít: {reason}", index + 1)
        }
        (OrderDataProblem::TooLarge { what }, false) => {
            format!("the order's amounts are too large to compute {what} (bad order data)")
        }
        (OrderDataProblem::TooLarge { what }, true) => {
            format!("částky objednávky jsou pro výpočet ({what}) příliš velké (chybná data objednávky)")
        }
    }
}

pub(super) fn line_kind(k: LineKind, lang: Lang) -> &'static str {
    match (k, cs(lang)) {
        (LineKind::Product, false) => "product",
        (LineKind::Shipping, false) => "shipping",
        (LineKind::Payment, false) => "payment",
        (LineKind::Discount, false) => "discount",
        (LineKind::Rounding, false) => "rounding",
        (LineKind::Other, false) => "other",
        (LineKind::Product, true) => "produkt",
        (LineKind::Shipping, true) => "doprava",
        (LineKind::Payment, true) => "platba",
        (LineKind::Discount, true) => "sleva",
        (LineKind::Rounding, true) => "zaokrouhl.",
        (LineKind::Other, true) => "jiné",
    }
}

pub(super) fn not_linked(n: NotLinked, currency: &str, lang: Lang) -> String {
    let kind = |k| line_kind(k, lang).to_string();
    match (n, cs(lang)) {
        (NotLinked::Shipping, _) => kind(LineKind::Shipping),
        (NotLinked::Payment, _) => kind(LineKind::Payment),
        (NotLinked::Discount, _) => kind(LineKind::Discount),
        (NotLinked::Rounding, _) => kind(LineKind::Rounding),
        (NotLinked::Other, _) => kind(LineKind::Other),
        (NotLinked::ForeignCurrency, false) => format!("order in {currency}"),
        (NotLinked::ForeignCurrency, true) => format!("objednávka v {currency}"),
        (NotLinked::NoCode, false) => "no product code".into(),
        (NotLinked::NoCode, true) => "bez kódu produktu".into(),
    }
}

pub(super) fn action(a: Action, lang: Lang) -> &'static str {
    match (a, cs(lang)) {
        (Action::Create, false) => "create",
        (Action::Update, false) => "update",
        (Action::Cancel, false) => "cancel",
        (Action::Unchanged, false) => "unchanged",
        (Action::Pending, false) => "pending",
        (Action::OutOfScope, false) => "out of scope",
        (Action::Create, true) => "založit",
        (Action::Update, true) => "aktualizovat",
        (Action::Cancel, true) => "stornovat",
        (Action::Unchanged, true) => "beze změny",
        (Action::Pending, true) => "čeká",
        (Action::OutOfScope, true) => "mimo rozsah",
    }
}
