//! Null modes of the Shoptet simulator: answers in which the fields the spec marks nullable are
//! `null` — all of them, or a seeded random subset — to prove that one `null` never makes an
//! order, a list page or a feed page unreadable.
//!
//! The paths below are the nullable members (`type: [..., 'null']`, `oneOf` with `null`,
//! `typeDateTimeNullable`, `typePriceNullable`, `typeAmountNullable`, …) of the schemas of the
//! answers the simulator serves: the order detail (`order`, spec L51907, with `orderItem`
//! L49045, `itemPrice` L44933, `price` L45555, `address` L45602, `billingAddress` L45697), the
//! order list's rows (`GET /api/orders`, spec L16654) and the changes feed's rows
//! (`GET /api/orders/changes`, spec L21073). `tests/shoptet_nullable.rs` derives the same set
//! from the spec and checks that every nullable member the simulator sends is listed here.

use serde_json::Value;

/// Which nullable fields the simulator answers with `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NullMode {
    /// Answers as stored.
    #[default]
    Off,
    /// Every nullable field present in an answer is `null` (a nullable object as a whole).
    All,
    /// Each nullable field is `null` with `percent` % probability, decided per order code and
    /// field from `seed`, so an order reads the same on every request.
    Random { seed: u64, percent: u8 },
}

/// A null mode and the fields it leaves alone.
#[derive(Debug, Clone, Default)]
pub(super) struct Nulls {
    pub mode: NullMode,
    /// Members never set to `null`: a path as listed below keeps that member and everything
    /// in it (`"/status"` keeps orders final); prefixed with `order:`, `list:` or `feed:` it
    /// applies to that answer only (`"order:"` alone keeps every member of order details).
    pub keep: Vec<String>,
}

/// Nullable members of the order detail (`data.order`); `*` is every array element.
const ORDER: &[&str] = &[
    "/externalCode",
    "/creationTime",
    "/changeTime",
    "/email",
    "/phone",
    "/birthDate",
    "/clientIPAddress",
    "/customerGuid",
    "/vatMode",
    "/billingMethod",
    "/paymentMethod",
    "/paymentMethod/guid",
    "/shipping",
    "/shippingDetails",
    "/status",
    "/status/name",
    "/source",
    "/source/name",
    "/salesChannelGuid",
    "/price/vat",
    "/price/toPay",
    "/price/withoutVat",
    "/price/withVat",
    "/price/partialPaymentAmount",
    "/paid",
    "/billingAddress/company",
    "/billingAddress/fullName",
    "/billingAddress/street",
    "/billingAddress/houseNumber",
    "/billingAddress/city",
    "/billingAddress/district",
    "/billingAddress/additional",
    "/billingAddress/zip",
    "/billingAddress/countryCode",
    "/billingAddress/regionName",
    "/billingAddress/regionShortcut",
    "/billingAddress/companyId",
    "/billingAddress/vatId",
    "/billingAddress/vatIdValidationStatus",
    "/billingAddress/taxId",
    "/deliveryAddress",
    "/deliveryAddress/company",
    "/deliveryAddress/fullName",
    "/deliveryAddress/street",
    "/deliveryAddress/houseNumber",
    "/deliveryAddress/city",
    "/deliveryAddress/district",
    "/deliveryAddress/additional",
    "/deliveryAddress/zip",
    "/deliveryAddress/countryCode",
    "/deliveryAddress/regionName",
    "/deliveryAddress/regionShortcut",
    "/onlinePaymentLink",
    "/referer",
    "/paymentMethods/*/paymentMethod/guid",
    "/shippings/*/shipping/guid",
    "/items/*/productGuid",
    "/items/*/code",
    "/items/*/ean",
    "/items/*/productType",
    "/items/*/variantName",
    "/items/*/brand",
    "/items/*/remark",
    "/items/*/additionalField",
    "/items/*/amount",
    "/items/*/amountUnit",
    "/items/*/status/name",
    "/items/*/itemPrice/withVat",
    "/items/*/itemPrice/withoutVat",
    "/items/*/itemPrice/vat",
    "/items/*/unitPrice/withVat",
    "/items/*/unitPrice/withoutVat",
    "/items/*/unitPrice/vat",
    "/items/*/displayPrices/*/withVat",
    "/items/*/displayPrices/*/withoutVat",
    "/items/*/displayPrices/*/vat",
    "/items/*/purchasePrice",
    "/items/*/purchasePrice/withVat",
    "/items/*/purchasePrice/withoutVat",
    "/items/*/purchasePrice/vat",
    "/items/*/recyclingFee",
    "/items/*/mainImage",
    "/items/*/stockLocation",
    "/items/*/supplierName",
    "/items/*/warrantyDescription",
    "/items/*/amountCompleted",
    "/items/*/itemPriceVatBreakdown",
    "/items/*/itemPriceVatBreakdown/*/withVat",
    "/items/*/itemPriceVatBreakdown/*/withoutVat",
    "/items/*/itemPriceVatBreakdown/*/vat",
    "/notes/customerRemark",
    "/notes/eshopRemark",
    "/notes/trackingNumber",
    "/notes/trackingUrl",
    "/notes/additionalFields/*/text",
    "/completion/*/productGuid",
    "/completion/*/code",
    "/completion/*/variantName",
    "/completion/*/amount",
    "/completion/*/amountUnit",
    "/completion/*/itemId",
    "/completion/*/amountCompleted",
];

