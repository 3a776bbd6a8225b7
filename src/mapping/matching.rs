//! The matching rules, as pure functions: which RAYNET record an order's client or product is.
//! The engine does the lookups and feeds their answers in here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::LookupStep;
use crate::raynet::models::Company;
use crate::shoptet::models::Order;

/// What an entity was matched by: the lookup step that found it, or a person's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKey {
    ExtId,
    RegNumber,
    Email,
    Name,
    Code,
    Decision,
}

impl MatchKey {
    /// The stable name kept in the store and JSON (`ext_id`, `reg_number`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKey::ExtId => "ext_id",
            MatchKey::RegNumber => "reg_number",
            MatchKey::Email => "email",
            MatchKey::Name => "name",
            MatchKey::Code => "code",
            MatchKey::Decision => "decision",
        }
    }

    pub fn parse(s: &str) -> Option<MatchKey> {
        [
            MatchKey::ExtId,
            MatchKey::RegNumber,
            MatchKey::Email,
            MatchKey::Name,
            MatchKey::Code,
            MatchKey::Decision,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The key of a client lookup step.
    pub fn of_step(step: &LookupStep) -> MatchKey {
        match step {
            LookupStep::ExtId(_) => MatchKey::ExtId,
            LookupStep::RegNumber(_) => MatchKey::RegNumber,
            LookupStep::Email(_) => MatchKey::Email,
            LookupStep::Name(_) => MatchKey::Name,
        }
    }
}

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

/// Rule "a person chose to create a new client": the matching by IČ, e-mail and name is
/// skipped, but not the extId step that finds a client this order already created.
pub fn lookup_steps(steps: Vec<LookupStep>, create_new: bool) -> Vec<LookupStep> {
    steps.into_iter().filter(|s| !create_new || matches!(s, LookupStep::ExtId(_))).collect()
}

/// Rule "IČ as asked": without its spaces, and as typed too when it has some (RAYNET's filter
/// is exact); both answers are compared without spaces.
pub fn reg_number_queries(typed: &str) -> Vec<String> {
    let key = reg_number_key(typed);
    let typed = typed.trim();
    if typed == key { vec![key] } else { vec![key, typed.to_string()] }
}

/// Rule "a step's hits are what it asked for": RAYNET's filters find more (`LIKE_NOCASE`, IČ
/// without spaces), so each answer is compared locally the way the step says; a company that
/// appears twice (asked twice) counts once.
pub fn confirm_hits(step: &LookupStep, found: Vec<Company>) -> Vec<Company> {
    let mut seen = std::collections::HashSet::new();
    found
        .into_iter()
        .filter(|c| seen.insert(c.id))
        .filter(|c| match step {
            LookupStep::ExtId(_) => true,
            LookupStep::RegNumber(v) => c.reg_number.as_deref().is_some_and(|r| same_reg_number(r, v)),
            LookupStep::Email(v) => c.primary_email().is_some_and(|e| same_email(e, v)),
            LookupStep::Name(v) => c.name.as_deref().is_some_and(|n| same_name(n, v)),
        })
        .collect()
}

/// Rule "ours after an interruption": a client found by our extId while an intent shows that
/// an earlier attempt of this sync was creating it is ours (its follow-ups are finished); one
/// matched by IČ, e-mail or name — e.g. created by hand after our create failed — is not.
pub fn is_ours(intent: bool, by: MatchKey) -> bool {
    intent && by == MatchKey::ExtId
}

/// Rule "phase after storno": a case moved to the storno phase by a cancellation comes back
/// to the configured phase when its order is final again; otherwise the phase is left alone.
pub fn phase_after_storno(
    order_is_final: bool,
    case_phase: Option<i64>,
    storno_phase: Option<i64>,
    configured_phase: i64,
) -> Option<i64> {
    let in_storno = storno_phase.is_some() && case_phase == storno_phase;
    (order_is_final && in_storno).then_some(configured_phase)
}

/// Rule "known client, read recently": what the store remembers of a client (its owner, that it
/// exists) stands for `refresh_secs` after it was read from RAYNET; after that it is read again.
pub fn client_read_is_fresh(read_at: DateTime<Utc>, now: DateTime<Utc>, refresh_secs: u64) -> bool {
    let age = now.signed_duration_since(read_at);
    age >= chrono::Duration::zero()
        && age < chrono::Duration::seconds(refresh_secs.min(i64::MAX as u64) as i64)
}

/// Rule "lookup before a create": the extId lookup before creating a product or a business case
/// is made only when an intent shows that an earlier attempt of that create may have reached
/// RAYNET; otherwise nothing of ours can be there.
pub fn lookup_before_create(intent: bool) -> bool {
    intent
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

    fn company(id: i64, name: &str, reg: Option<&str>, email: Option<&str>) -> Company {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": name, "regNumber": reg,
            "primaryAddress": {"address": {"name": "Sídlo"}, "contactInfo": {"email": email}}
        }))
        .unwrap()
    }

    #[test]
    fn first_step_with_hits_wins_later_steps_are_not_asked() {
        // The steps are asked in order and the first one whose confirmed hits are not empty
        // settles the match: the planner stops there.
        let steps = [vec![], vec![company(1, "A", None, None)], vec![company(2, "B", None, None)]];
        let settled = steps.into_iter().map(classify_hits).find(|h| *h != Hits::None);
        assert!(matches!(settled, Some(Hits::One(c)) if c.id == 1));
    }

    #[test]
    fn create_new_decision_keeps_only_the_ext_id_step() {
        let steps = vec![
            LookupStep::ExtId("x".into()),
            LookupStep::RegNumber("1".into()),
            LookupStep::Email("a@b.cz".into()),
            LookupStep::Name("N".into()),
        ];
        assert_eq!(lookup_steps(steps.clone(), true), vec![LookupStep::ExtId("x".into())]);
        assert_eq!(lookup_steps(steps.clone(), false), steps);
    }

    #[test]
    fn reg_number_is_asked_without_spaces_and_as_typed() {
        assert_eq!(reg_number_queries(" 27082440 "), vec!["27082440".to_string()]);
        assert_eq!(reg_number_queries("270 82 440"), vec!["27082440".to_string(), "270 82 440".to_string()]);
    }

    #[test]
    fn confirmed_hits_are_exact_for_their_step_and_counted_once() {
        let found = vec![
            company(1, "Pražírna Vltava s.r.o.", Some("270 82 440"), Some("Nakup@Prazirna.cz")),
            company(1, "Pražírna Vltava s.r.o.", Some("270 82 440"), Some("Nakup@Prazirna.cz")),
            company(2, "Pražírna Vltava Brno", Some("27082441"), Some("jiny@prazirna.cz")),
        ];
        let ids = |step: LookupStep| -> Vec<i64> {
            confirm_hits(&step, found.clone()).into_iter().map(|c| c.id).collect()
        };
        assert_eq!(ids(LookupStep::RegNumber("27082440".into())), [1]);
        assert_eq!(ids(LookupStep::Email("nakup@prazirna.cz".into())), [1]);
        assert_eq!(ids(LookupStep::Name("pražírna vltava s.r.o.".into())), [1]);
        assert_eq!(ids(LookupStep::ExtId("x".into())), [1, 2], "the extId answer is the record");
    }

    #[test]
    fn ours_only_when_our_ext_id_found_it_after_an_interrupted_create() {
        assert!(is_ours(true, MatchKey::ExtId));
        assert!(!is_ours(false, MatchKey::ExtId), "no intent: somebody else's or a known one");
        assert!(!is_ours(true, MatchKey::RegNumber), "matched by IČ: created by hand");
    }

    #[test]
    fn phase_after_storno_returns_to_the_configured_phase_when_final_again() {
        assert_eq!(phase_after_storno(true, Some(4), Some(4), 1), Some(1));
        assert_eq!(phase_after_storno(false, Some(4), Some(4), 1), None, "still cancelled");
        assert_eq!(phase_after_storno(true, Some(2), Some(4), 1), None, "not in storno: left alone");
        assert_eq!(phase_after_storno(true, None, None, 1), None, "no storno phase configured");
    }

    #[test]
    fn a_client_read_stands_for_the_refresh_time() {
        let now = Utc::now();
        assert!(client_read_is_fresh(now - chrono::Duration::seconds(10), now, 3600));
        assert!(!client_read_is_fresh(now - chrono::Duration::seconds(3600), now, 3600));
        assert!(
            !client_read_is_fresh(now + chrono::Duration::seconds(60), now, 3600),
            "a read from the future"
        );
        assert!(!client_read_is_fresh(now, now, 0), "0: read every time");
    }

    #[test]
    fn lookup_before_a_create_only_after_an_interrupted_attempt() {
        assert!(lookup_before_create(true));
        assert!(!lookup_before_create(false));
    }

    #[test]
    fn match_keys_keep_their_stored_names() {
        for k in [MatchKey::ExtId, MatchKey::RegNumber, MatchKey::Email, MatchKey::Name, MatchKey::Code] {
            assert_eq!(MatchKey::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::json!(k.as_str()));
        }
        assert_eq!(MatchKey::of_step(&LookupStep::Email("a".into())), MatchKey::Email);
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
