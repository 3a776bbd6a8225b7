//! Unit tests of the order lines mapping.

use super::*;
use crate::mapping::fixtures::{order_from, settings};
use rust_decimal::prelude::FromStr;
use serde_json::{Value, json};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn item(item_type: &str, name: &str, amount: &str, without: &str, with: &str, rate: &str) -> Value {
    json!({"itemType": item_type, "code": null, "name": name, "amount": amount,
           "amountUnit": null, "itemPrice": {"withoutVat": without, "withVat": with, "vatRate": rate}})
}

#[test]
fn product_shipping_payment_lines() {
    let lines = plan_lines(&order_from(json!({})), &settings()).unwrap();
    let kinds: Vec<_> = lines.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [LineKind::Product, LineKind::Shipping, LineKind::Payment]);
    let p = &lines[0];
    assert_eq!(p.name, "Mýdlo Zelené");
    assert_eq!(p.code.as_deref(), Some("40/ZEL"));
    assert_eq!((p.amount, p.price, p.vat_rate), (d("2"), d("150"), d("21")));
    assert_eq!(p.cost, Some(d("80")));
    assert_eq!(p.unit.as_deref(), Some("ks"));
    assert!(p.link_product);
    assert!(!lines[1].link_product && !lines[2].link_product);
    assert_eq!(lines[1].name, "PPL");
    assert_eq!(lines[2].price, d("40"));
    assert_eq!(lines.iter().map(|l| l.item_index).collect::<Vec<_>>(), [0, 1, 2]);
}

#[test]
fn foreign_currency_lines_are_not_linked() {
    let o = order_from(json!({"price": {"currencyCode": "EUR", "exchangeRate": "25.10000000"}}));
    assert!(is_foreign_currency(&o, &settings()));
    let lines = plan_lines(&o, &settings()).unwrap();
    assert!(lines.iter().all(|l| !l.link_product));
    assert!(!is_foreign_currency(&order_from(json!({"price": {"currencyCode": "czk"}})), &settings()));
}

#[test]
fn product_without_code_is_not_linked() {
    let mut o = order_from(json!({}));
    o.items[0].code = Some(" ".into());
    let lines = plan_lines(&o, &settings()).unwrap();
    assert_eq!(lines[0].code, None);
    assert!(!lines[0].link_product);
}

#[test]
fn discount_line_is_negative_and_totals_hold() {
    let o = order_from(json!({
        "price": {"withoutVat": "90.00", "withVat": "108.90"},
        "items": [item("product", "Kniha", "1.000", "100.00", "121.00", "21.00"),
                  item("discount-coupon", "Sleva 10 %", "1.000", "-10.00", "-12.10", "21.00")]}));
    let lines = plan_lines(&o, &settings()).unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].kind, LineKind::Discount);
    assert_eq!(lines[1].price, d("-10"));
    check_totals(&o, &lines).unwrap();
}

#[test]
fn uneven_unit_price_keeps_enough_decimals() {
    // 3 pieces for 100.00: 33.33 × 3 = 99.99 would lose a cent.
    let o = order_from(json!({
        "price": {"withoutVat": "100.00", "withVat": "121.00"},
        "items": [item("product", "Sada", "3.000", "100.00", "121.00", "21.00")]}));
    let lines = plan_lines(&o, &settings()).unwrap();
    assert_eq!(lines.len(), 1, "no rounding line needed: {lines:?}");
    assert_eq!(cents(lines[0].price * d("3")), d("100.00"));
    assert!(lines[0].price.scale() > 2);
}

#[test]
fn per_line_vat_rounding_gets_a_rounding_line() {
    // Shoptet computed without-VAT from gross prices: 82.64 × 1.21 = 99.9944, order says 100.00.
    let o = order_from(json!({
        "price": {"withoutVat": "165.28", "withVat": "200.00"},
        "items": [item("product", "A", "1.000", "82.64", "100.00", "21.00"),
                  item("product", "B", "1.000", "82.64", "100.00", "21.00")]}));
    let lines = plan_lines(&o, &settings()).unwrap();
    assert!(lines.iter().any(|l| l.kind == LineKind::Rounding), "{lines:?}");
    check_totals(&o, &lines).unwrap();
    assert!(lines.iter().filter(|l| l.kind == LineKind::Rounding).all(|l| l.item_index == 2));
}

#[test]
fn cash_rounding_gets_a_zero_vat_line() {
    // The whole order was rounded up by 0.40 in both totals.
    let o = order_from(json!({
        "price": {"withoutVat": "100.40", "withVat": "121.40"},
        "items": [item("product", "A", "1.000", "100.00", "121.00", "21.00")]}));
    let lines = plan_lines(&o, &settings()).unwrap();
    assert_eq!(lines.len(), 2);
    let r = &lines[1];
    assert_eq!((r.kind, r.name.as_str()), (LineKind::Rounding, "Zaokrouhlení"));
    assert_eq!((r.price, r.vat_rate), (d("0.4"), Decimal::ZERO));
    check_totals(&o, &lines).unwrap();
}

