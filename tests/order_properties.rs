//! Property tests of the order parser and the mapping: generated Shoptet order details — any
//! nullable field `null`, extreme decimals, long and odd Unicode text, any item type — always
//! read, never panic, and either map with exact totals or give a readable reason.

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};
use shoptet_raynet_sync::mapping::{
    LinePlan, MappingSettings, business_case_draft, check_totals, client_draft, client_label, client_lookup,
    content_hash, customer_ext_id, order_link, plan_lines, product_draft, valid_from,
};
use shoptet_raynet_sync::shoptet::models::{Order, OrderChange};

fn settings() -> MappingSettings {
    MappingSettings {
        eshop_id: 312_457,
        eshop_currency: "CZK".into(),
        crm_currency: "CZK".into(),
        timezone: chrono_tz::Europe::Prague,
        name_template: "Objednávka {code}".into(),
        default_owner_id: 12,
        phase_id: 1,
        source_id: 1,
        category_id: Some(1),
    }
}

fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `value` or `null`, `null` about one time in `1/p`.
fn nullable(s: impl Strategy<Value = Value> + 'static, p: u32) -> BoxedStrategy<Value> {
    prop_oneof![1 => Just(Value::Null), p => s].boxed()
}

// ---------------------------------------------------------------- text

/// Ordinary, empty, whitespace, very long and odd Unicode (combining marks, RTL, emoji, NUL).
fn text() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => "[A-Za-zÁČĎÉĚÍŇÓŘŠŤÚŮÝŽáčďéěíňóřšťúůýž0-9 .,/-]{0,40}",
        1 => Just(String::new()),
        1 => Just("   \t\n ".to_string()),
        1 => any::<String>(),
        1 => "\\PC{200,600}",
        1 => prop::collection::vec(prop_oneof![
                Just("e\u{301}"), Just("\u{202e}"), Just("שלום"), Just("👩‍👩‍👧"), Just("\u{0}"),
                Just("%2F/"), Just("\""), Just("\\"), Just("ẞ"), Just("İ")], 0..80)
            .prop_map(|parts| parts.concat()),
    ]
    .prop_map(Value::String)
    .boxed()
}

// ---------------------------------------------------------------- numbers as Shoptet writes them

/// A price string (`^-?[0-9]+\.[0-9]{2}$`), from cents to far beyond what a `Decimal` holds.
fn price() -> BoxedStrategy<Value> {
    prop_oneof![
        // Cents: -100 000.00 to 10 000 000.00.
        4 => (-10_000_000i64..1_000_000_000).prop_map(|c| Decimal::new(c, 2).to_string()),
        1 => "-?[0-9]{20,29}\\.[0-9]{2}",
        1 => "[0-9]{30,40}\\.[0-9]{2}",
        1 => Just("0.00".to_string()),
        1 => Just("79228162514264337593543950335.00".to_string()),
    ]
    .prop_map(Value::String)
    .boxed()
}

/// An amount string (3 decimals): usual counts, zero, negative, tiny and absurd.
fn amount() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (1i64..100).prop_map(|n| format!("{n}.000")),
        1 => Just("0.000".to_string()),
        1 => Just("0.001".to_string()),
        1 => Just("-1.000".to_string()),
        1 => "[0-9]{1,30}\\.[0-9]{3}",
    ]
    .prop_map(Value::String)
    .boxed()
}

fn vat_rate() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => prop::sample::select(vec!["0.00", "10.00", "12.00", "15.00", "21.00"]).prop_map(str::to_string),
        1 => "[0-9]{1,3}\\.[0-9]{2}",
        1 => "[0-9]{25,29}\\.[0-9]{2}",
    ]
    .prop_map(Value::String)
    .boxed()
}

