//! The matching rules, as pure functions: which RAYNET record an order's client or product is.
//! The engine does the lookups and feeds their answers in here.

use crate::shoptet::models::Order;

/// What the hits of one lookup step mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hits<T> {
    /// Nothing: the next step is tried.
    None,
    /// Exactly one: the first step with a hit wins.
    One(T),
    /// Several: a person chooses.
    Ambiguous(Vec<T>),
}

/// Rule "first hit wins, several hits are ambiguous", for the hits of one step.
pub fn classify_hits<T>(mut hits: Vec<T>) -> Hits<T> {
    match hits.len() {
        0 => Hits::None,
        1 => Hits::One(hits.remove(0)),
        _ => Hits::Ambiguous(hits),
    }
}

/// An IČ as compared: without any whitespace (RAYNET's filter is exact, people type spaces).
pub fn reg_number_key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Rule "IČ": equal without whitespace.
pub fn same_reg_number(a: &str, b: &str) -> bool {
    reg_number_key(a) == reg_number_key(b)
}

/// Rule "e-mail": equal trimmed, ignoring ASCII case.
pub fn same_email(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// A client name as compared: trimmed, inner runs of spaces as one, case-folded.
pub fn name_key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Rule "name": the exact name (trimmed, spaces collapsed, case-folded) — `LIKE_NOCASE` finds
/// more, only this counts.
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

/// Rule "product by code": of the RAYNET products `(id, code)`, the oldest (lowest id) whose
/// code is exactly `code`.
pub fn product_by_code<'a>(
    products: impl IntoIterator<Item = (i64, Option<&'a str>)>,
    code: &str,
) -> Option<i64> {
    products.into_iter().filter(|(_, c)| *c == Some(code)).map(|(id, _)| id).min()
}

/// Rule "case owner": a client we created gets the default owner; a matched one keeps its
/// RAYNET owner (the default when it has none).
pub fn case_owner(created_by_us: bool, client_owner: Option<i64>, default_owner: i64) -> i64 {
    if created_by_us { default_owner } else { client_owner.unwrap_or(default_owner) }
}

/// Rule "customer key": the store key of a Shoptet customer, also its extId in RAYNET — the
/// customer's own key when the order has one, else its lower-cased name.
pub fn customer_key(eshop_id: i64, order: &Order) -> String {
    super::customer_ext_id(eshop_id, order)
        .unwrap_or_else(|| format!("shoptet:{eshop_id}:name:{}", super::client_label(order).to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_hit_wins() {
        assert_eq!(classify_hits(vec![7]), Hits::One(7));
    }

    #[test]
    fn several_hits_are_ambiguous() {
        assert_eq!(classify_hits(vec![7, 8]), Hits::Ambiguous(vec![7, 8]));
    }

    #[test]
    fn no_hit_goes_on() {
        assert_eq!(classify_hits(Vec::<i64>::new()), Hits::None);
    }

    #[test]
    fn reg_number_ignores_spaces() {
        assert!(same_reg_number("270 82 440", "27082440"));
        assert!(!same_reg_number("27082440", "27082441"));
    }

    #[test]
    fn email_ignores_case_and_surrounding_spaces() {
        assert!(same_email(" Nakup@Prazirna.cz ", "nakup@prazirna.cz"));
        assert!(!same_email("nakup@prazirna.cz", "prodej@prazirna.cz"));
    }

    #[test]
    fn name_is_exact_after_trimming_and_case_folding() {
        assert!(same_name("  Pražírna   VLTAVA s.r.o. ", "pražírna vltava s.r.o."));
        assert!(!same_name("Pražírna Vltava", "Pražírna Vltava s.r.o."));
    }

    #[test]
    fn product_by_code_takes_the_lowest_id_of_exact_codes() {
        let found = [(9, Some("KAV-1")), (4, Some("KAV-1")), (2, Some("KAV-10")), (1, None)];
        assert_eq!(product_by_code(found, "KAV-1"), Some(4));
        assert_eq!(product_by_code(found, "KAV-2"), None);
    }

    #[test]
    fn case_owner_of_a_created_client_is_the_default() {
        assert_eq!(case_owner(true, Some(5), 1), 1);
    }

    #[test]
    fn case_owner_of_a_matched_client_is_its_owner_or_the_default() {
        assert_eq!(case_owner(false, Some(5), 1), 5);
        assert_eq!(case_owner(false, None, 1), 1);
    }

    #[test]
    fn customer_key_is_the_customer_when_known() {
        let order = crate::mapping::fixtures::order_from(serde_json::json!({
            "customerGuid": "g-1", "email": "jan@example.cz"
        }));
        assert_eq!(customer_key(7, &order), "shoptet:7:customer:g-1");
    }

    #[test]
    fn customer_key_falls_back_to_the_lowercased_name() {
        let mut order = crate::mapping::fixtures::order_from(serde_json::json!({}));
        order.customer_guid = None;
        order.email = None;
        let label = crate::mapping::client_label(&order);
        assert_eq!(customer_key(7, &order), format!("shoptet:7:name:{}", label.to_lowercase()));
    }
}
