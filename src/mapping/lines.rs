//! Business-case lines from order items, and the totals invariant (SYNC-RULES §2, §4).
//!
//! RAYNET computes a line as `price × count`, with VAT `price × count × (1 + taxRate/100)`.
//! We model exactly that: the sums over all lines, rounded to the cent, must equal the order's
//! `price.withoutVat` and `price.withVat`. Per-line or whole-order rounding by Shoptet is
//! absorbed by "Zaokrouhlení" lines when the difference is at most one unit of currency.

use super::{MappingError, MappingSettings, clean};
use crate::shoptet::models::{Order, OrderItem};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// What an order item stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Product,
    Shipping,
    Payment,
    Discount,
    Rounding,
    Other,
}

impl LineKind {
    fn of(item_type: &str) -> Self {
        match item_type {
            t if OrderItem::PRODUCT_TYPES.contains(&t) => Self::Product,
            "shipping" => Self::Shipping,
            "billing" => Self::Payment,
            "discount-coupon" | "volume-discount" => Self::Discount,
            "rounding" => Self::Rounding,
            _ => Self::Other,
        }
    }
}

/// One planned business-case line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinePlan {
    pub kind: LineKind,
    pub code: Option<String>,
    pub name: String,
    pub amount: Decimal,
    pub unit: Option<String>,
    /// Per piece, without VAT: line total without VAT ÷ amount, with as many decimals as needed.
    pub price: Decimal,
    pub vat_rate: Decimal,
    /// Purchase price per piece, without VAT.
    pub cost: Option<Decimal>,
    pub total_without_vat: Decimal,
    pub total_with_vat: Decimal,
    /// Product kind, home currency and a code: link or create a RAYNET product.
    pub link_product: bool,
    /// Index into `order.items`; for added rounding lines, `order.items.len()`.
    pub item_index: usize,
}

impl LinePlan {
    /// What RAYNET will count for this line without VAT (unrounded).
    pub fn raynet_without_vat(&self) -> Decimal {
        self.price * self.amount
    }

    /// What RAYNET will count for this line with VAT (unrounded).
    pub fn raynet_with_vat(&self) -> Decimal {
        self.raynet_without_vat() * (Decimal::ONE + self.vat_rate / Decimal::ONE_HUNDRED)
    }
}

/// Order currency differs from the e-shop's default currency.
pub fn is_foreign_currency(order: &Order, s: &MappingSettings) -> bool {
    !order.price.currency_code.trim().eq_ignore_ascii_case(s.eshop_currency.trim())
}

const MAX_PRICE_DP: u32 = 10;

fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The shortest price (2..=10 decimals) whose `price × amount` rounds to `total` to the cent.
fn unit_price(total: Decimal, amount: Decimal) -> Option<Decimal> {
    let exact = total.checked_div(amount)?;
    (2..=MAX_PRICE_DP)
        .map(|dp| exact.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero))
        .find(|p| cents(*p * amount) == cents(total))
        .map(|p| p.normalize())
}

fn line_name(item: &OrderItem, index: usize) -> String {
    let name = clean(Some(&item.name));
    let variant = clean(item.variant_name.as_deref());
    match (name, variant) {
        (Some(n), Some(v)) if !n.contains(&v) => format!("{n} {v}"),
        (Some(n), _) => n,
        (None, Some(v)) => v,
        (None, None) => clean(item.code.as_deref()).unwrap_or_else(|| format!("Položka {}", index + 1)),
    }
}

fn plan_item(index: usize, item: &OrderItem, foreign: bool) -> Result<LinePlan, MappingError> {
    let invalid = |reason: &str| MappingError::InvalidItem { index, reason: reason.to_owned() };
    let p = &item.item_price;
    let total_without_vat = p.without_vat.ok_or_else(|| invalid("itemPrice.withoutVat is missing"))?;
    let total_with_vat = p.with_vat.unwrap_or(total_without_vat);
    let vat_rate = match p.vat_rate {
        Some(r) if r >= Decimal::ZERO => r,
        Some(_) => return Err(invalid("itemPrice.vatRate is negative")),
        None if total_with_vat == total_without_vat => Decimal::ZERO,
        None => return Err(invalid("itemPrice.vatRate is missing")),
    };
    let (amount, price) = if item.amount.is_zero() {
        if !total_without_vat.is_zero() {
            return Err(invalid("amount is 0 but the line has a price"));
        }
        (Decimal::ZERO, Decimal::ZERO)
    } else {
        let price = unit_price(total_without_vat, item.amount)
            .ok_or_else(|| invalid("the line price cannot be divided by its amount"))?;
        (item.amount.normalize(), price)
    };
    let kind = LineKind::of(item.item_type.trim());
    let code = clean(item.code.as_deref());
    Ok(LinePlan {
        kind,
        link_product: kind == LineKind::Product && !foreign && code.is_some(),
        code,
        name: line_name(item, index),
        amount,
        unit: clean(item.amount_unit.as_deref()),
        price,
        vat_rate: vat_rate.normalize(),
        cost: item.purchase_price.as_ref().and_then(|c| c.without_vat).map(|c| c.normalize()),
        total_without_vat,
        total_with_vat,
        item_index: index,
    })
}

