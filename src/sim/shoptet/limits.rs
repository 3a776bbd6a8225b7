//! Shoptet's request limits as documented (shoptet-api.md §3 "Rate limiting", from the spec's
//! rate-limiter section and developers.shoptet.com/api/documentation/rate-limiter/):
//!
//! - at most 3 simultaneous connections per token (nginx `limit_conn per_token 3`,
//!   `limit_conn_status 429`): a 4th request in flight with the same token is answered 429;
//! - a leaky bucket of 200 drops per e-shop that leaks 10 drops a second; every response
//!   carries `X-RateLimit-Bucket-Filling: <current>/<max>`, and a full bucket answers 429 with
//!   `Retry-After` as an HTTP-date.
//!
//! Shoptet computes a request's drops after it ran, from its complexity, and does not publish
//! the formula: the simulator counts one drop per request. The connection cap always applies;
//! the bucket only after [`super::ShoptetSim::set_leaky_bucket`] (the tests and the demo send
//! bursts a real shop would throttle, and report the fixed filling of `set_bucket_filling`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::sim::lock;

/// Simultaneous requests Shoptet serves per token.
pub const CONNECTIONS_PER_TOKEN: usize = 3;
/// Drops the bucket holds.
pub const BUCKET_CAPACITY: f64 = 200.0;
/// Drops the bucket loses per second.
pub const LEAK_PER_SEC: f64 = 10.0;
/// Drops one request adds (not published by Shoptet; see the module comment).
const DROPS_PER_REQUEST: f64 = 1.0;

/// What the limits say about a request about to run.
pub(super) enum Admission {
    /// Go ahead; the guard gives the connection back when dropped.
    Admitted(ConnectionGuard),
    /// More than three requests in flight with this token.
    TooManyConnections,
    /// The bucket is full: try again in this many seconds (at least 1).
    BucketFull { retry_after_secs: u64 },
}

#[derive(Default)]
pub(super) struct Limits {
    /// Requests in flight per token.
    in_flight: std::sync::Arc<Mutex<HashMap<String, usize>>>,
    /// `None` while the bucket is off.
    bucket: Mutex<Option<Bucket>>,
}

struct Bucket {
    level: f64,
    at: Instant,
}

impl Bucket {
    fn leak(&mut self, now: Instant) {
        let secs = now.saturating_duration_since(self.at).as_secs_f64();
        self.level = (self.level - secs * LEAK_PER_SEC).max(0.0);
        self.at = now;
    }
}

impl Limits {
    pub(super) fn set_bucket(&self, on: bool) {
        *lock(&self.bucket) = on.then(|| Bucket { level: 0.0, at: Instant::now() });
    }

    /// Checks the bucket and takes one of the token's connections.
    pub(super) fn admit(&self, token: &str) -> Admission {
        if let Some(b) = lock(&self.bucket).as_mut() {
            b.leak(Instant::now());
            if b.level + DROPS_PER_REQUEST > BUCKET_CAPACITY {
                let wait = (b.level + DROPS_PER_REQUEST - BUCKET_CAPACITY) / LEAK_PER_SEC;
                return Admission::BucketFull { retry_after_secs: (wait.ceil() as u64).max(1) };
            }
        }
        let mut in_flight = lock(&self.in_flight);
        let n = in_flight.entry(token.to_string()).or_default();
        if *n >= CONNECTIONS_PER_TOKEN {
            return Admission::TooManyConnections;
        }
        *n += 1;
        Admission::Admitted(ConnectionGuard { in_flight: self.in_flight.clone(), token: token.to_string() })
    }

    /// Adds the drops of a request that ran; the filling to report, `None` while the bucket is off.
    pub(super) fn pour(&self) -> Option<(u64, u64)> {
        let mut bucket = lock(&self.bucket);
        let b = bucket.as_mut()?;
        b.leak(Instant::now());
        b.level = (b.level + DROPS_PER_REQUEST).min(BUCKET_CAPACITY);
        Some((b.level.ceil() as u64, BUCKET_CAPACITY as u64))
    }

    /// The filling now, `None` while the bucket is off.
    pub(super) fn filling(&self) -> Option<(u64, u64)> {
        let mut bucket = lock(&self.bucket);
        let b = bucket.as_mut()?;
        b.leak(Instant::now());
        Some((b.level.ceil() as u64, BUCKET_CAPACITY as u64))
    }
}

/// One connection of a token, given back on drop.
pub(super) struct ConnectionGuard {
    in_flight: std::sync::Arc<Mutex<HashMap<String, usize>>>,
    token: String,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        let mut in_flight = lock(&self.in_flight);
        if let Some(n) = in_flight.get_mut(&self.token) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                in_flight.remove(&self.token);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fourth_connection_of_one_token_is_refused_and_others_are_not_counted() {
        let limits = Limits::default();
        let held: Vec<_> = (0..3)
            .map(|_| match limits.admit("a") {
                Admission::Admitted(g) => g,
                _ => panic!("three connections are allowed"),
            })
            .collect();
        assert!(matches!(limits.admit("a"), Admission::TooManyConnections));
        assert!(matches!(limits.admit("b"), Admission::Admitted(_)), "another token has its own three");
        drop(held);
        assert!(matches!(limits.admit("a"), Admission::Admitted(_)));
    }

    #[test]
    fn the_bucket_fills_by_one_drop_per_request_and_refuses_when_full() {
        let limits = Limits::default();
        assert_eq!(limits.pour(), None, "off by default");
        limits.set_bucket(true);
        for _ in 0..200 {
            assert!(matches!(limits.admit("a"), Admission::Admitted(_)));
            limits.pour();
        }
        let (level, max) = limits.filling().unwrap();
        assert!((195..=200).contains(&level) && max == 200, "{level}/{max}");
        // Leaking 10 a second, the 201st request within the same moment finds it full.
        if let Some(b) = lock(&limits.bucket).as_mut() {
            b.level = BUCKET_CAPACITY;
            b.at = Instant::now();
        }
        assert!(matches!(limits.admit("a"), Admission::BucketFull { retry_after_secs: 1 }));
    }
}
