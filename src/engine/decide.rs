//! What to do with one order, by the rules of SYNC-RULES.md §1: scope, final status, already
//! synced and unchanged.

use chrono::{DateTime, FixedOffset};

use crate::config::SyncConfig;
use crate::shoptet::models::Order;

/// The outcome of looking at one order (stored with a plan as `create`, `update`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Final and never synced: create its business case.
    Create,
    /// Synced before and changed since: update the same business case.
    Update,
    /// Synced before and now cancelled: move the business case to the storno phase.
    Cancel,
    /// Synced and unchanged: nothing to do.
    Unchanged,
    /// Not (yet) in a final status: watched, not synced.
    Pending,
    /// Created and last changed before sync was enabled, and no backfill asked for it.
    OutOfScope,
}

impl Decision {
    pub fn needs_work(self) -> bool {
        matches!(self, Decision::Create | Decision::Update | Decision::Cancel)
    }
}

/// What the store knows about an order's last sync.
#[derive(Debug, Clone, Copy, Default)]
pub struct SyncedState<'a> {
    pub business_case_id: Option<i64>,
    pub synced_hash: Option<&'a str>,
}

/// In scope: created after `enabled_at`, or changed after it, or explicitly backfilled. Both
/// times are nullable: an order whose change time Shoptet did not send counts as changed since
/// the cursor (orders reach the engine from the feed, which lists only those), so it is in scope.
pub fn in_scope(order: &Order, enabled_at: DateTime<FixedOffset>, backfill: bool) -> bool {
    backfill
        || order.created_at().is_some_and(|c| c >= enabled_at)
        || order.change_time.is_none_or(|c| c >= enabled_at)
}

pub fn decide(
    order: &Order,
    hash: &str,
    synced: SyncedState<'_>,
    sync: &SyncConfig,
    backfill: bool,
) -> Decision {
    let status = order.status_id();
    let is_final = status.is_some_and(|s| sync.final_status_ids.contains(&s));
    let is_cancelled = status.is_some_and(|s| sync.cancelled_status_ids.contains(&s));
    match synced.business_case_id {
        Some(_) if synced.synced_hash == Some(hash) => Decision::Unchanged,
        Some(_) if is_cancelled && sync.cancelled_phase_id.is_some() => Decision::Cancel,
        // A synced order keeps its business case current whatever its status now is.
        Some(_) => Decision::Update,
        None if !in_scope(order, sync.enabled_at, backfill) => Decision::OutOfScope,
        None if is_final => Decision::Create,
        None => Decision::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sync_config() -> SyncConfig {
        toml::from_str(
            r#"enabled_at = "2026-11-01T00:00:00+01:00"
               default_owner_id = 12
               business_case_phase_id = 1
               source_id = 1
               cancelled_phase_id = 4"#,
        )
        .unwrap()
    }

    fn order(created: &str, changed: &str, status: i64) -> Order {
        serde_json::from_value(serde_json::json!({
            "code": "2026000123", "creationTime": created, "changeTime": changed,
            "status": {"id": status, "name": "x"},
            "price": {"currencyCode": "CZK", "withVat": "121.00", "withoutVat": "100.00"},
            "items": []
        }))
        .unwrap()
    }

    const NEW: &str = "2026-11-20T10:00:00+0100";
    const OLD: &str = "2026-10-01T10:00:00+0200";

    #[test]
    fn final_new_order_is_created_pending_is_watched() {
        let s = sync_config();
        assert_eq!(decide(&order(NEW, NEW, -3), "h", SyncedState::default(), &s, false), Decision::Create);
        assert_eq!(decide(&order(NEW, NEW, -1), "h", SyncedState::default(), &s, false), Decision::Pending);
    }

    #[test]
    fn scope_by_enabled_at() {
        let s = sync_config();
        // old but changed after enabled_at → in scope
        assert_eq!(decide(&order(OLD, NEW, -3), "h", SyncedState::default(), &s, false), Decision::Create);
        // old and unchanged → out of scope, unless backfilled
        assert_eq!(
            decide(&order(OLD, OLD, -3), "h", SyncedState::default(), &s, false),
            Decision::OutOfScope
        );
        assert_eq!(decide(&order(OLD, OLD, -3), "h", SyncedState::default(), &s, true), Decision::Create);
    }

    #[test]
    fn null_times_keep_an_order_in_scope() {
        let s = sync_config();
        let new = SyncedState::default();
        let mut o = order(OLD, NEW, -3);
        o.change_time = None;
        assert_eq!(decide(&o, "h", new, &s, false), Decision::Create, "changed at an unknown time");
        o.creation_time = None;
        assert_eq!(decide(&o, "h", new, &s, false), Decision::Create, "no times at all");
        let mut old = order(NEW, OLD, -3);
        old.creation_time = None;
        assert_eq!(decide(&old, "h", new, &s, false), Decision::OutOfScope, "the change time stands in");
    }

    #[test]
    fn synced_orders_update_or_stay() {
        let s = sync_config();
        let synced = SyncedState { business_case_id: Some(7), synced_hash: Some("h") };
        assert_eq!(decide(&order(NEW, NEW, -3), "h", synced, &s, false), Decision::Unchanged);
        assert_eq!(decide(&order(NEW, NEW, -3), "h2", synced, &s, false), Decision::Update);
        assert_eq!(decide(&order(NEW, NEW, -4), "h2", synced, &s, false), Decision::Cancel);
        let mut no_storno = sync_config();
        no_storno.cancelled_phase_id = None;
        assert_eq!(decide(&order(NEW, NEW, -4), "h2", synced, &no_storno, false), Decision::Update);
    }
}
