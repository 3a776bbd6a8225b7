//! The words the plan's sentences share: match keys, records, problems, line kinds.

use crate::engine::plan::{Action, Entity, NotLinked, Target};
use crate::mapping::LineKind;
use crate::mapping::matching::MatchKey;
use crate::store::Reason;
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

/// Why the plan could not be made (the reasons' words; times in UTC).
pub fn problem(p: &Reason, lang: Lang) -> String {
    lang.texts().reason(p, &chrono::Utc)
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
