//! The settings read from both services — the e-shop and its order statuses, RAYNET's users and
//! currencies — kept typed with the time they were read and the configuration they were checked
//! against, so a pass with nothing to do asks neither service for them again.

use chrono::{DateTime, Utc};
use rusqlite::types::FromSql;
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, from_millis, millis};

/// What the engine knows about the connected shop and CRM, as last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedSettings {
    pub read_at: DateTime<Utc>,
    /// A hash of the configuration the settings were read and checked with.
    pub config_hash: String,
    /// RAYNET refused one of these values since: read them again before using them.
    pub stale: bool,
    pub eshop_id: i64,
    pub eshop_name: String,
    pub eshop_currency: String,
    pub crm_currency: String,
    /// IANA name of the e-shop's time zone.
    pub timezone: String,
    /// Shoptet status id → name.
    pub statuses: Vec<(i64, String)>,
    /// ISO code → RAYNET currency id.
    pub currencies: Vec<(String, i64)>,
    /// RAYNET person id → name of the users.
    pub owners: Vec<(i64, String)>,
}

struct Head {
    read_at: i64,
    config_hash: String,
    stale: bool,
    eshop_id: i64,
    eshop_name: String,
    eshop_currency: String,
    crm_currency: String,
    timezone: String,
}

impl Store {
    /// The cached settings, if any were saved.
    pub fn cached_settings(&self) -> Result<Option<CachedSettings>> {
        let head = self
            .conn
            .prepare_cached(
                "SELECT read_at, config_hash, stale, eshop_id, eshop_name, eshop_currency, \
                 crm_currency, timezone FROM settings WHERE id = 1",
            )?
            .query_row([], |r| {
                Ok(Head {
                    read_at: r.get(0)?,
                    config_hash: r.get(1)?,
                    stale: r.get(2)?,
                    eshop_id: r.get(3)?,
                    eshop_name: r.get(4)?,
                    eshop_currency: r.get(5)?,
                    crm_currency: r.get(6)?,
                    timezone: r.get(7)?,
                })
            })
            .optional()?;
        let Some(h) = head else { return Ok(None) };
        let statuses = self.pairs("SELECT status_id, name FROM settings_statuses ORDER BY status_id")?;
        let currencies = self.pairs("SELECT iso, raynet_id FROM settings_currencies ORDER BY iso")?;
        let owners = self.pairs("SELECT person_id, name FROM settings_owners ORDER BY person_id")?;
        Ok(Some(CachedSettings {
            read_at: from_millis(h.read_at)?,
            config_hash: h.config_hash,
            stale: h.stale,
            eshop_id: h.eshop_id,
            eshop_name: h.eshop_name,
            eshop_currency: h.eshop_currency,
            crm_currency: h.crm_currency,
            timezone: h.timezone,
            statuses,
            currencies,
            owners,
        }))
    }

    fn pairs<A: FromSql, B: FromSql>(&self, sql: &str) -> Result<Vec<(A, B)>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Replaces the cached settings (one transaction; `stale` is saved as given).
    pub fn save_settings(&mut self, s: &CachedSettings) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM settings; DELETE FROM settings_statuses; DELETE FROM settings_currencies; \
             DELETE FROM settings_owners;",
        )?;
        tx.execute(
            "INSERT INTO settings (id, read_at, config_hash, stale, eshop_id, eshop_name, \
             eshop_currency, crm_currency, timezone) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                millis(s.read_at),
                s.config_hash,
                s.stale,
                s.eshop_id,
                s.eshop_name,
                s.eshop_currency,
                s.crm_currency,
                s.timezone
            ],
        )?;
        for (id, name) in &s.statuses {
            tx.execute("INSERT OR REPLACE INTO settings_statuses VALUES (?1, ?2)", params![id, name])?;
        }
        for (iso, id) in &s.currencies {
            tx.execute("INSERT OR REPLACE INTO settings_currencies VALUES (?1, ?2)", params![iso, id])?;
        }
        for (id, name) in &s.owners {
            tx.execute("INSERT OR REPLACE INTO settings_owners VALUES (?1, ?2)", params![id, name])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks the cached settings as refused by RAYNET: the next use reads them again.
    pub fn mark_settings_stale(&mut self) -> Result<()> {
        self.conn.prepare_cached("UPDATE settings SET stale = 1")?.execute([])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CachedSettings {
        CachedSettings {
            read_at: DateTime::parse_from_rfc3339("2026-03-01T10:00:00.250Z").unwrap().to_utc(),
            config_hash: "abc".into(),
            stale: false,
            eshop_id: 312457,
            eshop_name: "Kávovarna Zrnko".into(),
            eshop_currency: "CZK".into(),
            crm_currency: "CZK".into(),
            timezone: "Europe/Prague".into(),
            statuses: vec![(-4, "Stornována".into()), (-3, "Vyřízena".into())],
            currencies: vec![("CZK".into(), 1), ("EUR".into(), 2)],
            owners: vec![(12, "Petra Malá".into()), (15, "Tomáš Vrba".into())],
        }
    }

    #[test]
    fn settings_are_saved_typed_replaced_whole_and_marked_stale() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.cached_settings().unwrap(), None);
        let first = sample();
        store.save_settings(&first).unwrap();
        assert_eq!(store.cached_settings().unwrap(), Some(first.clone()));
        store.mark_settings_stale().unwrap();
        assert!(store.cached_settings().unwrap().unwrap().stale);
        let second = CachedSettings {
            currencies: vec![("CZK".into(), 1)],
            owners: vec![(12, "Petra Malá".into())],
            ..first
        };
        store.save_settings(&second).unwrap();
        assert_eq!(store.cached_settings().unwrap(), Some(second), "nothing of the first read is left");
    }
}
