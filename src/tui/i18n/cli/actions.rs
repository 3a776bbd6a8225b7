//! What the order commands (`retry`, `resync`, `skip`, `unskip`, `resolve`) say and why they
//! refuse, in Czech and English; both languages in one `match` each.

use super::CliTexts;
use crate::tui::i18n::Lang;
use crate::tui::i18n::reasons::cs_plural;

impl CliTexts {
    /// " (business case #42)" after an order's code, or nothing.
    pub fn business_case(&self, id: Option<i64>) -> String {
        match (id, self.lang) {
            (None, _) => String::new(),
            (Some(id), Lang::Cs) => format!(" (obchodní případ #{id})"),
            (Some(id), Lang::En) => format!(" (business case #{id})"),
        }
    }

    pub fn unknown_order(&self, code: &str) -> String {
        match self.lang {
            Lang::Cs => format!("objednávka {code} v místním záznamu není (viz `orders --search {code}`)"),
            Lang::En => format!("no order {code} in the local record (see `orders --search {code}`)"),
        }
    }

    pub fn retry_all_queued(&self, n: u64) -> String {
        match self.lang {
            Lang::Cs => format!("K okamžitému novému pokusu zařazeno: {}.", self.orders(n)),
            Lang::En => format!("{} queued for an immediate retry.", self.orders(n)),
        }
    }

    pub fn retry_queued(&self, code: &str) -> String {
        match self.lang {
            Lang::Cs => format!("{code}: zařazeno k okamžitému novému pokusu."),
            Lang::En => format!("{code}: queued for an immediate retry."),
        }
    }

