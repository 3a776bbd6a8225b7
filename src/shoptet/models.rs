//! Typed Shoptet API payloads. Prices are decimal strings (`"121.00"`) read into
//! `rust_decimal::Decimal`; timestamps use `+0200` offsets (see [`timestamp`]).
//! Unknown fields are ignored.
//!
//! Every field the spec marks nullable that the sync reads is `Option` (or, where the rest of
//! the sync needs a value, has a stand-in documented next to the field), so one `null` never
//! makes a whole order, list page or feed page unreadable. A number or timestamp Shoptet's
//! patterns allow but that cannot be represented (more than 28 digits, month `00`) is read as
//! `null` too: the field's fallback applies, or the mapping names the field in its reason.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Shoptet's `+0200` timestamps (no colon in the offset), also accepting RFC 3339.
pub mod timestamp {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serializer};

    pub const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%z";

    pub fn parse(s: &str) -> Result<DateTime<FixedOffset>, String> {
        DateTime::parse_from_str(s, FORMAT)
            .or_else(|_| DateTime::parse_from_rfc3339(s))
            .map_err(|_| format!("not a Shoptet timestamp (YYYY-MM-DDTHH:MM:SS+HHMM): {s:?}"))
    }

    pub fn format(t: &DateTime<FixedOffset>) -> String {
        t.format(FORMAT).to_string()
    }

    pub fn serialize<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).map_err(serde::de::Error::custom)
    }

    pub mod option {
        use chrono::{DateTime, FixedOffset};
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(t: &Option<DateTime<FixedOffset>>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&super::format(t)),
                None => s.serialize_none(),
            }
        }

        /// `null`, `""` and timestamps that match Shoptet's pattern but are no real instant
        /// (`0000-00-00T00:00:00+0000`) read as `None`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
            Ok(Option::<String>::deserialize(d)?.and_then(|s| super::parse(&s).ok()))
        }
    }
}

/// Tolerant readers for fields the spec marks nullable.
pub mod lenient {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    /// A decimal sent as a string (`"121.00"`) or a number; `null`, and a number that does not
    /// fit a `Decimal` (more than 28 digits), read as `None`. Other JSON types are an error.
    pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(parse(&s)),
            Some(Value::Number(n)) => Ok(parse(&n.to_string())),
            Some(other) => Err(serde::de::Error::custom(format!("expected a decimal string, got {other}"))),
        }
    }

    pub fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        s.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(s).ok())
    }

    /// A text the spec allows to be `null`, read as `""` when it is.
    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
    }
}

/// `{id, name}` pairs used for order and item statuses and order sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdName {
    pub id: i64,
    /// Nullable in the spec (order `status.name`, item `status.name`, `source.name`): `null` is
    /// read as `""`. The sync decides by `id` only; where a name is shown and is empty, the
    /// e-shop's status list (by id) or the id stands in ([`IdName::label`]).
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
}

impl IdName {
    /// The name as Shoptet sent it, `None` when it was `null` or blank.
    pub fn sent_name(&self) -> Option<&str> {
        Some(self.name.trim()).filter(|n| !n.is_empty())
    }

    /// The name, or `#<id>` when Shoptet sent none.
    pub fn label(&self) -> String {
        self.sent_name().map_or_else(|| format!("#{}", self.id), str::to_owned)
    }
}

/// `{guid, name}` pairs used for shipping and payment methods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidName {
    pub guid: Option<String>,
    pub name: String,
}

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
        let (with, without, vat) = (self.sent_with_vat, self.sent_without_vat, self.vat);
        self.with_vat = with.or_else(|| without?.checked_add(vat?)).unwrap_or_else(|| sum(ItemPrice::gross));
        self.without_vat = without.or_else(|| with?.checked_sub(vat?)).unwrap_or_else(|| sum(ItemPrice::net));
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
        self.without_vat.or_else(|| {
            let gross = self.with_vat?;
            match self.vat {
                Some(vat) => gross.checked_sub(vat),
                None => gross.checked_div(self.factor()?).map(to_cents),
            }
        })
    }

    /// The price with VAT. `withVat` when sent; when `null`: `withoutVat + vat`, else
    /// `withoutVat × (1 + vatRate/100)` to the cent. `None` when neither can be computed.
    pub fn gross(&self) -> Option<Decimal> {
        self.with_vat.or_else(|| {
            let net = self.without_vat?;
            match self.vat {
                Some(vat) => net.checked_add(vat),
                None => net.checked_mul(self.factor()?).map(to_cents),
            }
        })
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

/// `GET /api/eshop` → `data`, the parts the sync needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Eshop {
    pub contact_information: EshopContact,
    pub settings: EshopSettings,
    #[serde(default)]
    pub currencies: Vec<EshopCurrency>,
    #[serde(default)]
    pub urls: Vec<EshopUrl>,
}