/// A timestamp in Shoptet's pattern — real, or pattern-valid but impossible (month 00, +9999).
fn timestamp() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (0i64..40_000_000).prop_map(|s| {
            let t = chrono::DateTime::from_timestamp(1_750_000_000 + s, 0).unwrap();
            t.format("%Y-%m-%dT%H:%M:%S+0000").to_string()
        }),
        1 => Just("0000-00-00T00:00:00+0000".to_string()),
        1 => "[0-9]{4}-[01][0-9]-[0123][0-9]T[012][0-9]:[0-5][0-9]:[0-5][0-9]\\+[0-9]{4}",
    ]
    .prop_map(Value::String)
    .boxed()
}

fn item_price() -> BoxedStrategy<Value> {
    (nullable(price(), 3), nullable(price(), 3), nullable(price(), 3), vat_rate())
        .prop_map(|(with, without, vat, rate)| json!({"withVat": with, "withoutVat": without, "vat": vat, "vatRate": rate}))
        .boxed()
}

fn item_type() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "product", "bazar", "service", "shipping", "billing", "discount-coupon", "volume-discount",
            "gift", "gift-certificate", "generic-item", "product-set", "product-set-item", "deposit",
        ]).prop_map(str::to_string),
        1 => "[a-z-]{0,20}",
    ]
    .prop_map(Value::String)
    .boxed()
}

fn status() -> BoxedStrategy<Value> {
    nullable((any::<i64>(), nullable(text(), 2)).prop_map(|(id, name)| json!({"id": id, "name": name})), 4)
}

/// An arbitrary item: every nullable member may be `null`.
fn arbitrary_item() -> BoxedStrategy<Value> {
    (
        (item_type(), nullable(text(), 2), text(), nullable(text(), 2), nullable(amount(), 3)),
        (item_price(), nullable(item_price(), 2), nullable(item_price(), 2), status()),
        nullable(prop::collection::vec(item_price(), 0..4).prop_map(Value::Array), 2),
    )
        .prop_map(|((kind, code, name, variant, amount), (price, unit, purchase, status), breakdown)| {
            json!({"itemId": 1, "itemType": kind, "productGuid": null, "code": code, "name": name,
                   "variantName": variant, "amount": amount, "amountUnit": "ks", "priceRatio": "1.0000",
                   "itemPrice": price, "unitPrice": unit, "purchasePrice": purchase, "status": status,
                   "itemPriceVatBreakdown": breakdown})
        })
        .boxed()
}

fn address() -> BoxedStrategy<Value> {
    (nullable(text(), 2), nullable(text(), 2), nullable(text(), 2), nullable(text(), 2), nullable("[0-9]{8}".prop_map(Value::String), 2))
        .prop_map(|(company, name, street, city, ic)| {
            json!({"company": company, "fullName": name, "street": street, "houseNumber": null, "city": city,
                   "district": null, "additional": null, "zip": null, "countryCode": "CZ", "regionName": null,
                   "regionShortcut": null, "companyId": ic, "vatId": null, "vatIdValidationStatus": null, "taxId": null})
        })
        .boxed()
}

/// The order around `items`, with arbitrary totals.
fn arbitrary_order() -> BoxedStrategy<Value> {
    (
        (text(), nullable(timestamp(), 3), nullable(timestamp(), 3), nullable(text(), 2), nullable(text(), 2)),
        (status(), nullable(price(), 3), nullable(price(), 3), nullable(price(), 3)),
        (address(), nullable(address(), 2), prop::collection::vec(arbitrary_item(), 0..6), nullable(text(), 2)),
    )
        .prop_map(|((code, created, changed, email, guid), (status, with, without, vat), (billing, delivery, items, note))| {
            json!({"code": code, "guid": "g", "externalCode": null, "creationTime": created, "changeTime": changed,
                   "email": email, "phone": null, "customerGuid": guid, "cashDeskOrder": false,
                   "adminUrl": "https://e.cz/admin/objednavky-detail?id=1", "status": status,
                   "price": {"vat": vat, "toPay": null, "currencyCode": "CZK", "withVat": with, "withoutVat": without,
                             "exchangeRate": "1.00000000"},
                   "paid": null, "billingAddress": billing, "deliveryAddress": delivery, "items": items,
                   "notes": {"customerRemark": note, "eshopRemark": null, "trackingNumber": null, "trackingUrl": null}})
        })
        .boxed()
}

