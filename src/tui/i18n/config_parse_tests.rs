use std::collections::BTreeSet;

use super::*;
use crate::config::parse_error::Place;
use crate::tui::fake::english_words;

/// Words the sentences quote as typed: a section name, values of `true`/`false`.
const ALLOWED: &[&str] = &["sync", "true", "false"];

/// The variant's name; exhaustive, so a new variant must be added to `every_variant` too.
fn name(w: &What) -> &'static str {
    match w {
        What::MissingSection { .. } => "MissingSection",
        What::MissingKey { .. } => "MissingKey",
        What::ArrayHeader { .. } => "ArrayHeader",
        What::MisplacedKey { .. } => "MisplacedKey",
        What::UnknownSection { .. } => "UnknownSection",
        What::UnknownKey { .. } => "UnknownKey",
        What::DuplicateSection { .. } => "DuplicateSection",
        What::DuplicateKey { .. } => "DuplicateKey",
        What::NotAllowed { .. } => "NotAllowed",
        What::ChoiceInQuotes { .. } => "ChoiceInQuotes",
        What::SecretNotText { .. } => "SecretNotText",
        What::SecretNotValid { .. } => "SecretNotValid",
        What::DateTime { .. } => "DateTime",
        What::Negative { .. } => "Negative",
        What::TooLarge { .. } => "TooLarge",
        What::NotWhole { .. } => "NotWhole",
        What::NotText { .. } => "NotText",
        What::NotBool { .. } => "NotBool",
        What::NotList { .. } => "NotList",
        What::NotSection { .. } => "NotSection",
        What::NotNumber { .. } => "NotNumber",
        What::NotKind { .. } => "NotKind",
        What::Unterminated => "Unterminated",
        What::BadEscape => "BadEscape",
        What::BadQuotedText => "BadQuotedText",
        What::QuoteText { .. } => "QuoteText",
        What::BadValue { .. } => "BadValue",
        What::BadValueAnyKey => "BadValueAnyKey",
        What::BadKey => "BadKey",
        What::NotASetting => "NotASetting",
        What::NoValue { .. } => "NoValue",
        What::NeitherSettingNorSection => "NeitherSettingNorSection",
        What::BadList => "BadList",
        What::BadInlineTable => "BadInlineTable",
        What::OneEquals { .. } => "OneEquals",
        What::MoreOnLine => "MoreOnLine",
        What::TooDeep => "TooDeep",
        What::StrayCarriageReturn => "StrayCarriageReturn",
        What::NotUtf8 { .. } => "NotUtf8",
        What::Unclassified { .. } => "Unclassified",
    }
}

