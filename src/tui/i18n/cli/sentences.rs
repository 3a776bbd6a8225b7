//! The command line's sentences with numbers, names and times in them; both languages in one
//! `match` each. Times are local (the command line runs where its user is).

use chrono::{DateTime, Local, Utc};

use super::CliTexts;
use crate::engine::api::EngineState;
use crate::engine::estimate::{Estimate, WorkKind};
use crate::tui::i18n::Lang;
use crate::tui::i18n::reasons::cs_plural;

/// "1 order" / "2 orders" in English.
pub(super) fn en_plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "1 objednávka" / "2 objednávky" / "5 objednávek" in Czech.
pub(super) fn cs_count(n: u64, one: &str, few: &str, many: &str) -> String {
    format!("{n} {}", cs_plural(n, one, few, many))
}

impl CliTexts {
    fn cs(&self) -> bool {
        self.lang == Lang::Cs
    }

    /// "1 order", "5 objednávek".
    pub fn orders(&self, n: u64) -> String {
        match self.lang {
            Lang::Cs => cs_count(n, "objednávka", "objednávky", "objednávek"),
            Lang::En => en_plural(n, "order", "orders"),
        }
    }

    /// Under the `orders` table: "20 of 31 orders".
    pub fn shown_of(&self, shown: usize, total: u64) -> String {
        match self.lang {
            Lang::Cs => format!("{shown} z {total} {}", if total == 1 { "objednávky" } else { "objednávek" }),
            Lang::En => format!("{shown} of {}", en_plural(total, "order", "orders")),
        }
    }

    /// When something is due: seconds when it is soon, else the local time.
    pub fn when(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let secs = (at - now).num_seconds();
        let soon = if self.cs() { "za" } else { "in" };
        match secs {
            ..=0 => self.now.into(),
            1..=59 => format!("{soon} {secs} s"),
            60..=3599 => format!("{soon} {} min {} s", secs / 60, secs % 60),
            _ => at.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
        }
    }

    /// "Times are local (UTC+01:00)."
    pub fn local_zone(&self) -> String {
        let zone = Local::now().format("UTC%:z");
        match self.lang {
            Lang::Cs => format!("Časy jsou místní ({zone})."),
            Lang::En => format!("Times are local ({zone})."),
        }
    }

    /// `status`' engine line while a process runs it.
    pub fn running(&self, pid: u32, command: &str, since: &str) -> String {
        match self.lang {
            Lang::Cs => format!("běží: pid {pid}, `{command}`, od {since}"),
            Lang::En => format!("running: pid {pid}, `{command}`, since {since}"),
        }
    }

    /// "5000 of 10000 left today".
    pub fn requests_left(&self, remaining: &str, limit: &str) -> String {
        match self.lang {
            Lang::Cs => format!("zbývá {remaining} z {limit} na dnešek"),
            Lang::En => format!("{remaining} of {limit} left today"),
        }
    }

