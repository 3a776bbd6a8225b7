//! Alert episodes: a problem is alerted once when it starts and once when it ends, never once
//! per failure. Which episodes are open follows from the same [`Health`] as `/healthz`; this
//! file only compares it with the episodes already open (kept in the store).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Health, ReasonCode};

/// The problems that are alerted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeKind {
    CredentialsRejected,
    RaynetBudgetExhausted,
    OrdersDead,
    PollStale,
}

impl EpisodeKind {
    pub const ALL: [EpisodeKind; 4] = [
        EpisodeKind::CredentialsRejected,
        EpisodeKind::RaynetBudgetExhausted,
        EpisodeKind::OrdersDead,
        EpisodeKind::PollStale,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EpisodeKind::CredentialsRejected => "credentials_rejected",
            EpisodeKind::RaynetBudgetExhausted => "raynet_budget_exhausted",
            EpisodeKind::OrdersDead => "orders_dead",
            EpisodeKind::PollStale => "poll_stale",
        }
    }

    pub fn parse(s: &str) -> Option<EpisodeKind> {
        EpisodeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The episode a health reason belongs to, when it is one that is alerted.
    pub fn of(code: ReasonCode) -> Option<EpisodeKind> {
        match code {
            ReasonCode::CredentialsRejected => Some(EpisodeKind::CredentialsRejected),
            ReasonCode::RaynetBudgetExhausted => Some(EpisodeKind::RaynetBudgetExhausted),
            ReasonCode::OrdersDead => Some(EpisodeKind::OrdersDead),
            ReasonCode::PollStale => Some(EpisodeKind::PollStale),
            ReasonCode::ConfigProblem
            | ReasonCode::EngineStopped
            | ReasonCode::ApiFailing
            | ReasonCode::EnginePaused => None,
        }
    }
}

/// An episode: what it is, since when, and what its start alert said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    pub kind: EpisodeKind,
    pub started_at: DateTime<Utc>,
    pub text: String,
}

/// What has to be alerted now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Started(Episode),
    Ended { episode: Episode, at: DateTime<Utc> },
}

impl Change {
    pub fn episode(&self) -> &Episode {
        match self {
            Change::Started(e) | Change::Ended { episode: e, .. } => e,
        }
    }
}

/// The episodes that start (a reason with no open episode) and end (an open episode whose
/// reason is gone) when `health` is seen at `now` with `open` episodes open.
pub fn changes(open: &[Episode], health: &Health, now: DateTime<Utc>) -> Vec<Change> {
    let mut active: Vec<(EpisodeKind, String)> = Vec::new();
    for r in &health.reasons {
        let Some(kind) = EpisodeKind::of(r.code) else { continue };
        match active.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, text)) => {
                text.push_str("; ");
                text.push_str(&r.text);
            }
            None => active.push((kind, r.text.clone())),
        }
    }
    let mut out: Vec<Change> = open
        .iter()
        .filter(|e| !active.iter().any(|(k, _)| *k == e.kind))
        .map(|e| Change::Ended { episode: e.clone(), at: now })
        .collect();
    out.extend(
        active
            .into_iter()
            .filter(|(kind, _)| !open.iter().any(|e| e.kind == *kind))
            .map(|(kind, text)| Change::Started(Episode { kind, started_at: now, text })),
    );
    out
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::super::{Level, Reason};
    use super::*;
    use crate::http::Service;

    fn health(codes: &[ReasonCode]) -> Health {
        let reasons: Vec<Reason> = codes
            .iter()
            .map(|c| Reason {
                code: *c,
                level: c.level(),
                service: Some(Service::Raynet),
                text: c.as_str().into(),
            })
            .collect();
        let status = reasons.iter().map(|r| r.level).max().unwrap_or(Level::Ok);
        Health { status, reasons }
    }

    fn open(kind: EpisodeKind, at: DateTime<Utc>) -> Episode {
        Episode { kind, started_at: at, text: kind.as_str().into() }
    }

    #[test]
    fn a_new_alerted_reason_starts_an_episode_and_others_start_none() {
        let now = Utc::now();
        let h = health(&[ReasonCode::PollStale, ReasonCode::ApiFailing, ReasonCode::EnginePaused]);
        let c = changes(&[], &h, now);
        assert_eq!(c, vec![Change::Started(open(EpisodeKind::PollStale, now))]);
    }

    #[test]
    fn an_open_episode_whose_reason_persists_changes_nothing() {
        let now = Utc::now();
        let was = [open(EpisodeKind::OrdersDead, now - Duration::minutes(10))];
        assert!(changes(&was, &health(&[ReasonCode::OrdersDead]), now).is_empty());
    }

    #[test]
    fn an_open_episode_whose_reason_is_gone_ends_with_its_start() {
        let now = Utc::now();
        let since = now - Duration::minutes(10);
        let was = [open(EpisodeKind::CredentialsRejected, since)];
        let c = changes(&was, &health(&[]), now);
        assert_eq!(c, vec![Change::Ended { episode: was[0].clone(), at: now }]);
        assert_eq!(c[0].episode().started_at, since);
    }

    #[test]
    fn two_reasons_of_one_kind_make_one_episode_naming_both() {
        let now = Utc::now();
        let mut h = health(&[ReasonCode::CredentialsRejected, ReasonCode::CredentialsRejected]);
        h.reasons[1].text = "Shoptet too".into();
        let c = changes(&[], &h, now);
        assert_eq!(c.len(), 1);
        assert!(c[0].episode().text.ends_with("; Shoptet too"), "{c:?}");
    }

    #[test]
    fn kinds_read_back_from_their_names() {
        for k in EpisodeKind::ALL {
            assert_eq!(EpisodeKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(EpisodeKind::parse("sunspots"), None);
    }
}
