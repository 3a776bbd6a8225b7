//! The e-shop's own data and webhooks.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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
