//! How big a first sync or a backfill is and when it ends: its orders, the RAYNET and Shoptet
//! requests they cost, against RAYNET's daily budget (`X-Ratelimit-*`) and Shoptet's leaky
//! bucket. Pure arithmetic and an estimate: the per-order costs are what the request bench
//! measured by case; a client or product matched in RAYNET costs less than a created one, a
//! product with a link to its shop page one request more.

use std::collections::HashSet;

use chrono::{DateTime, Duration, DurationRound, Utc};
use serde::{Deserialize, Serialize};

/// RAYNET's daily request budget until an answer reports the instance's own.
pub const DEFAULT_DAILY_LIMIT: u64 = 24_000;

/// What the requests of an order are, by case (`cargo bench --bench sync_requests`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Costs {
    /// An order of a known client whose products are known: `createWithItems` and the order
    /// link (the client is read again only when the store's copy is old).
    pub repeat_order: u64,
    /// Added by a client not linked yet: lookups by extId, IČ, e-mail and name and the create.
    pub new_client: u64,
    /// Added by a product not linked yet: the lookup by code, the create, its link.
    pub new_product: u64,
    /// Once per kind of record (client, product, case): the first create checks its extId.
    pub first_create_check: u64,
    /// Shoptet requests: an order's detail, and a new product's page (for its link).
    pub shoptet_order: u64,
    pub shoptet_new_product: u64,
}

impl Costs {
    pub const MEASURED: Costs = Costs {
        repeat_order: 2,
        new_client: 5,
        new_product: 3,
        first_create_check: 1,
        shoptet_order: 1,
        shoptet_new_product: 1,
    };

    /// Where RAYNET drops the extId of a create body, every create of that kind sets it with one
    /// request more (`PUT /{entity}/{id}/extId/`).
    pub fn with_ext_id_set(self, client: bool, product: bool, case: bool) -> Costs {
        Costs {
            new_client: self.new_client + u64::from(client),
            new_product: self.new_product + u64::from(product),
            repeat_order: self.repeat_order + u64::from(case),
            ..self
        }
    }
}

/// How fast the services take requests. RAYNET limits a day's requests, not their pace: its
/// pace is how long a request takes (assumed 200 ms). Shoptet's bucket leaks 10 drops a second
/// and a request adds at least one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub raynet_per_sec: f64,
    pub shoptet_per_sec: f64,
}

impl Pace {
    pub const ASSUMED: Pace = Pace { raynet_per_sec: 5.0, shoptet_per_sec: 10.0 };

    /// The time the requests take when nothing waits for a budget.
    pub fn work_time(&self, raynet: u64, shoptet: u64) -> Duration {
        let secs = (raynet as f64 / self.raynet_per_sec.max(0.001))
            .max(shoptet as f64 / self.shoptet_per_sec.max(0.001));
        Duration::milliseconds((secs * 1000.0).min(1e15) as i64)
    }
}

/// RAYNET's budget as last reported (`X-Ratelimit-Limit`, `-Remaining`, `-Reset`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Budget {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub reset: Option<DateTime<Utc>>,
}

impl Budget {
    pub fn daily(&self) -> u64 {
        self.limit.unwrap_or(DEFAULT_DAILY_LIMIT)
    }

    /// Requests left at `now`: the reported remainder, or the whole limit once its window has
    /// reset; `None` while RAYNET has reported nothing.
    pub fn left(&self, now: DateTime<Utc>) -> Option<u64> {
        let remaining = self.remaining?;
        Some(match self.reset {
            Some(reset) if reset <= now => self.daily(),
            _ => remaining,
        })
    }

    /// When the window ends: the reported reset while it is ahead, else the next midnight UTC
    /// (RAYNET's windows end at 00:00 UTC).
    pub fn next_reset(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.reset {
            Some(reset) if reset > now => reset,
            _ => now.duration_trunc(Duration::days(1)).unwrap_or(now) + Duration::days(1),
        }
    }
}

