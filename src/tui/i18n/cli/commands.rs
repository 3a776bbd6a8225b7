//! What `backfill`, `poll-now`, `webhooks` and the order commands (`retry`, `skip`…) say, in
//! Czech and English; both languages in one `match` each.

use super::CliTexts;
use crate::tui::i18n::Lang;
use crate::tui::i18n::reasons::cs_plural;

impl CliTexts {
    // ---- backfill ----------------------------------------------------------------------

    pub fn backfill_none(&self, from: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "Od {from} nevznikla žádná vyřízená objednávka bez obchodního případu: není co zařadit."
            ),
            Lang::En => {
                format!("No final order without a business case was created since {from}: nothing to queue.")
            }
        }
    }

    /// `n` final orders since `from` queued at low priority; `now`: this process syncs them.
    pub fn backfill_queued(&self, n: u64, from: &str, now: bool) -> String {
        match (self.lang, now) {
            (Lang::Cs, _) => {
                let orders =
                    cs_plural(n, "vyřízená objednávka", "vyřízené objednávky", "vyřízených objednávek");
                let then = if now { "přenáší se hned" } else { "přenese je běžící jádro" };
                format!("{n} {orders} od {from} zařazeno s nízkou prioritou; {then}.")
            }
            (Lang::En, _) => {
                let orders = if n == 1 { "final order" } else { "final orders" };
                let then = if now { "syncing them now" } else { "the running engine syncs them" };
                format!("{n} {orders} created since {from} queued at low priority; {then}.")
            }
        }
    }

    // ---- poll-now ----------------------------------------------------------------------

    pub fn no_daemon(&self, dir: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "Pro {dir} neběží žádný démon: nic se nekontrolovalo. Spusťte ho příkazem \
                 `shoptet-raynet-sync run` (nebo jeden průchod `shoptet-raynet-sync sync --once`)."
            ),
            Lang::En => format!(
                "No daemon is running for {dir}: nothing polled. Start it with `shoptet-raynet-sync run` \
                 (or run one pass with `shoptet-raynet-sync sync --once`)."
            ),
        }
    }

    pub fn takes_no_requests(&self, command: &str, pid: u32, dir: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "`{command}` (pid {pid}) drží {dir} a žádosti nepřijímá: kontroluje jen jednou, na začátku. \
                 Teď se nic nekontrolovalo."
            ),
            Lang::En => format!(
                "`{command}` (pid {pid}) holds {dir} and takes no requests: it polls once, at its start. \
                 Nothing polled now."
            ),
        }
    }

    /// Who is asked: the daemon by its pid, or whatever engine holds the directory.
    pub fn who(&self, process: Option<(u32, &str)>, dir: &str) -> String {
        match (self.lang, process) {
            (Lang::Cs, Some((pid, command))) => format!("Démon (pid {pid}, `{command}`)"),
            (Lang::Cs, None) => format!("Jádro, které drží {dir},"),
            (Lang::En, Some((pid, command))) => format!("The daemon (pid {pid}, `{command}`)"),
            (Lang::En, None) => format!("The engine holding {dir}"),
        }
    }

    pub fn poll_paused(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "je pozastavené: zkontroluje po obnovení (`p` v přehledu)",
            Lang::En => "is paused: it polls when resumed (`p` in the dashboard)",
        }
    }

    pub fn poll_waits_credentials(&self, service: &str, detail: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "čeká na funkční přihlašovací údaje ke službě {service} ({detail}); opravte nastavení a pošlete SIGHUP"
            ),
            Lang::En => format!(
                "waits for {service} credentials that work ({detail}); fix the configuration and send SIGHUP"
            ),
        }
    }

    pub fn poll_waits_config(&self, detail: &str) -> String {
        match self.lang {
            Lang::Cs => format!("čeká na nastavení, které sedí ({detail}); opravte ho a pošlete SIGHUP"),
            Lang::En => format!("waits for a configuration that fits ({detail}); fix it and send SIGHUP"),
        }
    }

    pub fn poll_refused(&self, who: &str, why: &str) -> String {
        match self.lang {
            Lang::Cs => format!("{who} {why}; teď se nic nekontrolovalo."),
            Lang::En => format!("{who} {why}; nothing polled now."),
        }
    }

    pub fn poll_not_taken(&self, who: &str, secs: u64) -> String {
        match self.lang {
            Lang::Cs => format!(
                "{who} žádost do {secs} s nepřevzal; nic se nekontrolovalo. Co dělá, ukáže \
                 `shoptet-raynet-sync status`."
            ),
            Lang::En => format!(
                "{who} did not take the request within {secs} s; nothing polled. `shoptet-raynet-sync status` \
                 shows what it is doing."
            ),
        }
    }

    pub fn polled_at(&self, who: &str, time: &str) -> String {
        match self.lang {
            Lang::Cs => format!("{who} zkontroloval Shoptet v {time}."),
            Lang::En => format!("{who} polled Shoptet at {time}."),
        }
    }

    pub fn poll_taken(&self, who: &str) -> String {
        match self.lang {
            Lang::Cs => {
                format!("{who} žádost převzal a Shoptet zkontroluje hned (po rozpracovaných objednávkách).")
            }
            Lang::En => {
                format!("{who} took the request and polls Shoptet now (after the order batch in hand).")
            }
        }
    }

    // ---- webhooks ----------------------------------------------------------------------

    pub fn webhooks_config(&self, on: bool, url: &str) -> String {
        let state = if on { self.on } else { self.off };
        match self.lang {
            Lang::Cs => format!("webhooky jsou v nastavení {state}; veřejná adresa {url}"),
            Lang::En => format!("webhooks {state} in the configuration; public URL {url}"),
        }
    }

    pub fn signature_key(&self, stored: bool) -> String {
        let state = if stored { self.stored } else { self.none };
        match self.lang {
            Lang::Cs => format!("podpisový klíč: {state}"),
            Lang::En => format!("signature key: {state}"),
        }
    }

    pub fn not_registered(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "neregistrováno",
            Lang::En => "not registered",
        }
    }

    pub fn failed_deliveries(&self, n: usize) -> String {
        match self.lang {
            Lang::Cs => format!("nedoručená oznámení za posledních 7 dní: {n}"),
            Lang::En => format!("failed deliveries in the last 7 days: {n}"),
        }
    }

    pub fn attempts(&self, n: u64) -> String {
        match self.lang {
            Lang::Cs => format!("{n} {}", cs_plural(n, "pokus", "pokusy", "pokusů")),
            Lang::En => format!("{n} attempts"),
        }
    }

    pub fn webhooks_off(&self) -> &'static str {
        match self.lang {
            Lang::Cs => {
                "webhooky jsou v nastavení vypnuté: nastavte [webhook] enabled = true, listen a public_url \
                 (nebo použijte `shoptet-raynet-sync setup`, Webhook) a spusťte to znovu"
            }
            Lang::En => {
                "webhooks are off in the configuration: set [webhook] enabled = true, listen and public_url \
                 (or use `shoptet-raynet-sync setup`, Webhook), then run this again"
            }
        }
    }

    pub fn webhooks_no_url(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "v nastavení není webhook.public_url: zadejte --url URL",
            Lang::En => "no webhook.public_url in the configuration: give --url URL",
        }
    }

    /// `demo` and `sim` refuse global flags they would ignore; `flags`: "--config or --data-dir".
    pub fn flags_ignored(&self, command: &str, flags: &str) -> String {
        match self.lang {
            Lang::Cs => {
                format!("`{command}` nepoužívá {flags}: běží nad vlastním simulovaným obchodem a CRM")
            }
            Lang::En => {
                format!("`{command}` does not use {flags}: it runs on its own simulated shop and CRM")
            }
        }
    }

    /// "a or b" in this language.
    pub fn or(&self) -> &'static str {
        match self.lang {
            Lang::Cs => " ani ",
            Lang::En => " or ",
        }
    }

    pub fn removed(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "odebráno",
            Lang::En => "removed",
        }
    }

    pub fn ours(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "náš ",
            Lang::En => "ours",
        }
    }
}
