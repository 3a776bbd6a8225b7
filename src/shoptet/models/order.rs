//! Orders: totals, addresses, lines, the detail, list rows, changes and statuses.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{GuidName, IdName, lenient, timestamp};

/// Order totals exactly as Shoptet sends them (`price` of the order list's rows; the detail's
/// `price` is an [`OrderPrice`]). The spec's `typePriceNullable` fields are `Option`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceTotals {
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub vat: Option<Decimal>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub to_pay: Option<Decimal>,
    pub currency_code: String,
    /// Nullable in the spec; `None` when `null`.
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub with_vat: Option<Decimal>,
    /// Nullable in the spec; `None` when `null`.
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub without_vat: Option<Decimal>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub exchange_rate: Option<Decimal>,
}

/// The order detail's totals (`price`). Both totals are always numbers for the sync: the
/// spec makes them nullable, and when Shoptet sends `null` a stand-in is computed (see the
/// fields); `sent_with_vat` / `sent_without_vat` keep what Shoptet actually sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "PriceTotals", rename_all = "camelCase")]
pub struct OrderPrice {
    pub vat: Option<Decimal>,
    pub to_pay: Option<Decimal>,
    pub currency_code: String,
    /// Total with VAT. `null` → `withoutVat + vat` when Shoptet sent both, else the sum of the
    /// items' with-VAT prices ([`ItemPrice::gross`]).
    pub with_vat: Decimal,
    /// Total without VAT. `null` → `withVat − vat` when Shoptet sent both, else the sum of the
    /// items' without-VAT prices ([`ItemPrice::net`]).
    pub without_vat: Decimal,
    pub exchange_rate: Option<Decimal>,
    /// `price.withVat` as sent (`None` = `null`); not part of the JSON.
    #[serde(skip)]
    pub sent_with_vat: Option<Decimal>,
    /// `price.withoutVat` as sent (`None` = `null`); not part of the JSON.
    #[serde(skip)]
    pub sent_without_vat: Option<Decimal>,
}

impl From<PriceTotals> for OrderPrice {
    /// Totals that were `null` are 0 here; [`Order`]'s deserializer then puts in the stand-ins.
    fn from(p: PriceTotals) -> Self {
        OrderPrice {
            vat: p.vat,
            to_pay: p.to_pay,
            currency_code: p.currency_code,
            with_vat: p.with_vat.unwrap_or_default(),
            without_vat: p.without_vat.unwrap_or_default(),
            exchange_rate: p.exchange_rate,
            sent_with_vat: p.with_vat,
            sent_without_vat: p.without_vat,
        }
    }
}

impl OrderPrice {
    /// Puts in the documented stand-ins for totals Shoptet sent as `null`.
    fn stand_in_from(&mut self, items: &[OrderItem]) {
        let sum = |f: fn(&ItemPrice) -> Option<Decimal>| {
            items.iter().filter_map(|i| f(&i.item_price)).fold(Decimal::ZERO, |a, b| a.saturating_add(b))
        };
        // The totals as sent, one from the other and `vat` as an item's price would be (no rate).
        let sent = ItemPrice {
            with_vat: self.sent_with_vat,
            without_vat: self.sent_without_vat,
            vat: self.vat,
            vat_rate: None,
        };
        self.with_vat = sent.gross().unwrap_or_else(|| sum(ItemPrice::gross));
        self.without_vat = sent.net().unwrap_or_else(|| sum(ItemPrice::net));
    }
}

/// `deliveryAddress`: a postal place without the company ids of the billing address (the
/// spec's delivery schema has none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryAddress {
    pub company: Option<String>,
    pub full_name: Option<String>,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub additional: Option<String>,
    pub zip: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `CZ`.
    pub country_code: Option<String>,
    pub region_name: Option<String>,
    pub region_shortcut: Option<String>,
}

impl From<&DeliveryAddress> for Address {
    fn from(d: &DeliveryAddress) -> Address {
        let d = d.clone();
        Address {
            company: d.company,
            full_name: d.full_name,
            street: d.street,
            house_number: d.house_number,
            city: d.city,
            district: d.district,
            additional: d.additional,
            zip: d.zip,
            country_code: d.country_code,
            region_name: d.region_name,
            region_shortcut: d.region_shortcut,
            ..Address::default()
        }
    }
}

/// `billingAddress`: a postal place with the customer's company ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub company: Option<String>,
    pub full_name: Option<String>,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub additional: Option<String>,
    pub zip: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `CZ`.
    pub country_code: Option<String>,
    pub region_name: Option<String>,
    pub region_shortcut: Option<String>,
    /// IČ (billing address only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
    /// DIČ (billing address only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_id_validation_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
}