/// The long work an estimate is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// The first orders of an install (nothing synced before).
    FirstSync,
    /// Older orders queued by `backfill`.
    Backfill,
    /// Many orders due at once (after an outage, a pause).
    Backlog,
}

/// What is known of one order before it is worked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFacts {
    /// The customer's key (its extId); `None` when the order names nobody.
    pub customer: Option<String>,
    /// The record links this customer to a RAYNET client already.
    pub client_known: bool,
    /// Codes of its products the record does not link yet; `None` when its lines were not
    /// read (a row of the order list).
    pub new_products: Option<Vec<String>>,
}

/// Orders counted by case, each new client and product once.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    orders: u64,
    clients: HashSet<String>,
    /// New clients whose orders' lines were not read (their products are guessed).
    clients_unread: u64,
    nameless: u64,
    products: HashSet<String>,
}

impl Tally {
    pub fn add(&mut self, facts: OrderFacts) {
        self.orders += 1;
        let new_client = match (&facts.customer, facts.client_known) {
            (_, true) => false,
            (Some(key), false) => self.clients.insert(key.clone()),
            (None, false) => {
                self.nameless += 1;
                true
            }
        };
        match facts.new_products {
            Some(codes) => self.products.extend(codes),
            None if new_client => self.clients_unread += 1,
            None => {}
        }
    }

    /// The workload: `products_per_new_client` stands for the lines not read;
    /// `first_create_checks` kinds of record were never created yet.
    pub fn workload(&self, products_per_new_client: f64, first_create_checks: u64) -> Workload {
        let guessed = (self.clients_unread as f64 * products_per_new_client.max(0.0)).ceil() as u64;
        Workload {
            orders: self.orders,
            new_clients: self.clients.len() as u64 + self.nameless,
            new_products: self.products.len() as u64 + guessed,
            first_create_checks,
        }
    }
}

/// The work to estimate, by case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Workload {
    pub orders: u64,
    pub new_clients: u64,
    pub new_products: u64,
    pub first_create_checks: u64,
}

impl Workload {
    pub fn raynet_requests(&self, c: &Costs) -> u64 {
        self.orders * c.repeat_order
            + self.new_clients * c.new_client
            + self.new_products * c.new_product
            + self.first_create_checks * c.first_create_check
    }

    pub fn shoptet_requests(&self, c: &Costs) -> u64 {
        self.orders * c.shoptet_order + self.new_products * c.shoptet_new_product
    }
}

/// When work of some RAYNET requests ends, given the budget and what it keeps for new orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Days of budget it takes (1: it ends today); `None` when the reserve takes the whole
    /// daily budget, so it never ends.
    pub days: Option<u32>,
    pub eta: Option<DateTime<Utc>>,
    /// When the part that does not fit today's budget goes on.
    pub next_reset: Option<DateTime<Utc>>,
}

/// Spreads `requests` (which take `work` when nothing waits) over days of `budget`, keeping
/// `reserve` requests of each day for new orders.
pub fn schedule(
    requests: u64,
    work: Duration,
    budget: &Budget,
    reserve: u64,
    now: DateTime<Utc>,
) -> Schedule {
    let daily = budget.daily();
    let today = budget.left(now).unwrap_or(daily).saturating_sub(reserve);
    if requests <= today {
        return Schedule { days: Some(1), eta: Some(now + work), next_reset: None };
    }
    let reset = budget.next_reset(now);
    let per_day = daily.saturating_sub(reserve);
    if per_day == 0 {
        return Schedule { days: None, eta: None, next_reset: Some(reset) };
    }
    let rest = requests - today;
    let later_days = rest.div_ceil(per_day);
    let last_day = rest - (later_days - 1) * per_day;
    // The last day's share of the work, after its window opens.
    let tail = Duration::milliseconds(
        (work.num_milliseconds() as f64 * last_day as f64 / requests as f64).round() as i64,
    );
    let days = u32::try_from(later_days + 1).unwrap_or(u32::MAX);
    let eta =
        reset + Duration::days(i64::try_from(later_days - 1).unwrap_or(i64::MAX / 2).min(100_000)) + tail;
    Schedule { days: Some(days), eta: Some(eta), next_reset: Some(reset) }
}