/// Nullable members of an order list row (`data.orders[]`).
const LIST_ROW: &[&str] = &[
    "/creationTime",
    "/changeTime",
    "/fullName",
    "/company",
    "/email",
    "/phone",
    "/remark",
    "/customerGuid",
    "/status",
    "/status/name",
    "/source",
    "/source/name",
    "/shipping",
    "/paymentMethod",
    "/paymentMethod/guid",
    "/price/vat",
    "/price/toPay",
    "/price/withoutVat",
    "/price/withVat",
    "/price/partialPaymentAmount",
    "/paid",
    "/salesChannelGuid",
];

/// Nullable members of a changes-feed row (`data.changes[]`).
const CHANGE_ROW: &[&str] = &["/changeTime"];

/// Which answer a value is.
#[derive(Debug, Clone, Copy)]
pub(super) enum Answer {
    Order,
    ListRow,
    ChangeRow,
}

impl Nulls {
    /// Sets the chosen nullable fields of `value` (one answer of kind `answer`) to `null`.
    pub fn apply(&self, answer: Answer, value: &mut Value) {
        if self.mode == NullMode::Off {
            return;
        }
        let code = value.get("code").and_then(Value::as_str).unwrap_or_default().to_string();
        let (paths, name) = match answer {
            Answer::Order => (ORDER, "order"),
            Answer::ListRow => (LIST_ROW, "list"),
            Answer::ChangeRow => (CHANGE_ROW, "feed"),
        };
        for pattern in paths.iter().filter(|p| !self.kept(name, p)) {
            let segments: Vec<&str> = pattern.split('/').skip(1).collect();
            null_at(value, &segments, String::new(), &mut |path| self.chosen(&code, path));
        }
    }

    fn kept(&self, answer: &str, pattern: &str) -> bool {
        self.keep.iter().any(|k| {
            let prefix = match k.split_once(':') {
                Some((a, rest)) if a == answer => rest,
                Some(_) => return false,
                None => k.as_str(),
            };
            prefix.is_empty() || pattern == prefix || pattern.starts_with(&format!("{prefix}/"))
        })
    }

    fn chosen(&self, code: &str, path: &str) -> bool {
        match self.mode {
            NullMode::Off => false,
            NullMode::All => true,
            NullMode::Random { seed, percent } => {
                let mut h = Fnv::new(seed);
                h.write(code.as_bytes());
                h.write(b"\0");
                h.write(path.as_bytes());
                h.finish() % 100 < u64::from(percent)
            }
        }
    }
}

