//! Typed Shoptet API payloads. Prices are decimal strings (`"121.00"`) read into
//! `rust_decimal::Decimal`; timestamps use `+0200` offsets (see [`timestamp`]).
//! Unknown fields are ignored.
//!
//! Every field the spec marks nullable that the sync reads is `Option` (or, where the rest of
//! the sync needs a value, has a stand-in documented next to the field), so one `null` never
//! makes a whole order, list page or feed page unreadable. A number or timestamp Shoptet's
//! patterns allow but that cannot be represented (more than 28 digits, month `00`) is read as
//! `null` too: the field's fallback applies, or the mapping names the field in its reason.

use serde::{Deserialize, Serialize};

mod eshop;
mod order;
mod product;
mod webhook;

pub use eshop::*;
pub use order::*;
pub use product::*;
pub use webhook::*;

/// Shoptet's `+0200` timestamps (no colon in the offset), also accepting RFC 3339.
pub mod timestamp {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serializer};

    pub const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%z";

    pub fn parse(s: &str) -> Result<DateTime<FixedOffset>, String> {
        DateTime::parse_from_str(s, FORMAT)
            .or_else(|_| DateTime::parse_from_rfc3339(s))
            .map_err(|_| format!("not a Shoptet timestamp (YYYY-MM-DDTHH:MM:SS+HHMM): {s:?}"))
    }

    pub fn format(t: &DateTime<FixedOffset>) -> String {
        t.format(FORMAT).to_string()
    }

    pub fn serialize<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).map_err(serde::de::Error::custom)
    }

    pub mod option {
        use chrono::{DateTime, FixedOffset};
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(t: &Option<DateTime<FixedOffset>>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&super::format(t)),
                None => s.serialize_none(),
            }
        }

        /// `null`, `""` and timestamps that match Shoptet's pattern but are no real instant
        /// (`0000-00-00T00:00:00+0000`) read as `None`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
            Ok(Option::<String>::deserialize(d)?.and_then(|s| super::parse(&s).ok()))
        }
    }
}

/// Tolerant readers for fields the spec marks nullable.
pub mod lenient {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    /// A decimal sent as a string (`"121.00"`) or a number; `null`, and a number that does not
    /// fit a `Decimal` (more than 28 digits), read as `None`. Other JSON types are an error.
    pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(parse(&s)),
            Some(Value::Number(n)) => Ok(parse(&n.to_string())),
            Some(other) => Err(serde::de::Error::custom(format!("expected a decimal string, got {other}"))),
        }
    }

    pub fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        s.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(s).ok())
    }

    /// A text the spec allows to be `null`, read as `""` when it is.
    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
    }
}

/// `{id, name}` pairs used for order and item statuses and order sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdName {
    pub id: i64,
    /// Nullable in the spec (order `status.name`, item `status.name`, `source.name`): `null` is
    /// read as `""`. The sync decides by `id` only; where a name is shown and is empty, the
    /// e-shop's status list (by id) or the id stands in ([`IdName::label`]).
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
}

impl IdName {
    /// The name as Shoptet sent it, `None` when it was `null` or blank.
    pub fn sent_name(&self) -> Option<&str> {
        Some(self.name.trim()).filter(|n| !n.is_empty())
    }

    /// The name, or `#<id>` when Shoptet sent none.
    pub fn label(&self) -> String {
        self.sent_name().map_or_else(|| format!("#{}", self.id), str::to_owned)
    }
}