// ---------------------------------------------------------------- consistent orders

/// One consistent item: (item JSON, without VAT, with VAT). Non-product items are sometimes
/// split across two VAT rates; nullable members with a safe fallback are sometimes `null`.
fn consistent_item() -> BoxedStrategy<(Value, Decimal, Decimal)> {
    let rates = prop::sample::select(vec![0i64, 10, 12, 15, 21]);
    (item_type(), 1i64..20, 1i64..2_000_000, rates.clone(), rates, any::<[bool; 6]>(), text())
        .prop_map(|(kind, count, unit_cents, rate, rate2, nulls, name)| {
            let line = |net: Decimal, rate: i64| {
                let vat = cents(net * Decimal::from(rate) / Decimal::ONE_HUNDRED);
                (net, vat, net + vat, rate)
            };
            let net = Decimal::new(unit_cents, 2) * Decimal::from(count);
            let is_product = ["product", "bazar", "service", "product-set"].contains(&kind.as_str().unwrap_or(""));
            let parts = if !is_product && nulls[5] {
                let half = cents(net / Decimal::TWO);
                vec![line(half, rate), line(net - half, rate2)]
            } else {
                vec![line(net, rate)]
            };
            let (wo, vat, w) = parts.iter().fold((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO), |(a, b, c), p| {
                (a + p.0, b + p.1, c + p.2)
            });
            let top = parts.iter().map(|p| p.3).max().unwrap_or(0);
            let block = |wo: Decimal, vat: Decimal, w: Decimal, rate: i64, null_with: bool, null_without: bool| {
                json!({"withVat": if null_with { Value::Null } else { json!(w.to_string()) },
                       "withoutVat": if null_without { Value::Null } else { json!(wo.to_string()) },
                       "vat": vat.to_string(), "vatRate": format!("{rate}.00")})
            };
            let mut item = json!({
                "itemType": kind, "code": if nulls[0] { Value::Null } else { json!("KAV/ZRN-1") }, "name": name,
                "amount": if nulls[1] { Value::Null } else { json!(format!("{count}.000")) },
                "itemPrice": block(wo, vat, w, top, nulls[2], nulls[3] && !nulls[2]),
                "purchasePrice": if nulls[4] { Value::Null } else { json!({"withVat": null, "withoutVat": "1.00", "vat": null, "vatRate": "21.00"}) },
                "status": {"id": -1, "name": null},
            });
            if parts.len() > 1 {
                item["itemPriceVatBreakdown"] =
                    Value::Array(parts.iter().map(|p| block(p.0, p.1, p.2, p.3, nulls[2], false)).collect());
            }
            (item, wo, w)
        })
        .boxed()
}

fn consistent_order() -> BoxedStrategy<(Value, Decimal, Decimal)> {
    (prop::collection::vec(consistent_item(), 1..6), any::<[bool; 4]>(), status())
        .prop_map(|(items, nulls, _)| {
            let wo: Decimal = items.iter().map(|i| i.1).sum();
            let w: Decimal = items.iter().map(|i| i.2).sum();
            let order = json!({
                "code": "2026000999", "guid": "g", "creationTime": if nulls[0] { Value::Null } else { json!("2026-11-20T10:00:00+0100") },
                "changeTime": null, "email": "jana@example.cz", "customerGuid": if nulls[1] { Value::Null } else { json!("c-1") },
                "adminUrl": "https://e.cz/admin/objednavky-detail?id=1", "status": {"id": -3, "name": null},
                "price": {"vat": (w - wo).to_string(), "toPay": null, "currencyCode": "CZK",
                          "withVat": if nulls[2] { Value::Null } else { json!(w.to_string()) },
                          "withoutVat": if nulls[3] { Value::Null } else { json!(wo.to_string()) },
                          "exchangeRate": "1.00000000"},
                "billingAddress": {"company": null, "fullName": "Jana Nováková", "companyId": null, "vatId": null},
                "deliveryAddress": null,
                "items": items.iter().map(|i| i.0.clone()).collect::<Vec<_>>(),
            });
            (order, wo, w)
        })
        .boxed()
}

