//! What was last read of a known RAYNET client: its owner, and when (so it is not read again
//! for every order of the same customer).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, from_millis, millis};

/// A RAYNET client as last read: its owner then, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientRead {
    pub owner: Option<i64>,
    pub read_at: DateTime<Utc>,
}

impl Store {
    /// Remembers that client `raynet_id` was read (or created) just now with this owner.
    pub fn record_client_read(&mut self, raynet_id: i64, owner: Option<i64>) -> Result<()> {
        let now = millis(self.now());
        self.conn
            .prepare_cached(
                "INSERT INTO client_reads (raynet_id, owner_id, read_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (raynet_id) DO UPDATE SET owner_id = excluded.owner_id, \
                 read_at = excluded.read_at",
            )?
            .execute(params![raynet_id, owner, now])?;
        Ok(())
    }

    /// When client `raynet_id` was last read, if it was.
    pub fn client_read(&self, raynet_id: i64) -> Result<Option<ClientRead>> {
        let row = self
            .conn
            .prepare_cached("SELECT owner_id, read_at FROM client_reads WHERE raynet_id = ?1")?
            .query_row(params![raynet_id], |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, i64>(1)?)))
            .optional()?;
        row.map(|(owner, at)| Ok(ClientRead { owner, read_at: from_millis(at)? })).transpose()
    }

    /// Forgets what was read of client `raynet_id` (it is gone, or must be read again).
    pub fn forget_client_read(&mut self, raynet_id: i64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM client_reads WHERE raynet_id = ?1")?
            .execute(params![raynet_id])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_read_is_remembered_updated_and_forgotten() {
        let mut store = Store::open_in_memory().expect("store");
        assert_eq!(store.client_read(7).unwrap(), None);
        store.record_client_read(7, Some(12)).unwrap();
        let first = store.client_read(7).unwrap().expect("remembered");
        assert_eq!(first.owner, Some(12));
        store.record_client_read(7, None).unwrap();
        assert_eq!(store.client_read(7).unwrap().map(|r| r.owner), Some(None), "the owner as last read");
        store.forget_client_read(7).unwrap();
        assert_eq!(store.client_read(7).unwrap(), None);
    }
}