fn sums(lines: &[LinePlan]) -> (Decimal, Decimal) {
    lines.iter().fold((Decimal::ZERO, Decimal::ZERO), |(wo, w), l| {
        (wo + l.raynet_without_vat(), w + l.raynet_with_vat())
    })
}

/// Both invariants to the cent: Σ price × count = `price.withoutVat`, and with VAT = `price.withVat`.
pub fn check_totals(order: &Order, lines: &[LinePlan]) -> Result<(), MappingError> {
    let (wo, w) = sums(lines);
    if cents(wo) != cents(order.price.without_vat) {
        return Err(MappingError::TotalsMismatch {
            which: "without VAT",
            expected: order.price.without_vat,
            got: cents(wo),
        });
    }
    if cents(w) != cents(order.price.with_vat) {
        return Err(MappingError::TotalsMismatch {
            which: "with VAT",
            expected: order.price.with_vat,
            got: cents(w),
        });
    }
    Ok(())
}

fn rounding_line(name: String, price: Decimal, vat_rate: Decimal, item_index: usize) -> LinePlan {
    let with_vat = price * (Decimal::ONE + vat_rate / Decimal::ONE_HUNDRED);
    LinePlan {
        kind: LineKind::Rounding,
        code: None,
        name,
        amount: Decimal::ONE,
        unit: None,
        price,
        vat_rate,
        cost: None,
        total_without_vat: cents(price),
        total_with_vat: cents(with_vat),
        link_product: false,
        item_index,
    }
}

/// Lines that close a small gap between the item sums and the order totals: a 0 % line for the
/// common difference and, when the VAT differs too, a line at the order's highest VAT rate.
fn rounding_lines(order: &Order, lines: &[LinePlan]) -> Result<Vec<LinePlan>, MappingError> {
    let (wo, w) = sums(lines);
    let d_wo = order.price.without_vat - wo;
    let d_w = order.price.with_vat - w;
    for (which, diff, expected, got) in
        [("without VAT", d_wo, order.price.without_vat, wo), ("with VAT", d_w, order.price.with_vat, w)]
    {
        if diff.abs() > Decimal::ONE {
            return Err(MappingError::TotalsMismatch { which, expected, got: cents(got) });
        }
    }
    let index = order.items.len();
    let fine = |d: Decimal| {
        d.round_dp_with_strategy(MAX_PRICE_DP, RoundingStrategy::MidpointAwayFromZero).normalize()
    };
    let plain_only: Vec<LinePlan> = Some(fine(d_wo))
        .filter(|p| !p.is_zero())
        .map(|p| rounding_line("Zaokrouhlení".into(), p, Decimal::ZERO, index))
        .into_iter()
        .collect();
    let mut all = lines.to_vec();
    all.extend(plain_only.iter().cloned());
    if check_totals(order, &all).is_ok() {
        return Ok(plain_only);
    }
    // The VAT differs as well: x at 0 % and y at rate r with x + y = d_wo, x + y(1 + r/100) = d_w.
    let rate = lines.iter().map(|l| l.vat_rate).max().unwrap_or_default();
    if rate.is_zero() {
        return Err(MappingError::TotalsMismatch {
            which: "with VAT",
            expected: order.price.with_vat,
            got: cents(w),
        });
    }
    let vat_part = fine((d_w - d_wo) * Decimal::ONE_HUNDRED / rate);
    let plain = fine(d_wo - vat_part);
    let mut out = Vec::new();
    if !plain.is_zero() {
        out.push(rounding_line("Zaokrouhlení".into(), plain, Decimal::ZERO, index));
    }
    if !vat_part.is_zero() {
        out.push(rounding_line(format!("Zaokrouhlení DPH {rate} %"), vat_part, rate, index));
    }
    Ok(out)
}

/// Plans one line per order item (in order), plus rounding lines when Shoptet's rounding left
/// a gap of at most one unit of currency; then checks both totals.
pub fn plan_lines(order: &Order, s: &MappingSettings) -> Result<Vec<LinePlan>, MappingError> {
    if order.price.currency_code.trim().is_empty() {
        return Err(MappingError::MissingField("price.currencyCode"));
    }
    let foreign = is_foreign_currency(order, s);
    let mut lines = order
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| plan_item(i, item, foreign))
        .collect::<Result<Vec<_>, _>>()?;
    if check_totals(order, &lines).is_err() {
        let extra = rounding_lines(order, &lines)?;
        lines.extend(extra);
        check_totals(order, &lines)?;
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
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
            let lines = plan_lines(&o, &settings())
                .unwrap_or_else(|e| panic!("case {case}: {e}; order {:?}", o.price));
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
    fn missing_currency_and_missing_rate_are_reported() {
        let o = order_from(json!({"price": {"currencyCode": " "}}));
        assert_eq!(plan_lines(&o, &settings()), Err(MappingError::MissingField("price.currencyCode")));
        let no_rate = order_from(json!({"items": [{"itemType": "product", "name": "A", "amount": "1.000",
            "itemPrice": {"withoutVat": "400.00", "withVat": "484.00"}}]}));
        assert!(matches!(plan_lines(&no_rate, &settings()), Err(MappingError::InvalidItem { index: 0, .. })));
    }
}
