//! Test orders shaped like real `GET /api/orders/{code}?include=notes` payloads.

use super::MappingSettings;
use crate::shoptet::models::Order;
use serde_json::Value;

/// A completed CZK order: one product (2 pcs), shipping, payment fee, 21 % VAT throughout.
pub fn base_order() -> Value {
    let text = r#"{
        "code": "2024000017",
        "guid": "a1b2c3d4-0000-11ef-9f2b-0800200c9a66",
        "externalCode": null,
        "creationTime": "2024-05-29T09:02:27+0200",
        "changeTime": "2024-05-30T10:00:00+0200",
        "email": "jan.novak@example.cz",
        "phone": "+420604600444",
        "customerGuid": "747fb32d-2db7-11e7-b8f9-0800273a1a1a",
        "cashDeskOrder": false,
        "addressesEqual": true,
        "vatPayer": true,
        "adminUrl": "https://shop.example.cz/admin/objednavky-detail/?id=17",
        "status": {"id": -3, "name": "Vyřízena"},
        "source": {"id": 1, "name": "E-shop"},
        "shipping": {"guid": "8fdb7bd2-aaaa", "name": "PPL"},
        "paymentMethod": {"guid": "6f2c8e36-bbbb", "name": "Dobírka"},
        "price": {"vat": "84.00", "toPay": "484.00", "currencyCode": "CZK",
                  "withVat": "484.00", "withoutVat": "400.00", "exchangeRate": "1.00000000"},
        "paid": true,
        "billingAddress": {"company": null, "fullName": "Jan Novák", "street": "Francouzská",
            "houseNumber": "6167/5", "city": "Praha", "district": null, "additional": null,
            "zip": "120 00", "countryCode": "CZ", "regionName": null, "regionShortcut": null,
            "companyId": null, "vatId": null, "vatIdValidationStatus": null, "taxId": null},
        "deliveryAddress": {"company": null, "fullName": "Jan Novák", "street": "Francouzská",
            "houseNumber": "6167/5", "city": "Praha", "district": null, "additional": null,
            "zip": "12000", "countryCode": "CZ", "regionName": null, "regionShortcut": null},
        "language": "cs",
        "items": [
            {"itemId": 1, "itemType": "product", "productType": "product",
             "productGuid": "937be4fd-2db7-11e7-b8f9-0800273a1a1a", "code": "40/ZEL", "ean": null,
             "name": "Mýdlo", "variantName": "Zelené", "brand": null, "amount": "2.000",
             "amountUnit": "ks", "priceRatio": "1.0000",
             "itemPrice": {"withVat": "363.00", "withoutVat": "300.00", "vat": "63.00", "vatRate": "21.00"},
             "unitPrice": {"withVat": "181.50", "withoutVat": "150.00", "vat": "31.50", "vatRate": "21.00"},
             "purchasePrice": {"withVat": "96.80", "withoutVat": "80.00", "vat": "16.80", "vatRate": "21.00"},
             "status": {"id": -1, "name": "Nevyřízeno"}},
            {"itemId": 2, "itemType": "shipping", "productGuid": null, "code": "SHIPPING1",
             "name": "PPL", "variantName": null, "amount": "1.000", "amountUnit": null,
             "itemPrice": {"withVat": "72.60", "withoutVat": "60.00", "vat": "12.60", "vatRate": "21.00"},
             "unitPrice": {"withVat": "72.60", "withoutVat": "60.00", "vat": "12.60", "vatRate": "21.00"},
             "purchasePrice": null, "status": null},
            {"itemId": 3, "itemType": "billing", "productGuid": null, "code": "BILLING1",
             "name": "Dobírka", "variantName": null, "amount": "1.000", "amountUnit": null,
             "itemPrice": {"withVat": "48.40", "withoutVat": "40.00", "vat": "8.40", "vatRate": "21.00"},
             "unitPrice": {"withVat": "48.40", "withoutVat": "40.00", "vat": "8.40", "vatRate": "21.00"},
             "purchasePrice": null, "status": null}
        ],
        "notes": {"customerRemark": "Prosím zazvonit dvakrát.", "eshopRemark": null,
                  "trackingNumber": null, "trackingUrl": null}
    }"#;
    match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => panic!("fixture JSON is broken: {e}"),
    }
}

/// The base order with top-level keys replaced by `patch`.
pub fn order_from(patch: Value) -> Order {
    let mut v = base_order();
    merge(&mut v, patch);
    match serde_json::from_value(v) {
        Ok(o) => o,
        Err(e) => panic!("fixture does not parse as Order: {e}"),
    }
}

/// Deep merge of objects; other values are replaced.
pub fn merge(base: &mut Value, patch: Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                merge(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (b, p) => *b = p,
    }
}

pub fn settings() -> MappingSettings {
    MappingSettings {
        eshop_id: 315_000,
        eshop_currency: "CZK".into(),
        crm_currency: "CZK".into(),
        timezone: chrono_tz::Europe::Prague,
        name_template: "Objednávka {code}".into(),
        default_owner_id: 3,
        phase_id: 11,
        source_id: 5,
        category_id: Some(8),
    }
}