// ---------------------------------------------------------------- the properties

/// Sums of what RAYNET will count for the lines, to the cent (`None` if too large).
fn line_totals(lines: &[LinePlan]) -> Option<(Decimal, Decimal)> {
    let mut wo = Decimal::ZERO;
    let mut w = Decimal::ZERO;
    for l in lines {
        wo = wo.checked_add(l.raynet_without_vat()?)?;
        w = w.checked_add(l.raynet_with_vat()?)?;
    }
    Some((cents(wo), cents(w)))
}

/// Runs every mapping step on `order`; returns the lines or the reason.
fn map_all(order: &Order) -> Result<Vec<LinePlan>, String> {
    let s = settings();
    let _ = (content_hash(order), client_label(order), client_lookup(order, s.eshop_id));
    let _ = (customer_ext_id(s.eshop_id, order), order_link(order), valid_from(order, s.timezone));
    let _ = client_draft(order, &s).map_err(|e| e.to_string());
    let lines = plan_lines(order, &s).map_err(|e| e.to_string())?;
    for l in lines.iter().filter(|l| l.link_product) {
        let _ = product_draft(l, None, "shoptet:1:product:x".into());
    }
    let linked: Vec<(LinePlan, Option<i64>)> = lines.iter().map(|l| (l.clone(), Some(1))).collect();
    business_case_draft(order, &s, 1, 12, None, &linked).map_err(|e| e.to_string())?;
    Ok(lines)
}

fn assert_readable(reason: &str) -> Result<(), TestCaseError> {
    prop_assert!(!reason.trim().is_empty(), "an empty reason");
    prop_assert!(!reason.contains("panicked") && !reason.contains("Some("), "not readable: {reason}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any order detail reads; mapping never panics; it maps with exact totals or says why not.
    #[test]
    fn any_order_reads_and_maps_or_gives_a_reason(json in arbitrary_order()) {
        let order: Order = match serde_json::from_value(json.clone()) {
            Ok(o) => o,
            Err(e) => return Err(TestCaseError::fail(format!("the detail did not read: {e}\n{json}"))),
        };
        match map_all(&order) {
            Ok(lines) => {
                check_totals(&order, &lines).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let (wo, w) = line_totals(&lines).ok_or_else(|| TestCaseError::fail("lines too large"))?;
                prop_assert_eq!(wo, cents(order.price.without_vat));
                prop_assert_eq!(w, cents(order.price.with_vat));
            }
            Err(reason) => assert_readable(&reason)?,
        }
    }

    /// Orders whose numbers add up map — also with the nullable fields that have a safe
    /// fallback `null` (amount, one of an item's prices, the order totals, code, purchase
    /// price, creation time, customer) and with items split across VAT rates — and the lines
    /// give both totals exactly.
    #[test]
    fn consistent_orders_map_with_exact_totals((json, without, with) in consistent_order()) {
        let order: Order = serde_json::from_value(json.clone()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let lines = map_all(&order).map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        let (wo, w) = line_totals(&lines).ok_or_else(|| TestCaseError::fail("lines too large"))?;
        prop_assert_eq!(wo, without);
        prop_assert_eq!(w, with);
    }

    /// A feed page reads whatever its change times are; unreadable ones are `None`.
    #[test]
    fn any_feed_page_reads(times in prop::collection::vec(nullable(timestamp(), 2), 0..50)) {
        let rows: Vec<Value> = times
            .iter()
            .enumerate()
            .map(|(i, t)| json!({"code": format!("2026{i:06}"), "changeTime": t, "changeType": "edit"}))
            .collect();
        let page: Vec<OrderChange> = serde_json::from_value(Value::Array(rows))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(page.len(), times.len());
        for (row, t) in page.iter().zip(&times) {
            if t.is_null() {
                prop_assert!(row.change_time.is_none());
            }
        }
    }
}
