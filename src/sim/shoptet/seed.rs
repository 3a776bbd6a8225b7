//! Seed data for the simulator: parsing, moving timestamps next to "now", defaults, repricing.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::shoptet::models::{Order, timestamp};

pub const DEMO_ESHOP_ID: i64 = 312_457;
/// The newest seeded order is this many minutes old after loading.
const NEWEST_AGE_MINUTES: i64 = 4;

pub fn prague_now() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&chrono_tz::Europe::Prague).fixed_offset()
}

/// A parsed seed, ready to become simulator state.
pub struct Seed {
    pub token: Option<String>,
    pub eshop: Value,
    pub statuses: Value,
    pub orders: BTreeMap<String, Value>,
    pub products: Vec<Value>,
}

impl Seed {
    pub fn empty(eshop_id: i64) -> Seed {
        Seed {
            token: None,
            eshop: default_eshop(eshop_id),
            statuses: default_statuses(),
            orders: BTreeMap::new(),
            products: Vec::new(),
        }
    }

    /// Parses seed JSON and shifts every timestamp so the newest order is a few minutes
    /// before `now` (keeping all gaps), rendered in the Prague offset of its instant.
    pub fn parse(json: &str, now: DateTime<FixedOffset>) -> Result<Seed, String> {
        let mut root: Value = serde_json::from_str(json).map_err(|e| format!("seed is not JSON: {e}"))?;
        let eshop_id = root.pointer("/eshop/contactInformation/eshopId").and_then(Value::as_i64);
        let mut seed = Seed::empty(eshop_id.unwrap_or(DEMO_ESHOP_ID));
        seed.token = root.get("token").and_then(Value::as_str).map(str::to_string);
        if let Some(e) = root.get("eshop").filter(|v| v.is_object()) {
            seed.eshop = e.clone();
        }
        if let Some(s) = root.get("orderStatuses").filter(|v| v.is_object()) {
            seed.statuses = s.clone();
        }
        let newest = root
            .get("orders")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|o| {
                ["creationTime", "changeTime"]
                    .map(|k| o.get(k).and_then(Value::as_str).and_then(|s| timestamp::parse(s).ok()))
            })
            .flatten()
            .max();
        if let Some(newest) = newest {
            let shift = (now - Duration::minutes(NEWEST_AGE_MINUTES)) - newest;
            for key in ["orders", "products"] {
                if let Some(v) = root.get_mut(key) {
                    shift_timestamps(v, shift);
                }
            }
        }
        if let Some(products) = root.get("products").and_then(Value::as_array) {
            for p in products {
                if p.get("guid").and_then(Value::as_str).is_none() {
                    return Err(format!("a product has no guid: {}", p.get("name").unwrap_or(&Value::Null)));
                }
            }
            seed.products = products.clone();
        }
        if let Some(orders) = root.get("orders").and_then(Value::as_array) {
            for o in orders {
                let order: Order = serde_json::from_value(o.clone()).map_err(|e| {
                    format!("order {} is not a Shoptet order: {e}", o.get("code").unwrap_or(&Value::Null))
                })?;
                seed.orders.insert(order.code, o.clone());
            }
        }
        Ok(seed)
    }
}

