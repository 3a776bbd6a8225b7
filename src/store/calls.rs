//! The API calls made for each order, for the troubleshooting view.

use rusqlite::params;

use super::{Result, Store, StoreError, from_millis, millis};
use crate::config::redact::{redact, redact_opt};
use crate::http::{CallRecord, Service};

/// How many calls are kept per order; older ones are dropped.
pub const CALLS_KEPT_PER_ORDER: i64 = 200;

/// A service as the store writes it (the engine snapshot writes the same words).
pub(super) fn service_name(s: Service) -> &'static str {
    match s {
        Service::Shoptet => "shoptet",
        Service::Raynet => "raynet",
    }
}

pub(super) fn parse_service(text: &str) -> Result<Service> {
    match text {
        "shoptet" => Ok(Service::Shoptet),
        "raynet" => Ok(Service::Raynet),
        other => Err(StoreError::Corrupt(format!("unknown service {other:?}"))),
    }
}

impl Store {
    /// Appends calls made for an order and keeps only its newest 200. Credentials in the path
    /// or the error text (an API may echo one in its error body) are stored redacted.
    pub fn record_calls(&mut self, order_code: &str, calls: &[CallRecord]) -> Result<()> {
        if calls.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO calls (order_code, at, service, method, path, status, duration_ms, error) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for c in calls {
                insert.execute(params![
                    order_code,
                    millis(c.at),
                    service_name(c.service),
                    c.method,
                    redact(&c.path).as_ref(),
                    c.status,
                    i64::try_from(c.duration_ms).unwrap_or(i64::MAX),
                    redact_opt(c.error.as_deref()),
                ])?;
            }
            tx.prepare_cached(
                "DELETE FROM calls WHERE order_code = ?1 AND id < \
                 (SELECT id FROM calls WHERE order_code = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
            )?
            .execute(params![order_code, CALLS_KEPT_PER_ORDER - 1])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The kept calls of an order, oldest first.
    pub fn calls(&self, order_code: &str) -> Result<Vec<CallRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, service, method, path, status, duration_ms, error \
             FROM calls WHERE order_code = ?1 ORDER BY id",
        )?;
        let raw = stmt
            .query_map(params![order_code], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raw.into_iter()
            .map(|(at, service, method, path, status, duration_ms, error)| {
                Ok(CallRecord {
                    service: parse_service(&service)?,
                    method,
                    path,
                    status: status
                        .map(|s| {
                            u16::try_from(s).map_err(|_| StoreError::Corrupt(format!("HTTP status {s}")))
                        })
                        .transpose()?,
                    duration_ms: u64::try_from(duration_ms).unwrap_or(0),
                    error,
                    at: from_millis(at)?,
                })
            })
            .collect()
    }
}
