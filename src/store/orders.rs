//! Orders: what was seen in Shoptet, their sync state and the paged order list.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;

pub(crate) use super::seen::record_seen;
use super::{
    Activity, OrderQuery, OrderRow, OrderSeen, OrderSort, OrderState, Priority, Reason, Result, StateChange,
    Store, StoreError, audit, from_millis, millis, opt_from_millis, parse_enum, parse_fixed, snapshot,
    sql_int,
};

const ROW_COLUMNS: &str = "o.code, o.state, o.change_time, o.creation_time, o.status_id, \
     o.status_name, o.customer, o.email, o.total_with_vat, o.currency, o.synced_hash, \
     o.business_case_id, o.synced_at, o.updated_at, \
     j.priority, j.attempts, j.next_attempt_at, j.dead, j.last_error, j.last_status";

/// An order row as SQLite returns it, before its values are checked.
struct RawOrder {
    code: String,
    state: String,
    change_time: Option<String>,
    creation_time: Option<String>,
    status_id: Option<i64>,
    status_name: Option<String>,
    customer: Option<String>,
    email: Option<String>,
    total_with_vat: Option<String>,
    currency: Option<String>,
    synced_hash: Option<String>,
    business_case_id: Option<i64>,
    synced_at: Option<i64>,
    updated_at: i64,
    priority: Option<i64>,
    attempts: Option<i64>,
    next_attempt_at: Option<i64>,
    dead: Option<bool>,
    last_error: Option<String>,
    last_status: Option<i64>,
}

impl RawOrder {
    fn read(r: &Row<'_>) -> rusqlite::Result<RawOrder> {
        Ok(RawOrder {
            code: r.get(0)?,
            state: r.get(1)?,
            change_time: r.get(2)?,
            creation_time: r.get(3)?,
            status_id: r.get(4)?,
            status_name: r.get(5)?,
            customer: r.get(6)?,
            email: r.get(7)?,
            total_with_vat: r.get(8)?,
            currency: r.get(9)?,
            synced_hash: r.get(10)?,
            business_case_id: r.get(11)?,
            synced_at: r.get(12)?,
            updated_at: r.get(13)?,
            priority: r.get(14)?,
            attempts: r.get(15)?,
            next_attempt_at: r.get(16)?,
            dead: r.get(17)?,
            last_error: r.get(18)?,
            last_status: r.get(19)?,
        })
    }

    fn check(self) -> Result<OrderRow> {
        let total_with_vat = self
            .total_with_vat
            .map(|t| t.parse::<Decimal>().map_err(|e| StoreError::Corrupt(format!("total {t:?}: {e}"))))
            .transpose()?;
        let priority = self
            .priority
            .map(|p| Priority::from_rank(p).ok_or_else(|| StoreError::Corrupt(format!("priority {p}"))))
            .transpose()?;
        let dead = self.dead.unwrap_or(false);
        Ok(OrderRow {
            state: parse_enum(&self.state)?,
            change_time: self.change_time.as_deref().map(parse_fixed).transpose()?,
            creation_time: self.creation_time.as_deref().map(parse_fixed).transpose()?,
            status_id: self.status_id,
            status_name: self.status_name,
            customer: self.customer,
            email: self.email,
            total_with_vat,
            currency: self.currency,
            synced_hash: self.synced_hash,
            business_case_id: self.business_case_id,
            synced_at: opt_from_millis(self.synced_at)?,
            updated_at: from_millis(self.updated_at)?,
            priority,
            attempts: self.attempts.map(to_u32).transpose()?.unwrap_or(0),
            next_attempt_at: if dead { None } else { opt_from_millis(self.next_attempt_at)? },
            last_error: self.last_error.as_deref().map(Reason::from_stored),
            last_status: self.last_status.map(to_u16).transpose()?,
            code: self.code,
        })
    }
}

pub(crate) fn to_u32(n: i64) -> Result<u32> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("count {n}")))
}

pub(crate) fn to_u16(n: i64) -> Result<u16> {
    u16::try_from(n).map_err(|_| StoreError::Corrupt(format!("HTTP status {n}")))
}

/// The state of a stored order, or `UnknownOrder`.
pub(crate) fn state_of(conn: &Connection, code: &str) -> Result<OrderState> {
    let state: Option<String> = conn
        .prepare_cached("SELECT state FROM orders WHERE code = ?1")?
        .query_row(params![code], |r| r.get(0))
        .optional()?;
    match state {
        Some(s) => parse_enum(&s),
        None => Err(StoreError::UnknownOrder(code.to_string())),
    }
}

