//! The audit log: every state change and operator action, newest first.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::{
    Activity, AuditEvent, AuditQuery, OrderState, Result, StateChange, Store, from_millis, millis,
    parse_enum, sql_int,
};

/// Writes one audit row inside the caller's transaction, with credentials redacted: the typed
/// entry, its kind, the words a search finds it by, and the state change it records.
pub(crate) fn insert(
    conn: &Connection,
    at: DateTime<Utc>,
    order_code: Option<&str>,
    entry: &Activity,
    change: Option<StateChange>,
) -> Result<()> {
    let words = entry.search_text();
    let words = crate::config::redact::redact(&words);
    conn.prepare_cached(
        "INSERT INTO audit (at, order_code, kind, message, entry, from_state, to_state) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        millis(at),
        order_code,
        entry.kind(),
        words.as_ref(),
        entry.to_stored(),
        change.map(|c| c.from.as_str()),
        change.map(|c| c.to.as_str()),
    ])?;
    Ok(())
}

/// `%text%` for LIKE, with the wildcards in `text` escaped by `\`.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The WHERE clause and its parameters for an audit query.
fn filter(q: &AuditQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    if let Some(code) = &q.order_code {
        clauses.push("order_code = ?".to_string());
        args.push(Value::Text(code.clone()));
    }
    if let Some(search) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let (op, p) = match super::accent_glob(search) {
            Some(glob) => ("GLOB ?", glob),
            None => ("LIKE ? ESCAPE '\\'", like_pattern(search)),
        };
        clauses.push(format!("(message {op} OR kind {op} OR order_code {op})"));
        args.extend([Value::Text(p.clone()), Value::Text(p.clone()), Value::Text(p)]);
    }
    let sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    (sql, args)
}

/// An audit row as SQLite returns it.
struct RawEvent {
    id: i64,
    at: i64,
    order_code: Option<String>,
    kind: String,
    message: String,
    entry: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl RawEvent {
    fn check(self) -> Result<AuditEvent> {
        let change = match (self.from.as_deref(), self.to.as_deref()) {
            (Some(from), Some(to)) => {
                Some(StateChange { from: parse_enum::<OrderState>(from)?, to: parse_enum(to)? })
            }
            _ => None,
        };
        Ok(AuditEvent {
            id: self.id,
            at: from_millis(self.at)?,
            order_code: self.order_code,
            entry: Activity::from_stored(self.entry.as_deref(), &self.kind, &self.message),
            kind: self.kind,
            change,
        })
    }
}

impl Store {
    /// Records `entry` in the activity log (about `order_code`, when it is about an order).
    pub fn audit(&mut self, order_code: Option<&str>, entry: &Activity) -> Result<()> {
        insert(&self.conn, self.now(), order_code, entry, None)
    }

    /// A page of the audit log, newest first. The search is case-insensitive for ASCII letters.
    pub fn audit_page(&self, q: &AuditQuery) -> Result<Vec<AuditEvent>> {
        let (filter, mut args) = filter(q);
        args.push(sql_int(q.limit).into());
        args.push(sql_int(q.offset).into());
        let sql = format!(
            "SELECT id, at, order_code, kind, message, entry, from_state, to_state FROM audit {filter} \
             ORDER BY id DESC LIMIT ? OFFSET ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let raw = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok(RawEvent {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    order_code: r.get(2)?,
                    kind: r.get(3)?,
                    message: r.get(4)?,
                    entry: r.get(5)?,
                    from: r.get(6)?,
                    to: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raw.into_iter().map(RawEvent::check).collect()
    }

    /// How many events match (offset and limit ignored).
    pub fn count_audit(&self, q: &AuditQuery) -> Result<u64> {
        if q.order_code.is_none() && q.search.as_deref().is_none_or(|s| s.trim().is_empty()) {
            let n: i64 = self
                .conn
                .prepare_cached("SELECT n FROM tallies WHERE name = 'audit'")?
                .query_row([], |r| r.get(0))?;
            return Ok(n.max(0) as u64);
        }
        let (filter, args) = filter(q);
        let sql = format!("SELECT COUNT(*) FROM audit {filter}");
        let n: i64 =
            self.conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// Deletes events older than `keep_days` days; returns how many.
    pub fn prune_audit(&mut self, keep_days: i64) -> Result<u64> {
        let cutoff = millis(self.now()).saturating_sub(keep_days.max(0).saturating_mul(86_400_000));
        let n = self.conn.execute("DELETE FROM audit WHERE at < ?1", params![cutoff])?;
        Ok(n as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