impl Address {
    /// Street and house number as one line (`Francouzská 6167/5`).
    pub fn street_line(&self) -> Option<String> {
        let parts: Vec<&str> = [self.street.as_deref(), self.house_number.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// Same postal place (company ids and validation status do not count).
    pub fn same_place(&self, other: &Address) -> bool {
        fn n(s: &Option<String>) -> String {
            s.as_deref().unwrap_or("").trim().to_lowercase()
        }
        n(&self.company) == n(&other.company)
            && n(&self.full_name) == n(&other.full_name)
            && n(&self.street) == n(&other.street)
            && n(&self.house_number) == n(&other.house_number)
            && n(&self.city) == n(&other.city)
            && n(&self.zip).replace(' ', "") == n(&other.zip).replace(' ', "")
            && n(&self.country_code) == n(&other.country_code)
    }
}

/// A price block of an order item (`itemPrice`, `unitPrice`, `purchasePrice`, the entries of
/// `itemPriceVatBreakdown`). `withVat`, `withoutVat` and `vat` are nullable in the spec.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemPrice {
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub with_vat: Option<Decimal>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub without_vat: Option<Decimal>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub vat: Option<Decimal>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub vat_rate: Option<Decimal>,
}

fn to_cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

impl ItemPrice {
    /// `1 + vatRate/100`, when the rate is known and not negative.
    fn factor(&self) -> Option<Decimal> {
        let rate = self.vat_rate.filter(|r| !r.is_sign_negative())?;
        Decimal::ONE.checked_add(rate.checked_div(Decimal::ONE_HUNDRED)?)
    }

    /// The price without VAT. `withoutVat` when sent; when `null`: `withVat − vat`, else
    /// `withVat ÷ (1 + vatRate/100)` to the cent. `None` when neither can be computed
    /// (or the numbers are too large to compute with).
    pub fn net(&self) -> Option<Decimal> {
        self.without_vat
            .or_else(|| self.derived_from(self.with_vat, Decimal::checked_sub, Decimal::checked_div))
    }

    /// The price with VAT. `withVat` when sent; when `null`: `withoutVat + vat`, else
    /// `withoutVat × (1 + vatRate/100)` to the cent. `None` when neither can be computed.
    pub fn gross(&self) -> Option<Decimal> {
        self.with_vat
            .or_else(|| self.derived_from(self.without_vat, Decimal::checked_add, Decimal::checked_mul))
    }

    /// The price on one side of VAT from `other`, the price on the other side: `by_vat` with
    /// `vat` when sent, else `by_factor` with `1 + vatRate/100`, to the cent.
    fn derived_from(
        &self,
        other: Option<Decimal>,
        by_vat: fn(Decimal, Decimal) -> Option<Decimal>,
        by_factor: fn(Decimal, Decimal) -> Option<Decimal>,
    ) -> Option<Decimal> {
        let other = other?;
        match self.vat {
            Some(vat) => by_vat(other, vat),
            None => by_factor(other, self.factor()?).map(to_cents),
        }
    }
}

/// One row of an order: a product, shipping, payment fee, discount, …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderItem {
    pub item_id: Option<i64>,
    /// `product`, `bazar`, `service`, `shipping`, `billing`, `discount-coupon`,
    /// `volume-discount`, `gift`, `gift-certificate`, `generic-item`, `product-set`,
    /// `product-set-item`, `deposit`.
    pub item_type: String,
    pub product_type: Option<String>,
    /// Nullable (the product may be gone): the line is then matched by `code` only.
    pub product_guid: Option<String>,
    /// Variant or product code; may contain `/`. Nullable: without it the line is a plain
    /// line, not linked to a RAYNET product.
    pub code: Option<String>,
    pub ean: Option<String>,
    pub name: String,
    pub variant_name: Option<String>,
    pub brand: Option<String>,
    /// Quantity (`typeAmountNullable`). `null` → 1 ([`OrderItem::quantity`]): the line then
    /// carries the item's whole price as one unit, so the totals still match.
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub amount: Option<Decimal>,
    pub amount_unit: Option<String>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub price_ratio: Option<Decimal>,
    /// Line total (quantity and discount applied). Its nullable prices fall back as
    /// [`ItemPrice::net`] / [`ItemPrice::gross`] say; with neither, the order is refused
    /// with a reason naming the item.
    #[serde(default)]
    pub item_price: ItemPrice,
    pub unit_price: Option<ItemPrice>,
    /// Cost of the line, nullable: `null` → no cost on the line (a created product then takes
    /// the variant's purchase price, if Shoptet has one).
    pub purchase_price: Option<ItemPrice>,
    /// Item status; its `name` is nullable (read as `""`), and the sync does not use it.
    pub status: Option<IdName>,
    /// The item's price split per VAT rate (non-product items: shipping, payment, discounts…
    /// spread over several rates). `null` or absent → one line at `itemPrice.vatRate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_price_vat_breakdown: Option<Vec<ItemPrice>>,
}

