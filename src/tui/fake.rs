//! An in-memory `DashboardSource` and `SetupProbe` with deterministic demo data, for tests
//! and benches only.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use secrecy::SecretString;

use crate::config::Config;
use crate::doctor::{Check, CheckName, Finding, Hook, Shop};
use crate::http::Service;
use crate::store::Priority;
use crate::tui::probe::{BoxFut, Choice, RaynetFacts, SetupProbe, ShoptetAccess, ShoptetFacts};
use crate::tui::source::*;
use crate::webhooks::{Job, Report, SetupError};

mod words;

pub use words::english_words;

const NAMES: [&str; 8] = [
    "Jiří Novák",
    "Žofie Dvořáková",
    "Kůň a syn s.r.o.",
    "Petr Černý",
    "Účetní kancelář Šťastná",
    "Ondřej Hořejší",
    "日本 Trading",
    "Anna Malá",
];

const STATUSES: [&str; 4] = ["Nevyřízená", "Vyřizuje se", "Vyřízena", "Stornována"];

#[derive(Default)]
pub struct FakeSource {
    pub counts_override: Option<Counts>,
    pub overview: OverviewData,
    pub orders: Vec<OrderView>,
    pub details: HashMap<String, OrderDetail>,
    pub entities: Vec<EntityView>,
    pub activity: Vec<ActivityView>,
    /// When set, every call fails with this text.
    pub fail: Option<String>,
    /// The `limit` of every paged query, to check the dashboard never asks for everything.
    pub limits: Arc<Mutex<Vec<u64>>>,
}

fn money(cents: u64) -> String {
    format!("{},{:02}", crate::tui::format::count(cents / 100), cents % 100)
}

fn cents(total: &str) -> i64 {
    total.replace([' ', ','], "").parse().unwrap_or(0)
}