/// `{guid, name}` pairs used for shipping and payment methods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidName {
    pub guid: Option<String>,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn parses_shoptet_offsets_without_colon() {
        let t = timestamp::parse("2018-05-29T09:02:27+0200").unwrap();
        assert_eq!(t.offset().local_minus_utc(), 7200);
        assert_eq!(timestamp::format(&t), "2018-05-29T09:02:27+0200");
        assert!(timestamp::parse("2018-05-29T09:02:27+02:00").is_ok());
        assert!(timestamp::parse("29.5.2018").unwrap_err().contains("not a Shoptet timestamp"));
    }

    #[test]
    fn order_item_prices_are_exact_decimals() {
        let item: OrderItem = serde_json::from_str(
            r#"{"itemType":"product","code":"40/ZEL","name":"Mýdlo","amount":"3.000","amountUnit":"ks",
                "itemPrice":{"withVat":"363.00","withoutVat":"300.00","vat":"63.00","vatRate":"21.00"}}"#,
        )
        .unwrap();
        assert!(item.is_product());
        assert_eq!(item.item_price.without_vat.unwrap().to_string(), "300.00");
        assert_eq!(item.amount.unwrap().to_string(), "3.000");
    }

    /// An order in which every field the spec marks nullable (that the sync reads) is `null`.
    fn null_order() -> serde_json::Value {
        serde_json::json!({
            "code": "2026000001", "guid": "g", "externalCode": null, "creationTime": null, "changeTime": null,
            "email": null, "phone": null, "customerGuid": null, "cashDeskOrder": false, "vatPayer": true,
            "adminUrl": "https://e.cz/admin/objednavky-detail?id=1", "status": {"id": -3, "name": null},
            "source": {"id": 1, "name": null}, "shipping": null, "paymentMethod": null, "paid": null,
            "price": {"vat": null, "toPay": null, "currencyCode": "CZK", "withVat": null, "withoutVat": null,
                      "exchangeRate": "1.00000000"},
            "billingAddress": {"company": null, "fullName": null, "street": null, "houseNumber": null, "city": null,
                "district": null, "additional": null, "zip": null, "countryCode": null, "regionName": null,
                "regionShortcut": null, "companyId": null, "vatId": null, "vatIdValidationStatus": null, "taxId": null},
            "deliveryAddress": null,
            "items": [
                {"itemType": "product", "productGuid": null, "code": null, "ean": null, "name": "Káva", "variantName": null,
                 "brand": null, "amount": null, "amountUnit": null, "priceRatio": "1.0000", "status": {"id": -1, "name": null},
                 "itemPrice": {"withVat": "121.00", "withoutVat": null, "vat": "21.00", "vatRate": "21.00"},
                 "unitPrice": {"withVat": null, "withoutVat": null, "vat": null, "vatRate": "21.00"},
                 "purchasePrice": null, "itemPriceVatBreakdown": null},
                {"itemType": "shipping", "name": "PPL", "amount": "1.000", "status": {"id": -1, "name": null},
                 "itemPrice": {"withVat": null, "withoutVat": "50.00", "vat": null, "vatRate": "21.00"},
                 "purchasePrice": {"withVat": null, "withoutVat": null, "vat": null, "vatRate": "21.00"}}
            ]
        })
    }

    #[test]
    fn nulls_in_every_nullable_field_still_read_with_their_fallbacks() {
        let order: Order = serde_json::from_value(null_order()).unwrap();
        assert_eq!((order.creation_time, order.change_time, order.created_at()), (None, None, None));
        let status = order.status.as_ref().unwrap();
        assert_eq!((status.id, status.sent_name(), status.label()), (-3, None, "#-3".to_string()));
        // Item 1: without VAT = withVat − vat; item 2: with VAT = withoutVat × 1.21.
        assert_eq!(order.items[0].item_price.net(), Some(Decimal::new(10000, 2)));
        assert_eq!(order.items[1].item_price.gross(), Some(Decimal::new(6050, 2)));
        assert_eq!(order.items[0].quantity(), Decimal::ONE, "a null amount is one unit");
        // Both totals were null: the items' sums stand in.
        assert_eq!(
            (order.price.with_vat, order.price.without_vat),
            (Decimal::new(18150, 2), Decimal::new(15000, 2))
        );
        assert_eq!((order.price.sent_with_vat, order.price.sent_without_vat), (None, None));
        assert_eq!(order.items[1].purchase_price.as_ref().and_then(ItemPrice::net), None);
    }

    #[test]
    fn a_null_total_is_derived_from_the_other_and_the_vat_first() {
        let mut v = null_order();
        v["price"] = serde_json::json!({"currencyCode": "CZK", "vat": "42.00", "withVat": null, "withoutVat": "200.00"});
        let order: Order = serde_json::from_value(v).unwrap();
        assert_eq!(
            (order.price.with_vat, order.price.without_vat),
            (Decimal::new(24200, 2), Decimal::new(20000, 2))
        );
        assert_eq!(order.price.sent_without_vat, Some(Decimal::new(20000, 2)));
    }

    #[test]
    fn unrepresentable_numbers_and_times_read_as_null() {
        let mut v = null_order();
        v["creationTime"] = "0000-00-00T00:00:00+0000".into();
        v["items"][0]["itemPrice"]["withVat"] = "123456789012345678901234567890123.00".into();
        v["items"][0]["amount"] = serde_json::json!(2);
        let order: Order = serde_json::from_value(v).unwrap();
        assert_eq!(order.creation_time, None);
        assert_eq!(order.items[0].item_price.with_vat, None);
        assert_eq!(order.items[0].amount, Some(Decimal::TWO), "numbers are accepted too");
        let mut wrong = null_order();
        wrong["items"][0]["amount"] = serde_json::json!(true);
        assert!(serde_json::from_value::<Order>(wrong).is_err(), "a non-number is not a null");
    }

    #[test]
    fn feed_and_list_rows_with_null_times_and_totals_read() {
        let page: Vec<OrderChange> = serde_json::from_str(
            r#"[{"code":"1","changeTime":null,"changeType":"edit"},
                {"code":"2","changeTime":"2026-01-02T10:00:00+0100","changeType":"edit"}]"#,
        )
        .unwrap();
        assert_eq!(page[0].change_time, None);
        assert!(page[1].change_time.is_some());
        let row: OrderSummary = serde_json::from_str(
            r#"{"code":"1","guid":"g","creationTime":null,"changeTime":null,"fullName":null,"company":null,
                "email":null,"remark":null,"customerGuid":null,"cashDeskOrder":false,"adminUrl":"u",
                "status":null,"price":{"currencyCode":"CZK","vat":null,"toPay":null,"withVat":null,
                "withoutVat":null,"exchangeRate":"1.00000000"},"paid":null}"#,
        )
        .unwrap();
        assert_eq!((row.creation_time, row.price.with_vat, row.status), (None, None, None));
    }

    #[test]
    fn a_product_without_a_name_reads() {
        let p: Product =
            serde_json::from_str(r#"{"guid":"g","name":null,"variants":[{"code":"A","price":null}]}"#)
                .unwrap();
        assert_eq!((p.name, p.variants[0].price), (None, None));
    }
}
