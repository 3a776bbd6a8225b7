//! Why an order waits, in Czech and English: renders a [`Reason`] the engine stored. Every
//! variant has both languages in one `match` (a new variant does not compile without them).
//! The dashboard and the CLI (`--lang`) share it.

use std::fmt::Display;

use chrono::{DateTime, TimeZone, Utc};

use crate::store::{DataProblem, DecisionChoice, Reason};

use super::{Lang, Texts};

/// A time in `tz`, to the second (as the log has always shown times in its messages).
pub(super) fn at<Z: TimeZone>(t: DateTime<Utc>, tz: &Z) -> String
where
    Z::Offset: Display,
{
    t.with_timezone(tz).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Czech plural: `one` for 1, `few` for 2–4, `many` otherwise.
pub(super) fn cs_plural<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match n {
        1 => one,
        2..=4 => few,
        _ => many,
    }
}

impl Texts {
    /// Why an order failed, waits or was skipped, in this language; times in `tz`.
    pub fn reason<Z: TimeZone>(&self, r: &Reason, tz: &Z) -> String
    where
        Z::Offset: Display,
    {
        match r {
            Reason::CredentialsRejected { .. }
            | Reason::RateLimited { .. }
            | Reason::Unreachable { .. }
            | Reason::Unavailable { .. }
            | Reason::UnreadableAnswer { .. }
            | Reason::Refused { .. }
            | Reason::NotFound { .. } => self.service_reason(r, tz),
            Reason::CurrencyMissing { .. }
            | Reason::OrderData { .. }
            | Reason::AmountsTooLarge
            | Reason::TotalsMismatch { .. } => self.data_reason(r),
            Reason::Ambiguous { by, candidates } => self.ambiguous(by, candidates),
            Reason::Decided { choice } => match (self.lang, choice) {
                (Lang::Cs, DecisionChoice::Existing(id)) => format!("vybrán klient #{id}"),
                (Lang::En, DecisionChoice::Existing(id)) => format!("client #{id} chosen"),
                (Lang::Cs, DecisionChoice::CreateNew) => "rozhodnuto založit nového klienta".into(),
                (Lang::En, DecisionChoice::CreateNew) => "decided to create a new client".into(),
            },
            Reason::Skipped { note: Some(note) } => note.clone(),
            Reason::Skipped { note: None } => self.skipped_by_hand().into(),
            Reason::Configuration { issue } => match self.lang {
                Lang::Cs => format!("nastavení: {}", self.config_issue(issue)),
                Lang::En => format!("configuration: {}", self.config_issue(issue)),
            },
            Reason::Internal { detail } => match self.lang {
                Lang::Cs => format!("místní záznam: {detail}"),
                Lang::En => format!("local store: {detail}"),
            },
            Reason::Legacy { text } => text.clone(),
        }
    }

