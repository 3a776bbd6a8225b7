//! Business-case lines from order items, and the totals invariant (SYNC-RULES §2, §4).
//!
//! RAYNET computes a line as `price × count`, with VAT `price × count × (1 + taxRate/100)`.
//! We model exactly that: the sums over all lines, rounded to the cent, must equal the order's
//! `price.withoutVat` and `price.withVat`. Per-line or whole-order rounding by Shoptet is
//! absorbed by "Zaokrouhlení" lines when the difference is at most one unit of currency.

use super::{ItemProblem, MappingError, MappingSettings, PricePart, clean};
use crate::shoptet::models::{ItemPrice, Order, OrderItem};
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
    /// What RAYNET will count for this line without VAT (unrounded); `None` when the numbers
    /// are too large to compute with.
    pub fn raynet_without_vat(&self) -> Option<Decimal> {
        self.price.checked_mul(self.amount)
    }

    /// What RAYNET will count for this line with VAT (unrounded); `None` when too large.
    pub fn raynet_with_vat(&self) -> Option<Decimal> {
        self.raynet_without_vat()?.checked_mul(vat_factor(self.vat_rate)?)
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

/// `1 + rate/100`, checked.
fn vat_factor(rate: Decimal) -> Option<Decimal> {
    Decimal::ONE.checked_add(rate.checked_div(Decimal::ONE_HUNDRED)?)
}

/// An arithmetic result, or the readable "too large" reason when it overflowed.
fn checked(v: Option<Decimal>, what: &'static str) -> Result<Decimal, MappingError> {
    v.ok_or(MappingError::TooLarge(what))
}

/// The shortest price (2..=10 decimals) whose `price × amount` rounds to `total` to the cent.
fn unit_price(total: Decimal, amount: Decimal) -> Option<Decimal> {
    let exact = total.checked_div(amount)?;
    (2..=MAX_PRICE_DP)
        .map(|dp| exact.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero))
        .find(|p| p.checked_mul(amount).map(cents) == Some(cents(total)))
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

/// The lines of one order item: one line, or for a non-product item whose price Shoptet split
/// across VAT rates (`itemPriceVatBreakdown`), one line per rate.
fn plan_item(index: usize, item: &OrderItem, foreign: bool) -> Result<Vec<LinePlan>, MappingError> {
    let kind = LineKind::of(item.item_type.trim());
    let name = line_name(item, index);
    let breakdown = item.item_price_vat_breakdown.as_deref().filter(|b| !b.is_empty());
    match breakdown {
        Some(parts) if kind != LineKind::Product => parts
            .iter()
            .enumerate()
            .map(|(k, part)| {
                let what = PricePart::Breakdown(k + 1);
                let mut line = plan_line(index, item, part, what, kind, foreign)?;
                line.name = format!("{name} (DPH {} %)", line.vat_rate);
                if k > 0 {
                    line.cost = None;
                }
                Ok(line)
            })
            .collect(),
        _ => Ok(vec![plan_line(index, item, &item.item_price, PricePart::ItemPrice, kind, foreign)?]),
    }
}

/// One line for `item` priced by `p` (`what` names that price block in reasons).
fn plan_line(
    index: usize,
    item: &OrderItem,
    p: &ItemPrice,
    what: PricePart,
    kind: LineKind,
    foreign: bool,
) -> Result<LinePlan, MappingError> {
    let invalid = |problem: ItemProblem| MappingError::InvalidItem { index, problem };
    let total_without_vat = p.net().ok_or_else(|| invalid(ItemProblem::NoPrice(what)))?;
    let total_with_vat = p.gross().unwrap_or(total_without_vat);
    let vat_rate = match p.vat_rate {
        Some(r) if r >= Decimal::ZERO => r,
        Some(_) => return Err(invalid(ItemProblem::NegativeVatRate(what))),
        None if total_with_vat == total_without_vat => Decimal::ZERO,
        None => return Err(invalid(ItemProblem::MissingVatRate(what))),
    };
    // `amount` is nullable: without it the line is one unit carrying the item's whole price.
    let quantity = item.quantity();
    let (amount, price) = if quantity.is_zero() {
        if !total_without_vat.is_zero() {
            return Err(invalid(ItemProblem::PriceWithoutAmount));
        }
        (Decimal::ZERO, Decimal::ZERO)
    } else {
        let price =
            unit_price(total_without_vat, quantity).ok_or_else(|| invalid(ItemProblem::Indivisible))?;
        (quantity.normalize(), price)
    };
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
        cost: item.purchase_price.as_ref().and_then(ItemPrice::net).map(|c| c.normalize()),
        total_without_vat,
        total_with_vat,
        item_index: index,
    })
}

