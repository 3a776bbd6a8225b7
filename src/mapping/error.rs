use rust_decimal::Decimal;

/// Why an order cannot be turned into RAYNET records (a permanent, per-order failure).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MappingError {
    #[error(
        "order totals do not add up {which}: the order says {expected}, its items give {got} \
         (difference too large to be rounding)"
    )]
    TotalsMismatch {
        /// `"without VAT"` or `"with VAT"`.
        which: &'static str,
        expected: Decimal,
        got: Decimal,
    },
    #[error("the order has no {0}")]
    MissingField(&'static str),
    #[error("order item #{} is not usable: {problem}", index + 1)]
    InvalidItem { index: usize, problem: ItemProblem },
    /// Amounts so large that computing with them would overflow (a `Decimal` holds 28 digits).
    #[error("the order's amounts are too large to compute {0} (bad order data)")]
    TooLarge(&'static str),
}

/// The price block of an item a problem is in: `itemPrice`, or entry `k` (from 1) of its
/// `itemPriceVatBreakdown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PricePart {
    ItemPrice,
    Breakdown(usize),
}

impl std::fmt::Display for PricePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PricePart::ItemPrice => f.write_str("itemPrice"),
            PricePart::Breakdown(k) => write!(f, "itemPriceVatBreakdown entry {k}"),
        }
    }
}

/// Why an order item cannot become a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ItemProblem {
    #[error("{0} has no usable price: withoutVat and withVat are null (or too large to compute with)")]
    NoPrice(PricePart),
    #[error("{0}.vatRate is negative")]
    NegativeVatRate(PricePart),
    #[error("{0}.vatRate is missing")]
    MissingVatRate(PricePart),
    #[error("amount is 0 but the line has a price")]
    PriceWithoutAmount,
    #[error("the line price cannot be divided by its amount")]
    Indivisible,
}