/// Moves every `YYYY-MM-DDTHH:MM:SS+HHMM` string inside `v` by `shift`.
fn shift_timestamps(v: &mut Value, shift: Duration) {
    match v {
        Value::String(s) if s.len() == 24 && s.as_bytes().get(10) == Some(&b'T') => {
            if let Ok(t) = DateTime::parse_from_str(s, timestamp::FORMAT) {
                let moved = (t + shift).with_timezone(&chrono_tz::Europe::Prague).fixed_offset();
                *s = timestamp::format(&moved);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| shift_timestamps(i, shift)),
        Value::Object(map) => map.values_mut().for_each(|i| shift_timestamps(i, shift)),
        _ => {}
    }
}

fn default_eshop(eshop_id: i64) -> Value {
    json!({
        "contactInformation": {
            "eshopId": eshop_id, "eshopName": format!("eshop-{eshop_id}.myshoptet.com"), "eshopCategory": null,
            "url": format!("https://eshop-{eshop_id}.myshoptet.com/"), "eshopTitle": "E-shop", "eshopSubtitle": null,
            "contactPerson": null, "email": null, "phone": null, "mobilePhone": null, "skypeAccount": null,
            "contactPhotoUrl": null
        },
        "settings": {"vatPayer": true, "cashDeskOnly": false, "trackStockClaims": false, "maxProductAmount": 9999,
            "maxEmailAmount": 100, "defaultPricelist": {"id": 1, "name": "Výchozí ceník"}, "eshopLanguage": "cs",
            "timezone": "Europe/Prague", "dateFormat": "d.m.Y", "timeFormat": "H:i:s", "internals": "",
            "exchangeRateFlip": false, "negativeStockAmount": "allowed", "oss": false,
            "stockControlDisabled": false, "wholesaleSplitActive": false},
        "currencies": [{"code": "CZK", "title": "Kč", "isDefault": true, "isDefaultAdmin": true,
            "isDefaultDocuments": true, "isVisible": true, "exchangeRate": "1.00000000", "priority": 1,
            "priceDecimalPlaces": 2, "documentPriceDecimalPlaces": 2, "rounding": "math", "minimalOrderValue": null,
            "bankAccount": {"accountNumber": null, "iban": null, "bic": null, "ownerName": null},
            "display": {"text": "Kč", "location": "right", "decimalsSeparator": ",", "thousandsSeparator": " "}}],
        "taxClasses": [],
        "activeModules": [],
        "urls": []
    })
}

fn default_statuses() -> Value {
    let status = |id: i64, name: &str, order: i64, paid: bool, color: &str, background: &str| {
        json!({"id": id, "name": name, "system": true, "order": order, "markAsPaid": paid, "color": color,
            "backgroundColor": background, "changeOrderItems": id == -1 || id == -2,
            "stockClaimResolved": id == -3,
            "documents": {"generateProformaInvoice": false, "generateInvoice": id == -3,
                "generateDeliveryNote": id == -3, "generateProofPayment": null}})
    };
    json!({
        "defaultStatus": -1,
        "statuses": [
            status(-1, "Nevyřízená", 1, false, "#000000", "#FFFFFF"),
            status(-2, "Vyřizuje se", 2, false, "#000000", "#FFF3C4"),
            status(-3, "Vyřízena", 3, true, "#FFFFFF", "#2E7D32"),
            status(-4, "Stornována", 4, false, "#FFFFFF", "#B71C1C"),
        ]
    })
}

fn money(d: Decimal) -> Value {
    let mut d = d.round_dp(2);
    d.rescale(2);
    Value::String(d.to_string())
}

fn dec(v: &Value) -> Option<Decimal> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

/// Splits a price with VAT into `{withVat, withoutVat, vat, vatRate}`.
fn price_block(with_vat: Decimal, rate: Decimal) -> Value {
    let with_vat = with_vat.round_dp(2);
    let without = (with_vat / (Decimal::ONE + rate / Decimal::from(100))).round_dp(2);
    json!({"withVat": money(with_vat), "withoutVat": money(without), "vat": money(with_vat - without), "vatRate": money(rate)})
}

/// Sets item `index`'s unit price with VAT, recomputes its line and the order totals.
pub fn reprice_item(order: &mut Value, index: usize, unit_with_vat: Decimal) -> Result<(), String> {
    let items = order.get_mut("items").and_then(Value::as_array_mut).ok_or("the order has no items")?;
    let item = items.get_mut(index).ok_or_else(|| format!("the order has no item #{index}"))?;
    let rate = item.pointer("/itemPrice/vatRate").and_then(dec).unwrap_or_default();
    let amount = item.get("amount").and_then(dec).ok_or("the item has no amount")?;
    item["unitPrice"] = price_block(unit_with_vat, rate);
    let line = unit_with_vat.checked_mul(amount).ok_or("the line price is too large")?;
    item["itemPrice"] = price_block(line, rate);
    retotal(order)
}

/// Sets the order totals to the sums of its items' prices.
fn retotal(order: &mut Value) -> Result<(), String> {
    let items = order.get("items").and_then(Value::as_array).ok_or("the order has no items")?;
    let sum = |key: &str| {
        items
            .iter()
            .filter_map(|i| i.get("itemPrice")?.get(key).and_then(dec))
            .try_fold(Decimal::ZERO, |a, b| a.checked_add(b))
            .ok_or("the order totals are too large")
    };
    let (with_vat, without) = (sum("withVat")?, sum("withoutVat")?);
    let price = order.get_mut("price").and_then(Value::as_object_mut).ok_or("the order has no price")?;
    price.insert("withVat".into(), money(with_vat));
    price.insert("withoutVat".into(), money(without));
    price.insert("vat".into(), money(with_vat - without));
    price.insert("toPay".into(), money(with_vat));
    Ok(())
}

/// Splits item `index`'s price across VAT rates: `itemPriceVatBreakdown` (an `itemPrice` per
/// part, spec `orderItem.itemPriceVatBreakdown`, "applied for non product items"), the item's
/// `itemPrice` and `unitPrice` become the parts' sums (at the highest rate: the spec requires
/// a `vatRate` there and does not say which), then the order totals are recomputed.
pub fn split_item_vat(order: &mut Value, index: usize, parts: &[(Decimal, Decimal)]) -> Result<(), String> {
    if parts.is_empty() {
        return Err("a VAT breakdown needs at least one part".into());
    }
    let items = order.get_mut("items").and_then(Value::as_array_mut).ok_or("the order has no items")?;
    let item = items.get_mut(index).ok_or_else(|| format!("the order has no item #{index}"))?;
    let amount = item.get("amount").and_then(dec).filter(|a| !a.is_zero()).unwrap_or(Decimal::ONE);
    let blocks: Vec<Value> = parts.iter().map(|(rate, with_vat)| price_block(*with_vat, *rate)).collect();
    let sum = |key: &str| {
        blocks
            .iter()
            .filter_map(|b| b.get(key).and_then(dec))
            .try_fold(Decimal::ZERO, |a, b| a.checked_add(b))
            .ok_or("the parts are too large")
    };
    let (with_vat, without, vat) = (sum("withVat")?, sum("withoutVat")?, sum("vat")?);
    let rate = parts.iter().map(|(r, _)| *r).max().unwrap_or_default();
    let unit =
        |d: Decimal| d.checked_div(amount).map(|u| money(u.round_dp(2))).ok_or("the unit price is too large");
    item["unitPrice"] = json!({"withVat": unit(with_vat)?, "withoutVat": unit(without)?, "vat": unit(vat)?, "vatRate": money(rate)});
    item["itemPrice"] = json!({"withVat": money(with_vat), "withoutVat": money(without), "vat": money(vat), "vatRate": money(rate)});
    item["itemPriceVatBreakdown"] = Value::Array(blocks);
    retotal(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_move_so_the_newest_order_is_minutes_old() {
        let json = r#"{"orders":[
            {"code":"1","creationTime":"2020-01-01T10:00:00+0100","changeTime":"2020-01-02T10:00:00+0100",
             "price":{"currencyCode":"CZK","withVat":"1.00","withoutVat":"1.00"},"items":[]},
            {"code":"2","creationTime":"2020-01-01T09:00:00+0100",
             "price":{"currencyCode":"CZK","withVat":"1.00","withoutVat":"1.00"},"items":[]}],
            "products":[{"guid":"g","name":"P","changeTime":"2020-01-02T09:00:00+0100"}]}"#;
        let now = timestamp::parse("2026-07-15T12:00:00+0200").unwrap();
        let seed = Seed::parse(json, now).unwrap();
        assert_eq!(seed.orders["1"]["changeTime"], "2026-07-15T11:56:00+0200");
        assert_eq!(seed.orders["2"]["creationTime"], "2026-07-14T10:56:00+0200");
        assert_eq!(seed.products[0]["changeTime"], "2026-07-15T10:56:00+0200");
    }

    #[test]
    fn repricing_keeps_item_sums_equal_to_order_totals() {
        let mut order = json!({"price":{"currencyCode":"CZK","withVat":"0.00","withoutVat":"0.00"},"items":[
            {"amount":"2.000","itemPrice":{"withVat":"242.00","withoutVat":"200.00","vat":"42.00","vatRate":"21.00"}},
            {"amount":"1.000","itemPrice":{"withVat":"89.00","withoutVat":"73.55","vat":"15.45","vatRate":"21.00"}}]});
        reprice_item(&mut order, 0, Decimal::new(15000, 2)).unwrap();
        assert_eq!(order["items"][0]["itemPrice"]["withVat"], "300.00");
        assert_eq!(order["items"][0]["itemPrice"]["withoutVat"], "247.93");
        assert_eq!(order["price"]["withVat"], "389.00");
        assert_eq!(order["price"]["withoutVat"], "321.48");
        assert_eq!(order["price"]["vat"], "67.52");
        assert!(reprice_item(&mut order, 5, Decimal::ONE).is_err());
    }
}

