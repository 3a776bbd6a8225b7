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
    #[error("order item #{} is not usable: {reason}", index + 1)]
    InvalidItem { index: usize, reason: String },
    /// Amounts so large that computing with them would overflow (a `Decimal` holds 28 digits).
    #[error("the order's amounts are too large to compute {0} (bad order data)")]
    TooLarge(&'static str),
}
