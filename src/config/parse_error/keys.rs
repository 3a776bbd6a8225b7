//! What the file may hold: its sections and keys, an example value for each key, the allowed
//! words of a few, and which keys are secret.

use super::locate::last_segment;
use super::what::Choices;

/// The sections of the file and their keys, in file order. Kept equal to the structs in
/// `config/mod.rs` by a test.
pub(super) const SECTIONS: [(&str, &[&str]); 4] = [
    ("shoptet", &["base_url", "auth", "api_token", "eshop_url"]),
    ("raynet", &["base_url", "instance", "username", "api_key"]),
    (
        "sync",
        &[
            "enabled_at",
            "final_status_ids",
            "default_owner_id",
            "business_case_phase_id",
            "source_id",
            "category_id",
            "poll_interval_secs",
            "name_template",
            "cancelled_status_ids",
            "cancelled_phase_id",
            "overlap_secs",
            "backfill_reserve",
        ],
    ),
    ("webhook", &["enabled", "listen", "public_url", "signature_key"]),
];

pub(super) const SECRET_KEYS: [&str; 3] = ["api_token", "api_key", "signature_key"];

/// A value that fits each key, written as in the file.
pub(super) fn example(key: &str) -> Option<&'static str> {
    Some(match key {
        "shoptet.base_url" => "\"https://api.myshoptet.com\"",
        "shoptet.auth" => "\"private-token\"",
        "shoptet.eshop_url" => "\"https://www.my-eshop.cz\"",
        "raynet.base_url" => "\"https://app.raynet.cz/api/v2\"",
        "raynet.instance" => "\"my-company\"",
        "raynet.username" => "\"jana@example.cz\"",
        "sync.enabled_at" => "\"2026-01-01T00:00:00+01:00\"",
        "sync.final_status_ids" => "[-3]",
        "sync.cancelled_status_ids" => "[-4]",
        "sync.default_owner_id"
        | "sync.business_case_phase_id"
        | "sync.source_id"
        | "sync.category_id"
        | "sync.cancelled_phase_id" => "1",
        "sync.poll_interval_secs" => "300",
        "sync.overlap_secs" => "600",
        "sync.backfill_reserve" => "2000",
        "sync.name_template" => "\"Objednávka {code}\"",
        "webhook.enabled" => "true",
        "webhook.listen" => "\"0.0.0.0:8080\"",
        "webhook.public_url" => "\"https://sync.example.cz/webhook\"",
        k if SECRET_KEYS.contains(&last_segment(k)) => "\"…\"",
        _ => return None,
    })
}

/// The allowed words of keys that take one of a few.
pub(super) fn choices(key: &str) -> Option<Choices> {
    match key {
        "shoptet.auth" => Some(Choices::ShoptetAuth),
        _ => None,
    }
}

/// What a missing section needs at least, and the environment variable that can stand in.
pub(super) fn required_keys(section: &str) -> (Vec<&'static str>, Option<&'static str>) {
    match section {
        "shoptet" => (vec!["api_token"], Some(crate::config::SHOPTET_TOKEN_ENV)),
        "raynet" => (vec!["instance", "username", "api_key"], None),
        "sync" => (vec!["enabled_at", "default_owner_id", "business_case_phase_id", "source_id"], None),
        _ => (Vec::new(), None),
    }
}

pub(super) fn section_of(field: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|(_, keys)| keys.contains(&field)).map(|(s, _)| *s)
}

/// The keys of `section` (empty for a section the file does not have).
pub(super) fn known_keys(section: &str) -> Vec<&'static str> {
    SECTIONS.iter().find(|(s, _)| *s == section).map(|(_, keys)| keys.to_vec()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::SECTIONS;
    use crate::config::Config;

    /// `SECTIONS` lists exactly the keys the structs have, in order.
    #[test]
    fn sections_match_the_config_structs() {
        let mut c = Config::example();
        c.shoptet.eshop_url = Some("https://www.my-eshop.cz".into());
        c.sync.category_id = Some(1);
        c.sync.cancelled_phase_id = Some(1);
        c.sync.backfill_reserve = 500;
        c.webhook.listen = Some("0.0.0.0:8080".into());
        c.webhook.public_url = Some("https://sync.example.cz/hook".into());
        c.webhook.signature_key = Some(secrecy::SecretString::from("k"));
        let value = toml::Table::try_from(&c).expect("serializes");
        let found: Vec<(String, Vec<String>)> = value
            .iter()
            .map(|(s, t)| (s.clone(), t.as_table().expect("a section").keys().cloned().collect()))
            .collect();
        let expected: Vec<(String, Vec<String>)> = SECTIONS
            .iter()
            .map(|(s, keys)| (s.to_string(), keys.iter().map(|k| k.to_string()).collect()))
            .collect();
        let sorted = |mut v: Vec<(String, Vec<String>)>| {
            v.iter_mut().for_each(|(_, k)| k.sort());
            v.sort();
            v
        };
        assert_eq!(sorted(found), sorted(expected));
    }
}
