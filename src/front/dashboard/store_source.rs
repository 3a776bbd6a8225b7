//! The dashboard's view of the SQLite store: one page of rows per query, never everything.

use crate::config::Config;
use crate::store::{self, AuditQuery, EntityQuery, OrderQuery, OrderRow, Reason, Store};
use crate::tui::source::{PlanView, RaynetRecord, ShoptetView};
use crate::tui::{
    ActivityQuery, ActivityView, ApiCallView, Candidate, Counts, DashboardSource, EntitiesQuery, EntityKind,
    EntityView, MatchHow, OrderDetail, OrderSort, OrderState, OrderView, OrdersQuery, OverviewData, Page,
};

pub struct StoreSource {
    store: Store,
    _config: Option<Config>,
}

impl StoreSource {
    pub fn new(store: Store, config: Option<Config>) -> StoreSource {
        StoreSource { store, _config: config }
    }
}

fn e(err: store::StoreError) -> String {
    err.to_string()
}

fn view(r: &OrderRow) -> OrderView {
    OrderView {
        code: r.code.clone(),
        state: r.state,
        status: r.status_name.clone().or(r.status_id.map(|s| s.to_string())).unwrap_or_default(),
        customer: r.customer.clone().or(r.email.clone()).unwrap_or_default(),
        total: r.total_with_vat.map(crate::money::money).unwrap_or_default(),
        currency: r.currency.clone().unwrap_or_default(),
        changed_at: r.change_time.map(|t| t.with_timezone(&chrono::Utc)),
        attempts: r.attempts,
        next_attempt: r.next_attempt_at,
        reason: r.last_error.clone(),
    }
}

impl StoreSource {
    /// Why an order that has no error of its own waits: the decision it needs, or the reason
    /// it was skipped (from its history).
    fn waiting_reason(&self, code: &str, state: OrderState) -> Result<Option<Reason>, String> {
        match state {
            OrderState::NeedsDecision => Ok(self.store.decision(code).map_err(e)?.map(|d| d.reason)),
            OrderState::Skipped => self.store.skip_reason(code).map_err(e),
            _ => Ok(None),
        }
    }
}

fn activity_view(a: store::AuditEvent) -> ActivityView {
    ActivityView { at: a.at, order_code: a.order_code, entry: a.entry, change: a.change }
}

impl DashboardSource for StoreSource {
    fn counts(&self) -> Result<Counts, String> {
        let c = self.store.counts().map_err(e)?;
        let g = |s| c.get(&s).copied().unwrap_or(0);
        Ok(Counts {
            pending: g(store::OrderState::Pending),
            queued: g(store::OrderState::Queued),
            synced: g(store::OrderState::Synced),
            failed: g(store::OrderState::Failed),
            needs_decision: g(store::OrderState::NeedsDecision),
            skipped: g(store::OrderState::Skipped),
            dead: g(store::OrderState::Dead),
        })
    }

    fn overview(&self) -> Result<OverviewData, String> {
        let s = &self.store;
        let rate: Option<serde_json::Value> =
            s.rate_limit("raynet").map_err(e)?.and_then(|r| serde_json::to_value(r).ok());
        let rate_limits = match rate {
            Some(r) => match (r["remaining"].as_u64(), r["limit"].as_u64()) {
                (Some(rem), Some(lim)) => format!("RAYNET {rem} / {lim}"),
                (Some(rem), None) => format!("RAYNET {rem}"),
                _ => String::new(),
            },
            None => String::new(),
        };
        let count = |k, h| s.count_entities(k, Some(h)).map_err(e);
        Ok(OverviewData {
            last_synced_at: s.last_synced_at().map_err(e)?,
            cursor: s.cursor().map_err(e)?.map(|c| c.format("%Y-%m-%d %H:%M:%S %:z").to_string()),
            synced_per_hour: s.synced_per_hour(24).map_err(e)?,
            rate_limits,
            clients_matched: count(store::EntityKind::Client, store::How::Matched)?,
            clients_created: count(store::EntityKind::Client, store::How::Created)?,
            products_matched: count(store::EntityKind::Product, store::How::Matched)?,
            products_created: count(store::EntityKind::Product, store::How::Created)?,
        })
    }

    fn orders(&self, q: &OrdersQuery) -> Result<Page<OrderView>, String> {
        let sq = OrderQuery {
            states: q.states.clone(),
            search: (!q.search.trim().is_empty()).then(|| q.search.trim().to_string()),
            sort: match q.sort {
                OrderSort::Code => store::OrderSort::Code,
                OrderSort::Status => store::OrderSort::State,
                OrderSort::Customer => store::OrderSort::Customer,
                OrderSort::Total => store::OrderSort::Total,
                OrderSort::Changed => store::OrderSort::ChangeTime,
                OrderSort::Attempts => store::OrderSort::Attempts,
                OrderSort::NextAttempt => store::OrderSort::NextAttempt,
            },
            descending: q.descending,
            offset: q.offset,
            limit: q.limit,
        };
        let rows = self.store.orders_page(&sq).map_err(e)?;
        let total = self.store.count_orders(&sq).map_err(e)?;
        let mut views: Vec<OrderView> = rows.iter().map(view).collect();
        // An order waiting for a decision, or skipped, has no error; show why it waits.
        for v in views.iter_mut().filter(|v| v.reason.is_none()) {
            v.reason = self.waiting_reason(&v.code, v.state)?;
        }
        Ok(Page { rows: views, total })
    }

