//! What the order detail shows, as data: the order as read from Shoptet; before the order is
//! worked, the preview the mapping alone gives (RAYNET is looked up when it is worked); once
//! worked, the writes its plan listed and what was done. Stored typed (JSON) in the store's
//! order detail record and rendered by the front ends (`tui::i18n::plan`).

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::mapping::{self, matching::MatchKey};
use crate::shoptet::models::{Address, Order};
use crate::store::{OrderDetailRecord, Reason, Store, StoreError};

use super::EngineError;
use super::context::SyncContext;
use super::plan::{Report, WriteOp};

/// The order detail record as the engine keeps it.
pub type DetailRecord = OrderDetailRecord<ShoptetView, PlanView>;

/// The Shoptet part of the detail: typed, or lines of text as older versions wrote them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ShoptetView {
    Order(Box<ShoptetBlock>),
    Lines(Vec<String>),
}

/// The plan part of the detail: typed, or lines of text as older versions wrote them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PlanView {
    Plan(DetailPlan),
    Lines(Vec<String>),
}

/// Where the order's plan stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum DetailPlan {
    /// Not worked yet: what the mapping alone knows.
    Preview(Preview),
    /// Worked: the RAYNET writes its plan listed, and what was done.
    Worked { writes: Vec<WriteOp>, done: Vec<Report> },
}

/// A Shoptet order status as the order names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusView {
    pub name: String,
    pub id: i64,
}

/// One order item as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub amount: Decimal,
    pub name: String,
    pub code: Option<String>,
    pub with_vat: Option<Decimal>,
}

/// The order as read from Shoptet (the parts a person checks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShoptetBlock {
    pub code: String,
    pub status: Option<StatusView>,
    pub created: Option<DateTime<FixedOffset>>,
    pub changed: Option<DateTime<FixedOffset>>,
    pub customer: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub reg_number: Option<String>,
    pub vat_id: Option<String>,
    /// The billing address, its parts joined.
    pub billing: Option<String>,
    /// The delivery address when it is another place.
    pub delivery: Option<String>,
    pub items: Vec<ItemView>,
    pub currency: String,
    pub total_with_vat: Decimal,
    pub total_without_vat: Decimal,
    /// Shoptet's exchange rate, when it is not 1.
    pub exchange_rate: Option<Decimal>,
    pub note: Option<String>,
}

/// One line of the preview: the mapped line and the product code it will be linked by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewLine {
    pub amount: Decimal,
    pub name: String,
    pub price: Decimal,
    pub vat_rate: Decimal,
    /// Found by this code or created; `None`: a plain line.
    pub product: Option<String>,
}

/// The plan as far as the mapping knows it before anything is looked up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    /// The client lookup, in rule order (else the client is created).
    pub lookup: Vec<(MatchKey, String)>,
    pub lines: Vec<PreviewLine>,
    pub problem: Option<Reason>,
    pub case_name: String,
    pub currency: String,
}

/// The order as the detail shows it.
pub fn shoptet_block(o: &Order) -> ShoptetBlock {
    let billing = o.billing_address.as_ref();
    let delivery =
        o.delivery_address.as_ref().map(Address::from).filter(|d| billing.is_none_or(|b| !b.same_place(d)));
    ShoptetBlock {
        code: o.code.clone(),
        status: o.status.as_ref().map(|s| StatusView { name: s.label().to_string(), id: s.id }),
        created: o.creation_time,
        changed: o.change_time,
        customer: mapping::client_label(o),
        email: o.email.clone(),
        phone: o.phone.clone(),
        reg_number: billing.and_then(|b| b.company_id.clone()),
        vat_id: billing.and_then(|b| b.vat_id.clone()),
        billing: billing.map(address),
        delivery: delivery.as_ref().map(address),
        items: o
            .items
            .iter()
            .map(|i| ItemView {
                amount: i.quantity().normalize(),
                name: i.name.clone(),
                code: i.code.clone(),
                with_vat: i.item_price.with_vat,
            })
            .collect(),
        currency: o.price.currency_code.clone(),
        total_with_vat: o.price.with_vat,
        total_without_vat: o.price.without_vat,
        exchange_rate: o.price.exchange_rate.filter(|r| *r != Decimal::ONE).map(|r| r.normalize()),
        note: o.notes.as_ref().and_then(|n| n.customer_remark.clone()).filter(|n| !n.trim().is_empty()),
    }
}

fn address(a: &Address) -> String {
    [
        a.company.clone(),
        a.full_name.clone(),
        a.street_line(),
        a.zip.clone(),
        a.city.clone(),
        a.country_code.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

/// The plan as far as the pure mapping knows it (no lookups): for an order not worked yet.
pub fn preview(o: &Order, ctx: &SyncContext) -> Preview {
    let lookup = mapping::client_lookup(o, ctx.eshop_id)
        .iter()
        .map(|s| (MatchKey::of_step(s), s.value().to_string()))
        .collect();
    let mut preview = Preview {
        lookup,
        lines: Vec::new(),
        problem: None,
        case_name: ctx.settings.name_template.replace("{code}", &o.code),
        currency: o.price.currency_code.clone(),
    };
    match mapping::plan_lines(o, &ctx.settings) {
        Ok(lines) => {
            preview.lines = lines
                .iter()
                .map(|l| PreviewLine {
                    amount: l.amount.normalize(),
                    name: l.name.clone(),
                    price: l.price.round_dp(2),
                    vat_rate: l.vat_rate.normalize(),
                    product: l.code.clone().filter(|_| l.link_product),
                })
                .collect();
            if let Err(e) = mapping::check_totals(o, &lines) {
                preview.problem = Some(EngineError::from(e).reason());
            }
        }
        Err(e) => preview.problem = Some(EngineError::from(e).reason()),
    }
    preview
}

/// Keeps what the order detail view shows: the Shoptet data and the preview, or once worked,
/// the writes and what was done (`worked`). A record of what was done is kept until the order
/// is worked again.
pub(crate) fn save(
    store: &mut Store,
    order: &Order,
    ctx: Option<&SyncContext>,
    worked: Option<DetailPlan>,
) -> Result<(), StoreError> {
    let (plan, done) = match worked {
        Some(worked) => (PlanView::Plan(worked), true),
        None => match store
            .order_detail_as::<ShoptetView, PlanView>(&order.code)
            .ok()
            .flatten()
            .filter(|d| d.done)
        {
            Some(previous) => (previous.plan, true),
            None => match ctx {
                Some(ctx) => (PlanView::Plan(DetailPlan::Preview(preview(order, ctx))), false),
                None => (PlanView::Lines(Vec::new()), false),
            },
        },
    };
    let record = DetailRecord {
        shoptet: ShoptetView::Order(Box::new(shoptet_block(order))),
        plan,
        done,
        admin_url: order.admin_url.clone(),
    };
    store.set_order_detail(&order.code, &record)
}

/// The order detail record, typed (older records read as their lines of text).
pub fn load(store: &Store, code: &str) -> Result<Option<DetailRecord>, StoreError> {
    store.order_detail_as(code)
}
