//! The entity map: which RAYNET record each Shoptet customer, product and order became.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params};

use super::{
    Activity, EntityKind, EntityQuery, EntityRecord, How, Result, Store, audit, from_millis, millis,
    parse_enum, search_key, sql_int,
};

const COLUMNS: &str = "kind, shoptet_key, raynet_id, how, matched_by, label, shoptet_ref, \
     first_order_code, created_at";

type RawEntity = (String, String, i64, String, Option<String>, String, Option<String>, Option<String>, i64);

fn read(r: &Row<'_>) -> rusqlite::Result<RawEntity> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
}

fn check(raw: RawEntity) -> Result<EntityRecord> {
    let (kind, shoptet_key, raynet_id, how, matched_by, label, shoptet_ref, first, created) = raw;
    Ok(EntityRecord {
        kind: parse_enum(&kind)?,
        shoptet_key,
        raynet_id,
        how: parse_enum(&how)?,
        matched_by,
        label,
        shoptet_ref,
        first_order_code: first,
        created_at: from_millis(created)?,
    })
}

fn filter(kind: EntityKind, how: Option<How>, search: Option<&str>) -> (String, Vec<Value>) {
    let mut sql = "WHERE kind = ?".to_string();
    let mut args = vec![Value::Text(kind.as_str().to_string())];
    if let Some(how) = how {
        sql.push_str(" AND how = ?");
        args.push(Value::Text(how.as_str().to_string()));
    }
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        match super::accent_glob(search) {
            Some(pattern) => {
                sql.push_str(" AND search_key GLOB ?");
                args.push(Value::Text(pattern));
            }
            None => {
                sql.push_str(" AND instr(search_key, ?) > 0");
                args.push(Value::Text(search.to_lowercase()));
            }
        }
    }
    (sql, args)
}

impl Store {
    pub fn entity(&self, kind: EntityKind, shoptet_key: &str) -> Result<Option<EntityRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM entities WHERE kind = ?1 AND shoptet_key = ?2");
        self.conn
            .prepare_cached(&sql)?
            .query_row(params![kind.as_str(), shoptet_key], read)
            .optional()?
            .map(check)
            .transpose()
    }

    /// The first recorded mapping to a RAYNET record (several Shoptet keys may share one).
    pub fn entity_by_raynet_id(&self, kind: EntityKind, raynet_id: i64) -> Result<Option<EntityRecord>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM entities WHERE kind = ?1 AND raynet_id = ?2 \
             ORDER BY created_at, shoptet_key LIMIT 1"
        );
        self.conn
            .prepare_cached(&sql)?
            .query_row(params![kind.as_str(), raynet_id], read)
            .optional()?
            .map(check)
            .transpose()
    }

    /// Inserts or updates the mapping of `(kind, shoptet_key)`. An update keeps the original
    /// `created_at` and first order.
    /// Forgets a mapping whose RAYNET record is gone (merged or deleted there).
    pub fn delete_entity(&mut self, kind: EntityKind, shoptet_key: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM entities WHERE kind = ?1 AND shoptet_key = ?2")?
            .execute(rusqlite::params![kind.as_str(), shoptet_key])?;
        Ok(())
    }

    pub fn record_entity(&mut self, e: &EntityRecord) -> Result<()> {
        let now = self.now();
        let raynet_id = e.raynet_id.to_string();
        let key =
            search_key(&[Some(&e.shoptet_key), Some(&e.label), e.shoptet_ref.as_deref(), Some(&raynet_id)]);
        let tx = self.conn.transaction()?;
        tx.prepare_cached(
            "INSERT INTO entities (kind, shoptet_key, raynet_id, how, matched_by, label, \
             shoptet_ref, first_order_code, created_at, search_key) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
             ON CONFLICT (kind, shoptet_key) DO UPDATE SET raynet_id = excluded.raynet_id, \
             how = excluded.how, matched_by = excluded.matched_by, label = excluded.label, \
             shoptet_ref = excluded.shoptet_ref, \
             first_order_code = COALESCE(first_order_code, excluded.first_order_code), \
             search_key = excluded.search_key",
        )?
        .execute(params![
            e.kind.as_str(),
            e.shoptet_key,
            e.raynet_id,
            e.how.as_str(),
            e.matched_by,
            e.label,
            e.shoptet_ref,
            e.first_order_code,
            millis(e.created_at),
            key,
        ])?;
        let entry = Activity::Entity {
            kind: e.kind,
            raynet_id: e.raynet_id,
            how: e.how,
            matched_by: e.matched_by.clone(),
            label: e.label.clone(),
            key: e.shoptet_key.clone(),
        };
        audit::insert(&tx, now, e.first_order_code.as_deref(), &entry, None)?;
        tx.commit()?;
        Ok(())
    }

    /// A page of one kind of mapping, newest first unless `!q.descending`.
    pub fn entities_page(&self, q: &EntityQuery) -> Result<Vec<EntityRecord>> {
        let (filter, mut args) = filter(q.kind, q.how, q.search.as_deref());
        let dir = if q.descending { "DESC" } else { "ASC" };
        args.push(sql_int(q.limit).into());
        args.push(sql_int(q.offset).into());
        let sql = format!(
            "SELECT {COLUMNS} FROM entities {filter} \
             ORDER BY {} {dir}, shoptet_key {dir} LIMIT ? OFFSET ?",
            q.sort.sql()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let raw =
            stmt.query_map(rusqlite::params_from_iter(args), read)?.collect::<rusqlite::Result<Vec<_>>>()?;
        raw.into_iter().map(check).collect()
    }

    pub fn count_entities(&self, kind: EntityKind, how: Option<How>) -> Result<u64> {
        let (filter, args) = filter(kind, how, None);
        let sql = format!("SELECT COUNT(*) FROM entities {filter}");
        let n: i64 =
            self.conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }
}
