//! What the dashboard reads: a paged, query-shaped view of the sync's local record.
//!
//! Rows are plain owned data so an adapter over SQLite is a handful of `SELECT`s.

use chrono::{DateTime, Utc};

pub use crate::engine::detail::{PlanView, ShoptetView};
pub use crate::engine::plan::Entity as RaynetRecord;
/// Where an order stands in the sync: the store's own states.
pub use crate::store::{Activity, CandidateFacts, OrderState, Reason, StateChange};

/// Number of orders in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pending: u64,
    pub queued: u64,
    pub synced: u64,
    pub failed: u64,
    pub needs_decision: u64,
    pub skipped: u64,
    pub dead: u64,
}

impl Counts {
    pub fn get(&self, state: OrderState) -> u64 {
        match state {
            OrderState::Pending => self.pending,
            OrderState::Queued => self.queued,
            OrderState::Synced => self.synced,
            OrderState::Failed => self.failed,
            OrderState::NeedsDecision => self.needs_decision,
            OrderState::Skipped => self.skipped,
            OrderState::Dead => self.dead,
        }
    }
}

/// Headline figures for the Overview pane.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverviewData {
    pub last_synced_at: Option<DateTime<Utc>>,
    /// The changes-feed cursor, as stored.
    pub cursor: Option<String>,
    /// Orders synced in each of the last 24 hours, oldest first.
    pub synced_per_hour: Vec<u64>,
    /// Human-readable rate-limit state of both APIs (empty when unknown).
    pub rate_limits: String,
    pub clients_matched: u64,
    pub clients_created: u64,
    pub products_matched: u64,
    pub products_created: u64,
}

/// Columns the order tables sort by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OrderSort {
    Code,
    Status,
    Customer,
    Total,
    #[default]
    Changed,
    Attempts,
    NextAttempt,
}

impl OrderSort {
    pub const ALL: [OrderSort; 7] = [
        OrderSort::Code,
        OrderSort::Status,
        OrderSort::Customer,
        OrderSort::Total,
        OrderSort::Changed,
        OrderSort::Attempts,
        OrderSort::NextAttempt,
    ];
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrdersQuery {
    /// Only these states (empty = all).
    pub states: Vec<OrderState>,
    /// Substring of code, customer or e-mail, regardless of case and accents (empty = all).
    pub search: String,
    pub sort: OrderSort,
    pub descending: bool,
    pub offset: u64,
    pub limit: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderView {
    pub code: String,
    pub state: OrderState,
    /// Shoptet status name.
    pub status: String,
    pub customer: String,
    /// Formatted amount with VAT, e.g. "1 234,50".
    pub total: String,
    pub currency: String,
    pub changed_at: Option<DateTime<Utc>>,
    pub attempts: u32,
    pub next_attempt: Option<DateTime<Utc>>,
    /// Why it waits: its last error, the decision it needs, or why it was skipped.
    pub reason: Option<Reason>,
}

/// One HTTP call made for an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCallView {
    pub at: DateTime<Utc>,
    pub method: String,
    pub path: String,
    /// None when no response arrived (network error, timeout).
    pub status: Option<u16>,
    pub duration_ms: u64,
    pub error_body: Option<String>,
}

/// An existing RAYNET client that an ambiguous match could mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    /// The key it matched by (`email`, `reg_number`, `name`…).
    pub matched_by: String,
    /// How to tell it apart (IČ, e-mail, city, owner), rendered by `Texts::candidate_detail`.
    pub facts: CandidateFacts,
}

/// Everything known about one order, for the detail popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDetail {
    pub order: OrderView,
    /// The order as read from Shoptet.
    pub shoptet: ShoptetView,
    /// The plan before the order is worked; once worked, what was done and the writes.
    pub plan: PlanView,
    pub calls: Vec<ApiCallView>,
    /// Non-empty when the client match is ambiguous.
    pub candidates: Vec<Candidate>,
    /// The order's RAYNET records, e.g. (business case, 456).
    pub raynet_ids: Vec<(RaynetRecord, i64)>,
    pub admin_url: Option<String>,
    pub audit: Vec<ActivityView>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EntityKind {
    #[default]
    Client,
    Product,
}

/// Whether the sync found an existing RAYNET record or created one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchHow {
    Matched,
    Created,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EntitySort {
    ShoptetKey,
    #[default]
    Name,
    How,
    RaynetId,
}

impl EntitySort {
    pub const ALL: [EntitySort; 4] =
        [EntitySort::ShoptetKey, EntitySort::Name, EntitySort::How, EntitySort::RaynetId];
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntitiesQuery {
    pub kind: EntityKind,
    /// None = both.
    pub how: Option<MatchHow>,
    pub search: String,
    pub sort: EntitySort,
    pub descending: bool,
    pub offset: u64,
    pub limit: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityView {
    pub kind: EntityKind,
    pub name: String,
    pub how: MatchHow,
    /// The key it matched by (`ext_id`, `reg_number`, `email`, `name`, `code`), rendered by
    /// `Texts::match_key`; None when created.
    pub matched_by: Option<String>,
    pub raynet_id: i64,
    /// Shoptet customer key / product variant code.
    pub shoptet_key: String,
}

/// Audit events, always newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityQuery {
    pub search: String,
    pub offset: u64,
    pub limit: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityView {
    pub at: DateTime<Utc>,
    pub order_code: Option<String>,
    /// What happened (rendered by `tui::i18n::activity`).
    pub entry: Activity,
    /// The state change it made, when the state changed.
    pub change: Option<StateChange>,
}

/// One window of a larger result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// Rows matching the query in total (not just this page).
    pub total: u64,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page { rows: Vec::new(), total: 0 }
    }
}

/// The dashboard's read access to the sync's record. Errors are display-ready text.
pub trait DashboardSource: Send {
    fn counts(&self) -> Result<Counts, String>;
    fn overview(&self) -> Result<OverviewData, String>;
    fn orders(&self, q: &OrdersQuery) -> Result<Page<OrderView>, String>;
    fn order_detail(&self, code: &str) -> Result<Option<OrderDetail>, String>;
    fn entities(&self, q: &EntitiesQuery) -> Result<Page<EntityView>, String>;
    fn activity(&self, q: &ActivityQuery) -> Result<Page<ActivityView>, String>;
    /// The other orders of `code`'s customer that wait for a client decision which the same
    /// choice settles (`client`: an existing RAYNET client that must be among their candidates;
    /// None: create a new one). The engine applies a choice to them too.
    fn waiting_siblings(&self, code: &str, client: Option<i64>) -> Result<Vec<String>, String>;
}