#[cfg(test)]
mod split_tests {
    use super::*;
    use crate::shoptet::models::Order;

    #[test]
    fn a_split_item_carries_one_item_price_per_rate_and_the_totals_follow() {
        let mut order = json!({"code": "1", "price": {"currencyCode": "CZK", "withVat": "0.00", "withoutVat": "0.00"},
            "items": [
                {"itemType": "product", "name": "Káva", "amount": "1.000",
                 "itemPrice": {"withVat": "121.00", "withoutVat": "100.00", "vat": "21.00", "vatRate": "21.00"}},
                {"itemType": "shipping", "name": "PPL", "amount": "1.000",
                 "itemPrice": {"withVat": "0.00", "withoutVat": "0.00", "vat": "0.00", "vatRate": "21.00"}}]});
        split_item_vat(
            &mut order,
            1,
            &[(Decimal::from(21), Decimal::new(7260, 2)), (Decimal::from(12), Decimal::new(5600, 2))],
        )
        .unwrap();
        let shipping = &order["items"][1];
        assert_eq!(
            shipping["itemPriceVatBreakdown"],
            json!([{"withVat": "72.60", "withoutVat": "60.00", "vat": "12.60", "vatRate": "21.00"},
                   {"withVat": "56.00", "withoutVat": "50.00", "vat": "6.00", "vatRate": "12.00"}])
        );
        assert_eq!(
            shipping["itemPrice"],
            json!({"withVat": "128.60", "withoutVat": "110.00", "vat": "18.60", "vatRate": "21.00"})
        );
        assert_eq!(
            (order["price"]["withVat"].as_str(), order["price"]["withoutVat"].as_str()),
            (Some("249.60"), Some("210.00"))
        );
        let parsed: Order = serde_json::from_value(order.clone()).unwrap();
        assert_eq!(parsed.items[1].item_price_vat_breakdown.as_ref().map(Vec::len), Some(2));
        assert!(split_item_vat(&mut order, 1, &[]).is_err());
        assert!(split_item_vat(&mut order, 9, &[(Decimal::ONE, Decimal::ONE)]).is_err());
    }
}

#[cfg(test)]
mod demo_tests {
    use super::*;
    use crate::shoptet::models::Product;

    #[test]
    fn demo_orders_add_up_and_stay_inside_the_changes_window() {
        let now = prague_now();
        let seed = Seed::parse(super::super::DEMO_JSON, now).unwrap();
        assert!(seed.orders.len() >= 40);
        assert!(seed.products.len() >= 15);
        for p in &seed.products {
            serde_json::from_value::<Product>(p.clone()).unwrap();
        }
        for (code, o) in &seed.orders {
            let order: Order = serde_json::from_value(o.clone()).unwrap();
            let with: Decimal = order.items.iter().filter_map(|i| i.item_price.with_vat).sum();
            let without: Decimal = order.items.iter().filter_map(|i| i.item_price.without_vat).sum();
            assert_eq!(with, order.price.with_vat, "order {code}");
            assert_eq!(without, order.price.without_vat, "order {code}");
            assert!(order.creation_time.unwrap() > now - Duration::days(29), "order {code} too old");
            assert!(order.change_time.unwrap() <= now, "order {code} in the future");
        }
    }
}