#[test]
fn big_difference_is_a_totals_mismatch() {
    let o = order_from(json!({"price": {"withoutVat": "402.00", "withVat": "484.00"}}));
    match plan_lines(&o, &settings()) {
        Err(MappingError::TotalsMismatch { which, expected, got }) => {
            assert_eq!(which, "without VAT");
            assert_eq!(expected, d("402.00"));
            assert_eq!(got, d("400.00"));
        }
        other => panic!("expected a mismatch, got {other:?}"),
    }
    let unchanged = plan_lines(&order_from(json!({})), &settings()).unwrap();
    assert!(check_totals(&o, &unchanged).is_err());
}

#[test]
fn bad_items_are_reported_with_their_position() {
    let o = order_from(json!({"items": [item("product", "A", "0.000", "10.00", "12.10", "21.00")]}));
    assert!(matches!(plan_lines(&o, &settings()), Err(MappingError::InvalidItem { index: 0, .. })));
    let msg = plan_lines(&o, &settings()).unwrap_err().to_string();
    assert!(msg.contains("#1") && msg.contains("amount"), "{msg}");
}

/// Orders shaped like Shoptet's: per-line VAT rounding from gross or from net prices, and
/// optional whole-order cash rounding. Every one must plan and satisfy both invariants.
#[test]
fn randomized_shoptet_roundings_always_reconcile() {
    let mut rng = fastrand::Rng::with_seed(20_240_529);
    let rates = ["0", "10", "12", "15", "21"];
    for case in 0..500 {
        let n = rng.usize(1..6);
        let mut items = Vec::new();
        let (mut wo, mut w) = (Decimal::ZERO, Decimal::ZERO);
        for _ in 0..n {
            let rate = d(rates[rng.usize(..rates.len())]);
            let factor = Decimal::ONE + rate / Decimal::ONE_HUNDRED;
            let amount = Decimal::from(rng.i64(1..6));
            let unit = Decimal::new(rng.i64(1..200_000), 2);
            let (line_wo, line_w) = if rng.bool() {
                let gross = unit * amount;
                (cents(gross / factor), gross)
            } else {
                let net = unit * amount;
                (net, cents(net * factor))
            };
            wo += line_wo;
            w += line_w;
            items.push(json!({"itemType": "product", "code": "X", "name": "X",
                "amount": format!("{amount}.000"), "amountUnit": "ks",
                "itemPrice": {"withoutVat": line_wo.to_string(), "withVat": line_w.to_string(),
                              "vatRate": rate.to_string()}}));
        }
        // Only the with-VAT total can move alone when some line carries VAT.
        let vat_free = wo == w;
        match rng.u8(..3) {
            0 => {}
            1 if !vat_free => w = w.round(),
            _ => {
                let cash = w.round() - w;
                w += cash;
                wo += cash;
            }
        }
        let o = order_from(json!({"price": {"withoutVat": wo.to_string(), "withVat": w.to_string()},
            "items": items}));
        let lines =
            plan_lines(&o, &settings()).unwrap_or_else(|e| panic!("case {case}: {e}; order {:?}", o.price));
        check_totals(&o, &lines).unwrap();
        let extra: Vec<_> = lines.iter().filter(|l| l.kind == LineKind::Rounding).collect();
        assert!(extra.len() <= 2, "case {case}: {extra:?}");
        assert_eq!(lines.len() - extra.len(), n);
    }
}

#[test]
fn vat_gap_without_any_vat_rate_cannot_be_reconciled() {
    let o = order_from(json!({
        "price": {"withoutVat": "100.00", "withVat": "100.40"},
        "items": [item("product", "A", "1.000", "100.00", "100.00", "0.00")]}));
    assert!(matches!(
        plan_lines(&o, &settings()),
        Err(MappingError::TotalsMismatch { which: "with VAT", .. })
    ));
}

#[test]
fn shipping_split_across_two_vat_rates_gives_a_line_per_rate_and_exact_totals() {
    // PPL 128.60: 72.60 at 21 % and 56.00 at 12 % (Shoptet's `itemPriceVatBreakdown`).
    let mut shipping = item("shipping", "PPL", "1.000", "110.00", "128.60", "21.00");
    shipping["itemPriceVatBreakdown"] = json!([
        {"withVat": "72.60", "withoutVat": "60.00", "vat": "12.60", "vatRate": "21.00"},
        {"withVat": "56.00", "withoutVat": "50.00", "vat": "6.00", "vatRate": "12.00"}]);
    let o = order_from(json!({
        "price": {"withoutVat": "210.00", "withVat": "249.60"},
        "items": [item("product", "Káva", "1.000", "100.00", "121.00", "21.00"), shipping]}));
    let lines = plan_lines(&o, &settings()).unwrap();
    let view: Vec<_> =
        lines.iter().map(|l| (l.kind, l.name.as_str(), l.price, l.vat_rate, l.item_index)).collect();
    assert_eq!(
        view,
        [
            (LineKind::Product, "Káva", d("100"), d("21"), 0),
            (LineKind::Shipping, "PPL (DPH 21 %)", d("60"), d("21"), 1),
            (LineKind::Shipping, "PPL (DPH 12 %)", d("50"), d("12"), 1),
        ]
    );
    let (wo, w) = sums(&lines).unwrap();
    assert_eq!((cents(wo), cents(w)), (d("210.00"), d("249.60")), "both totals exact, no rounding line");
    // One line at the item's single rate would miss the with-VAT total by 4.46.
    let mut single = o.clone();
    single.items[1].item_price_vat_breakdown = None;
    assert!(matches!(plan_lines(&single, &settings()), Err(MappingError::TotalsMismatch { .. })));
}