    pub(super) fn skipped_by_hand(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "přeskočeno ručně",
            Lang::En => "skipped by hand",
        }
    }

    /// What a service did or did not answer (`reason` hands only those over).
    fn service_reason<Z: TimeZone>(&self, r: &Reason, tz: &Z) -> String
    where
        Z::Offset: Display,
    {
        let cs = self.lang == Lang::Cs;
        let said =
            |message: &str| if message.trim().is_empty() { String::new() } else { format!(": {message}") };
        match r {
            Reason::CredentialsRejected { service } if cs => {
                format!("{service} odmítl přihlašovací údaje — opravte je v nastavení")
            }
            Reason::CredentialsRejected { service } => {
                format!("{service} rejected the credentials — fix them in the configuration")
            }
            Reason::RateLimited { service, until } => match (cs, until) {
                (true, Some(t)) => format!("{service} omezil počet požadavků; znovu po {}", at(*t, tz)),
                (true, None) => format!("{service} omezil počet požadavků"),
                (false, Some(t)) => format!("{service} limits the requests; again after {}", at(*t, tz)),
                (false, None) => format!("{service} limits the requests"),
            },
            Reason::Unreachable { service, request } if cs => {
                format!("{service} neodpověděl (chyba sítě nebo vypršel čas) — {request}")
            }
            Reason::Unreachable { service, request } => {
                format!("{service} did not answer (network error or timeout) — {request}")
            }
            Reason::Unavailable { service, request, status, message } if cs => {
                format!("{service} nedostupný (HTTP {status}){} — {request}", said(message))
            }
            Reason::Unavailable { service, request, status, message } => {
                format!("{service} unavailable (HTTP {status}){} — {request}", said(message))
            }
            Reason::UnreadableAnswer { service, request, status } if cs => {
                format!("{service} odpověděl jinak než očekávaným JSONem (HTTP {status}) — {request}")
            }
            Reason::UnreadableAnswer { service, request, status } => {
                format!(
                    "{service} answered with something other than the JSON we expect (HTTP {status}) — {request}"
                )
            }
            Reason::Refused { service, request, status, message, vendor_code } => {
                let status = status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
                let code = vendor_code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default();
                let verb = if cs { "odmítl" } else { "refused" };
                format!("{service} {verb}{status}{}{code} — {request}", said(message))
            }
            Reason::NotFound { service, request, message } => {
                let missing = if cs { "nenalezeno" } else { "not found" };
                format!("{service}: {missing} (HTTP 404){} — {request}", said(message))
            }
            other => other.code().to_string(),
        }
    }

    /// What is wrong with the order's data, or its currency (`reason` hands only those over).
    fn data_reason(&self, r: &Reason) -> String {
        let cs = self.lang == Lang::Cs;
        let prefix = if cs { "údaje objednávky: " } else { "order data: " };
        match r {
            Reason::CurrencyMissing { iso } if cs => format!(
                "objednávka je v měně {iso}, kterou RAYNET nezná — přidejte {iso} v RAYNETu \
                 (Nastavení → Měny) a zkuste to znovu"
            ),
            Reason::CurrencyMissing { iso } => format!(
                "the order is in {iso}, which is not a currency in RAYNET — add {iso} in RAYNET \
                 (Nastavení → Měny) and retry"
            ),
            Reason::OrderData { item, field, problem } => {
                let item = match item {
                    Some(n) if cs => format!("položka č. {n}: "),
                    Some(n) => format!("item #{n}: "),
                    None => String::new(),
                };
                format!("{prefix}{item}{}", self.data_problem(field, *problem))
            }
            Reason::AmountsTooLarge if cs => format!("{prefix}částky jsou příliš velké na výpočet"),
            Reason::AmountsTooLarge => format!("{prefix}the amounts are too large to compute with"),
            Reason::TotalsMismatch { with_vat, expected, got } => {
                let (e, g) = (crate::money::money(*expected), crate::money::money(*got));
                match (cs, with_vat) {
                    (true, true) => {
                        format!("{prefix}součty s DPH nesedí: objednávka uvádí {e}, položky dávají {g}")
                    }
                    (true, false) => {
                        format!("{prefix}součty bez DPH nesedí: objednávka uvádí {e}, položky dávají {g}")
                    }
                    (false, true) => {
                        format!(
                            "{prefix}the totals with VAT do not add up: the order says {e}, its items give {g}"
                        )
                    }
                    (false, false) => format!(
                        "{prefix}the totals without VAT do not add up: the order says {e}, its items give {g}"
                    ),
                }
            }
            other => other.code().to_string(),
        }
    }

    fn data_problem(&self, field: &str, problem: DataProblem) -> String {
        match (self.lang, problem) {
            (Lang::Cs, DataProblem::Missing) => format!("chybí {field}"),
            (Lang::En, DataProblem::Missing) => format!("the order has no {field}"),
            (Lang::Cs, DataProblem::NoPrice) => {
                format!("{field} nemá použitelnou cenu (withoutVat i withVat chybí nebo jsou příliš velké)")
            }
            (Lang::En, DataProblem::NoPrice) => {
                format!("{field} has no usable price (withoutVat and withVat are null or too large)")
            }
            (Lang::Cs, DataProblem::NegativeVatRate) => format!("{field}.vatRate je záporná"),
            (Lang::En, DataProblem::NegativeVatRate) => format!("{field}.vatRate is negative"),
            (Lang::Cs, DataProblem::MissingVatRate) => format!("chybí {field}.vatRate"),
            (Lang::En, DataProblem::MissingVatRate) => format!("{field}.vatRate is missing"),
            (Lang::Cs, DataProblem::PriceWithoutAmount) => "množství je 0, ale řádek má cenu".into(),
            (Lang::En, DataProblem::PriceWithoutAmount) => "the amount is 0 but the line has a price".into(),
            (Lang::Cs, DataProblem::Indivisible) => "cenu řádku nelze vydělit jeho množstvím".into(),
            (Lang::En, DataProblem::Indivisible) => "the line price cannot be divided by its amount".into(),
        }
    }

    /// "2 RAYNET clients match by e-mail: … — choose one or create a new client".
    fn ambiguous(&self, by: &str, candidates: &[String]) -> String {
        let n = candidates.len() as u64;
        let names = candidates.join(", ");
        match self.lang {
            Lang::Cs => format!(
                "{n} {} podle {}: {names} — vyberte jednoho, nebo založte nového",
                cs_plural(
                    n,
                    "klient v RAYNETu odpovídá",
                    "klienti v RAYNETu odpovídají",
                    "klientů v RAYNETu odpovídá"
                ),
                self.match_key(by)
            ),
            Lang::En => {
                format!(
                    "{n} RAYNET clients match by {}: {names} — choose one or create a new client",
                    self.match_key(by)
                )
            }
        }
    }

    /// The key a RAYNET record was matched by (`reg_number`, `email`, …), as it follows
    /// "by" / "podle".
    pub fn match_key(&self, key: &str) -> String {
        let cs = self.lang == Lang::Cs;
        match key {
            "ext_id" => "extId",
            "reg_number" => "IČ",
            "email" if cs => "e-mailu",
            "email" => "e-mail",
            "name" if cs => "názvu",
            "name" => "name",
            "code" if cs => "kódu",
            "code" => "code",
            "decision" if cs => "vašeho rozhodnutí",
            "decision" => "your decision",
            other => other,
        }
        .to_string()
    }
}
