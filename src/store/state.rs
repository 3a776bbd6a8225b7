//! The engine's own state, typed: intents before creates, the order detail record, backfill
//! marks, rejected logins, rate-limit windows and what RAYNET does with a create's extId.
//! (Schema v2 moved these out of the `meta` key/value table.)

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{Result, Store, StoreError};

/// What an intent guards: the create of a client, a product or a business case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntentKind {
    Client,
    Product,
    BusinessCase,
}

impl IntentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IntentKind::Client => "client",
            IntentKind::Product => "product",
            IntentKind::BusinessCase => "business_case",
        }
    }

    fn parse(s: &str) -> Result<IntentKind> {
        match s {
            "client" => Ok(IntentKind::Client),
            "product" => Ok(IntentKind::Product),
            "business_case" => Ok(IntentKind::BusinessCase),
            other => Err(StoreError::Corrupt(format!("intent kind {other:?}"))),
        }
    }
}

/// A create that may have reached RAYNET without its answer being recorded here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    pub kind: IntentKind,
    /// The customer key, product code or order code.
    pub key: String,
    /// The order whose work began the create.
    pub order_code: String,
}

/// What the order detail view shows: the Shoptet data and the plan, or once worked, what was
/// done. The store keeps both parts as JSON of whatever type the engine gives it (the default,
/// lines of text, is how older versions wrote them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetailRecord<S = Vec<String>, P = Vec<String>> {
    pub shoptet: S,
    pub plan: P,
    /// `plan` holds what was done.
    pub done: bool,
    pub admin_url: Option<String>,
}

/// Credentials a service rejected: their fingerprint (a hash, never the secret) and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginBlock {
    pub fingerprint: String,
    pub at: DateTime<Utc>,
    pub message: String,
}

/// A service's last reported rate-limit window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimitRecord {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub reset: Option<DateTime<Utc>>,
}

/// What RAYNET does with the `extId` of an entity type's create body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateExtIdMode {
    /// The extId of the create body finds the new record.
    Kept,
    /// It does not: it is set with `PUT /{entity}/{id}/extId/` after every create.
    Dropped,
}

impl CreateExtIdMode {
    fn as_str(self) -> &'static str {
        match self {
            CreateExtIdMode::Kept => "kept",
            CreateExtIdMode::Dropped => "dropped",
        }
    }
}

fn parse_utc(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| StoreError::Corrupt(format!("time {text:?}: {e}")))
}

fn detail_json<T: Serialize>(part: &T) -> Result<String> {
    serde_json::to_string(part).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn detail_of<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("order detail: {e}")))
}

