//! When a failed order is tried again: capped exponential backoff with full jitter.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Backoff schedule for failed orders: `base × 2ⁿ` capped, full jitter, dead after `max_attempts`.
#[derive(Debug, Clone, Copy)]
pub struct RetrySchedule {
    pub base: Duration,
    pub cap: Duration,
    pub max_attempts: u32,
}

impl Default for RetrySchedule {
    fn default() -> Self {
        RetrySchedule { base: Duration::from_secs(30), cap: Duration::from_secs(6 * 3600), max_attempts: 12 }
    }
}

impl RetrySchedule {
    /// A quick schedule for the demo and tests.
    pub fn fast() -> Self {
        RetrySchedule { base: Duration::from_millis(300), cap: Duration::from_secs(5), max_attempts: 6 }
    }

    /// The upper bound of the wait after `attempts` failures (1-based).
    pub fn ceiling(&self, attempts: u32) -> Duration {
        let exp = attempts.saturating_sub(1).min(30);
        self.base.saturating_mul(1u32 << exp.min(20)).min(self.cap)
    }

    /// When to try again after `attempts` failures, or `None` when the order is dead.
    /// `not_before` (a `Retry-After` or rate-limit reset) wins when it is later.
    pub fn next_attempt(
        &self,
        attempts: u32,
        now: DateTime<Utc>,
        not_before: Option<DateTime<Utc>>,
    ) -> Option<DateTime<Utc>> {
        if attempts >= self.max_attempts {
            return None;
        }
        let ceiling = self.ceiling(attempts).as_millis() as u64;
        // Full jitter, but never less than a tenth of the ceiling so retries do not spin.
        let wait = fastrand::u64(ceiling / 10..=ceiling.max(1));
        let at = now + chrono::Duration::milliseconds(wait as i64);
        Some(match not_before {
            Some(nb) if nb > at => nb,
            _ => at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let s = RetrySchedule::default();
        assert_eq!(s.ceiling(1), Duration::from_secs(30));
        assert_eq!(s.ceiling(2), Duration::from_secs(60));
        assert_eq!(s.ceiling(5), Duration::from_secs(480));
        assert_eq!(s.ceiling(11), Duration::from_secs(6 * 3600));
    }

    #[test]
    fn jitter_stays_within_the_ceiling_and_dead_after_max() {
        let s = RetrySchedule::default();
        let now = Utc::now();
        for attempts in 1..12 {
            let at = s.next_attempt(attempts, now, None).unwrap();
            let wait = (at - now).to_std().unwrap();
            assert!(wait <= s.ceiling(attempts), "attempt {attempts}: {wait:?}");
            assert!(wait >= s.ceiling(attempts) / 10 - Duration::from_millis(1));
        }
        assert_eq!(s.next_attempt(12, now, None), None);
    }

    #[test]
    fn retry_after_wins_when_later() {
        let s = RetrySchedule::default();
        let now = Utc::now();
        let reset = now + chrono::Duration::hours(2);
        assert_eq!(s.next_attempt(1, now, Some(reset)), Some(reset));
        let soon = now - chrono::Duration::seconds(5);
        assert!(s.next_attempt(1, now, Some(soon)).unwrap() > now);
    }
}