fn sums(lines: &[LinePlan]) -> Result<(Decimal, Decimal), MappingError> {
    lines.iter().try_fold((Decimal::ZERO, Decimal::ZERO), |(wo, w), l| {
        let line_wo = checked(l.raynet_without_vat(), "the lines without VAT")?;
        let line_w = checked(l.raynet_with_vat(), "the lines with VAT")?;
        Ok((
            checked(wo.checked_add(line_wo), "the lines without VAT")?,
            checked(w.checked_add(line_w), "the lines with VAT")?,
        ))
    })
}

/// Both invariants to the cent: Σ price × count = `price.withoutVat`, and with VAT = `price.withVat`.
pub fn check_totals(order: &Order, lines: &[LinePlan]) -> Result<(), MappingError> {
    let (wo, w) = sums(lines)?;
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

fn rounding_line(
    name: String,
    price: Decimal,
    vat_rate: Decimal,
    item_index: usize,
) -> Result<LinePlan, MappingError> {
    let with_vat = checked(vat_factor(vat_rate).and_then(|f| price.checked_mul(f)), "a rounding line")?;
    Ok(LinePlan {
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
    })
}

/// Lines that close a small gap between the item sums and the order totals: a 0 % line for the
/// common difference and, when the VAT differs too, a line at the order's highest VAT rate.
fn rounding_lines(order: &Order, lines: &[LinePlan]) -> Result<Vec<LinePlan>, MappingError> {
    let (wo, w) = sums(lines)?;
    let gap = "the difference to the order totals";
    let d_wo = checked(order.price.without_vat.checked_sub(wo), gap)?;
    let d_w = checked(order.price.with_vat.checked_sub(w), gap)?;
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
    let plain_only: Vec<LinePlan> = match Some(fine(d_wo)).filter(|p| !p.is_zero()) {
        Some(p) => vec![rounding_line("Zaokrouhlení".into(), p, Decimal::ZERO, index)?],
        None => Vec::new(),
    };
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
    // Both differences are at most one unit here, so these cannot overflow; checked anyway.
    let vat_part = d_w
        .checked_sub(d_wo)
        .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
        .and_then(|d| d.checked_div(rate));
    let vat_part = fine(checked(vat_part, gap)?);
    let plain = fine(checked(d_wo.checked_sub(vat_part), gap)?);
    let mut out = Vec::new();
    if !plain.is_zero() {
        out.push(rounding_line("Zaokrouhlení".into(), plain, Decimal::ZERO, index)?);
    }
    if !vat_part.is_zero() {
        out.push(rounding_line(format!("Zaokrouhlení DPH {rate} %"), vat_part, rate, index)?);
    }
    Ok(out)
}

/// Plans the lines of every order item (in order; one per VAT rate for split non-product
/// items), plus rounding lines when Shoptet's rounding left a gap of at most one unit of
/// currency; then checks both totals. Arithmetic is checked: absurd amounts give a reason.
pub fn plan_lines(order: &Order, s: &MappingSettings) -> Result<Vec<LinePlan>, MappingError> {
    if order.price.currency_code.trim().is_empty() {
        return Err(MappingError::MissingField("price.currencyCode"));
    }
    let foreign = is_foreign_currency(order, s);
    let mut lines = Vec::with_capacity(order.items.len());
    for (i, item) in order.items.iter().enumerate() {
        lines.extend(plan_item(i, item, foreign)?);
    }
    if check_totals(order, &lines).is_err() {
        let extra = rounding_lines(order, &lines)?;
        lines.extend(extra);
        check_totals(order, &lines)?;
    }
    Ok(lines)
}

#[cfg(test)]
#[path = "lines_tests.rs"]
mod tests;
