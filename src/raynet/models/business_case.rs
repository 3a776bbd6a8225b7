//! Business cases and their lines.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Attachment, Ref};

/// A new line of a business case: an element of `items[]` of `createWithItems`, and the body of
/// `PUT /businessCase/{id}/item/`. Both document `product` (id) and `cost`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessCaseItemInput {
    pub name: String,
    /// RAYNET product id; `None` for a plain named line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<i64>,
    /// Product by code (RAYNET finds the product, or creates one). The sync links by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_code: Option<String>,
    /// Price per unit without VAT.
    #[serde(with = "rust_decimal::serde::float")]
    pub price: Decimal,
    /// VAT percentage.
    #[serde(with = "rust_decimal::serde::float")]
    pub tax_rate: Decimal,
    #[serde(with = "rust_decimal::serde::float")]
    pub count: Decimal,
    /// Purchase price per piece.
    #[serde(skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::float_option")]
    pub cost: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Body of `POST /businessCase/{id}/item/{itemId}/`: edits one line in place (its id, and so
/// its product link, stay). Only the fields set are changed; unlike the lines of
/// `POST /businessCase/{id}/`, this body takes `cost`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessCaseItemEdit {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::float_option")]
    pub price: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::float_option")]
    pub tax_rate: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::float_option")]
    pub count: Option<Decimal>,
    /// Purchase price per piece.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::float_option")]
    pub cost: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl BusinessCaseItemEdit {
    /// The edit that makes an existing line say what `line` says (its product link aside).
    pub fn from_input(line: &BusinessCaseItemInput) -> Self {
        BusinessCaseItemEdit {
            name: Some(line.name.clone()),
            price: Some(line.price),
            tax_rate: Some(line.tax_rate),
            count: Some(line.count),
            cost: line.cost,
            unit: line.unit.clone(),
            description: line.description.clone(),
        }
    }
}

/// Body of `PUT /businessCase/` and `PUT /businessCase/createWithItems`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessCaseCreate {
    pub name: String,
    pub company: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_case_phase: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::float_option")]
    pub exchange_rate: Option<Decimal>,
    /// `yyyy-MM-dd`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<BusinessCaseItemInput>,
}

/// Body of `POST /businessCase/{id}/`: only the fields set are changed. The sync never sends
/// lines here: this endpoint's `items[]` take no `cost` and no `product`, so lines are edited,
/// added and removed through the `…/item/` endpoints instead.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessCaseUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_case_phase: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::float_option")]
    pub exchange_rate: Option<Decimal>,
    /// `yyyy-MM-dd`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl BusinessCaseUpdate {
    /// Whether it changes nothing (then it need not be sent).
    pub fn is_empty(&self) -> bool {
        *self == BusinessCaseUpdate::default()
    }
}

/// A business case line in detail responses. RAYNET names a line's product under
/// `priceListItem.product` (`id`, `code`); a line without product has `priceListItem: null`. The
/// documented detail shows no `cost` of a line (EN spec example of `GET /businessCase/{id}/`,
/// raynet-api.md §16).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessCaseItem {
    pub id: i64,
    pub name: Option<String>,
    #[serde(default)]
    pub price_list_item: Option<PriceListItemRef>,
    pub description: Option<String>,
    pub price: Option<Decimal>,
    pub tax_rate: Option<Decimal>,
    pub unit: Option<String>,
    pub discount_percent: Option<Decimal>,
    pub count: Option<Decimal>,
}

impl BusinessCaseItem {
    /// The linked product, if the line has one.
    pub fn product(&self) -> Option<&ProductRef> {
        self.price_list_item.as_ref()?.product.as_ref()
    }

    pub fn product_id(&self) -> Option<i64> {
        self.product().map(|p| p.id)
    }
}

/// `priceListItem` of a business-case line: the price-list row the line was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceListItemRef {
    pub id: Option<i64>,
    pub price: Option<Decimal>,
    pub product: Option<ProductRef>,
}

/// `priceListItem.product` of a business-case line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductRef {
    pub id: i64,
    pub code: Option<String>,
}

/// A business case in detail responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessCase {
    pub id: i64,
    pub name: Option<String>,
    pub company: Option<Ref>,
    pub owner: Option<Ref>,
    pub business_case_phase: Option<Ref>,
    pub currency: Option<Ref>,
    pub status: Option<String>,
    pub description: Option<String>,
    /// `yyyy-MM-dd`.
    pub valid_from: Option<String>,
    pub exchange_rate: Option<Decimal>,
    #[serde(default)]
    pub items: Vec<BusinessCaseItem>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub ext_ids: Option<Vec<String>>,
}