    /// The engine's recorded state in a word or two (the detail follows it).
    pub fn state_name(&self, s: &EngineState) -> &'static str {
        let cs = self.cs();
        match s {
            EngineState::Starting if cs => "spouští se",
            EngineState::Starting => "starting",
            EngineState::Idle if cs => "čeká na další kontrolu",
            EngineState::Idle => "idle",
            EngineState::Syncing if cs => "přenáší",
            EngineState::Syncing => "syncing",
            EngineState::Paused if cs => "pozastaveno",
            EngineState::Paused => "paused",
            EngineState::RateLimited { .. } if cs => "omezeno limitem",
            EngineState::RateLimited { .. } => "rate limited",
            EngineState::AuthProblem { .. } if cs => "přihlášení odmítnuto",
            EngineState::AuthProblem { .. } => "auth problem",
            EngineState::ConfigProblem { .. } if cs => "chyba nastavení",
            EngineState::ConfigProblem { .. } => "config problem",
            EngineState::Stopped if cs => "zastaveno",
            EngineState::Stopped => "stopped",
        }
    }

    /// " until 2026-12-08 01:00:00 +01:00".
    pub fn until(&self, time: &str) -> String {
        if self.cs() { format!(" do {time}") } else { format!(" until {time}") }
    }

    /// ", synced 2026-12-08 …" after the business case in `show`.
    pub fn synced_at(&self, time: &str) -> String {
        if self.cs() { format!(", přeneseno {time}") } else { format!(", synced {time}") }
    }

    /// "next attempt in 5 s".
    pub fn next_attempt(&self, when: &str) -> String {
        if self.cs() { format!("další pokus {when}") } else { format!("next attempt {when}") }
    }

    /// One candidate client of an ambiguous match; `by` as `Texts::match_key` says it.
    pub fn candidate(&self, id: i64, name: &str, by: &str, detail: Option<&str>) -> String {
        let detail = detail.map(|d| format!("; {d}")).unwrap_or_default();
        match self.lang {
            Lang::Cs => format!("kandidát #{id}: {name} — shoda podle {by}{detail}"),
            Lang::En => format!("candidate #{id}: {name} — matched by {by}{detail}"),
        }
    }

    /// How to settle an ambiguous match from the command line.
    pub fn choose(&self, code: &str) -> String {
        let label = if self.cs() { "volba" } else { "choose" };
        format!("{label}: shoptet-raynet-sync resolve {code} --client ID | --create")
    }

    /// The first line of a pass's report.
    pub fn pass_done(
        &self,
        seen: u64,
        synced: u64,
        created: u64,
        updated: u64,
        failed: u64,
        decide: u64,
    ) -> String {
        match self.lang {
            Lang::Cs => format!(
                "Průchod hotov: načteno {}, přeneseno {synced} ({}, aktualizováno {updated}), selhalo {failed}, \
                 k rozhodnutí {decide}.",
                cs_count(seen, "objednávka", "objednávky", "objednávek"),
                cs_count(
                    created,
                    "nový obchodní případ",
                    "nové obchodní případy",
                    "nových obchodních případů"
                ),
            ),
            Lang::En => format!(
                "Pass done: {} read, {synced} synced ({}, {updated} updated), {failed} failed, {} a decision.",
                en_plural(seen, "order", "orders"),
                en_plural(created, "new business case", "new business cases"),
                en_plural(decide, "needs", "need"),
            ),
        }
    }

    /// Shoptet's order list could not be read during a pass.
    pub fn poll_error(&self, why: &str) -> String {
        if self.cs() {
            format!("  Shoptet nešel přečíst: {why}")
        } else {
            format!("  Shoptet could not be read: {why}")
        }
    }

    /// A backfill that waits for RAYNET's daily budget.
    pub fn backfill_waits(&self, when: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "  Doplnění: zbytek čeká na obnovení denního limitu RAYNETu ({when}), sync.backfill_reserve \
                 zůstává novým objednávkám; pokračuje `run` nebo příští průchod."
            ),
            Lang::En => format!(
                "  Backfill: the rest waits for RAYNET's budget to reset ({when}), keeping sync.backfill_reserve \
                 for new orders; `run` or the next `sync --once` goes on then."
            ),
        }
    }

    /// An order's result in a pass's report (`failed`, `dead`, `needs_decision`…).
    pub fn outcome(&self, result: &str) -> String {
        match result.parse::<crate::store::OrderState>().ok() {
            Some(s) if self.cs() => self.lang.texts().state_name(s).to_string(),
            _ => result.replace('_', "-"),
        }
    }

    /// The end of a pass a signal stopped; `finished`: the order in flight was finished.
    pub fn interrupted(&self, signal: &str, finished: bool) -> String {
        match (self.lang, finished) {
            (Lang::Cs, true) => format!(
                "Přerušeno signálem {signal}: zastaveno po rozpracované objednávce; příští `sync --once` \
                 pokračuje odtud."
            ),
            (Lang::Cs, false) => format!(
                "Přerušeno signálem {signal}: rozpracovaný krok byl zastaven (lze jej bezpečně zopakovat); \
                 příští `sync --once` ho dokončí."
            ),
            (Lang::En, true) => format!(
                "Interrupted by {signal}: stopped after the order in flight; the next `sync --once` goes on from there."
            ),
            (Lang::En, false) => format!(
                "Interrupted by {signal}: the step in flight was stopped (it is safe to redo); the next `sync --once` finishes it."
            ),
        }
    }

    /// The last line of a dry run.
    pub fn planned(&self, n: u64) -> String {
        match self.lang {
            Lang::Cs => format!("Naplánováno: {}; nic nebylo zapsáno (zkušební běh).", self.orders(n)),
            Lang::En => format!("{} planned; nothing was written (dry run).", self.orders(n)),
        }
    }

    pub fn kind_name(&self, k: WorkKind) -> &'static str {
        match k {
            WorkKind::FirstSync => self.first_sync,
            WorkKind::Backfill => self.backfill,
            WorkKind::Backlog => self.backlog,
        }
    }

    /// "Backfill: 1240 orders (35 new clients, 12 new products), ≈ 5960 RAYNET requests, budget
    /// left today 23715 of 25000 (2000 kept for new orders), ETA 2026-12-08 14:05".
    pub fn describe(&self, e: &Estimate, now: DateTime<Utc>) -> String {
        let (limit, reserve) = (e.daily_limit, e.reserve);
        let (budget, what) = match (self.lang, e.budget_left) {
            (Lang::Cs, Some(b)) => (format!("zbývá dnes {b} z {limit}"), "dotazů RAYNET"),
            (Lang::Cs, None) => {
                (format!("dnešní zbytek limitu zatím neznámý ({limit} denně)"), "dotazů RAYNET")
            }
            (Lang::En, Some(b)) => (format!("budget left today {b} of {limit}"), "RAYNET requests"),
            (Lang::En, None) => {
                (format!("budget left today not reported yet ({limit} a day)"), "RAYNET requests")
            }
        };
        let (clients, products, kept) = match self.lang {
            Lang::Cs => (
                cs_count(e.new_clients, "nový klient", "noví klienti", "nových klientů"),
                cs_count(e.new_products, "nový produkt", "nové produkty", "nových produktů"),
                format!("{reserve} drženo pro nové objednávky"),
            ),
            Lang::En => (
                en_plural(e.new_clients, "new client", "new clients"),
                en_plural(e.new_products, "new product", "new products"),
                format!("{reserve} kept for new orders"),
            ),
        };
        format!(
            "{}: {} ({clients}, {products}), ≈ {} {what}, {budget} ({kept}), {}",
            self.kind_name(e.kind),
            self.orders(e.orders),
            e.raynet_requests,
            self.eta(e, now)
        )
    }

    /// "ETA …", or why the work waits, or why it never ends.
    pub fn eta(&self, e: &Estimate, now: DateTime<Utc>) -> String {
        let at = |t: DateTime<Utc>| {
            let w = self.when(t, now);
            match (w.starts_with(|c: char| c.is_ascii_digit()), self.lang) {
                (true, Lang::Cs) => format!("v {w}"),
                (true, Lang::En) => format!("at {w}"),
                (false, _) => w,
            }
        };
        let cs = self.cs();
        match (e.held_until, e.days, e.eta, e.next_reset) {
            (Some(until), ..) if cs => format!("čeká na obnovení limitu RAYNETu {}", at(until)),
            (Some(until), ..) => format!("waits for RAYNET's budget to reset {}", at(until)),
            (None, Some(days), Some(eta), Some(reset)) if days > 1 => {
                let (reset, eta) = (at(reset), self.when(eta, now));
                if cs {
                    let days = cs_count(u64::from(days), "den", "dny", "dní");
                    format!("víc než dnešní limit: {days}, pokračuje po obnovení {reset}; hotovo {eta}")
                } else {
                    format!(
                        "more than today's budget: {days} days, going on after the reset {reset}; ETA {eta}"
                    )
                }
            }
            (None, Some(_), Some(eta), _) if cs => format!("hotovo {}", self.when(eta, now)),
            (None, Some(_), Some(eta), _) => format!("ETA {}", self.when(eta, now)),
            _ => self.never_ends.into(),
        }
    }
}
