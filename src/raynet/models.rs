//! Typed RAYNET API payloads: request bodies for creates (sent with `PUT`) and the parts of
//! responses the sync reads. References go out as plain ids and come back as objects.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// `success` arrives as `true` or `"true"`; read both.
pub fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Str(String),
        Num(i64),
    }
    Ok(match Option::<B>::deserialize(d)? {
        Some(B::Bool(b)) => b,
        Some(B::Str(s)) => matches!(s.to_ascii_lowercase().as_str(), "true" | "on" | "yes" | "1"),
        Some(B::Num(n)) => n != 0,
        None => false,
    })
}

/// `{ "id": 1, ... }` references in responses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ref {
    pub id: i64,
    #[serde(default, alias = "fullName", alias = "value", alias = "code01")]
    pub name: Option<String>,
}

// ---------------------------------------------------------------- company (Klient)

/// `address` of a company address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressFields {
    /// Label, required by RAYNET ("Sídlo", "Dodací adresa").
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    /// ISO 3166-1 alpha-2 on input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tel1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tel1_type: Option<String>,
}

/// An element of `addresses` on create, and the body of `PUT /company/{id}/address/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressInput {
    pub address: AddressFields,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_info: Option<ContactInfo>,
}

/// Body of `PUT /company/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyCreate {
    pub name: String,
    /// `A`, `B` or `C`.
    pub rating: String,
    /// `A_POTENTIAL`, `B_ACTUAL`, `C_DEFERRED`, `D_UNATTRACTIVE`.
    pub state: String,
    /// `A_SUBSCRIBER`, `B_PARTNER`, `C_SUPPLIER`, `D_RIVAL`.
    pub role: String,
    #[serde(default)]
    pub person: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reg_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_number: Option<String>,
    /// Person id of a RAYNET user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_source: Option<i64>,
    /// First element becomes the primary address ("sídlo").
    #[serde(default)]
    pub addresses: Vec<AddressInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext_id: Option<String>,
}

/// A company address in responses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyAddress {
    pub id: Option<i64>,
    #[serde(default)]
    pub address: Option<serde_json::Value>,
    #[serde(default)]
    pub contact_info: Option<ContactInfoOut>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub primary: bool,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub contact_address: bool,
}

impl CompanyAddress {
    /// Whether this address says what `input` says: the same label, street, city and ZIP code
    /// (compared without spaces and letter case; a missing value equals an empty one) and, when
    /// the answer carries a `countryCode`, the same country. The country itself comes back as a
    /// name, not the code that was sent (raynet-api.md §5), so it is not compared.
    pub fn same_as(&self, input: &AddressFields) -> bool {
        let Some(out) = self.address.as_ref() else { return false };
        let norm = |v: Option<&str>| -> String {
            v.unwrap_or_default()
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let field = |key: &str| norm(out.get(key).and_then(serde_json::Value::as_str));
        let country_ok = match (out.get("countryCode").and_then(serde_json::Value::as_str), &input.country) {
            (Some(code), Some(sent)) => norm(Some(code)) == norm(Some(sent)),
            _ => true,
        };
        field("name") == norm(Some(&input.name))
            && field("street") == norm(input.street.as_deref())
            && field("city") == norm(input.city.as_deref())
            && field("zipCode") == norm(input.zip_code.as_deref())
            && country_ok
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactInfoOut {
    pub email: Option<String>,
    pub tel1: Option<String>,
}

/// A company in list and detail responses (the fields the sync reads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub id: i64,
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub person: bool,
    pub reg_number: Option<String>,
    pub tax_number: Option<String>,
    pub owner: Option<Ref>,
    pub primary_address: Option<CompanyAddress>,
    #[serde(default)]
    pub addresses: Vec<CompanyAddress>,
    #[serde(default)]
    pub ext_ids: Option<Vec<String>>,
}

impl Company {
    pub fn primary_email(&self) -> Option<&str> {
        self.primary_address.as_ref()?.contact_info.as_ref()?.email.as_deref()
    }
}

// ---------------------------------------------------------------- product

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

/// Body of `PUT /attachment/{entity}/{id}/` for a link attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkAttachment {
    pub link: String,
    pub link_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: Option<i64>,
    pub link: Option<String>,
    pub link_name: Option<String>,
}

// ---------------------------------------------------------------- value lists

/// `GET /userAccount/` rows. `person.id` is what `owner` takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAccount {
    pub id: i64,
    pub username: Option<String>,
    pub person: Option<Ref>,
    pub user_role: Option<String>,
}

impl UserAccount {
    /// The person id of the user: what `owner` fields take (not `id`).
    pub fn person_id(&self) -> Option<i64> {
        self.person.as_ref().map(|p| p.id)
    }
}

/// Rows of `/businessCasePhase/`, `/contactSource/`, `/currency/`, `/businessCaseCategory/`:
/// `code01` is the label; currency has the ISO code in `code02`; phases carry their status
/// group (`B_ACTIVE`, `E_WIN`, `F_LOST`, `G_STORNO`) in `strValue01`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueListItem {
    pub id: i64,
    pub code01: Option<String>,
    pub code02: Option<String>,
    pub str_value01: Option<String>,
    pub probability: Option<i64>,
    pub business_case_type_id: Option<i64>,
}