    fn order_detail(&self, code: &str) -> Result<Option<OrderDetail>, String> {
        let Some(row) = self.store.order(code).map_err(e)? else { return Ok(None) };
        // A record this version cannot read shows as empty (it is rewritten when the order is
        // next read).
        let detail = crate::engine::detail::load(&self.store, code).ok().flatten();
        let calls = self
            .store
            .calls(code)
            .map_err(e)?
            .into_iter()
            .map(|c| ApiCallView {
                at: c.at,
                method: format!("{} {}", c.service, c.method),
                path: c.path,
                status: c.status,
                duration_ms: c.duration_ms,
                error_body: c.error,
            })
            .collect();
        let candidates = self
            .store
            .decision(code)
            .map_err(e)?
            .map(|d| {
                d.candidates
                    .into_iter()
                    .map(|c| Candidate {
                        id: c.raynet_id,
                        name: c.name,
                        matched_by: c.matched_by,
                        facts: c.facts,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut raynet_ids = Vec::new();
        if let Some(id) = row.business_case_id {
            raynet_ids.push((RaynetRecord::BusinessCase, id));
        }
        let audit = self
            .store
            .audit_page(&AuditQuery { order_code: Some(code.to_string()), limit: 50, ..Default::default() })
            .map_err(e)?
            .into_iter()
            .map(activity_view)
            .collect();
        let mut order = view(&row);
        if order.reason.is_none() {
            order.reason = self.waiting_reason(code, order.state)?;
        }
        Ok(Some(OrderDetail {
            order,
            shoptet: detail.as_ref().map_or(ShoptetView::Lines(Vec::new()), |d| d.shoptet.clone()),
            plan: detail.as_ref().map_or(PlanView::Lines(Vec::new()), |d| d.plan.clone()),
            calls,
            candidates,
            raynet_ids,
            admin_url: detail.and_then(|d| d.admin_url),
            audit,
        }))
    }

    fn entities(&self, q: &EntitiesQuery) -> Result<Page<EntityView>, String> {
        let kind = match q.kind {
            EntityKind::Client => store::EntityKind::Client,
            EntityKind::Product => store::EntityKind::Product,
        };
        let how = q.how.map(|h| match h {
            MatchHow::Matched => store::How::Matched,
            MatchHow::Created => store::How::Created,
        });
        let search = (!q.search.trim().is_empty()).then(|| q.search.trim().to_string());
        let sq = EntityQuery {
            sort: match q.sort {
                crate::tui::EntitySort::ShoptetKey => store::EntitySort::ShoptetKey,
                crate::tui::EntitySort::Name => store::EntitySort::Label,
                crate::tui::EntitySort::How => store::EntitySort::How,
                crate::tui::EntitySort::RaynetId => store::EntitySort::RaynetId,
            },
            kind,
            how,
            search: search.clone(),
            descending: q.descending,
            offset: q.offset,
            limit: q.limit,
        };
        let rows = self.store.entities_page(&sq).map_err(e)?;
        let total = if search.is_some() {
            q.offset + rows.len() as u64
        } else {
            self.store.count_entities(kind, how).map_err(e)?
        };
        Ok(Page {
            rows: rows
                .into_iter()
                .map(|r| EntityView {
                    kind: q.kind,
                    name: r.label,
                    how: match r.how {
                        store::How::Matched => MatchHow::Matched,
                        store::How::Created => MatchHow::Created,
                    },
                    matched_by: r.matched_by,
                    raynet_id: r.raynet_id,
                    shoptet_key: r.shoptet_ref.unwrap_or(r.shoptet_key),
                })
                .collect(),
            total,
        })
    }

    fn waiting_siblings(&self, code: &str, client: Option<i64>) -> Result<Vec<String>, String> {
        let choice = match client {
            Some(id) => store::DecisionChoice::Existing(id),
            None => store::DecisionChoice::CreateNew,
        };
        self.store.decision_siblings(code, &choice).map_err(e)
    }

    fn activity(&self, q: &ActivityQuery) -> Result<Page<ActivityView>, String> {
        let aq = AuditQuery {
            search: (!q.search.trim().is_empty()).then(|| q.search.trim().to_string()),
            order_code: None,
            offset: q.offset,
            limit: q.limit,
        };
        let rows = self.store.audit_page(&aq).map_err(e)?;
        let total = self.store.count_audit(&aq).map_err(e)?;
        Ok(Page { rows: rows.into_iter().map(activity_view).collect(), total })
    }
}