impl FakeSource {
    /// `n` orders spread over every state, with clients, products and activity to match.
    pub fn demo(n: usize, now: DateTime<Utc>) -> FakeSource {
        let mut seed: u64 = 42;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 33
        };
        let mut orders = Vec::with_capacity(n);
        for i in 0..n {
            let state = OrderState::ALL[i % OrderState::ALL.len()];
            let failed = matches!(state, OrderState::Failed | OrderState::Dead);
            orders.push(OrderView {
                code: format!("{}", 2026_00001 + i as u64),
                state,
                status: STATUSES[(next() % 4) as usize].to_string(),
                customer: NAMES[i % NAMES.len()].to_string(),
                total: money(next() % 5_000_000),
                currency: if i % 9 == 0 { "EUR" } else { "CZK" }.into(),
                changed_at: Some(now - Duration::minutes((i * 7) as i64)),
                attempts: if failed { (i % 5) as u32 + 1 } else { 0 },
                next_attempt: (state == OrderState::Failed)
                    .then(|| now + Duration::minutes((i % 50) as i64 + 1)),
                reason: demo_reason(state, NAMES[i % NAMES.len()]),
            });
        }
        let mut entities = Vec::new();
        for (i, name) in NAMES.iter().enumerate() {
            let created = i % 3 == 0;
            entities.push(EntityView {
                kind: EntityKind::Client,
                name: name.to_string(),
                how: if created { MatchHow::Created } else { MatchHow::Matched },
                matched_by: (!created).then(|| ["reg_number", "email", "name"][i % 3].to_string()),
                raynet_id: 1000 + i as i64,
                shoptet_key: format!("customer:{:04}", i + 1),
            });
            entities.push(EntityView {
                kind: EntityKind::Product,
                name: format!("Výrobek č. {}", i + 1),
                how: if created { MatchHow::Created } else { MatchHow::Matched },
                matched_by: (!created).then(|| "code".to_string()),
                raynet_id: 5000 + i as i64,
                shoptet_key: format!("SKU-{:03}", i + 1),
            });
        }
        let activity = orders.iter().take(200).enumerate().map(|(i, o)| demo_activity(i, o, now)).collect();
        let synced_per_hour = (0..24).map(|h| (h * 7 + 3) % 13).collect();
        FakeSource {
            overview: OverviewData {
                last_synced_at: Some(now - Duration::minutes(3)),
                cursor: Some((now - Duration::minutes(10)).to_rfc3339()),
                synced_per_hour,
                rate_limits: "Shoptet 12 % · RAYNET 3/60 s".into(),
                clients_matched: 5,
                clients_created: 3,
                products_matched: 5,
                products_created: 3,
            },
            orders,
            entities,
            activity,
            ..FakeSource::default()
        }
    }

    fn check(&self) -> Result<(), String> {
        match &self.fail {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn record(&self, limit: u64) {
        if let Ok(mut l) = self.limits.lock() {
            l.push(limit);
        }
    }

    fn page<T: Clone>(rows: Vec<&T>, offset: u64, limit: u64) -> Page<T> {
        let total = rows.len() as u64;
        let rows = rows.into_iter().skip(offset as usize).take(limit as usize).cloned().collect();
        Page { rows, total }
    }

    fn generated_detail(o: &OrderView) -> OrderDetail {
        let at = o.changed_at.unwrap_or_default();
        let candidates = if o.state == OrderState::NeedsDecision {
            vec![
                Candidate {
                    id: 1001,
                    name: o.customer.clone(),
                    matched_by: "email".into(),
                    facts: CandidateFacts {
                        reg_number: Some("12345678".into()),
                        city: Some("Brno".into()),
                        ..CandidateFacts::default()
                    },
                },
                Candidate {
                    id: 1002,
                    name: format!("{} (2)", o.customer),
                    matched_by: "email".into(),
                    facts: CandidateFacts { city: Some("Praha".into()), ..CandidateFacts::default() },
                },
            ]
        } else {
            Vec::new()
        };
        let failed = matches!(o.state, OrderState::Failed | OrderState::Dead);
        OrderDetail {
            order: o.clone(),
            shoptet: ShoptetView::Lines(vec![
                format!("customer: {}", o.customer),
                "e-mail: jan@example.cz".into(),
                format!("total: {} {}", o.total, o.currency),
                "items: 2× Výrobek č. 1, Doprava PPL".into(),
            ]),
            plan: PlanView::Lines(vec![
                "client: match by e-mail".into(),
                format!("business case: Objednávka {} (3 lines)", o.code),
            ]),
            calls: vec![
                ApiCallView {
                    at,
                    method: "GET".into(),
                    path: format!("/api/orders/{}", o.code),
                    status: Some(200),
                    duration_ms: 84,
                    error_body: None,
                },
                ApiCallView {
                    at,
                    method: "PUT".into(),
                    path: "/businessCase/".into(),
                    status: Some(if failed { 400 } else { 201 }),
                    duration_ms: 230,
                    error_body: match o.state {
                        OrderState::Failed => Some("503 Service Unavailable".into()),
                        OrderState::Dead => Some(r#"{"message": "Pole regNumber není platné"}"#.into()),
                        _ => None,
                    },
                },
            ],
            candidates,
            raynet_ids: if o.state == OrderState::Synced {
                vec![(RaynetRecord::BusinessCase, 77), (RaynetRecord::Company, 1001)]
            } else {
                Vec::new()
            },
            admin_url: Some(format!("https://shop.example.cz/admin/objednavky-detail/?code={}", o.code)),
            audit: vec![ActivityView {
                at,
                order_code: Some(o.code.clone()),
                entry: Activity::Seen { status: Some(o.status.clone()) },
                change: None,
            }],
        }
    }
}

/// Why a demo order in `state` waits, as the engine would have recorded it.
fn demo_reason(state: OrderState, customer: &str) -> Option<Reason> {
    Some(match state {
        OrderState::Failed => Reason::Unavailable {
            service: Service::Raynet,
            request: "PUT /businessCase/createWithItems".into(),
            status: 503,
            message: String::new(),
        },
        OrderState::Dead => Reason::Refused {
            service: Service::Raynet,
            request: "PUT /company/".into(),
            status: Some(400),
            message: "Pole regNumber není platné".into(),
            vendor_code: Some("ValidationException".into()),
        },
        OrderState::NeedsDecision => Reason::Ambiguous {
            by: "email".into(),
            candidates: vec![format!("{customer} (#1001)"), format!("{customer} (2) (#1002)")],
        },
        OrderState::Skipped => Reason::Skipped { note: None },
        OrderState::Pending | OrderState::Queued | OrderState::Synced => return None,
    })
}

/// The log entry that brought a demo order to its state.
fn demo_activity(i: usize, o: &OrderView, now: DateTime<Utc>) -> ActivityView {
    use crate::store::OrderState as Stored;
    let at = o.changed_at.unwrap_or(now);
    let reason = || demo_reason(o.state, &o.customer).unwrap_or(Reason::Skipped { note: None });
    let (entry, from, to) = match o.state {
        OrderState::Pending => (Activity::Seen { status: Some(o.status.clone()) }, None, Stored::Pending),
        OrderState::Queued => {
            (Activity::Queued { priority: Priority::Normal, due: at }, Some(Stored::Pending), Stored::Queued)
        }
        OrderState::Synced => {
            (Activity::Synced { business_case_id: 500 + i as i64 }, Some(Stored::Queued), Stored::Synced)
        }
        OrderState::Failed => {
            let next_attempt_at = o.next_attempt.unwrap_or(now);
            let entry = Activity::Failed { attempt: o.attempts, reason: reason(), next_attempt_at };
            (entry, Some(Stored::Queued), Stored::Failed)
        }
        OrderState::NeedsDecision => {
            let entry = Activity::NeedsDecision { reason: reason(), candidates: 2 };
            (entry, Some(Stored::Queued), Stored::NeedsDecision)
        }
        OrderState::Skipped => (Activity::Skipped { note: None }, Some(Stored::Failed), Stored::Skipped),
        OrderState::Dead => {
            (Activity::Dead { attempt: o.attempts, reason: reason() }, Some(Stored::Failed), Stored::Dead)
        }
    };
    let change = from.map(|from| StateChange { from, to });
    ActivityView { at, order_code: Some(o.code.clone()), entry, change }
}

fn order_cmp(sort: OrderSort, a: &OrderView, b: &OrderView) -> Ordering {
    match sort {
        OrderSort::Code => a.code.cmp(&b.code),
        OrderSort::Status => a.status.cmp(&b.status),
        OrderSort::Customer => a.customer.cmp(&b.customer),
        OrderSort::Total => cents(&a.total).cmp(&cents(&b.total)),
        OrderSort::Changed => a.changed_at.cmp(&b.changed_at),
        OrderSort::Attempts => a.attempts.cmp(&b.attempts),
        OrderSort::NextAttempt => a.next_attempt.cmp(&b.next_attempt),
    }
    .then_with(|| a.code.cmp(&b.code))
}

/// The search the real store does: case- and accent-insensitive.
fn contains(hay: &str, needle: &str) -> bool {
    crate::store::search_matches(hay, needle.trim())
}

impl DashboardSource for FakeSource {
    fn counts(&self) -> Result<Counts, String> {
        self.check()?;
        if let Some(c) = self.counts_override {
            return Ok(c);
        }
        let mut c = Counts::default();
        for o in &self.orders {
            let slot = match o.state {
                OrderState::Pending => &mut c.pending,
                OrderState::Queued => &mut c.queued,
                OrderState::Synced => &mut c.synced,
                OrderState::Failed => &mut c.failed,
                OrderState::NeedsDecision => &mut c.needs_decision,
                OrderState::Skipped => &mut c.skipped,
                OrderState::Dead => &mut c.dead,
            };
            *slot += 1;
        }
        Ok(c)
    }

    fn overview(&self) -> Result<OverviewData, String> {
        self.check()?;
        Ok(self.overview.clone())
    }

    fn orders(&self, q: &OrdersQuery) -> Result<Page<OrderView>, String> {
        self.check()?;
        self.record(q.limit);
        let mut rows: Vec<&OrderView> = self
            .orders
            .iter()
            .filter(|o| q.states.is_empty() || q.states.contains(&o.state))
            .filter(|o| {
                q.search.is_empty()
                    || contains(&o.code, &q.search)
                    || contains(&o.customer, &q.search)
                    || contains(&o.status, &q.search)
            })
            .collect();
        rows.sort_by(|a, b| {
            let c = order_cmp(q.sort, a, b);
            if q.descending { c.reverse() } else { c }
        });
        Ok(Self::page(rows, q.offset, q.limit))
    }

    fn order_detail(&self, code: &str) -> Result<Option<OrderDetail>, String> {
        self.check()?;
        if let Some(d) = self.details.get(code) {
            return Ok(Some(d.clone()));
        }
        Ok(self.orders.iter().find(|o| o.code == code).map(Self::generated_detail))
    }

    fn entities(&self, q: &EntitiesQuery) -> Result<Page<EntityView>, String> {
        self.check()?;
        self.record(q.limit);
        let mut rows: Vec<&EntityView> = self
            .entities
            .iter()
            .filter(|e| e.kind == q.kind && q.how.is_none_or(|h| e.how == h))
            .filter(|e| {
                q.search.is_empty() || contains(&e.name, &q.search) || contains(&e.shoptet_key, &q.search)
            })
            .collect();
        rows.sort_by(|a, b| {
            let c = match q.sort {
                EntitySort::ShoptetKey => a.shoptet_key.cmp(&b.shoptet_key),
                EntitySort::Name => a.name.cmp(&b.name),
                EntitySort::How => (a.how as u8).cmp(&(b.how as u8)),
                EntitySort::RaynetId => a.raynet_id.cmp(&b.raynet_id),
            };
            if q.descending { c.reverse() } else { c }
        });
        Ok(Self::page(rows, q.offset, q.limit))
    }

    fn activity(&self, q: &ActivityQuery) -> Result<Page<ActivityView>, String> {
        self.check()?;
        self.record(q.limit);
        let mut rows: Vec<&ActivityView> = self
            .activity
            .iter()
            .filter(|a| {
                q.search.is_empty()
                    || contains(&a.entry.search_text(), &q.search)
                    || a.order_code.as_deref().is_some_and(|c| contains(c, &q.search))
                    || contains(a.entry.kind(), &q.search)
            })
            .collect();
        rows.sort_by_key(|a| std::cmp::Reverse(a.at));
        Ok(Self::page(rows, q.offset, q.limit))
    }

    fn waiting_siblings(&self, code: &str, client: Option<i64>) -> Result<Vec<String>, String> {
        self.check()?;
        let Some(me) = self.orders.iter().find(|o| o.code == code) else { return Ok(Vec::new()) };
        let mut codes: Vec<String> = self
            .orders
            .iter()
            .filter(|o| o.code != code && o.state == OrderState::NeedsDecision && o.customer == me.customer)
            .filter(|o| {
                let candidates = match self.details.get(&o.code) {
                    Some(d) => d.candidates.clone(),
                    None => Self::generated_detail(o).candidates,
                };
                client.is_none_or(|id| candidates.iter().any(|c| c.id == id))
            })
            .map(|o| o.code.clone())
            .collect();
        codes.sort();
        Ok(codes)
    }
}

/// A probe with canned answers (or canned failures); the webhook jobs it was given are kept.
#[derive(Clone)]
pub struct FakeProbe {
    pub shoptet: Result<ShoptetFacts, String>,
    pub raynet: Result<RaynetFacts, String>,
    pub webhooks: Result<Report, SetupError>,
    pub checks: Vec<Check>,
    pub jobs: Arc<Mutex<Vec<Job>>>,
}

fn choices(items: &[(i64, &str)]) -> Vec<Choice> {
    items.iter().map(|(id, l)| Choice { id: *id, label: l.to_string() }).collect()
}

impl FakeProbe {
    pub fn demo() -> FakeProbe {
        FakeProbe {
            shoptet: Ok(ShoptetFacts {
                eshop_id: 222651,
                name: "Zahradní potřeby Šťastný".into(),
                default_currency: "CZK".into(),
                currencies: vec!["CZK".into(), "EUR".into()],
                timezone: "Europe/Prague".into(),
                statuses: choices(&[
                    (-1, "Nevyřízená"),
                    (-2, "Vyřizuje se"),
                    (-3, "Vyřízena"),
                    (-4, "Stornována"),
                ]),
            }),
            raynet: Ok(RaynetFacts {
                instance: "zahrada".into(),
                users: choices(&[(11, "Jana Nováková"), (12, "Petr Dvořák")]),
                phases: choices(&[(1, "Příprava"), (2, "Nabídka"), (3, "Vyhráno")]),
                sources: choices(&[(21, "E-shop"), (22, "Telefon")]),
                categories: choices(&[(31, "Maloobchod"), (32, "Velkoobchod")]),
                currencies: vec!["CZK".into(), "EUR".into()],
            }),
            webhooks: Ok(Report::default()),
            checks: vec![
                Check::ok(
                    CheckName::Shoptet,
                    Finding::Shop(Shop::Reached { name: "Zahradní potřeby Šťastný".into(), id: 222651 }),
                ),
                Check::fail(CheckName::Webhook, Finding::Hook(Hook::NoKey)),
            ],
            jobs: Arc::new(Mutex::new(Vec::new())),
        }
    }
}

impl SetupProbe for FakeProbe {
    fn test_shoptet<'a>(
        &'a self,
        _base_url: String,
        _token: SecretString,
        _addon_eshop_url: Option<String>,
    ) -> BoxFut<'a, Result<ShoptetFacts, String>> {
        let r = self.shoptet.clone();
        Box::pin(async move { r })
    }

    fn test_raynet<'a>(
        &'a self,
        _base_url: String,
        _instance: String,
        _username: String,
        _api_key: SecretString,
    ) -> BoxFut<'a, Result<RaynetFacts, String>> {
        let r = self.raynet.clone();
        Box::pin(async move { r })
    }

    fn set_up_webhooks<'a>(
        &'a self,
        _shop: ShoptetAccess,
        job: Job,
    ) -> BoxFut<'a, Result<Report, SetupError>> {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.push(job);
        }
        let r = self.webhooks.clone();
        Box::pin(async move { r })
    }

    fn doctor<'a>(&'a self, _config: Config) -> BoxFut<'a, Vec<Check>> {
        let r = self.checks.clone();
        Box::pin(async move { r })
    }
}
