//! Recording what was read of an order: a new order is inserted pending (with an audit line),
//! a known one takes what was read and keeps what was not.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::prelude::ToPrimitive;

use super::{Activity, OrderSeen, OrderState, Result, audit, millis, search_key};

pub(crate) fn record_seen(conn: &Connection, now: DateTime<Utc>, seen: &OrderSeen) -> Result<bool> {
    let known = conn
        .prepare_cached("SELECT customer, email FROM orders WHERE code = ?1")?
        .query_row(params![seen.code], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .optional()?;
    let cols = SeenColumns::of(seen);
    let is_new = known.is_none();
    match known {
        None => insert_seen(conn, now, seen, &cols)?,
        Some((old_customer, old_email)) => {
            let customer = seen.customer.as_deref().or(old_customer.as_deref());
            let email = seen.email.as_deref().or(old_email.as_deref());
            let key = search_key(&[Some(&seen.code), customer, email]);
            update_seen(conn, now, seen, &cols, &key)?;
        }
    }
    Ok(is_new)
}

/// The columns of an [`OrderSeen`] as stored: times as text and milliseconds, totals as text
/// and number.
struct SeenColumns {
    change_time: Option<String>,
    change_ts: Option<i64>,
    creation_time: Option<String>,
    creation_ts: Option<i64>,
    total: Option<String>,
    total_num: Option<f64>,
}

impl SeenColumns {
    fn of(seen: &OrderSeen) -> SeenColumns {
        SeenColumns {
            change_time: seen.change_time.map(|t| t.to_rfc3339()),
            change_ts: seen.change_time.map(|t| t.timestamp_millis()),
            creation_time: seen.creation_time.map(|t| t.to_rfc3339()),
            creation_ts: seen.creation_time.map(|t| t.timestamp_millis()),
            total: seen.total_with_vat.map(|t| t.to_string()),
            total_num: seen.total_with_vat.and_then(|t| t.to_f64()),
        }
    }
}

/// A new order: inserted pending, with an audit line.
fn insert_seen(conn: &Connection, now: DateTime<Utc>, seen: &OrderSeen, c: &SeenColumns) -> Result<()> {
    let key = search_key(&[Some(&seen.code), seen.customer.as_deref(), seen.email.as_deref()]);
    conn.prepare_cached(
        "INSERT INTO orders (code, state, change_time, change_ts, creation_time, \
         creation_ts, status_id, status_name, customer, email, total_with_vat, \
         total_num, currency, updated_at, search_key) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        seen.code,
        OrderState::Pending.as_str(),
        c.change_time,
        c.change_ts,
        c.creation_time,
        c.creation_ts,
        seen.status_id,
        seen.status_name,
        seen.customer,
        seen.email,
        c.total,
        c.total_num,
        seen.currency,
        millis(now),
        key,
    ])?;
    let status = seen.status_name.clone().or_else(|| seen.status_id.map(|s| s.to_string()));
    audit::insert(conn, now, Some(&seen.code), &Activity::Seen { status }, None)?;
    Ok(())
}

/// A known order: what was read replaces what is stored; what was not read is kept.
fn update_seen(
    conn: &Connection,
    now: DateTime<Utc>,
    seen: &OrderSeen,
    c: &SeenColumns,
    key: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET \
             change_time = COALESCE(?2, change_time), change_ts = COALESCE(?3, change_ts), \
             creation_time = COALESCE(?4, creation_time), \
             creation_ts = COALESCE(?5, creation_ts), \
             status_id = COALESCE(?6, status_id), status_name = COALESCE(?7, status_name), \
             customer = COALESCE(?8, customer), email = COALESCE(?9, email), \
             total_with_vat = COALESCE(?10, total_with_vat), \
             total_num = COALESCE(?11, total_num), currency = COALESCE(?12, currency), \
             updated_at = ?13, search_key = ?14 \
             WHERE code = ?1",
    )?
    .execute(params![
        seen.code,
        c.change_time,
        c.change_ts,
        c.creation_time,
        c.creation_ts,
        seen.status_id,
        seen.status_name,
        seen.customer,
        seen.email,
        c.total,
        c.total_num,
        seen.currency,
        millis(now),
        key,
    ])?;
    Ok(())
}
