//! The health rules, one test per rule.

use chrono::{Duration, Utc};

use super::*;
use crate::store::RateLimitRecord;

fn at_rest() -> (Snapshot, DateTime<Utc>) {
    let now = Utc::now();
    let s = Snapshot {
        engine: Some(EngineState::Idle),
        watching_since: now - Duration::hours(2),
        last_poll: Some(now - Duration::minutes(1)),
        last_sync: Some(now - Duration::minutes(1)),
        ..Snapshot::default()
    };
    (s, now)
}

fn codes(h: &Health) -> Vec<ReasonCode> {
    h.reasons.iter().map(|r| r.code).collect()
}

#[test]
fn a_recent_poll_and_an_idle_engine_are_ok() {
    let (s, now) = at_rest();
    let h = evaluate(&s, &Rules::default(), now);
    assert_eq!(h.status, Level::Ok);
    assert!(h.reasons.is_empty(), "{h:?}");
}

#[test]
fn rejected_credentials_fail_and_name_the_service() {
    let (mut s, now) = at_rest();
    s.engine = Some(EngineState::AuthProblem { service: Service::Raynet, problem: "HTTP 401".into() });
    let h = evaluate(&s, &Rules::default(), now);
    assert_eq!(h.status, Level::Failing);
    assert_eq!(codes(&h), [ReasonCode::CredentialsRejected]);
    assert_eq!(h.reasons[0].service, Some(Service::Raynet));
    assert!(h.reasons[0].text.contains("RAYNET") && h.reasons[0].text.contains("HTTP 401"), "{h:?}");
}

#[test]
fn a_configuration_problem_and_a_stopped_engine_fail() {
    let (mut s, now) = at_rest();
    s.engine = Some(EngineState::ConfigProblem { problem: "owner 12 is gone".into() });
    assert_eq!(codes(&evaluate(&s, &Rules::default(), now)), [ReasonCode::ConfigProblem]);
    s.engine = Some(EngineState::Stopped);
    let h = evaluate(&s, &Rules::default(), now);
    assert_eq!((h.status, codes(&h)), (Level::Failing, vec![ReasonCode::EngineStopped]));
}

#[test]
fn a_paused_engine_is_degraded_and_its_missing_polls_are_not_a_second_reason() {
    let (mut s, now) = at_rest();
    s.engine = Some(EngineState::Paused);
    s.last_poll = Some(now - Duration::hours(1));
    let h = evaluate(&s, &Rules::default(), now);
    assert_eq!(h.status, Level::Degraded);
    assert_eq!(codes(&h), [ReasonCode::EnginePaused]);
}

#[test]
fn no_successful_poll_for_longer_than_the_limit_fails() {
    let (mut s, now) = at_rest();
    let rules = Rules { stale_poll: Duration::minutes(15), ..Rules::default() };
    s.last_poll = Some(now - Duration::minutes(15));
    assert_eq!(evaluate(&s, &rules, now).status, Level::Ok, "exactly the limit is still fine");
    s.last_poll = Some(now - Duration::minutes(16));
    let h = evaluate(&s, &rules, now);
    assert_eq!((h.status, codes(&h)), (Level::Failing, vec![ReasonCode::PollStale]));
    assert!(h.reasons[0].text.contains("16 min"), "{h:?}");
}

#[test]
fn the_stale_poll_clock_starts_no_earlier_than_the_watch() {
    let (mut s, now) = at_rest();
    s.watching_since = now - Duration::minutes(2);
    s.last_poll = Some(now - Duration::days(3));
    assert_eq!(evaluate(&s, &Rules::default(), now).status, Level::Ok, "a fresh start is not stale");
    s.last_poll = None;
    s.watching_since = now - Duration::minutes(20);
    assert_eq!(codes(&evaluate(&s, &Rules::default(), now)), [ReasonCode::PollStale]);
}

#[test]
fn an_exhausted_raynet_budget_degrades_until_its_reset() {
    let (mut s, now) = at_rest();
    let reset = now + Duration::hours(3);
    s.raynet_budget = Some(RateLimitRecord { limit: Some(24_000), remaining: Some(0), reset: Some(reset) });
    let h = evaluate(&s, &Rules::default(), now);
    assert_eq!((h.status, codes(&h)), (Level::Degraded, vec![ReasonCode::RaynetBudgetExhausted]));
    assert!(h.reasons[0].text.contains("24000"), "{h:?}");
    let later = reset + Duration::seconds(1);
    let mut after_reset = s.clone();
    after_reset.last_poll = Some(later - Duration::minutes(1));
    assert_eq!(evaluate(&after_reset, &Rules::default(), later).status, Level::Ok, "the reset has passed");
    s.raynet_budget = Some(RateLimitRecord { limit: Some(24_000), remaining: Some(1), reset: Some(reset) });
    assert_eq!(evaluate(&s, &Rules::default(), now).status, Level::Ok, "one request left is not exhausted");
}

#[test]
fn a_service_failing_several_calls_in_a_row_degrades() {
    let (mut s, now) = at_rest();
    let rules = Rules { failing_after: 3, ..Rules::default() };
    s.failing_streak = vec![(Service::Shoptet, 2), (Service::Raynet, 0)];
    assert_eq!(evaluate(&s, &rules, now).status, Level::Ok);
    s.failing_streak = vec![(Service::Shoptet, 3)];
    let h = evaluate(&s, &rules, now);
    assert_eq!((h.status, codes(&h)), (Level::Degraded, vec![ReasonCode::ApiFailing]));
    assert_eq!(h.reasons[0].service, Some(Service::Shoptet));
}

#[test]
fn dead_orders_degrade_and_are_counted() {
    let (mut s, now) = at_rest();
    s.counts.insert(OrderState::Dead, 2);
    s.counts.insert(OrderState::Failed, 7);
    let h = evaluate(&s, &Rules::default(), now);
    assert_eq!((h.status, codes(&h)), (Level::Degraded, vec![ReasonCode::OrdersDead]));
    assert!(h.reasons[0].text.starts_with("2 orders"), "{h:?}");
}

#[test]
fn the_worst_reason_sets_the_status() {
    let (mut s, now) = at_rest();
    s.counts.insert(OrderState::Dead, 1);
    s.last_poll = Some(now - Duration::hours(1));
    let h = evaluate(&s, &Rules::default(), now);
    assert_eq!(h.status, Level::Failing);
    assert_eq!(codes(&h), [ReasonCode::PollStale, ReasonCode::OrdersDead]);
}