#[test]
fn a_breakdown_on_a_product_item_is_ignored() {
    let mut product = item("product", "Sada", "1.000", "100.00", "121.00", "21.00");
    product["itemPriceVatBreakdown"] =
        json!([{"withVat": "121.00", "withoutVat": "100.00", "vat": "21.00", "vatRate": "21.00"}]);
    let o = order_from(json!({"price": {"withoutVat": "100.00", "withVat": "121.00"}, "items": [product]}));
    let lines = plan_lines(&o, &settings()).unwrap();
    assert_eq!((lines.len(), lines[0].name.as_str()), (1, "Sada"));
}

#[test]
fn a_null_amount_is_one_unit_carrying_the_whole_price() {
    let mut o = order_from(json!({}));
    o.items[0].amount = None;
    let lines = plan_lines(&o, &settings()).unwrap();
    assert_eq!((lines[0].amount, lines[0].price), (Decimal::ONE, d("300")));
    check_totals(&o, &lines).unwrap();
}

#[test]
fn null_item_prices_fall_back_or_name_the_item() {
    let o = order_from(json!({"items": [
        {"itemType": "product", "code": "40/ZEL", "name": "Mýdlo", "amount": "2.000",
         "itemPrice": {"withVat": "363.00", "withoutVat": null, "vat": "63.00", "vatRate": "21.00"}},
        {"itemType": "shipping", "name": "PPL", "amount": "1.000",
         "itemPrice": {"withVat": null, "withoutVat": "60.00", "vat": null, "vatRate": "21.00"}},
        {"itemType": "billing", "name": "Dobírka", "amount": "1.000",
         "itemPrice": {"withVat": "48.40", "withoutVat": null, "vat": null, "vatRate": "21.00"}}]}));
    let lines = plan_lines(&o, &settings()).unwrap();
    assert_eq!(lines.iter().map(|l| l.price).collect::<Vec<_>>(), [d("150"), d("60"), d("40")]);
    check_totals(&o, &lines).unwrap();
    let none = order_from(json!({"items": [{"itemType": "product", "name": "A", "amount": "1.000",
        "itemPrice": {"withVat": null, "withoutVat": null, "vat": null, "vatRate": "21.00"}}]}));
    let msg = plan_lines(&none, &settings()).unwrap_err().to_string();
    assert!(msg.contains("#1") && msg.contains("no usable price"), "{msg}");
}

/// Before checked arithmetic this panicked ("Multiplication overflowed") in `sums`.
#[test]
fn absurd_amounts_are_a_reason_not_a_panic() {
    let huge = "70000000000000000000000000000.00";
    let o = order_from(json!({
        "price": {"withoutVat": huge, "withVat": huge},
        "items": [item("product", "A", "1.000", huge, huge, "21.00")]}));
    let err = plan_lines(&o, &settings()).unwrap_err();
    assert!(matches!(err, MappingError::TooLarge(_)), "{err:?}");
    assert!(err.to_string().contains("too large"), "{err}");
    // Two items that only overflow when added up.
    let half = "50000000000000000000000000000.00";
    let two = order_from(json!({
        "price": {"withoutVat": "1.00", "withVat": "1.00"},
        "items": [item("product", "A", "1.000", half, half, "0.00"),
                  item("product", "B", "1.000", half, half, "0.00")]}));
    assert!(matches!(plan_lines(&two, &settings()), Err(MappingError::TooLarge(_))));
    // A tiny amount makes the unit price too large to compute.
    let tiny = order_from(json!({"items": [item("product", "A", "0.001", huge, huge, "0.00")]}));
    assert!(matches!(plan_lines(&tiny, &settings()), Err(MappingError::InvalidItem { index: 0, .. })));
}

#[test]
fn missing_currency_and_missing_rate_are_reported() {
    let o = order_from(json!({"price": {"currencyCode": " "}}));
    assert_eq!(plan_lines(&o, &settings()), Err(MappingError::MissingField("price.currencyCode")));
    let no_rate = order_from(json!({"items": [{"itemType": "product", "name": "A", "amount": "1.000",
        "itemPrice": {"withoutVat": "400.00", "withVat": "484.00"}}]}));
    assert!(matches!(plan_lines(&no_rate, &settings()), Err(MappingError::InvalidItem { index: 0, .. })));
}