    pub fn give_codes(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "zadejte kódy objednávek, nebo --all",
            Lang::En => "give order codes or --all",
        }
    }

    /// Refusals joined, and that nothing changed.
    pub fn nothing_changed(&self, refusals: &[String]) -> String {
        match self.lang {
            Lang::Cs => format!("{}; nic se nezměnilo", refusals.join("; ")),
            Lang::En => format!("{}; nothing was changed", refusals.join("; ")),
        }
    }

    /// `retry` of a synced order; `bc`: [`CliTexts::business_case`].
    pub fn retry_synced(&self, code: &str, bc: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "objednávka {code} je přenesená{bc}: není co zkoušet znovu; `resync {code}` ji načte znovu \
                 a obchodní případ aktualizuje"
            ),
            Lang::En => format!(
                "order {code} is synced{bc}: there is nothing to retry; `resync {code}` fetches it again and \
                 brings its business case up to date"
            ),
        }
    }

    pub fn retry_skipped(&self, code: &str) -> String {
        match self.lang {
            Lang::Cs => format!("objednávka {code} je přeskočená: `unskip {code}` ji znovu zařadí"),
            Lang::En => format!("order {code} is skipped: `unskip {code}` queues it again"),
        }
    }

    pub fn retry_decision(&self, code: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "objednávka {code} čeká na rozhodnutí: `resolve {code} --client ID` nebo `--create` \
                 (kandidáty ukáže `show {code}`)"
            ),
            Lang::En => format!(
                "order {code} waits for a decision: `resolve {code} --client ID` or `--create` \
                 (the candidates: `show {code}`)"
            ),
        }
    }

    pub fn resynced(&self, code: &str) -> String {
        match self.lang {
            Lang::Cs => format!("{code}: načte se znovu a obchodní případ se aktualizuje."),
            Lang::En => format!("{code}: will be fetched again and its business case brought up to date."),
        }
    }

    pub fn skip_synced(&self, code: &str, bc: &str) -> String {
        match self.lang {
            Lang::Cs => {
                format!("objednávka {code} už je přenesená{bc}; přeskočení by ji z RAYNETu neodstranilo")
            }
            Lang::En => {
                format!("order {code} is already synced{bc}; skipping it would not remove it from RAYNET")
            }
        }
    }

    /// `skip` done (`already`: it was skipped before); `why`: the reason in words.
    pub fn skipped(&self, code: &str, why: &str, already: bool) -> String {
        match (self.lang, already) {
            (Lang::Cs, true) => format!("{code}: už přeskočeno ({why}); vrátí to `unskip {code}`."),
            (Lang::Cs, false) => format!("{code}: přeskočeno ({why}); vrátí to `unskip {code}`."),
            (Lang::En, true) => format!("{code}: already skipped ({why}); `unskip {code}` undoes it."),
            (Lang::En, false) => format!("{code}: skipped ({why}); `unskip {code}` undoes it."),
        }
    }

    /// An order not in the state a command needs; `state`: [`CliTexts::state`].
    pub fn not_skipped(&self, code: &str, state: &str) -> String {
        match self.lang {
            Lang::Cs => format!("objednávka {code} není přeskočená (je ve stavu {state})"),
            Lang::En => format!("order {code} is not skipped (it is {state})"),
        }
    }

    pub fn unskipped(&self, code: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "{code}: vráceno a zařazeno; běžící jádro (nebo příští `sync --once`) ji přenese, nebo vrátí \
                 mezi čekající, pokud už není v konečném stavu."
            ),
            Lang::En => format!(
                "{code}: unskipped and queued; the running engine (or the next `sync --once`) syncs it, \
                 or sets it back to pending when it is no longer in a final status."
            ),
        }
    }

    pub fn no_decision(&self, code: &str, state: &str) -> String {
        match self.lang {
            Lang::Cs => format!("objednávka {code} nečeká na rozhodnutí (je ve stavu {state})"),
            Lang::En => format!("order {code} does not wait for a decision (it is {state})"),
        }
    }

    pub fn give_client(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "zadejte --client ID, nebo --create",
            Lang::En => "give --client ID or --create",
        }
    }

    pub fn decision_saved(&self, code: &str) -> String {
        match self.lang {
            Lang::Cs => format!("{code}: rozhodnutí uloženo; objednávka je ve frontě."),
            Lang::En => format!("{code}: decision saved; the order is queued."),
        }
    }

    /// The same customer's other waiting orders the choice settled too.
    pub fn also_settled(&self, codes: &[String]) -> String {
        let n = codes.len() as u64;
        let list = codes.join(", ");
        match self.lang {
            Lang::Cs => {
                let orders = cs_plural(
                    n,
                    "další čekající objednávku",
                    "další čekající objednávky",
                    "dalších čekajících objednávek",
                );
                format!("Použito i na {n} {orders} téhož zákazníka: {list}")
            }
            Lang::En => {
                let orders = if n == 1 { "other waiting order" } else { "other waiting orders" };
                format!("Also applied to the same customer's {n} {orders}: {list}")
            }
        }
    }

    /// `resolve --client ID` with an id that is not a candidate; `list`: the candidates.
    pub fn not_a_candidate(&self, id: i64, code: &str, list: &[String]) -> String {
        match self.lang {
            Lang::Cs => {
                let list =
                    if list.is_empty() { "žádní zaznamenaní".to_string() } else { list.join(", ") };
                format!(
                    "klient #{id} není mezi kandidáty pro objednávku {code} ({list}); vyberte jednoho z nich, \
                     použijte --create, nebo přidejte --force a propojte #{id} i tak"
                )
            }
            Lang::En => {
                let list = if list.is_empty() { "none recorded".to_string() } else { list.join(", ") };
                format!(
                    "client #{id} is not one of the candidates for order {code} ({list}); pick one of them, \
                     use --create, or add --force to link #{id} anyway"
                )
            }
        }
    }

    pub fn forced(&self, id: i64) -> String {
        match self.lang {
            Lang::Cs => {
                format!("pozn.: klient #{id} není mezi kandidáty; propojuje se, jak jste chtěli (--force).")
            }
            Lang::En => {
                format!("note: client #{id} is not one of the candidates; linking it as you asked (--force).")
            }
        }
    }
}