impl ValueListItem {
    pub fn label(&self) -> &str {
        self.code01.as_deref().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_flag_accepts_bool_and_string() {
        #[derive(Deserialize)]
        struct E {
            #[serde(deserialize_with = "lenient_bool")]
            success: bool,
        }
        assert!(serde_json::from_str::<E>(r#"{"success": true}"#).unwrap().success);
        assert!(serde_json::from_str::<E>(r#"{"success": "true"}"#).unwrap().success);
        assert!(!serde_json::from_str::<E>(r#"{"success": "false"}"#).unwrap().success);
    }

    #[test]
    fn line_prices_go_out_as_numbers() {
        let line = BusinessCaseItemInput {
            product_code: None,
            name: "Doprava PPL".into(),
            product: None,
            price: Decimal::new(9900, 2),
            tax_rate: Decimal::new(21, 0),
            count: Decimal::new(1000, 3),
            cost: None,
            unit: None,
            description: None,
        };
        let v = serde_json::to_value(&line).unwrap();
        assert_eq!(v["price"], serde_json::json!(99.0));
        assert_eq!(v["taxRate"], serde_json::json!(21.0));
        assert!(v.get("product").is_none());
    }

    #[test]
    fn a_detail_line_names_its_product_under_the_price_list_item() {
        // The shape of the EN spec's `GET /businessCase/{id}/` example (raynet-api.md §16).
        let linked: BusinessCaseItem = serde_json::from_value(serde_json::json!({
            "id": 1, "priceListItem": {"id": 1, "price": 0, "product": {"id": 2, "code": "T101",
            "category": null, "productLine": {"id": 3, "value": "Teambuilding"}},
            "priceList": {"id": 1, "code": "Default"}}, "name": "Uncategorized product",
            "description": null, "price": 122, "taxRate": 0, "unit": "pcs", "discountPercent": 0, "count": 1
        }))
        .unwrap();
        assert_eq!(linked.product_id(), Some(2));
        assert_eq!(linked.product().and_then(|p| p.code.as_deref()), Some("T101"));
        let plain: BusinessCaseItem = serde_json::from_value(serde_json::json!({
            "id": 1, "priceListItem": null, "name": "Nekategorizovaný produkt", "description": null,
            "price": 122, "taxRate": 0, "unit": "ks", "discountPercent": 0, "count": 1
        }))
        .unwrap();
        assert_eq!(plain.product_id(), None);
        // A top-level `product` (which RAYNET does not send) links nothing.
        let fake: BusinessCaseItem =
            serde_json::from_value(serde_json::json!({"id": 3, "product": {"id": 9}})).unwrap();
        assert_eq!(fake.product_id(), None);
    }

    #[test]
    fn an_address_is_recognised_by_its_fields_not_its_flags() {
        let sent = AddressFields {
            name: "Dodací adresa".into(),
            street: Some("Dlouhá 12".into()),
            city: Some("Brno".into()),
            province: None,
            zip_code: Some("602 00".into()),
            country: Some("CZ".into()),
        };
        let answer = |street: &str, code: Option<&str>| -> CompanyAddress {
            serde_json::from_value(serde_json::json!({
                "id": 7, "primary": false, "contactAddress": false,
                "address": {"name": "Dodací adresa", "street": street, "city": "Brno", "province": null,
                            "zipCode": "60200", "country": "Česká republika", "countryCode": code}
            }))
            .unwrap()
        };
        assert!(answer("Dlouhá 12", Some("CZ")).same_as(&sent));
        assert!(answer("dlouhá  12", None).same_as(&sent), "spaces and case do not count");
        assert!(!answer("Dlouhá 13", Some("CZ")).same_as(&sent));
        assert!(!answer("Dlouhá 12", Some("SK")).same_as(&sent));
        assert!(!CompanyAddress::default().same_as(&sent));
    }

    #[test]
    fn a_product_detail_lists_its_link_attachments() {
        // The CS spec's `GET /product/{id}/` example carries `attachments`; an attachment has
        // `id`, `link`, `linkName`, `file`, `folder` (raynet-api.md §9).
        let p: ProductDetail = serde_json::from_value(serde_json::json!({
            "id": 75, "code": "007", "name": "produkt 007", "attachments": [
                {"id": 213, "link": null, "linkName": null, "file": {"id": 631}, "folder": "Test"},
                {"id": 214, "link": "https://shop.example.cz/p/ ", "linkName": "P", "file": null, "folder": null}
            ]
        }))
        .unwrap();
        assert!(p.has_link("https://shop.example.cz/p/"));
        assert!(!p.has_link("https://shop.example.cz/q/"));
        let bare: ProductDetail = serde_json::from_value(serde_json::json!({"id": 1})).unwrap();
        assert!(bare.attachments.is_empty());
    }

    #[test]
    fn an_item_edit_carries_the_cost() {
        let line = BusinessCaseItemInput {
            name: "Káva".into(),
            product: Some(7),
            product_code: None,
            price: Decimal::new(250, 0),
            tax_rate: Decimal::new(12, 0),
            count: Decimal::new(3, 0),
            cost: Some(Decimal::new(80, 0)),
            unit: Some("ks".into()),
            description: None,
        };
        let v = serde_json::to_value(BusinessCaseItemEdit::from_input(&line)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"name": "Káva", "price": 250.0, "taxRate": 12.0, "count": 3.0, "cost": 80.0, "unit": "ks"})
        );
        assert!(BusinessCaseUpdate::default().is_empty());
    }
}
