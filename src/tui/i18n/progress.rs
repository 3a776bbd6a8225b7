//! Texts of long work on the Overview: a first sync, a backfill or a backlog, its end and what
//! is left of RAYNET's daily budget.

use chrono_tz::Tz;

use super::{Lang, Texts};
use crate::engine::estimate::{Estimate, WorkKind};
use crate::tui::format::{count, time};

impl Texts {
    pub fn work_kind(&self, k: WorkKind) -> &'static str {
        match (self.lang, k) {
            (_, WorkKind::FirstSync) => self.first_sync,
            (Lang::Cs, WorkKind::Backfill) => "Starší objednávky",
            (Lang::En, WorkKind::Backfill) => "Backfill",
            (Lang::Cs, WorkKind::Backlog) => "Dohánění fronty",
            (Lang::En, WorkKind::Backlog) => "Catching up",
        }
    }

    /// When the work ends, or why it waits: "ETA 2026-12-07 14:05 (2 days)", "waits for the
    /// RAYNET budget until 2026-12-08 01:00".
    pub fn work_end(&self, e: &Estimate, tz: Tz) -> String {
        let cs = self.lang == Lang::Cs;
        match (e.held_until, e.days, e.eta) {
            (Some(until), ..) if cs => format!("čeká na denní limit RAYNET do {}", time(until, tz)),
            (Some(until), ..) => format!("waits for the RAYNET budget until {}", time(until, tz)),
            (None, Some(days), Some(eta)) => {
                let days = if days > 1 { format!(" ({})", self.days(days)) } else { String::new() };
                let word = if cs { "hotovo asi" } else { "ETA" };
                format!("{word} {}{days}", time(eta, tz))
            }
            _ if cs => "neskončí: rezerva zabírá celý denní limit".into(),
            _ => "never ends: the reserve takes the whole daily budget".into(),
        }
    }

    /// "≈ 1 240 RAYNET requests to go · budget 23 715 of 24 000 today · reserve 2 000" (the
    /// requests of each day kept for new orders).
    pub fn work_budget(&self, e: &Estimate) -> String {
        let (requests, reserve) = (count(e.raynet_requests), count(e.reserve));
        let budget = match (self.lang, e.budget_left) {
            (Lang::Cs, Some(b)) => format!("dnes zbývá {} z {}", count(b), count(e.daily_limit)),
            (Lang::Cs, None) => "dnešní limit zatím neznámý".to_string(),
            (Lang::En, Some(b)) => format!("budget {} of {} today", count(b), count(e.daily_limit)),
            (Lang::En, None) => "budget today not reported yet".to_string(),
        };
        match self.lang {
            Lang::Cs => format!("≈ {requests} požadavků na RAYNET · {budget} · rezerva {reserve}"),
            Lang::En => format!("≈ {requests} RAYNET requests to go · {budget} · reserve {reserve}"),
        }
    }

    /// "2 days"; Czech "2 dny", "5 dní".
    fn days(&self, n: u32) -> String {
        match (self.lang, n) {
            (Lang::Cs, 1) => "1 den".into(),
            (Lang::Cs, 2..=4) => format!("{n} dny"),
            (Lang::Cs, _) => format!("{n} dní"),
            (Lang::En, 1) => "1 day".into(),
            (Lang::En, _) => format!("{n} days"),
        }
    }
}
