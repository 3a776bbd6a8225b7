//! Products and their detail.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Attachment;

/// Body of `PUT /product/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductCreate {
    pub code: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The Shoptet product's detailed description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// VAT percentage (21), not a `/taxRate/` id.
    #[serde(skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::float_option")]
    pub tax_rate: Option<Decimal>,
    /// Standard price, without VAT.
    #[serde(skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::float_option")]
    pub price: Option<Decimal>,
    /// Purchase price.
    #[serde(skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::float_option")]
    pub cost: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext_id: Option<String>,
}

/// A product in list and detail responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: i64,
    pub code: Option<String>,
    pub name: Option<String>,
    pub unit: Option<String>,
    #[serde(default)]
    pub ext_ids: Option<Vec<String>>,
}

/// A product's detail (`GET /product/{id}/`): the parts the sync reads. The list rows of
/// `GET /product/` carry no attachments; the detail does (CS spec example, raynet-api.md §7, §9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductDetail {
    pub id: i64,
    pub code: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

impl ProductDetail {
    /// Whether a link attachment to `url` is there already.
    pub fn has_link(&self, url: &str) -> bool {
        has_link(&self.attachments, url)
    }
}

/// Whether `attachments` hold a link to `url` (compared trimmed).
pub fn has_link(attachments: &[Attachment], url: &str) -> bool {
    attachments.iter().any(|a| a.link.as_deref().is_some_and(|l| l.trim() == url.trim()))
}

// ---------------------------------------------------------------- business case
