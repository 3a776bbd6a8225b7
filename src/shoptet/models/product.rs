//! Products, their variants and list rows.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{lenient, timestamp};

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
