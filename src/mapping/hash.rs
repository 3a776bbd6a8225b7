//! Content hash of an order: changes exactly when the business case would change.

use crate::shoptet::models::{Address, DeliveryAddress, ItemPrice, Order, OrderItem};
use rust_decimal::Decimal;
use serde::Serialize;
use sha1::{Digest, Sha1};

/// Decimals as normalized strings, so `"121.00"` and `"121.0"` hash alike.
fn n(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.normalize().to_string())
}

#[derive(Serialize)]
struct PriceView {
    with_vat: Option<String>,
    without_vat: Option<String>,
    vat_rate: Option<String>,
}

impl PriceView {
    fn of(p: &ItemPrice) -> Self {
        Self { with_vat: n(p.with_vat), without_vat: n(p.without_vat), vat_rate: n(p.vat_rate) }
    }
}

#[derive(Serialize)]
struct ItemView<'a> {
    item_type: &'a str,
    code: Option<&'a str>,
    name: &'a str,
    variant_name: Option<&'a str>,
    amount: Option<String>,
    unit: Option<&'a str>,
    price: PriceView,
    purchase: Option<PriceView>,
    /// Left out when absent, so hashes of orders without a breakdown stay as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    vat_breakdown: Option<Vec<PriceView>>,
}

impl<'a> ItemView<'a> {
    fn of(i: &'a OrderItem) -> Self {
        Self {
            item_type: &i.item_type,
            code: i.code.as_deref(),
            name: &i.name,
            variant_name: i.variant_name.as_deref(),
            amount: n(i.amount),
            unit: i.amount_unit.as_deref(),
            price: PriceView::of(&i.item_price),
            purchase: i.purchase_price.as_ref().map(PriceView::of),
            vat_breakdown: i.item_price_vat_breakdown.as_ref().map(|b| b.iter().map(PriceView::of).collect()),
        }
    }
}

#[derive(Serialize)]
struct OrderView<'a> {
    version: u8,
    code: &'a str,
    created: Option<String>,
    status: Option<i64>,
    currency: &'a str,
    with_vat: Option<String>,
    without_vat: Option<String>,
    exchange_rate: Option<String>,
    note: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    customer: Option<&'a str>,
    billing: Option<&'a Address>,
    delivery: Option<&'a DeliveryAddress>,
    admin_url: Option<&'a str>,
    items: Vec<ItemView<'a>>,
}

/// SHA-1 (hex) of what the business case is built from: items, prices, currency, rate, note,
/// status, customer and addresses. `changeTime` and payment state are left out.
pub fn content_hash(order: &Order) -> String {
    let view = OrderView {
        version: 1,
        code: &order.code,
        created: order.creation_time.map(|t| t.to_rfc3339()),
        status: order.status_id(),
        currency: &order.price.currency_code,
        with_vat: n(Some(order.price.with_vat)),
        without_vat: n(Some(order.price.without_vat)),
        exchange_rate: n(order.price.exchange_rate),
        note: order.notes.as_ref().and_then(|x| x.customer_remark.as_deref()),
        email: order.email.as_deref(),
        phone: order.phone.as_deref(),
        customer: order.customer_guid.as_deref(),
        billing: order.billing_address.as_ref(),
        delivery: order.delivery_address.as_ref(),
        admin_url: order.admin_url.as_deref(),
        items: order.items.iter().map(ItemView::of).collect(),
    };
    // Serializing plain structs, strings and options cannot fail; fall back to Debug just in case.
    let bytes = serde_json::to_vec(&view).unwrap_or_else(|_| format!("{order:?}").into_bytes());
    Sha1::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::fixtures::order_from;
    use serde_json::json;

    #[test]
    fn stable_and_hex() {
        let h = content_hash(&order_from(json!({})));
        assert_eq!(h.len(), 40);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(h, content_hash(&order_from(json!({}))));
    }

    #[test]
    fn ignores_change_time_and_decimal_scale() {
        let base = content_hash(&order_from(json!({})));
        assert_eq!(base, content_hash(&order_from(json!({"changeTime": "2025-01-01T00:00:00+0100"}))));
        assert_eq!(base, content_hash(&order_from(json!({"price": {"withVat": "484.0"}}))));
    }

    #[test]
    fn sensitive_to_what_the_case_shows() {
        let base = content_hash(&order_from(json!({})));
        let mut price = order_from(json!({}));
        price.items[0].item_price.without_vat = Some(Decimal::new(30100, 2));
        assert_ne!(base, content_hash(&price));
        for patch in [
            json!({"price": {"currencyCode": "EUR"}}),
            json!({"price": {"exchangeRate": "25.00000000"}}),
            json!({"notes": {"customerRemark": "Jiná poznámka"}}),
            json!({"status": {"id": -4, "name": "Stornována"}}),
            json!({"deliveryAddress": {"city": "Brno"}}),
            json!({"billingAddress": {"companyId": "12345678"}}),
        ] {
            assert_ne!(base, content_hash(&order_from(patch.clone())), "{patch}");
        }
    }
}