/// The estimate of a long work, as front ends show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimate {
    pub kind: WorkKind,
    pub orders: u64,
    pub new_clients: u64,
    pub new_products: u64,
    pub raynet_requests: u64,
    pub shoptet_requests: u64,
    /// RAYNET requests left today; `None` until RAYNET has reported its budget.
    pub budget_left: Option<u64>,
    pub daily_limit: u64,
    /// Requests of each day kept for new orders.
    pub reserve: u64,
    pub days: Option<u32>,
    pub eta: Option<DateTime<Utc>>,
    /// The work does not fit today's budget: it goes on after this reset.
    pub next_reset: Option<DateTime<Utc>>,
    /// Backfill orders wait now, the reserve reached, until this reset.
    pub held_until: Option<DateTime<Utc>>,
}

/// What the estimate is made from besides the workload.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub budget: Budget,
    pub reserve: u64,
    pub pace: Pace,
    pub costs: Costs,
}

/// The estimate of `work` started `now`.
pub fn estimate(kind: WorkKind, work: &Workload, limits: &Limits, now: DateTime<Utc>) -> Estimate {
    let raynet = work.raynet_requests(&limits.costs);
    let shoptet = work.shoptet_requests(&limits.costs);
    let time = limits.pace.work_time(raynet, shoptet);
    let s = schedule(raynet, time, &limits.budget, limits.reserve, now);
    Estimate {
        kind,
        orders: work.orders,
        new_clients: work.new_clients,
        new_products: work.new_products,
        raynet_requests: raynet,
        shoptet_requests: shoptet,
        budget_left: limits.budget.left(now),
        daily_limit: limits.budget.daily(),
        reserve: limits.reserve,
        days: s.days,
        eta: s.eta,
        next_reset: s.next_reset,
        held_until: None,
    }
}

/// What is left of the work when `done` of `total` orders are worked, which took `busy` (time
/// spent waiting for a budget not counted): the first estimate's cases in proportion, and its
/// time from the pace seen so far once a few orders are done.
pub fn progressed(
    first: &Estimate,
    done: u64,
    total: u64,
    busy: std::time::Duration,
    limits: &Limits,
    now: DateTime<Utc>,
) -> Estimate {
    let left = total.saturating_sub(done);
    let share = |n: u64| -> u64 {
        if first.orders == 0 { 0 } else { (n as f64 * left as f64 / first.orders as f64).ceil() as u64 }
    };
    let (raynet, shoptet) = (share(first.raynet_requests), share(first.shoptet_requests));
    let time = if done >= 3 {
        let per = busy.as_secs_f64() / done as f64;
        Duration::milliseconds((per * left as f64 * 1000.0).min(1e15) as i64)
    } else {
        limits.pace.work_time(raynet, shoptet)
    };
    let s = schedule(raynet, time, &limits.budget, limits.reserve, now);
    Estimate {
        orders: left,
        new_clients: share(first.new_clients).min(first.new_clients),
        new_products: share(first.new_products).min(first.new_products),
        raynet_requests: raynet,
        shoptet_requests: shoptet,
        budget_left: limits.budget.left(now),
        daily_limit: limits.budget.daily(),
        days: s.days,
        eta: s.eta,
        next_reset: s.next_reset,
        ..first.clone()
    }
}

/// Whether a backfill order may be worked now: only while today's budget keeps `reserve`
/// requests for new orders after it (`order_cost` at most). `Some(reset)`: wait until then.
pub fn backfill_hold(
    budget: &Budget,
    reserve: u64,
    order_cost: u64,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let left = budget.left(now)?;
    (left < reserve.saturating_add(order_cost)).then(|| budget.next_reset(now))
}

#[cfg(test)]
#[path = "estimate_tests.rs"]
mod tests;
