//! Typed RAYNET API payloads: request bodies for creates (sent with `PUT`) and the parts of
//! responses the sync reads. References go out as plain ids and come back as objects.

use serde::{Deserialize, Deserializer, Serialize};

mod attachment;
mod business_case;
mod company;
mod config;
mod product;

pub use attachment::*;
pub use business_case::*;
pub use company::*;
pub use config::*;
pub use product::*;

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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

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
