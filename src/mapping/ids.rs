//! extIds that make every RAYNET record findable again (the idempotency keys).

use super::clean;
use crate::shoptet::models::Order;

/// `shoptet:{eshopId}:order:{code}`.
pub fn order_ext_id(eshop_id: i64, code: &str) -> String {
    format!("shoptet:{eshop_id}:order:{}", code.trim())
}

/// `shoptet:{eshopId}:customer:{guid}` for registered customers, `shoptet:{eshopId}:email:{email}`
/// (lower-cased) for guests, `None` when the order has neither.
pub fn customer_ext_id(eshop_id: i64, order: &Order) -> Option<String> {
    if let Some(guid) = clean(order.customer_guid.as_deref()) {
        return Some(format!("shoptet:{eshop_id}:customer:{guid}"));
    }
    clean(order.email.as_deref()).map(|email| format!("shoptet:{eshop_id}:email:{}", email.to_lowercase()))
}

/// `shoptet:{eshopId}:product:{code}`.
pub fn product_ext_id(eshop_id: i64, code: &str) -> String {
    format!("shoptet:{eshop_id}:product:{}", code.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::fixtures::order_from;
    use serde_json::json;

    #[test]
    fn order_and_product_ids_carry_eshop_and_code() {
        assert_eq!(order_ext_id(123, "2024000017"), "shoptet:123:order:2024000017");
        assert_eq!(product_ext_id(123, "40/ZEL"), "shoptet:123:product:40/ZEL");
    }

    #[test]
    fn registered_customer_is_keyed_by_guid() {
        let o = order_from(json!({"customerGuid": "747fb32d-aa", "email": "Jan@Example.cz"}));
        assert_eq!(customer_ext_id(7, &o).as_deref(), Some("shoptet:7:customer:747fb32d-aa"));
    }

    #[test]
    fn guest_is_keyed_by_lowercased_email() {
        let o = order_from(json!({"customerGuid": null, "email": " Jan.Novak@Example.CZ "}));
        assert_eq!(customer_ext_id(7, &o).as_deref(), Some("shoptet:7:email:jan.novak@example.cz"));
    }

    #[test]
    fn no_guid_and_no_email_gives_none() {
        let o = order_from(json!({"customerGuid": "", "email": "  "}));
        assert_eq!(customer_ext_id(7, &o), None);
    }
}
