//! Reading what changed in Shoptet: the changes feed from the cursor minus an overlap window,
//! or the order list by `changeTimeFrom` when the cursor is older than the feed's 30 days —
//! one page at a time, so memory holds one page however many orders changed.

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

/// The changes since `from`, page by page: the feed (up to 1000 a page) or, past its 30 days,
/// the order list (50 a page). Shoptet promises no order across pages, so whoever moves the
/// cursor waits for the last page.
pub(crate) struct FeedPages {
    from: DateTime<FixedOffset>,
    list: bool,
    page: u32,
    done: bool,
}

impl FeedPages {
    pub(crate) fn new(from: DateTime<FixedOffset>, now: DateTime<FixedOffset>) -> FeedPages {
        FeedPages { from, list: now - from >= Duration::days(FEED_DAYS), page: 1, done: false }
    }

    /// The next page's changes (the latest per order, oldest first); `None` after the last.
    pub(crate) async fn next(&mut self, shoptet: &ShoptetClient) -> Result<Option<Vec<Change>>, EngineError> {
        if self.done {
            return Ok(None);
        }
        let (changes, page_count) = if self.list {
            let filter = OrderFilter { change_time_from: Some(self.from), ..Default::default() };
            let (rows, pager) = shoptet.orders_page(&filter, self.page).await?;
            let changes = rows
                .into_iter()
                .map(|o| Change {
                    change_time: o.change_time.or(o.creation_time),
                    code: o.code,
                    deleted: false,
                })
                .collect::<Vec<_>>();
            (changes, pager.page_count)
        } else {
            let (rows, pager) = shoptet.order_changes_page(self.from, self.page).await?;
            let changes = rows
                .into_iter()
                .map(|c| Change {
                    deleted: c.change_type == "delete",
                    code: c.code,
                    change_time: c.change_time,
                })
                .collect::<Vec<_>>();
            (changes, pager.page_count)
        };
        self.done = changes.is_empty() || u64::from(self.page) >= page_count;
        self.page += 1;
        Ok(Some(latest_per_order(changes)))
    }
}

/// Every order changed since `from`, oldest first, one entry per order (its latest change).
pub(crate) async fn changes_since(
    shoptet: &ShoptetClient,
    from: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Result<Vec<Change>, EngineError> {
    let mut pages = FeedPages::new(from, now);
    let mut all = Vec::new();
    while let Some(page) = pages.next(shoptet).await? {
        all.extend(page);
    }
    Ok(latest_per_order(all))
}

/// The latest change of each order, in time order.
fn latest_per_order(mut changes: Vec<Change>) -> Vec<Change> {
    changes.sort_by(|a, b| a.change_time.cmp(&b.change_time).then(a.code.cmp(&b.code)));
    let mut latest: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, c) in changes.iter().enumerate() {
        latest.insert(c.code.clone(), i);
    }
    changes.into_iter().enumerate().filter(|(i, c)| latest.get(&c.code) == Some(i)).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_per_order_its_latest_in_time_order() {
        let t = |s: &str| Some(DateTime::parse_from_rfc3339(s).unwrap());
        let c = |code: &str, at| Change { code: code.into(), change_time: at, deleted: false };
        let out = latest_per_order(vec![
            c("B", t("2026-03-01T10:00:05+01:00")),
            c("A", t("2026-03-01T10:00:01+01:00")),
            c("B", t("2026-03-01T10:00:02+01:00")),
            c("A", t("2026-03-01T10:00:09+01:00")),
        ]);
        let got: Vec<(&str, _)> = out.iter().map(|c| (c.code.as_str(), c.change_time)).collect();
        assert_eq!(got, [("B", t("2026-03-01T10:00:05+01:00")), ("A", t("2026-03-01T10:00:09+01:00"))]);
    }
}