impl Store {
    /// Notes that a create of `kind` for `key` is about to be sent (on behalf of `order_code`).
    pub fn set_intent(&mut self, kind: IntentKind, key: &str, order_code: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO intents (kind, key, order_code) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (kind, key) DO UPDATE SET order_code = excluded.order_code",
            )?
            .execute(params![kind.as_str(), key, order_code])?;
        Ok(())
    }

    /// The order that began an unfinished create of `kind` for `key`, if there is one.
    pub fn intent(&self, kind: IntentKind, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT order_code FROM intents WHERE kind = ?1 AND key = ?2")?
            .query_row(params![kind.as_str(), key], |r| r.get(0))
            .optional()?)
    }

    pub fn clear_intent(&mut self, kind: IntentKind, key: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM intents WHERE kind = ?1 AND key = ?2")?
            .execute(params![kind.as_str(), key])?;
        Ok(())
    }

    /// Every unfinished create, by kind and key.
    pub fn intents(&self) -> Result<Vec<Intent>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT kind, key, order_code FROM intents ORDER BY kind, key")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<(String, String, String)>>>()?;
        rows.into_iter()
            .map(|(kind, key, order_code)| Ok(Intent { kind: IntentKind::parse(&kind)?, key, order_code }))
            .collect()
    }

    pub fn set_order_detail<S: Serialize, P: Serialize>(
        &mut self,
        code: &str,
        detail: &OrderDetailRecord<S, P>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO order_details (code, shoptet, plan, done, admin_url) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (code) DO UPDATE SET \
                 shoptet = excluded.shoptet, plan = excluded.plan, done = excluded.done, \
                 admin_url = excluded.admin_url",
            )?
            .execute(params![
                code,
                detail_json(&detail.shoptet)?,
                detail_json(&detail.plan)?,
                detail.done,
                detail.admin_url
            ])?;
        Ok(())
    }

    /// The order detail record as lines of text (as older versions wrote it), if the order was
    /// ever read.
    pub fn order_detail(&self, code: &str) -> Result<Option<OrderDetailRecord>> {
        self.order_detail_as(code)
    }

    /// The order detail record with its parts read as `S` and `P`, if the order was ever read.
    pub fn order_detail_as<S: DeserializeOwned, P: DeserializeOwned>(
        &self,
        code: &str,
    ) -> Result<Option<OrderDetailRecord<S, P>>> {
        let row = self
            .conn
            .prepare_cached("SELECT shoptet, plan, done, admin_url FROM order_details WHERE code = ?1")?
            .query_row(params![code], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?, r.get(3)?))
            })
            .optional()?;
        row.map(|(shoptet, plan, done, admin_url)| {
            Ok(OrderDetailRecord { shoptet: detail_of(&shoptet)?, plan: detail_of(&plan)?, done, admin_url })
        })
        .transpose()
    }

    /// Marks an order as queued by a backfill.
    pub fn mark_backfill(&mut self, code: &str) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO backfill_marks (code) VALUES (?1)")?
            .execute(params![code])?;
        Ok(())
    }

    pub fn is_backfill(&self, code: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM backfill_marks WHERE code = ?1")?
            .query_row(params![code], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Remembers that `service` rejected the credentials with this fingerprint.
    pub fn set_login_block(&mut self, service: &str, block: &LoginBlock) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO login_blocks (service, fingerprint, at, message) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (service) DO UPDATE SET fingerprint = excluded.fingerprint, \
                 at = excluded.at, message = excluded.message",
            )?
            .execute(params![service, block.fingerprint, block.at.to_rfc3339(), block.message])?;
        Ok(())
    }

    pub fn login_block(&self, service: &str) -> Result<Option<LoginBlock>> {
        let row = self
            .conn
            .prepare_cached("SELECT fingerprint, at, message FROM login_blocks WHERE service = ?1")?
            .query_row(params![service], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .optional()?;
        row.map(|(fingerprint, at, message)| Ok(LoginBlock { fingerprint, at: parse_utc(&at)?, message }))
            .transpose()
    }

    pub fn clear_login_block(&mut self, service: &str) -> Result<()> {
        self.conn.prepare_cached("DELETE FROM login_blocks WHERE service = ?1")?.execute(params![service])?;
        Ok(())
    }

    pub fn set_rate_limit(&mut self, service: &str, rl: &RateLimitRecord) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO rate_limits (service, lim, remaining, reset) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (service) DO UPDATE SET lim = excluded.lim, \
                 remaining = excluded.remaining, reset = excluded.reset",
            )?
            .execute(params![
                service,
                rl.limit.map(|v| v as i64),
                rl.remaining.map(|v| v as i64),
                rl.reset.map(|r| r.to_rfc3339())
            ])?;
        Ok(())
    }

    /// The last rate-limit window `service` reported.
    pub fn rate_limit(&self, service: &str) -> Result<Option<RateLimitRecord>> {
        let row = self
            .conn
            .prepare_cached("SELECT lim, remaining, reset FROM rate_limits WHERE service = ?1")?
            .query_row(params![service], |r| {
                Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, Option<String>>(2)?))
            })
            .optional()?;
        row.map(|(limit, remaining, reset)| {
            Ok(RateLimitRecord {
                limit: limit.and_then(|v| u64::try_from(v).ok()),
                remaining: remaining.and_then(|v| u64::try_from(v).ok()),
                reset: reset.as_deref().map(parse_utc).transpose()?,
            })
        })
        .transpose()
    }

    /// What RAYNET was seen to do with the extId of `entity`'s create body, once known.
    pub fn create_ext_id_mode(&self, entity: &str) -> Result<Option<CreateExtIdMode>> {
        let mode: Option<String> = self
            .conn
            .prepare_cached("SELECT mode FROM create_ext_id_modes WHERE entity = ?1")?
            .query_row(params![entity], |r| r.get(0))
            .optional()?;
        mode.map(|m| match m.as_str() {
            "kept" => Ok(CreateExtIdMode::Kept),
            "dropped" => Ok(CreateExtIdMode::Dropped),
            other => Err(StoreError::Corrupt(format!("create extId mode {other:?}"))),
        })
        .transpose()
    }

    pub fn set_create_ext_id_mode(&mut self, entity: &str, mode: CreateExtIdMode) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO create_ext_id_modes (entity, mode) VALUES (?1, ?2) \
                 ON CONFLICT (entity) DO UPDATE SET mode = excluded.mode",
            )?
            .execute(params![entity, mode.as_str()])?;
        Ok(())
    }
}
