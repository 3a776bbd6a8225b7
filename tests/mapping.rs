//! The mapping's public API end to end: a Shoptet order payload in, RAYNET request bodies out.

use rust_decimal::Decimal;
use serde_json::json;
use shoptet_raynet_sync::mapping::{
    LineKind, MappingSettings, business_case_draft, client_draft, content_hash, order_ext_id, plan_lines,
    product_draft, product_ext_id,
};
use shoptet_raynet_sync::shoptet::models::Order;

fn settings() -> MappingSettings {
    MappingSettings {
        eshop_id: 42,
        eshop_currency: "CZK".into(),
        crm_currency: "CZK".into(),
        timezone: chrono_tz::Europe::Prague,
        name_template: "Objednávka {code}".into(),
        default_owner_id: 3,
        phase_id: 11,
        source_id: 5,
        category_id: None,
    }
}

/// A company order with a volume discount and a delivery address elsewhere, in the
/// `{"data": {"order": …}}` envelope of `GET /api/orders/{code}`.
fn order() -> Order {
    let body = r#"{"data": {"order": {
        "code": "2025000123", "guid": "0f1e2d3c-aaaa", "creationTime": "2025-03-01T00:15:00+0100",
        "changeTime": "2025-03-02T08:00:00+0100", "email": "Nakup@Firma.cz", "phone": "+420777000111",
        "customerGuid": null, "adminUrl": "https://shop.example.cz/admin/objednavky-detail/?id=123",
        "status": {"id": -3, "name": "Vyřízena"},
        "price": {"vat": "210.00", "toPay": "1210.00", "currencyCode": "CZK", "withVat": "1210.00",
                  "withoutVat": "1000.00", "exchangeRate": "1.00000000"},
        "billingAddress": {"company": "Firma a.s.", "fullName": "Petr Malý", "street": "Hlavní",
            "houseNumber": "1", "city": "Olomouc", "zip": "779 00", "countryCode": "CZ",
            "companyId": "87654321", "vatId": "CZ87654321"},
        "deliveryAddress": {"company": "Firma a.s.", "fullName": "Petr Malý", "street": "Skladová",
            "houseNumber": "9", "city": "Přerov", "zip": "750 02", "countryCode": "CZ"},
        "items": [
            {"itemType": "product", "code": "KB-1", "name": "Klávesnice", "variantName": null,
             "amount": "10.000", "amountUnit": "ks",
             "itemPrice": {"withVat": "1331.00", "withoutVat": "1100.00", "vat": "231.00", "vatRate": "21.00"},
             "purchasePrice": {"withVat": "72.60", "withoutVat": "60.00", "vat": "12.60", "vatRate": "21.00"}},
            {"itemType": "volume-discount", "code": null, "name": "Množstevní sleva", "amount": "1.000",
             "amountUnit": null,
             "itemPrice": {"withVat": "-121.00", "withoutVat": "-100.00", "vat": "-21.00", "vatRate": "21.00"},
             "purchasePrice": null}
        ],
        "notes": {"customerRemark": "Fakturu prosím e-mailem."}
    }}}"#;
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    serde_json::from_value(v["data"]["order"].clone()).unwrap()
}

#[test]
fn order_becomes_client_product_and_business_case_bodies() {
    let (o, s) = (order(), settings());

    let client = client_draft(&o, &s).unwrap();
    let c = serde_json::to_value(&client.create).unwrap();
    assert_eq!(c["name"], "Firma a.s.");
    assert_eq!(c["person"], false);
    assert_eq!(c["regNumber"], "87654321");
    assert_eq!(c["taxNumber"], "CZ87654321");
    assert_eq!(c["extId"], "shoptet:42:email:nakup@firma.cz");
    assert_eq!(c["addresses"][0]["contactInfo"]["email"], "Nakup@Firma.cz");
    assert_eq!(client.contact_address.unwrap().address.city.as_deref(), Some("Přerov"));

    let lines = plan_lines(&o, &s).unwrap();
    assert_eq!(lines.iter().map(|l| l.kind).collect::<Vec<_>>(), [LineKind::Product, LineKind::Discount]);
    let product = product_draft(&lines[0], None, product_ext_id(42, "KB-1"));
    assert_eq!((product.price, product.cost), (Some(Decimal::new(110, 0)), Some(Decimal::new(60, 0))));

    let with_ids: Vec<_> = lines.into_iter().map(|l| (l, Some(900))).collect();
    let bc = business_case_draft(&o, &s, 77, 3, Some(19), &with_ids).unwrap();
    let b = serde_json::to_value(&bc).unwrap();
    assert_eq!(b["name"], "Objednávka 2025000123");
    assert_eq!(b["validFrom"], "2025-03-01", "00:15 in Prague, still 1 March");
    assert_eq!(b["extId"], order_ext_id(42, "2025000123"));
    assert_eq!(b["description"], "Fakturu prosím e-mailem.");
    assert!(b.get("exchangeRate").is_none());
    assert_eq!(
        b["items"][0],
        json!({"name": "Klávesnice", "product": 900, "price": 110.0,
        "taxRate": 21.0, "count": 10.0, "cost": 60.0, "unit": "ks"})
    );
    assert!(b["items"][1].get("product").is_none());
    assert_eq!(b["items"][1]["price"], json!(-100.0));
}

#[test]
fn hash_follows_content_not_change_time() {
    let o = order();
    let mut touched = o.clone();
    touched.change_time = None;
    assert_eq!(content_hash(&o), content_hash(&touched));
    touched.items[0].amount = Some(Decimal::new(11, 0));
    assert_ne!(content_hash(&o), content_hash(&touched));
}
