//! extIds that make every RAYNET record findable again (the idempotency keys).
//!
//! An extId travels in a URL path (`GET /{entity}/ext/{extId}/`), so it must not contain `/`:
//! many servers refuse an encoded slash (`%2F`) in a path, and Shoptet product codes contain
//! slashes (`40/ZEL`). The variable part of every extId (code, guid, e-mail) is therefore
//! escaped: each of the characters `~ / \ % ;` becomes `~` followed by the two upper-case hex
//! digits of its byte (`/` → `~2F`, `~` → `~7E`); every other character stays as it is.
//! [`unescape_ext_part`] reverses it, so `40/ZEL` ↔ `40~2FZEL`. Values without those
//! characters (the usual case) give the same extId as before the escaping was introduced.

use super::clean;
use crate::shoptet::models::Order;

/// Characters escaped inside an extId: the escape character itself, the path separators and
/// the two characters strict servers refuse percent-encoded in a path (`%25`, `%3B`).
const ESCAPED: [char; 5] = ['~', '/', '\\', '%', ';'];

/// Escapes `value` for use inside an extId (see the module documentation).
pub fn escape_ext_part(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if ESCAPED.contains(&c) {
            // Every escaped character is ASCII: one byte, two hex digits.
            out.push_str(&format!("~{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Reverses [`escape_ext_part`]; `None` when `escaped` holds a malformed `~` sequence.
pub fn unescape_ext_part(escaped: &str) -> Option<String> {
    let mut out = String::with_capacity(escaped.len());
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        if c != '~' {
            out.push(c);
            continue;
        }
        let hex: String = chars.by_ref().take(2).collect();
        let byte = (hex.len() == 2).then(|| u8::from_str_radix(&hex, 16).ok()).flatten()?;
        let decoded = char::from(byte);
        if !ESCAPED.contains(&decoded) {
            return None;
        }
        out.push(decoded);
    }
    Some(out)
}

/// `shoptet:{eshopId}:order:{code}` (code escaped).
pub fn order_ext_id(eshop_id: i64, code: &str) -> String {
    format!("shoptet:{eshop_id}:order:{}", escape_ext_part(code.trim()))
}

/// `shoptet:{eshopId}:customer:{guid}` for registered customers, `shoptet:{eshopId}:email:{email}`
/// (lower-cased) for guests, `None` when the order has neither (values escaped).
pub fn customer_ext_id(eshop_id: i64, order: &Order) -> Option<String> {
    customer_ext_id_of(eshop_id, order.customer_guid.as_deref(), order.email.as_deref())
}

/// [`customer_ext_id`] from the two fields it reads, for a row of the order list.
pub fn customer_ext_id_of(eshop_id: i64, customer_guid: Option<&str>, email: Option<&str>) -> Option<String> {
    if let Some(guid) = clean(customer_guid) {
        return Some(format!("shoptet:{eshop_id}:customer:{}", escape_ext_part(&guid)));
    }
    clean(email).map(|email| format!("shoptet:{eshop_id}:email:{}", escape_ext_part(&email.to_lowercase())))
}

/// `shoptet:{eshopId}:product:{code}`, the code escaped (`40/ZEL` → `40~2FZEL`).
pub fn product_ext_id(eshop_id: i64, code: &str) -> String {
    format!("shoptet:{eshop_id}:product:{}", escape_ext_part(code.trim()))
}

/// The product key of versions before the escaping: the code as it is. Installs from then keep
/// such keys in their entity map; a product mapped under one is still found (by its RAYNET id).
pub fn legacy_product_ext_id(eshop_id: i64, code: &str) -> String {
    format!("shoptet:{eshop_id}:product:{}", code.trim())
}

/// The Shoptet product code inside one of our product extIds, `None` for any other text.
pub fn product_code_from_ext_id(eshop_id: i64, ext_id: &str) -> Option<String> {
    ext_id.strip_prefix(&format!("shoptet:{eshop_id}:product:")).and_then(unescape_ext_part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::fixtures::order_from;
    use serde_json::json;

    #[test]
    fn order_and_product_ids_carry_eshop_and_code() {
        assert_eq!(order_ext_id(123, "2024000017"), "shoptet:123:order:2024000017");
        assert_eq!(product_ext_id(123, "KAV-ETH-250"), "shoptet:123:product:KAV-ETH-250");
    }

    #[test]
    fn a_slash_in_a_product_code_is_escaped_and_decodes_back() {
        let ext = product_ext_id(123, "40/ZEL");
        assert_eq!(ext, "shoptet:123:product:40~2FZEL");
        assert!(!ext.contains('/'));
        assert_eq!(product_code_from_ext_id(123, &ext).as_deref(), Some("40/ZEL"));
        assert_eq!(legacy_product_ext_id(123, "40/ZEL"), "shoptet:123:product:40/ZEL");
    }

    #[test]
    fn escaping_round_trips_every_special_character_and_leaves_the_rest() {
        for code in ["a~2Fb", "x/y\\z", "100%;", "~~", "KÁVA 250 g/ZRN", "", "plain-CODE_1.2"] {
            let escaped = escape_ext_part(code);
            assert!(!escaped.contains(['/', '\\', '%', ';']), "{code:?} → {escaped:?}");
            assert_eq!(unescape_ext_part(&escaped).as_deref(), Some(code), "{escaped:?}");
        }
        assert_eq!(escape_ext_part("KÁVA 250 g"), "KÁVA 250 g", "only the listed characters change");
        assert_eq!(escape_ext_part("~"), "~7E");
    }

    #[test]
    fn malformed_escapes_do_not_decode() {
        for bad in ["~", "~2", "~ZZ", "~41", "a~2"] {
            assert_eq!(unescape_ext_part(bad), None, "{bad:?}");
        }
        assert_eq!(product_code_from_ext_id(123, "shoptet:9:product:X"), None, "another e-shop");
        assert_eq!(product_code_from_ext_id(123, "shoptet:123:order:X"), None);
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
        let slash = order_from(json!({"customerGuid": null, "email": "a/b@example.cz"}));
        assert_eq!(customer_ext_id(7, &slash).as_deref(), Some("shoptet:7:email:a~2Fb@example.cz"));
    }

    #[test]
    fn no_guid_and_no_email_gives_none() {
        let o = order_from(json!({"customerGuid": "", "email": "  "}));
        assert_eq!(customer_ext_id(7, &o), None);
    }
}
