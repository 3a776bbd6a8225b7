//! RAYNET's `X-Ratelimit-*` headers: the daily request budget of the instance.

use chrono::{DateTime, TimeZone, Utc};
use reqwest::header::HeaderMap;

/// The budget as last reported by RAYNET (`None` until a response carried the header).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitState {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// End of the current window (RAYNET sends unix seconds).
    pub reset: Option<DateTime<Utc>>,
}

impl RateLimitState {
    /// Reads the three headers; `None` when the response carried none of them.
    pub fn from_headers(headers: &HeaderMap) -> Option<RateLimitState> {
        let limit = header_u64(headers, "x-ratelimit-limit");
        let remaining = header_u64(headers, "x-ratelimit-remaining");
        let reset = headers.get("x-ratelimit-reset").and_then(|v| v.to_str().ok()).and_then(parse_reset);
        if limit.is_none() && remaining.is_none() && reset.is_none() {
            return None;
        }
        Some(RateLimitState { limit, remaining, reset })
    }

    /// Whether the daily budget is used up (as opposed to the concurrent-connection cap).
    pub fn exhausted(&self) -> bool {
        self.remaining == Some(0)
    }
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// Unix seconds (milliseconds tolerated) or an HTTP-date.
pub fn parse_reset(value: &str) -> Option<DateTime<Utc>> {
    let v = value.trim();
    if let Ok(n) = v.parse::<i64>() {
        // Anything past year 5000 in seconds is surely milliseconds.
        let secs = if n > 100_000_000_000 { n / 1000 } else { n };
        return Utc.timestamp_opt(secs, 0).single();
    }
    DateTime::parse_from_rfc2822(v).ok().map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn reads_all_three_headers() {
        let mut h = HeaderMap::new();
        h.insert("X-Ratelimit-Limit", HeaderValue::from_static("24000"));
        h.insert("X-Ratelimit-Remaining", HeaderValue::from_static("0"));
        h.insert("X-Ratelimit-Reset", HeaderValue::from_static("1719878400"));
        let s = RateLimitState::from_headers(&h).unwrap();
        assert_eq!(s.limit, Some(24000));
        assert!(s.exhausted());
        assert_eq!(s.reset, Utc.timestamp_opt(1_719_878_400, 0).single());
    }

    #[test]
    fn absent_or_garbage_headers_give_nothing() {
        assert_eq!(RateLimitState::from_headers(&HeaderMap::new()), None);
        let mut h = HeaderMap::new();
        h.insert("X-Ratelimit-Remaining", HeaderValue::from_static("lots"));
        assert_eq!(RateLimitState::from_headers(&h), None);
        assert_eq!(parse_reset("1719878400000"), Utc.timestamp_opt(1_719_878_400, 0).single());
    }
}