impl Eshop {
    /// The currency with `isDefault: true` (falls back to the first one listed).
    pub fn default_currency(&self) -> Option<&str> {
        self.currencies
            .iter()
            .find(|c| c.is_default)
            .or_else(|| self.currencies.first())
            .map(|c| c.code.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EshopContact {
    pub eshop_id: i64,
    pub eshop_name: Option<String>,
    pub url: Option<String>,
    pub eshop_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EshopSettings {
    pub vat_payer: Option<bool>,
    /// IANA zone, e.g. `Europe/Prague`.
    pub timezone: Option<String>,
    pub eshop_language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EshopCurrency {
    pub code: String,
    pub title: Option<String>,
    #[serde(default)]
    pub is_default: bool,
    pub exchange_rate: Option<Decimal>,
    pub price_decimal_places: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EshopUrl {
    pub ident: String,
    pub url: String,
}

/// Product detail (`GET /api/products/{guid}` and `/api/products/code/{code}` → `data`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub guid: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Nullable in the spec: `null` → the link to the product is named after its URL (a created
    /// product takes the order line's name anyway).
    pub name: Option<String>,
    pub short_description: Option<String>,
    /// HTML.
    pub description: Option<String>,
    /// Public product URL in the shop.
    pub url: Option<String>,
    #[serde(default, with = "timestamp::option")]
    pub change_time: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub variants: Vec<ProductVariant>,
}

impl Product {
    pub fn variant(&self, code: &str) -> Option<&ProductVariant> {
        self.variants.iter().find(|v| v.code == code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductVariant {
    pub code: String,
    pub ean: Option<String>,
    pub unit: Option<String>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub price: Option<Decimal>,
    /// Whether `price` includes VAT.
    pub including_vat: Option<bool>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub vat_rate: Option<Decimal>,
    pub currency_code: Option<String>,
    pub url: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub prices: Option<VariantPrices>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VariantPrices {
    pub purchase_price: Option<PurchasePrice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchasePrice {
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub price: Option<Decimal>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub vat_rate: Option<Decimal>,
    pub including_vat: Option<bool>,
}

/// A row of `GET /api/products?productCodes=…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductSummary {
    pub guid: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub url: Option<String>,
}

/// A registered webhook (`GET|POST /api/webhooks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub id: i64,
    pub event: String,
    pub url: String,
    pub created: Option<String>,
    pub updated: Option<String>,
}

/// The JSON Shoptet POSTs to a webhook URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    pub eshop_id: i64,
    pub event: String,
    pub event_created: String,
    /// Order code for order events, GUID for products/customers.
    pub event_instance: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_shoptet_offsets_without_colon() {
        let t = timestamp::parse("2018-05-29T09:02:27+0200").unwrap();
        assert_eq!(t.offset().local_minus_utc(), 7200);
        assert_eq!(timestamp::format(&t), "2018-05-29T09:02:27+0200");
        assert!(timestamp::parse("2018-05-29T09:02:27+02:00").is_ok());
        assert!(timestamp::parse("29.5.2018").unwrap_err().contains("not a Shoptet timestamp"));
    }

    #[test]
    fn order_item_prices_are_exact_decimals() {
        let item: OrderItem = serde_json::from_str(
            r#"{"itemType":"product","code":"40/ZEL","name":"Mýdlo","amount":"3.000","amountUnit":"ks",
                "itemPrice":{"withVat":"363.00","withoutVat":"300.00","vat":"63.00","vatRate":"21.00"}}"#,
        )
        .unwrap();
        assert!(item.is_product());
        assert_eq!(item.item_price.without_vat.unwrap().to_string(), "300.00");
        assert_eq!(item.amount.unwrap().to_string(), "3.000");
    }

    /// An order in which every field the spec marks nullable (that the sync reads) is `null`.
    fn null_order() -> serde_json::Value {
        serde_json::json!({
            "code": "2026000001", "guid": "g", "externalCode": null, "creationTime": null, "changeTime": null,
            "email": null, "phone": null, "customerGuid": null, "cashDeskOrder": false, "vatPayer": true,
            "adminUrl": "https://e.cz/admin/objednavky-detail?id=1", "status": {"id": -3, "name": null},
            "source": {"id": 1, "name": null}, "shipping": null, "paymentMethod": null, "paid": null,
            "price": {"vat": null, "toPay": null, "currencyCode": "CZK", "withVat": null, "withoutVat": null,
                      "exchangeRate": "1.00000000"},
            "billingAddress": {"company": null, "fullName": null, "street": null, "houseNumber": null, "city": null,
                "district": null, "additional": null, "zip": null, "countryCode": null, "regionName": null,
                "regionShortcut": null, "companyId": null, "vatId": null, "vatIdValidationStatus": null, "taxId": null},
            "deliveryAddress": null,
            "items": [
                {"itemType": "product", "productGuid": null, "code": null, "ean": null, "name": "Káva", "variantName": null,
                 "brand": null, "amount": null, "amountUnit": null, "priceRatio": "1.0000", "status": {"id": -1, "name": null},
                 "itemPrice": {"withVat": "121.00", "withoutVat": null, "vat": "21.00", "vatRate": "21.00"},
                 "unitPrice": {"withVat": null, "withoutVat": null, "vat": null, "vatRate": "21.00"},
                 "purchasePrice": null, "itemPriceVatBreakdown": null},
                {"itemType": "shipping", "name": "PPL", "amount": "1.000", "status": {"id": -1, "name": null},
                 "itemPrice": {"withVat": null, "withoutVat": "50.00", "vat": null, "vatRate": "21.00"},
                 "purchasePrice": {"withVat": null, "withoutVat": null, "vat": null, "vatRate": "21.00"}}
            ]
        })
    }

    #[test]
    fn nulls_in_every_nullable_field_still_read_with_their_fallbacks() {
        let order: Order = serde_json::from_value(null_order()).unwrap();
        assert_eq!((order.creation_time, order.change_time, order.created_at()), (None, None, None));
        let status = order.status.as_ref().unwrap();
        assert_eq!((status.id, status.sent_name(), status.label()), (-3, None, "#-3".to_string()));
        // Item 1: without VAT = withVat − vat; item 2: with VAT = withoutVat × 1.21.
        assert_eq!(order.items[0].item_price.net(), Some(Decimal::new(10000, 2)));
        assert_eq!(order.items[1].item_price.gross(), Some(Decimal::new(6050, 2)));
        assert_eq!(order.items[0].quantity(), Decimal::ONE, "a null amount is one unit");
        // Both totals were null: the items' sums stand in.
        assert_eq!(
            (order.price.with_vat, order.price.without_vat),
            (Decimal::new(18150, 2), Decimal::new(15000, 2))
        );
        assert_eq!((order.price.sent_with_vat, order.price.sent_without_vat), (None, None));
        assert_eq!(order.items[1].purchase_price.as_ref().and_then(ItemPrice::net), None);
    }

    #[test]
    fn a_null_total_is_derived_from_the_other_and_the_vat_first() {
        let mut v = null_order();
        v["price"] = serde_json::json!({"currencyCode": "CZK", "vat": "42.00", "withVat": null, "withoutVat": "200.00"});
        let order: Order = serde_json::from_value(v).unwrap();
        assert_eq!(
            (order.price.with_vat, order.price.without_vat),
            (Decimal::new(24200, 2), Decimal::new(20000, 2))
        );
        assert_eq!(order.price.sent_without_vat, Some(Decimal::new(20000, 2)));
    }

    #[test]
    fn unrepresentable_numbers_and_times_read_as_null() {
        let mut v = null_order();
        v["creationTime"] = "0000-00-00T00:00:00+0000".into();
        v["items"][0]["itemPrice"]["withVat"] = "123456789012345678901234567890123.00".into();
        v["items"][0]["amount"] = serde_json::json!(2);
        let order: Order = serde_json::from_value(v).unwrap();
        assert_eq!(order.creation_time, None);
        assert_eq!(order.items[0].item_price.with_vat, None);
        assert_eq!(order.items[0].amount, Some(Decimal::TWO), "numbers are accepted too");
        let mut wrong = null_order();
        wrong["items"][0]["amount"] = serde_json::json!(true);
        assert!(serde_json::from_value::<Order>(wrong).is_err(), "a non-number is not a null");
    }

    #[test]
    fn feed_and_list_rows_with_null_times_and_totals_read() {
        let page: Vec<OrderChange> = serde_json::from_str(
            r#"[{"code":"1","changeTime":null,"changeType":"edit"},
                {"code":"2","changeTime":"2026-01-02T10:00:00+0100","changeType":"edit"}]"#,
        )
        .unwrap();
        assert_eq!(page[0].change_time, None);
        assert!(page[1].change_time.is_some());
        let row: OrderSummary = serde_json::from_str(
            r#"{"code":"1","guid":"g","creationTime":null,"changeTime":null,"fullName":null,"company":null,
                "email":null,"remark":null,"customerGuid":null,"cashDeskOrder":false,"adminUrl":"u",
                "status":null,"price":{"currencyCode":"CZK","vat":null,"toPay":null,"withVat":null,
                "withoutVat":null,"exchangeRate":"1.00000000"},"paid":null}"#,
        )
        .unwrap();
        assert_eq!((row.creation_time, row.price.with_vat, row.status), (None, None, None));
    }

    #[test]
    fn a_product_without_a_name_reads() {
        let p: Product =
            serde_json::from_str(r#"{"guid":"g","name":null,"variants":[{"code":"A","price":null}]}"#)
                .unwrap();
        assert_eq!((p.name, p.variants[0].price), (None, None));
    }
}