impl OrderItem {
    /// Item types that stand for a catalogue product (linked to or created as RAYNET products).
    pub const PRODUCT_TYPES: [&'static str; 4] = ["product", "bazar", "service", "product-set"];

    pub fn is_product(&self) -> bool {
        Self::PRODUCT_TYPES.contains(&self.item_type.as_str())
    }

    /// `amount`, or 1 when Shoptet sent `null`.
    pub fn quantity(&self) -> Decimal {
        self.amount.unwrap_or(Decimal::ONE)
    }
}

/// `notes` section (needs `include=notes`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderNotes {
    pub customer_remark: Option<String>,
    pub eshop_remark: Option<String>,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
}

/// Order detail (`GET /api/orders/{code}` → `data.order`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct Order {
    pub code: String,
    pub guid: Option<String>,
    pub external_code: Option<String>,
    /// Nullable (`typeDateTimeNullable`). `null` → `changeTime` stands in ([`Order::created_at`])
    /// for the scope check and the business case's start date; with neither, the order counts
    /// as in scope (the feed lists it as changed since the cursor) and no start date is sent.
    #[serde(default, with = "timestamp::option")]
    pub creation_time: Option<DateTime<FixedOffset>>,
    /// Nullable. `null` → the creation time stands in where a change time is recorded.
    #[serde(default, with = "timestamp::option")]
    pub change_time: Option<DateTime<FixedOffset>>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Nullable (set only for registered customers): `null` → the client is keyed by e-mail,
    /// as a guest's.
    pub customer_guid: Option<String>,
    pub cash_desk_order: Option<bool>,
    pub addresses_equal: Option<bool>,
    pub vat_payer: Option<bool>,
    pub admin_url: Option<String>,
    /// Nullable: `null` → the status is unknown, so the order is not final and waits as
    /// pending. `status.name` may be `null` too (see [`IdName::name`]).
    pub status: Option<IdName>,
    pub source: Option<IdName>,
    pub shipping: Option<GuidName>,
    pub payment_method: Option<GuidName>,
    /// Totals; `withVat` / `withoutVat` are nullable, see [`OrderPrice`] for the stand-ins.
    pub price: OrderPrice,
    pub paid: Option<bool>,
    pub billing_address: Option<Address>,
    pub delivery_address: Option<DeliveryAddress>,
    pub language: Option<String>,
    #[serde(default)]
    pub items: Vec<OrderItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<OrderNotes>,
}

impl<'de> Deserialize<'de> for Order {
    /// Reads the detail and puts in the stand-ins for `null` totals (which need the items).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut order = Order::deserialize(d)?;
        order.price.stand_in_from(&order.items);
        Ok(order)
    }
}

impl Serialize for Order {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Order::serialize(self, s)
    }
}

impl Order {
    pub fn status_id(&self) -> Option<i64> {
        self.status.as_ref().map(|s| s.id)
    }

    /// `creationTime`, or `changeTime` when Shoptet sent no creation time.
    pub fn created_at(&self) -> Option<DateTime<FixedOffset>> {
        self.creation_time.or(self.change_time)
    }
}

/// A row of `GET /api/orders` (no items, no addresses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderSummary {
    pub code: String,
    pub guid: Option<String>,
    /// Nullable, as on the detail.
    #[serde(default, with = "timestamp::option")]
    pub creation_time: Option<DateTime<FixedOffset>>,
    /// Nullable: `null` → the creation time stands in; with neither, the row's order is read
    /// again on every poll and does not move the cursor.
    #[serde(default, with = "timestamp::option")]
    pub change_time: Option<DateTime<FixedOffset>>,
    pub full_name: Option<String>,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub remark: Option<String>,
    pub customer_guid: Option<String>,
    pub admin_url: Option<String>,
    pub status: Option<IdName>,
    /// Totals as sent (no items here to stand in for `null` ones).
    pub price: PriceTotals,
    pub paid: Option<bool>,
}

/// A row of `GET /api/orders/changes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderChange {
    pub code: String,
    /// Nullable (`typeDateTimeNullable`): `null` → the order is fetched on every poll (the
    /// change may be news) and the entry does not move the cursor.
    #[serde(default, with = "timestamp::option")]
    pub change_time: Option<DateTime<FixedOffset>>,
    /// `add`, `edit` or `delete` (creation is reported as `edit`).
    pub change_type: String,
}

/// `paginator` of every list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paginator {
    pub total_count: u64,
    pub page: u64,
    pub page_count: u64,
    pub items_on_page: u64,
    pub items_per_page: u64,
}

/// `GET /api/orders/statuses` → `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderStatuses {
    pub default_status: Option<i64>,
    pub statuses: Vec<OrderStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderStatus {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub system: bool,
    pub order: Option<i64>,
    pub mark_as_paid: Option<bool>,
    pub color: Option<String>,
    pub background_color: Option<String>,
}
