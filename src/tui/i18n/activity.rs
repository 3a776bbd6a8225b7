//! The activity log in Czech and English: renders the [`Activity`] entries the store keeps
//! (the Log pane, the order's history, `show`). Every variant has both languages in one
//! `match`; rows written by older versions show their text as it was.

use std::fmt::Display;

use chrono::TimeZone;

use crate::store::{Activity, DecisionChoice, EntityKind, How, Priority, StateChange};

use super::reasons::{at, cs_plural};
use super::{Lang, Texts};

impl Texts {
    /// One log entry, with the state change it made ("queued → failed: …"); times in `tz`.
    pub fn audit_line<Z: TimeZone>(&self, a: &Activity, change: Option<StateChange>, tz: &Z) -> String
    where
        Z::Offset: Display,
    {
        let text = self.activity(a, tz);
        match change {
            Some(c) => format!("{} → {}: {text}", self.state_name(c.from), self.state_name(c.to)),
            None => text,
        }
    }

    /// The short name of an entry's kind, for the log's Event column.
    pub fn activity_kind(&self, kind: &str) -> String {
        if self.lang == Lang::En {
            return match kind {
                "seen" => "new".into(),
                "attempts" => "tries".into(),
                "entity" => "match".into(),
                "raynet" => "RAYNET".into(),
                other => other.replace('_', " "),
            };
        }
        match kind {
            "seen" => "nová",
            "queued" => "ve frontě",
            "retry" => "nový pokus",
            "attempts" => "pokusy",
            "resync" => "znovu",
            "failed" => "selhalo",
            "dead" => "vzdáno",
            "decision" => "rozhodnutí",
            "synced" => "přeneseno",
            "updated" => "aktualizace",
            "cancelled" => "storno",
            "skipped" => "přeskočeno",
            "unskipped" => "obnoveno",
            "state" => "stav",
            "entity" => "propojení",
            "deleted" => "smazáno",
            "raynet" => "RAYNET",
            "backfill" => "doplnění",
            "login" => "přihlášení",
            "rate_limit" => "limit",
            other => return other.to_string(),
        }
        .to_string()
    }

    /// What an entry says, in this language; times in `tz`.
    pub fn activity<Z: TimeZone>(&self, a: &Activity, tz: &Z) -> String
    where
        Z::Offset: Display,
    {
        let cs = self.lang == Lang::Cs;
        match a {
            Activity::Seen { status: Some(s) } if cs => format!("nová objednávka, stav v Shoptetu {s}"),
            Activity::Seen { status: Some(s) } => format!("new order, Shoptet status {s}"),
            Activity::Seen { status: None } if cs => "nová objednávka".into(),
            Activity::Seen { status: None } => "new order".into(),
            Activity::Queued { priority, due } => {
                let due = at(*due, tz);
                match (cs, priority) {
                    (true, Priority::Normal) => format!("ve frontě (běžná priorita, na řadě {due})"),
                    (true, Priority::Low) => format!("ve frontě (nízká priorita, na řadě {due})"),
                    (false, _) => format!("queued ({priority} priority, due {due})"),
                }
            }
            Activity::Failed { attempt, reason, next_attempt_at } => {
                let (reason, next) = (self.reason(reason, tz), at(*next_attempt_at, tz));
                match self.lang {
                    Lang::Cs => format!("pokus {attempt}: {reason}; další pokus {next}"),
                    Lang::En => format!("attempt {attempt}: {reason}; next attempt {next}"),
                }
            }
            Activity::Dead { attempt, reason } if cs => {
                format!("pokus {attempt}: {}; vzdáno", self.reason(reason, tz))
            }
            Activity::Dead { attempt, reason } => {
                format!("attempt {attempt}: {}; giving up", self.reason(reason, tz))
            }
            Activity::NeedsDecision { reason, candidates } => {
                let n = *candidates as u64;
                let what = match self.lang {
                    Lang::Cs => cs_plural(n, "kandidát", "kandidáti", "kandidátů"),
                    Lang::En if n == 1 => "candidate",
                    Lang::En => "candidates",
                };
                format!("{} ({n} {what})", self.reason(reason, tz))
            }
            Activity::Entity { kind, raynet_id, how, matched_by, label, key } => {
                self.entity(*kind, *raynet_id, *how, matched_by.as_deref(), label, key)
            }
            Activity::Backfill { queued, from, requests } => {
                self.backfill(*queued, &at(*from, tz), *requests)
            }
            Activity::RateLimited { service, until } if cs => {
                format!("{service}: limit požadavků vyčerpán do {}", at(*until, tz))
            }
            Activity::RateLimited { service, until } => {
                format!("{service}: request limit reached until {}", at(*until, tz))
            }
            Activity::RetryRequested
            | Activity::AttemptsReset
            | Activity::ResyncRequested
            | Activity::Decided { .. }
            | Activity::Synced { .. }
            | Activity::Updated { .. }
            | Activity::Cancelled { .. }
            | Activity::Skipped { .. }
            | Activity::Unskipped
            | Activity::NoLongerFinal
            | Activity::StateSet
            | Activity::DeletedInShoptet
            | Activity::ExtIdMode { .. }
            | Activity::LoginBlocked { .. }
            | Activity::Legacy { .. } => self.plain_activity(a),
        }
    }