/// Moves an order to `new` and records `entry` with the change. The entry is written when the
/// state really changes, or always when `always_audit`. Returns the previous state.
pub(crate) fn change_state(
    conn: &Connection,
    now: DateTime<Utc>,
    code: &str,
    new: OrderState,
    entry: &Activity,
    always_audit: bool,
) -> Result<OrderState> {
    let old = state_of(conn, code)?;
    conn.prepare_cached("UPDATE orders SET state = ?2, updated_at = ?3 WHERE code = ?1")?
        .execute(params![code, new.as_str(), millis(now)])?;
    if old != new || always_audit {
        let change = (old != new).then_some(StateChange { from: old, to: new });
        audit::insert(conn, now, Some(code), entry, change)?;
    }
    Ok(old)
}

/// SQL for the ORDER BY of an order page; every key ends with the code so pages are stable.
fn order_by(sort: OrderSort, descending: bool) -> String {
    let dir = if descending { "DESC" } else { "ASC" };
    let keys: &[&str] = match sort {
        OrderSort::Code => &["o.code"],
        OrderSort::ChangeTime => &["o.change_ts"],
        OrderSort::CreationTime => &["o.creation_ts"],
        OrderSort::Customer => &["o.customer COLLATE NOCASE"],
        OrderSort::Total => &["o.total_num"],
        OrderSort::State => &["o.state", "o.change_ts"],
        // Orders without a live job (none, or dead) come last either way.
        OrderSort::NextAttempt => {
            return format!(
                "(CASE WHEN j.dead = 0 THEN j.next_attempt_at END) {dir} NULLS LAST, o.code {dir}"
            );
        }
        OrderSort::Attempts => &["j.attempts"],
    };
    let mut parts: Vec<String> = keys.iter().map(|k| format!("{k} {dir}")).collect();
    if sort != OrderSort::Code {
        parts.push(format!("o.code {dir}"));
    }
    parts.join(", ")
}

/// The WHERE clause and its parameters for an order query.
fn filter(q: &OrderQuery) -> (String, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    if !q.states.is_empty() {
        let marks = vec!["?"; q.states.len()].join(", ");
        clauses.push(format!("o.state IN ({marks})"));
        args.extend(q.states.iter().map(|s| Value::Text(s.as_str().to_string())));
    }
    if let Some(search) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let needle = search.to_lowercase();
        if let Some(pattern) = super::accent_glob(search) {
            // Letters that may carry accents: "kavarna" finds "Kavárna". The trigram index
            // narrows the rows down (each trigram in any spelling), the pattern checks them.
            if let Some(query) = super::accent_trigrams(search) {
                clauses.push(
                    "o.id IN (SELECT rowid FROM orders_search WHERE orders_search MATCH ?)".to_string(),
                );
                args.push(Value::Text(query));
            }
            clauses.push("o.search_key GLOB ?".to_string());
            args.push(Value::Text(pattern));
        } else if needle.chars().count() >= 3 {
            // A quoted FTS5 phrase: with the trigram tokenizer, a substring match.
            clauses.push("o.id IN (SELECT rowid FROM orders_search WHERE orders_search MATCH ?)".to_string());
            args.push(Value::Text(format!("\"{}\"", needle.replace('"', "\"\""))));
        } else {
            clauses.push("instr(o.search_key, ?) > 0".to_string());
            args.push(Value::Text(needle));
        }
    }
    let sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    (sql, args)
}

fn page_sql(q: &OrderQuery) -> (String, Vec<Value>) {
    let (filter, mut args) = filter(q);
    // Only sorts on job columns need the job joined before paging.
    let needs_job = matches!(q.sort, OrderSort::NextAttempt | OrderSort::Attempts);
    let sql = if needs_job {
        format!(
            "SELECT {ROW_COLUMNS} FROM orders o LEFT JOIN jobs j ON j.code = o.code {filter} \
             ORDER BY {} LIMIT ? OFFSET ?",
            order_by(q.sort, q.descending)
        )
    } else {
        // Page over the orders alone (index only), then join the jobs of the page.
        format!(
            "SELECT {ROW_COLUMNS} FROM (SELECT o.id AS rid FROM orders o {filter} \
             ORDER BY {ob} LIMIT ? OFFSET ?) AS page \
             JOIN orders o ON o.id = page.rid LEFT JOIN jobs j ON j.code = o.code \
             ORDER BY {ob}",
            ob = order_by(q.sort, q.descending)
        )
    };
    args.push(sql_int(q.limit).into());
    args.push(sql_int(q.offset).into());
    (sql, args)
}

