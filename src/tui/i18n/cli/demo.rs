//! `demo --headless`'s report: the simulated services, each pass, and the summary.

use super::CliTexts;
use super::sentences::{cs_count, en_plural};
use crate::store::EntityKind;
use crate::tui::i18n::Lang;

impl CliTexts {
    /// Where the simulated services answer.
    pub fn demo_services(&self, shoptet: &str, raynet: &str) -> String {
        match self.lang {
            Lang::Cs => format!("Ukázka: simulovaný Shoptet na {shoptet} a RAYNET na {raynet}"),
            Lang::En => format!("Demo: simulated Shoptet at {shoptet} and RAYNET at {raynet}"),
        }
    }

    /// Where `--listen` serves the status.
    pub fn demo_status_at(&self, addr: &str) -> String {
        match self.lang {
            Lang::Cs => format!("Stav: http://{addr}/healthz a http://{addr}/metrics"),
            Lang::En => format!("Status endpoint: http://{addr}/healthz and http://{addr}/metrics"),
        }
    }

    /// After the summary, with `--listen`.
    pub fn demo_serving(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "Stav se poskytuje na /healthz a /metrics do Ctrl-C.",
            Lang::En => "Serving /healthz and /metrics until Ctrl-C.",
        }
    }

    /// One pass: "pass 2: 5 orders read, 3 synced, 1 failed (will retry), 1 needs a decision".
    pub fn demo_pass(&self, pass: u64, seen: u64, synced: u64, failed: u64, decide: u64) -> String {
        match self.lang {
            Lang::Cs => format!(
                "průchod {pass}: načteno {}, přeneseno {synced}, selhalo {failed} (zkusí se znovu), \
                 k rozhodnutí {decide}",
                cs_count(seen, "objednávka", "objednávky", "objednávek"),
            ),
            Lang::En => format!(
                "pass {pass}: {} read, {synced} synced, {failed} failed (will retry), {} a decision",
                en_plural(seen, "order", "orders"),
                en_plural(decide, "needs", "need"),
            ),
        }
    }

    /// The heading of the count of orders by state.
    pub fn demo_by_state(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "Objednávky podle stavu:",
            Lang::En => "Orders by state:",
        }
    }

    /// "Clients: 2 matched, 3 created".
    pub fn demo_entities(&self, kind: EntityKind, matched: u64, created: u64) -> String {
        let title = match (kind, self.lang) {
            (EntityKind::Client, Lang::Cs) => "Klienti",
            (EntityKind::Client, Lang::En) => "Clients",
            (EntityKind::Product, Lang::Cs) => "Produkty",
            (EntityKind::Product, Lang::En) => "Products",
            (EntityKind::BusinessCase, Lang::Cs) => "Obchodní případy",
            (EntityKind::BusinessCase, Lang::En) => "Business cases",
        };
        match self.lang {
            Lang::Cs => format!("{title}: spárováno {matched}, založeno {created}"),
            Lang::En => format!("{title}: {matched} matched, {created} created"),
        }
    }

    /// One matched record; `by` as `Texts::match_key` says it.
    pub fn demo_matched(&self, label: &str, raynet_id: i64, by: &str) -> String {
        match self.lang {
            Lang::Cs => format!("  {label} → RAYNET #{raynet_id} (spárován podle {by})"),
            Lang::En => format!("  {label} → RAYNET #{raynet_id} (matched by {by})"),
        }
    }

    /// An order that waits for a person, and why.
    pub fn demo_needs_decision(&self, code: &str, why: &str) -> String {
        match self.lang {
            Lang::Cs => format!("Čeká na rozhodnutí: {code} — {why}"),
            Lang::En => format!("Needs a decision: {code} — {why}"),
        }
    }

    /// Where to decide (the demo's data directory is gone after it exits).
    pub fn demo_where_to_decide(&self) -> &'static str {
        match self.lang {
            Lang::Cs => {
                "  Klienta vyberte na přehledu: `shoptet-raynet-sync demo`, fronta opakování (5), pak `a`.\n  \
                 (S vlastním e-shopem: `shoptet-raynet-sync resolve KÓD --client ID | --create`.)"
            }
            Lang::En => {
                "  Choose the client in the dashboard: `shoptet-raynet-sync demo`, Retry queue (5), then `a`.\n  \
                 (With your own shop: `shoptet-raynet-sync resolve CODE --client ID | --create`.)"
            }
        }
    }

    /// "RAYNET requests made: 42".
    pub fn demo_requests(&self, n: u64) -> String {
        match self.lang {
            Lang::Cs => format!("Požadavků na RAYNET: {n}"),
            Lang::En => format!("RAYNET requests made: {n}"),
        }
    }
}