    /// The entries without times or reasons (`activity` hands only those over).
    fn plain_activity(&self, a: &Activity) -> String {
        let cs = self.lang == Lang::Cs;
        let text = |c: &str, e: &str| if cs { c.to_string() } else { e.to_string() };
        match a {
            Activity::RetryRequested => text("vyžádán nový pokus", "retry requested"),
            Activity::AttemptsReset => text("počet pokusů vynulován", "retry count reset"),
            Activity::ResyncRequested => {
                text("synchronizovaný obsah zapomenut (přenést znovu)", "synced content forgotten (re-sync)")
            }
            Activity::Decided { choice: DecisionChoice::Existing(id) } => {
                text(&format!("použít existujícího klienta #{id}"), &format!("use existing client #{id}"))
            }
            Activity::Decided { choice: DecisionChoice::CreateNew } => {
                text("založit nového klienta", "create a new client")
            }
            Activity::Synced { business_case_id: id } => {
                text(&format!("obchodní případ #{id}"), &format!("business case #{id}"))
            }
            Activity::Updated { business_case_id: id, kept, edited, added, removed, fields } => {
                let (k, e, ad, r) = (kept, edited, added, removed);
                match (cs, fields) {
                    (true, f) => format!(
                        "obchodní případ #{id} aktualizován podle změněné objednávky: řádky ponechány {k}, \
                         upraveny {e}, přidány {ad}, odebrány {r}{}",
                        if *f { "; změněna pole případu" } else { "" }
                    ),
                    (false, f) => format!(
                        "business case #{id} updated from the changed order: lines {k} kept, {e} edited, \
                         {ad} added, {r} removed{}",
                        if *f { "; case fields changed" } else { "" }
                    ),
                }
            }
            Activity::Cancelled { business_case_id: id } => text(
                &format!("obchodní případ #{id} přesunut do fáze storno"),
                &format!("business case #{id} moved to the storno phase"),
            ),
            Activity::Skipped { note: Some(note) } => note.clone(),
            Activity::Skipped { note: None } => self.skipped_by_hand().into(),
            Activity::Unskipped => text("přeskočení zrušeno", "unskipped"),
            Activity::NoLongerFinal => {
                text("objednávka už není v konečném stavu", "no longer in a final status")
            }
            Activity::StateSet => text("stav nastaven ručně", "state set by hand"),
            Activity::DeletedInShoptet => text(
                "objednávka byla v Shoptetu smazána; v RAYNETu zůstává, jak je",
                "the order was deleted in Shoptet; RAYNET is left as it is",
            ),
            Activity::ExtIdMode { entity, kept } => self.ext_id_mode(entity, *kept),
            Activity::LoginBlocked { service } => text(
                &format!("{service} odmítl přihlašovací údaje; hodinu se nezkoušejí znovu"),
                &format!("{service} rejected the credentials; they are not tried again for an hour"),
            ),
            Activity::Legacy { text, .. } => text.clone(),
            other => other.kind().to_string(),
        }
    }

    fn backfill(&self, queued: u64, from: &str, requests: Option<u64>) -> String {
        let requests = match (self.lang, requests) {
            (Lang::Cs, Some(n)) => format!(" (≈ {n} požadavků na RAYNET)"),
            (Lang::En, Some(n)) => format!(" (≈ {n} RAYNET requests)"),
            (_, None) => String::new(),
        };
        match self.lang {
            Lang::Cs => format!(
                "k synchronizaci zařazeno: {queued} {} od {from}{requests}",
                cs_plural(queued, "objednávka vytvořená", "objednávky vytvořené", "objednávek vytvořených"),
            ),
            Lang::En => format!("{queued} orders created since {from} queued for sync{requests}"),
        }
    }

    fn entity(
        &self,
        kind: EntityKind,
        id: i64,
        how: How,
        by: Option<&str>,
        label: &str,
        key: &str,
    ) -> String {
        let cs = self.lang == Lang::Cs;
        let what = match (cs, kind) {
            (true, EntityKind::Client) => "klient",
            (true, EntityKind::Product) => "produkt",
            (true, EntityKind::BusinessCase) => "obchodní případ",
            (false, EntityKind::Client) => "client",
            (false, EntityKind::Product) => "product",
            (false, EntityKind::BusinessCase) => "business case",
        };
        let how = match (cs, how, by) {
            (true, How::Matched, Some(by)) => format!("nalezen podle {}", self.match_key(by)),
            (true, How::Matched, None) => "nalezen".into(),
            (true, How::Created, _) => "založen".into(),
            (false, How::Matched, Some(by)) => format!("matched by {}", self.match_key(by)),
            (false, How::Matched, None) => "matched".into(),
            (false, How::Created, _) => "created".into(),
        };
        format!("{what} #{id} {how}: {label} ({key})")
    }

    fn ext_id_mode(&self, entity: &str, kept: bool) -> String {
        let cs = self.lang == Lang::Cs;
        let what = match (cs, entity) {
            (true, "company") => "klienta",
            (true, "product") => "produktu",
            (true, "businessCase") => "obchodního případu",
            (false, "company") => "client",
            (false, "product") => "product",
            (false, "businessCase") => "business case",
            (_, other) => other,
        };
        match (cs, kept) {
            (true, true) => format!("RAYNET si ponechává extId zaslané při založení {what}"),
            (true, false) => {
                format!("RAYNET ignoruje extId zaslané při založení {what}: od teď se nastavuje zvlášť")
            }
            (false, true) => format!("RAYNET keeps the extId sent when creating a {what}"),
            (false, false) => {
                format!(
                    "RAYNET ignores the extId sent when creating a {what}: it is set separately from now on"
                )
            }
        }
    }
}