/// Walks `segments` (`*` = each array element) and nulls the member at the end when `choose`
/// says so for its concrete path. Absent members and members under a `null` stay as they are.
fn null_at(v: &mut Value, segments: &[&str], path: String, choose: &mut dyn FnMut(&str) -> bool) {
    let Some((first, rest)) = segments.split_first() else { return };
    if *first == "*" {
        if let Value::Array(items) = v {
            for (i, item) in items.iter_mut().enumerate() {
                null_at(item, rest, format!("{path}/{i}"), choose);
            }
        }
        return;
    }
    let Some(child) = v.as_object_mut().and_then(|m| m.get_mut(*first)) else { return };
    let path = format!("{path}/{first}");
    if rest.is_empty() {
        if !child.is_null() && choose(&path) {
            *child = Value::Null;
        }
    } else {
        null_at(child, rest, path, choose);
    }
}

/// FNV-1a, seeded: stable across runs and Rust versions (unlike `DefaultHasher`).
struct Fnv(u64);

impl Fnv {
    fn new(seed: u64) -> Fnv {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        h.write(&seed.to_le_bytes());
        h
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn order() -> Value {
        json!({"code": "1", "creationTime": "2026-01-01T10:00:00+0100", "status": {"id": -3, "name": "Vyřízena"},
               "price": {"currencyCode": "CZK", "withVat": "121.00", "withoutVat": "100.00"},
               "items": [{"itemType": "product", "name": "A", "amount": "1.000",
                          "itemPrice": {"withVat": "121.00", "withoutVat": "100.00", "vat": "21.00", "vatRate": "21.00"}},
                         {"itemType": "shipping", "name": "PPL", "amount": null,
                          "itemPrice": {"withVat": "0.00", "withoutVat": "0.00", "vat": "0.00", "vatRate": "21.00"}}]})
    }

    #[test]
    fn all_nulls_every_listed_member_and_keeps_the_rest() {
        let mut o = order();
        Nulls { mode: NullMode::All, keep: vec!["/status".into()] }.apply(Answer::Order, &mut o);
        assert_eq!(o["creationTime"], Value::Null);
        assert_eq!(o["status"], json!({"id": -3, "name": "Vyřízena"}), "kept with its members");
        assert_eq!(o["price"]["withVat"], Value::Null);
        assert_eq!(o["price"]["currencyCode"], "CZK", "not nullable");
        for i in 0..2 {
            assert_eq!(o["items"][i]["itemPrice"]["withoutVat"], Value::Null);
            assert_eq!(o["items"][i]["itemPrice"]["vatRate"], "21.00", "not nullable");
            assert_eq!(o["items"][i]["name"], if i == 0 { "A" } else { "PPL" });
        }
        assert!(o["items"][0].get("code").is_none(), "absent members are not added");
    }

    #[test]
    fn random_is_seeded_and_stable_per_order() {
        let run = |seed| {
            let mut o = order();
            Nulls { mode: NullMode::Random { seed, percent: 50 }, keep: vec![] }.apply(Answer::Order, &mut o);
            o
        };
        assert_eq!(run(7), run(7));
        let differs = (0..20).any(|s| run(s) != run(7));
        assert!(differs, "other seeds null other fields");
        let none = {
            let mut o = order();
            Nulls { mode: NullMode::Random { seed: 1, percent: 0 }, keep: vec![] }
                .apply(Answer::Order, &mut o);
            o
        };
        assert_eq!(none, order());
    }

    #[test]
    fn keep_can_name_one_answer() {
        let nulls = Nulls { mode: NullMode::All, keep: vec!["order:".into(), "list:/price".into()] };
        let mut o = order();
        nulls.apply(Answer::Order, &mut o);
        assert_eq!(o, order(), "every member of the detail kept");
        let mut row = json!({"code": "1", "changeTime": "2026-01-01T10:00:00+0100", "email": "a@b.cz",
                             "price": {"currencyCode": "CZK", "withVat": "1.00"}});
        nulls.apply(Answer::ListRow, &mut row);
        assert_eq!((row["changeTime"].is_null(), row["email"].is_null()), (true, true));
        assert_eq!(row["price"]["withVat"], "1.00");
    }

    #[test]
    fn feed_rows_lose_only_their_change_time() {
        let mut row = json!({"code": "1", "changeTime": "2026-01-01T10:00:00+0100", "changeType": "edit"});
        Nulls { mode: NullMode::All, keep: vec![] }.apply(Answer::ChangeRow, &mut row);
        assert_eq!(row, json!({"code": "1", "changeTime": null, "changeType": "edit"}));
    }
}