/// One of each variant, and of each form a variant's parameters give it.
fn every_variant() -> Vec<What> {
    let ex = || "default_owner_id = 1".to_string();
    let text = || Found::Text("\"seven\"".into());
    vec![
        What::MissingSection {
            section: "shoptet".into(),
            needs: vec!["api_token"],
            env: Some("SHOPTET_API_TOKEN"),
        },
        What::MissingSection {
            section: "raynet".into(),
            needs: vec!["instance", "username", "api_key"],
            env: None,
        },
        What::MissingSection { section: "webhook".into(), needs: vec![], env: None },
        What::MissingKey { key: "source_id".into(), section: "sync".into(), example: "source_id = 1".into() },
        What::ArrayHeader { section: "sync".into() },
        What::MisplacedKey { key: "api_key".into(), home: "raynet", found_in: String::new() },
        What::MisplacedKey { key: "api_key".into(), home: "raynet", found_in: "shoptet".into() },
        What::UnknownSection { name: "foo".into(), sections: vec!["shoptet", "raynet", "sync", "webhook"] },
        What::UnknownKey {
            key: "foo".into(),
            section: "sync".into(),
            known: vec!["enabled_at", "source_id"],
        },
        What::UnknownKey { key: "foo".into(), section: "other".into(), known: vec![] },
        What::DuplicateSection { section: "sync".into() },
        What::DuplicateKey { key: "source_id".into() },
        What::NotAllowed { allowed: Choices::ShoptetAuth, got: "oauth".into() },
        What::NotAllowed { allowed: Choices::Names(vec!["a".into(), "b".into()]), got: "c".into() },
        What::NotAllowed { allowed: Choices::Names(vec![]), got: "c".into() },
        What::ChoiceInQuotes { allowed: Choices::ShoptetAuth, example: "auth = \"private-token\"".into() },
        What::SecretNotText { example: "api_key = \"…\"".into() },
        What::SecretNotValid { example: "api_key = \"…\"".into() },
        What::DateTime { example: "enabled_at = \"2026-01-01T00:00:00+01:00\"".into() },
        What::Negative { example: ex() },
        What::TooLarge { number: "99999999999999999999".into(), example: ex() },
        What::NotWhole { example: ex(), found: text(), unquote: false },
        What::NotWhole { example: ex(), found: Found::Text("\"7\"".into()), unquote: true },
        What::NotText { example: "instance = \"my-company\"".into(), found: Found::Number("7".into()) },
        What::NotBool { found: Found::Text("\"yes\"".into()) },
        What::NotList {
            example: "final_status_ids = [-3]".into(),
            found: Found::Number("-3".into()),
            brackets: true,
        },
        What::NotList { example: "final_status_ids = [-3]".into(), found: text(), brackets: false },
        What::NotSection { key: "sync".into(), found: Found::Decimal("7.5".into()) },
        What::NotNumber { example: ex(), found: Found::Bool("true".into()) },
        What::NotKind { expected: "a char".into(), example: ex(), found: Found::List },
        What::NotKind { expected: "a char".into(), example: ex(), found: Found::Table },
        What::NotKind { expected: "a char".into(), example: ex(), found: Found::Other("unit value".into()) },
        What::Unterminated,
        What::BadEscape,
        What::BadQuotedText,
        What::QuoteText { example: "instance = \"my-company\"".into() },
        What::BadValue { example: ex() },
        What::BadValueAnyKey,
        What::BadKey,
        What::NotASetting,
        What::NoValue { key: "source_id".into(), example: Some("source_id = 1".into()) },
        What::NoValue { key: "foo".into(), example: None },
        What::NeitherSettingNorSection,
        What::BadList,
        What::BadInlineTable,
        What::OneEquals { example: ex() },
        What::MoreOnLine,
        What::TooDeep,
        What::StrayCarriageReturn,
        What::NotUtf8 { line: 3 },
        What::Unclassified { parser: "parser words".into() },
    ]
}

fn at(what: What) -> ParseProblem {
    ParseProblem { place: Some(Place { key: "sync.source_id".into(), line: 4, column: 13 }), what }
}

#[test]
fn every_variant_reads_in_both_languages_and_czech_has_no_english() {
    let all = every_variant();
    let names: BTreeSet<&str> = all.iter().map(name).collect();
    assert_eq!(names.len(), 40, "one of each variant: {names:?}");
    let mut czech = BTreeSet::new();
    for what in all {
        let p = at(what);
        let (cs, en) = (Lang::Cs.texts().config_parse(&p), Lang::En.texts().config_parse(&p));
        assert!(!cs.is_empty() && !en.is_empty(), "{p:?}");
        assert_ne!(cs, en, "{p:?}");
        assert_eq!(en, p.to_string(), "English is the problem's own text");
        let body =
            cs.strip_prefix("sync.source_id (řádek 4, sloupec 13): ").unwrap_or_else(|| panic!("{cs}"));
        assert!(!body.is_empty(), "{p:?}");
        let words = english_words(&cs.replace("parser words", ""), ALLOWED);
        assert!(words.is_empty(), "{cs}: {words:?}");
        assert!(czech.insert(cs.clone()), "two variants say the same: {cs}");
    }
}

#[test]
fn the_place_is_said_with_or_without_a_key() {
    let what = What::BadList;
    let keyless = ParseProblem { place: Some(Place { key: String::new(), line: 2, column: 5 }), what };
    assert_eq!(
        Lang::Cs.texts().config_parse(&keyless),
        "řádek 2, sloupec 5: seznam není platný — napište jej jako [-3, -4]"
    );
    assert_eq!(
        Lang::En.texts().config_parse(&keyless),
        "line 2, column 5: the list is not valid — write it as [-3, -4]"
    );
    let nowhere = ParseProblem { place: None, what: What::NotUtf8 { line: 7 } };
    assert!(Lang::Cs.texts().config_parse(&nowhere).starts_with("řádek 7: soubor není text v UTF-8"));
}

#[test]
fn the_parsers_own_words_stay_as_they_are() {
    let p = at(What::Unclassified { parser: "expected newline".into() });
    let cs = Lang::Cs.texts().config_parse(&p);
    assert!(cs.contains("(expected newline)"), "{cs}");
    assert!(cs.contains("klíč = hodnota"), "{cs}");
}