/// The plan as the sqlite3 shell prints it: one line per step, indented two spaces per level.
pub(crate) fn explain_page(conn: &Connection, q: &OrderQuery) -> Result<Vec<String>> {
    let (sql, args) = page_sql(q);
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let steps = stmt
        .query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut depth: BTreeMap<i64, usize> = BTreeMap::new();
    let mut lines = Vec::with_capacity(steps.len());
    for (id, parent, detail) in steps {
        let d = depth.get(&parent).map_or(0, |p| p + 1);
        depth.insert(id, d);
        lines.push(format!("{}{detail}", "  ".repeat(d)));
    }
    Ok(lines)
}

/// Upserts one seen order inside the caller's transaction; `true` when it is new.
fn load(conn: &Connection, code: &str) -> Result<Option<OrderRow>> {
    let sql =
        format!("SELECT {ROW_COLUMNS} FROM orders o LEFT JOIN jobs j ON j.code = o.code WHERE o.code = ?1");
    conn.prepare_cached(&sql)?
        .query_row(params![code], RawOrder::read)
        .optional()?
        .map(RawOrder::check)
        .transpose()
}

impl Store {
    /// Records what Shoptet said about an order. A new order becomes `Pending` and `true` is
    /// returned; a known order gets its metadata refreshed (unknown fields keep their value)
    /// and keeps its state.
    pub fn record_order_seen(&mut self, seen: &OrderSeen) -> Result<bool> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let is_new = record_seen(&tx, now, seen)?;
        tx.commit()?;
        Ok(is_new)
    }

    /// `record_order_seen` for a batch (e.g. one page from Shoptet) in one transaction;
    /// returns, per order, whether it was new.
    pub fn record_orders_seen(&mut self, seen: &[OrderSeen]) -> Result<Vec<bool>> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let new = seen.iter().map(|s| record_seen(&tx, now, s)).collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(new)
    }

    pub fn order(&self, code: &str) -> Result<Option<OrderRow>> {
        load(&self.conn, code)
    }

    /// One page of orders, filtered, searched and sorted as asked.
    pub fn orders_page(&self, q: &OrderQuery) -> Result<Vec<OrderRow>> {
        let (sql, args) = page_sql(q);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let raw = stmt
            .query_map(rusqlite::params_from_iter(args), RawOrder::read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raw.into_iter().map(RawOrder::check).collect()
    }

    /// How many orders match (offset and limit ignored).
    pub fn count_orders(&self, q: &OrderQuery) -> Result<u64> {
        if q.search.as_deref().is_none_or(|s| s.trim().is_empty()) {
            // Without a search the answer is in the tallies.
            let counts = self.counts()?;
            let states: Vec<OrderState> =
                if q.states.is_empty() { OrderState::ALL.to_vec() } else { q.states.clone() };
            let mut seen = std::collections::BTreeSet::new();
            return Ok(states.into_iter().filter(|s| seen.insert(*s)).map(|s| counts[&s]).sum());
        }
        let (filter, args) = filter(q);
        let sql = format!("SELECT COUNT(*) FROM orders o {filter}");
        let n: i64 =
            self.conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// Orders per state; every state is present, with 0 when it has none.
    pub fn counts(&self) -> Result<BTreeMap<OrderState, u64>> {
        let mut counts: BTreeMap<OrderState, u64> = OrderState::ALL.iter().map(|s| (*s, 0)).collect();
        let mut stmt =
            self.conn.prepare_cached("SELECT substr(name, 7), n FROM tallies WHERE name LIKE 'state:%'")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (state, n) in rows {
            counts.insert(parse_enum(&state)?, n.max(0) as u64);
        }
        Ok(counts)
    }

    /// Sets an order's state by hand (jobs and decisions are left alone); always audited.
    pub fn set_state(&mut self, code: &str, state: OrderState) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        change_state(&tx, now, code, state, &Activity::StateSet, true)?;
        tx.commit()?;
        Ok(())
    }

    /// The order is in RAYNET as `business_case_id` with content `content_hash`: state Synced,
    /// job and decision removed.
    pub fn mark_synced(&mut self, code: &str, business_case_id: i64, content_hash: &str) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        change_state(&tx, now, code, OrderState::Synced, &Activity::Synced { business_case_id }, true)?;
        tx.prepare_cached(
            "UPDATE orders SET synced_hash = ?2, business_case_id = ?3, synced_at = ?4 \
             WHERE code = ?1",
        )?
        .execute(params![code, content_hash, business_case_id, millis(now)])?;
        tx.prepare_cached("DELETE FROM jobs WHERE code = ?1")?.execute(params![code])?;
        tx.prepare_cached("DELETE FROM decisions WHERE code = ?1")?.execute(params![code])?;
        snapshot::set(&tx, &[("last_synced_at", &now.to_rfc3339())])?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets what was synced (for a re-sync); the business case id is kept.
    pub fn forget_hash(&mut self, code: &str) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        state_of(&tx, code)?;
        tx.prepare_cached("UPDATE orders SET synced_hash = NULL, updated_at = ?2 WHERE code = ?1")?
            .execute(params![code, millis(now)])?;
        audit::insert(&tx, now, Some(code), &Activity::ResyncRequested, None)?;
        tx.commit()?;
        Ok(())
    }

    /// A person chose not to sync this order (with their note, if any): state Skipped, job and
    /// decision removed.
    pub fn skip(&mut self, code: &str, note: Option<&str>) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let note = note.map(str::trim).filter(|n| !n.is_empty()).map(String::from);
        change_state(&tx, now, code, OrderState::Skipped, &Activity::Skipped { note }, true)?;
        tx.prepare_cached("DELETE FROM jobs WHERE code = ?1")?.execute(params![code])?;
        tx.prepare_cached("DELETE FROM decisions WHERE code = ?1")?.execute(params![code])?;
        tx.commit()?;
        Ok(())
    }

    /// Back to pending (the order left its final status before it was synced): job removed.
    pub fn set_pending(&mut self, code: &str) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        change_state(&tx, now, code, OrderState::Pending, &Activity::NoLongerFinal, true)?;
        tx.prepare_cached("DELETE FROM jobs WHERE code = ?1")?.execute(params![code])?;
        tx.commit()?;
        Ok(())
    }

    /// Why an order was skipped: the note given with the latest skip (from the audit log), as a
    /// [`Reason::Skipped`]; `None` when it was never skipped or that entry was pruned.
    pub fn skip_reason(&self, code: &str) -> Result<Option<Reason>> {
        let row: Option<(Option<String>, String)> = self
            .conn
            .prepare_cached(
                "SELECT entry, message FROM audit WHERE order_code = ?1 AND kind = 'skipped' \
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![code], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.map(|(entry, message)| match Activity::from_stored(entry.as_deref(), "skipped", &message) {
            Activity::Skipped { note } => Reason::Skipped { note },
            // Older rows read "{old} → skipped: {note}" or "skipped: {note}"; state names hold
            // no ": ".
            _ => Reason::Skipped {
                note: Some(message.split_once(": ").map_or(message.as_str(), |(_, n)| n).to_string()),
            },
        }))
    }

    /// Orders synced per clock hour over the last `hours` hours, oldest first; the last element
    /// is the current hour. Counted from the audit log's "synced" events.
    pub fn synced_per_hour(&self, hours: usize) -> Result<Vec<u64>> {
        let mut buckets = vec![0u64; hours];
        if hours == 0 {
            return Ok(buckets);
        }
        const HOUR: i64 = 3_600_000;
        let now = millis(self.now());
        let current = now.div_euclid(HOUR) * HOUR;
        let span = i64::try_from(hours - 1).unwrap_or(i64::MAX);
        let start = current.saturating_sub(span.saturating_mul(HOUR));
        let mut stmt = self.conn.prepare_cached(
            "SELECT (at - ?1) / ?2 AS bucket, COUNT(*) FROM audit \
             WHERE kind = 'synced' AND at >= ?1 GROUP BY bucket",
        )?;
        let rows = stmt
            .query_map(params![start, HOUR], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (bucket, n) in rows {
            if let Some(slot) = usize::try_from(bucket).ok().and_then(|b| buckets.get_mut(b)) {
                *slot = n.max(0) as u64;
            }
        }
        Ok(buckets)
    }
}
