//! Reading what changed in Shoptet: the changes feed from the cursor minus an overlap window,
//! or the order list by `changeTimeFrom` when the cursor is older than the feed's 30 days.

use chrono::{DateTime, Duration, FixedOffset};

use crate::shoptet::client::{OrderFilter, ShoptetClient};

use super::EngineError;

/// How far back the changes feed reaches (Shoptet keeps 30 days; keep a margin).
const FEED_DAYS: i64 = 29;

/// One changed order as seen by a poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub code: String,
    /// `None` when Shoptet sent `null`: the order is fetched (it may be news) and the entry
    /// does not move the cursor.
    pub change_time: Option<DateTime<FixedOffset>>,
    pub deleted: bool,
}

/// Every order changed since `from`, oldest first, one entry per order (its latest change).
pub(crate) async fn changes_since(
    shoptet: &ShoptetClient,
    from: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Result<Vec<Change>, EngineError> {
    let mut changes: Vec<Change> = if now - from < Duration::days(FEED_DAYS) {
        shoptet
            .order_changes(from)
            .await?
            .into_iter()
            .map(|c| Change { deleted: c.change_type == "delete", code: c.code, change_time: c.change_time })
            .collect()
    } else {
        let filter = OrderFilter { change_time_from: Some(from), ..Default::default() };
        let mut out = Vec::new();
        let mut page = 1;
        loop {
            let (rows, pager) = shoptet.orders_page(&filter, page).await?;
            out.extend(rows.into_iter().map(|o| Change {
                change_time: o.change_time.or(o.creation_time),
                code: o.code,
                deleted: false,
            }));
            if u64::from(page) >= pager.page_count {
                break;
            }
            page += 1;
        }
        out
    };
    changes.sort_by(|a, b| a.change_time.cmp(&b.change_time).then(a.code.cmp(&b.code)));
    // Keep the latest change per order, in time order.
    let mut latest: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, c) in changes.iter().enumerate() {
        latest.insert(c.code.clone(), i);
    }
    Ok(changes
        .into_iter()
        .enumerate()
        .filter(|(i, c)| latest.get(&c.code) == Some(i))
        .map(|(_, c)| c)
        .collect())
}
