//! The audit log: every state change and operator action, newest first.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::{AuditEvent, AuditQuery, Result, Store, from_millis, millis, sql_int};

/// Writes one audit row inside the caller's transaction, with credentials redacted.
pub(crate) fn insert(
    conn: &Connection,
    at: DateTime<Utc>,
    order_code: Option<&str>,
    kind: &str,
    message: &str,
) -> Result<()> {
    let message = crate::config::redact::redact(message);
    conn.prepare_cached("INSERT INTO audit (at, order_code, kind, message) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![millis(at), order_code, kind, message.as_ref()])?;
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

impl Store {
    pub fn audit(&mut self, order_code: Option<&str>, kind: &str, message: &str) -> Result<()> {
        insert(&self.conn, self.now(), order_code, kind, message)
    }

    /// A page of the audit log, newest first. The search is case-insensitive for ASCII letters.
    pub fn audit_page(&self, q: &AuditQuery) -> Result<Vec<AuditEvent>> {
        let (filter, mut args) = filter(q);
        args.push(sql_int(q.limit).into());
        args.push(sql_int(q.offset).into());
        let sql = format!(
            "SELECT id, at, order_code, kind, message FROM audit {filter} \
             ORDER BY id DESC LIMIT ? OFFSET ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let raw = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raw.into_iter()
            .map(|(id, at, order_code, kind, message)| {
                Ok(AuditEvent { id, at: from_millis(at)?, order_code, kind, message })
            })
            .collect()
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
