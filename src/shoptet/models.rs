//! Typed Shoptet API payloads. Prices are decimal strings (`"121.00"`) read into
//! `rust_decimal::Decimal`; timestamps use `+0200` offsets (see [`timestamp`]).
//! Unknown fields are ignored; fields the spec marks nullable are `Option`.

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

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
            match Option::<String>::deserialize(d)? {
                Some(s) if !s.is_empty() => super::parse(&s).map(Some).map_err(serde::de::Error::custom),
                _ => Ok(None),
            }
        }
    }
}

/// `{id, name}` pairs used for statuses, sources, billing methods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdName {
    pub id: i64,
    pub name: String,
}

/// `{guid, name}` pairs used for shipping and payment methods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidName {
    pub guid: Option<String>,
    pub name: String,
}

/// Order totals (`price` on list rows and details).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderPrice {
    pub vat: Option<Decimal>,
    pub to_pay: Option<Decimal>,
    pub currency_code: String,
    pub with_vat: Decimal,
    pub without_vat: Decimal,
    pub exchange_rate: Option<Decimal>,
}

/// `billingAddress` (with company ids) and `deliveryAddress` (without).
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

/// A price block of an order item (`itemPrice`, `unitPrice`, `purchasePrice`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemPrice {
    pub with_vat: Option<Decimal>,
    pub without_vat: Option<Decimal>,
    pub vat: Option<Decimal>,
    pub vat_rate: Option<Decimal>,
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
    pub product_guid: Option<String>,
    /// Variant or product code; may contain `/`.
    pub code: Option<String>,
    pub ean: Option<String>,
    pub name: String,
    pub variant_name: Option<String>,
    pub brand: Option<String>,
    pub amount: Decimal,
    pub amount_unit: Option<String>,
    pub price_ratio: Option<Decimal>,
    /// Line total (quantity and discount applied).
    pub item_price: ItemPrice,
    pub unit_price: Option<ItemPrice>,
    pub purchase_price: Option<ItemPrice>,
    pub status: Option<IdName>,
}

impl OrderItem {
    /// Item types that stand for a catalogue product (linked to or created as RAYNET products).
    pub const PRODUCT_TYPES: [&'static str; 4] = ["product", "bazar", "service", "product-set"];

    pub fn is_product(&self) -> bool {
        Self::PRODUCT_TYPES.contains(&self.item_type.as_str())
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
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub code: String,
    pub guid: Option<String>,
    pub external_code: Option<String>,
    #[serde(with = "timestamp")]
    pub creation_time: DateTime<FixedOffset>,
    #[serde(default, with = "timestamp::option")]
    pub change_time: Option<DateTime<FixedOffset>>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub customer_guid: Option<String>,
    pub cash_desk_order: Option<bool>,
    pub addresses_equal: Option<bool>,
    pub vat_payer: Option<bool>,
    pub admin_url: Option<String>,
    pub status: Option<IdName>,
    pub source: Option<IdName>,
    pub shipping: Option<GuidName>,
    pub payment_method: Option<GuidName>,
    pub price: OrderPrice,
    pub paid: Option<bool>,
    pub billing_address: Option<Address>,
    pub delivery_address: Option<Address>,
    pub language: Option<String>,
    #[serde(default)]
    pub items: Vec<OrderItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<OrderNotes>,
}

impl Order {
    pub fn status_id(&self) -> Option<i64> {
        self.status.as_ref().map(|s| s.id)
    }
}

/// A row of `GET /api/orders` (no items, no addresses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderSummary {
    pub code: String,
    pub guid: Option<String>,
    #[serde(with = "timestamp")]
    pub creation_time: DateTime<FixedOffset>,
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
    pub price: OrderPrice,
    pub paid: Option<bool>,
}

/// A row of `GET /api/orders/changes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderChange {
    pub code: String,
    #[serde(with = "timestamp")]
    pub change_time: DateTime<FixedOffset>,
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
    pub name: String,
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
    pub price: Option<Decimal>,
    /// Whether `price` includes VAT.
    pub including_vat: Option<bool>,
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
    pub price: Option<Decimal>,
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
        assert_eq!(item.amount.to_string(), "3.000");
    }
}
