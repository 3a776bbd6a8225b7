//! The health rules: a pure function from a [`Snapshot`] and the time to ok / degraded /
//! failing with typed reasons. `/healthz`, the metrics and the alert episodes all read it.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::engine::api::EngineState;
use crate::http::Service;
use crate::store::OrderState;

use super::Snapshot;

/// How the sync is doing, worst last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Everything works.
    Ok,
    /// It works, partly or slowly, and recovers by itself (or some orders need a person).
    Degraded,
    /// Orders are not being synced and a person has to act.
    Failing,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Ok, Level::Degraded, Level::Failing];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Degraded => "degraded",
            Level::Failing => "failing",
        }
    }
}

/// Why the sync is not ok.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    CredentialsRejected,
    ConfigProblem,
    EngineStopped,
    PollStale,
    RaynetBudgetExhausted,
    ApiFailing,
    OrdersDead,
    EnginePaused,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 8] = [
        ReasonCode::CredentialsRejected,
        ReasonCode::ConfigProblem,
        ReasonCode::EngineStopped,
        ReasonCode::PollStale,
        ReasonCode::RaynetBudgetExhausted,
        ReasonCode::ApiFailing,
        ReasonCode::OrdersDead,
        ReasonCode::EnginePaused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::CredentialsRejected => "credentials_rejected",
            ReasonCode::ConfigProblem => "config_problem",
            ReasonCode::EngineStopped => "engine_stopped",
            ReasonCode::PollStale => "poll_stale",
            ReasonCode::RaynetBudgetExhausted => "raynet_budget_exhausted",
            ReasonCode::ApiFailing => "api_failing",
            ReasonCode::OrdersDead => "orders_dead",
            ReasonCode::EnginePaused => "engine_paused",
        }
    }

    /// How bad this reason is on its own.
    pub fn level(self) -> Level {
        match self {
            ReasonCode::CredentialsRejected
            | ReasonCode::ConfigProblem
            | ReasonCode::EngineStopped
            | ReasonCode::PollStale => Level::Failing,
            ReasonCode::RaynetBudgetExhausted
            | ReasonCode::ApiFailing
            | ReasonCode::OrdersDead
            | ReasonCode::EnginePaused => Level::Degraded,
        }
    }
}

/// One reason, with the service it concerns and a sentence for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub level: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    pub text: String,
}

impl Reason {
    fn new(code: ReasonCode, service: Option<Service>, text: String) -> Reason {
        Reason { code, level: code.level(), service, text }
    }
}

/// The verdict: the worst level of the reasons (ok without any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    pub status: Level,
    pub reasons: Vec<Reason>,
}

impl Health {
    pub fn has(&self, code: ReasonCode) -> bool {
        self.reasons.iter().any(|r| r.code == code)
    }
}

/// The limits the rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// No successful poll for this long is a problem.
    pub stale_poll: Duration,
    /// This many failed calls in a row (no answer or a 5xx) make a service "failing".
    pub failing_after: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { stale_poll: Duration::minutes(15), failing_after: 3 }
    }
}

/// The health of `s` at `now`.
pub fn evaluate(s: &Snapshot, rules: &Rules, now: DateTime<Utc>) -> Health {
    let mut reasons = engine_reasons(s.engine.as_ref());
    // A paused, stopped or blocked engine does not poll: that is its reason, not a second one.
    if reasons.is_empty()
        && let Some(r) = stale_poll(s, rules, now)
    {
        reasons.push(r);
    }
    reasons.extend(budget_exhausted(s, now));
    for service in [Service::Shoptet, Service::Raynet] {
        let n = s.streak(service);
        if n >= rules.failing_after {
            let text = format!("{service} is failing: the last {n} calls got no answer or a server error");
            reasons.push(Reason::new(ReasonCode::ApiFailing, Some(service), text));
        }
    }
    let dead = s.count(OrderState::Dead);
    if dead > 0 {
        let text = format!(
            "{dead} order{} gave up after every retry — retry them (`retry --all`) once the cause is fixed",
            if dead == 1 { "" } else { "s" }
        );
        reasons.push(Reason::new(ReasonCode::OrdersDead, None, text));
    }
    let status = reasons.iter().map(|r| r.level).max().unwrap_or(Level::Ok);
    Health { status, reasons }
}

fn engine_reasons(state: Option<&EngineState>) -> Vec<Reason> {
    let reason = match state {
        Some(EngineState::AuthProblem { service, problem }) => Reason::new(
            ReasonCode::CredentialsRejected,
            Some(*service),
            format!("{service} rejected the credentials; fix them in the configuration: {problem}"),
        ),
        Some(EngineState::ConfigProblem { problem }) => {
            Reason::new(ReasonCode::ConfigProblem, None, format!("the configuration does not fit: {problem}"))
        }
        Some(EngineState::Stopped) => {
            Reason::new(ReasonCode::EngineStopped, None, "the sync engine has stopped".into())
        }
        Some(EngineState::Paused) => {
            Reason::new(ReasonCode::EnginePaused, None, "the sync is paused; resume it to go on".into())
        }
        _ => return Vec::new(),
    };
    vec![reason]
}

fn stale_poll(s: &Snapshot, rules: &Rules, now: DateTime<Utc>) -> Option<Reason> {
    let since = s.last_poll.map_or(s.watching_since, |p| p.max(s.watching_since));
    let quiet = now - since;
    (quiet > rules.stale_poll).then(|| {
        let text = match s.last_poll {
            Some(at) => format!(
                "no successful poll of Shoptet for {} min (last at {})",
                quiet.num_minutes(),
                at.format("%Y-%m-%d %H:%M UTC")
            ),
            None => {
                format!("no successful poll of Shoptet in the {} min since the start", quiet.num_minutes())
            }
        };
        Reason::new(ReasonCode::PollStale, Some(Service::Shoptet), text)
    })
}

fn budget_exhausted(s: &Snapshot, now: DateTime<Utc>) -> Option<Reason> {
    let b = s.raynet_budget.as_ref()?;
    if b.remaining != Some(0) || b.reset.is_some_and(|r| r <= now) {
        return None;
    }
    let until = b.reset.map(|r| format!(" until {}", r.format("%Y-%m-%d %H:%M UTC"))).unwrap_or_default();
    let text = format!(
        "RAYNET's daily request budget{} is used up: orders wait{until}",
        b.limit.map(|l| format!(" ({l})")).unwrap_or_default()
    );
    Some(Reason::new(ReasonCode::RaynetBudgetExhausted, Some(Service::Raynet), text))
}

#[cfg(test)]
#[path = "evaluate_tests.rs"]
mod tests;
