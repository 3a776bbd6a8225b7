//! A RAYNET client an ambiguous match could mean, as data: what tells it apart (IČ, e-mail,
//! city, owner) is kept in fields and rendered in the user's language (`tui::i18n::candidate`).
//! Rows written by older versions carry an English text instead; it reads back as `legacy`.

use serde::{Deserialize, Serialize};

/// A RAYNET client that could be the one an order belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub raynet_id: i64,
    pub name: String,
    /// The key it matched by (`reg_number`, `email`, `name`…).
    pub matched_by: String,
    #[serde(flatten)]
    pub facts: CandidateFacts,
}

/// What tells a candidate apart from the others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reg_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The name of its owner (a RAYNET user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The English text an older version wrote ("IČ 1, a@b.cz, owner Petra Malá"), shown as it is.
    #[serde(default, rename = "detail", skip_serializing_if = "Option::is_none")]
    pub legacy: Option<String>,
}

impl CandidateFacts {
    /// Nothing is known that tells it apart.
    pub fn is_empty(&self) -> bool {
        *self == CandidateFacts::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_facts_round_trip() {
        let c = Candidate {
            raynet_id: 7,
            name: "Malá s.r.o.".into(),
            matched_by: "email".into(),
            facts: CandidateFacts {
                reg_number: Some("12345678".into()),
                email: Some("a@b.cz".into()),
                city: Some("Brno".into()),
                owner: Some("Petra Malá".into()),
                legacy: None,
            },
        };
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("\"detail\""), "{json}");
        assert_eq!(serde_json::from_str::<Candidate>(&json).unwrap(), c);
    }

    #[test]
    fn a_row_of_an_older_version_reads_back_with_its_text() {
        let old = r#"{"raynet_id":7,"name":"Malá","matched_by":"email","detail":"IČ 1, owner Petra Malá"}"#;
        let c: Candidate = serde_json::from_str(old).unwrap();
        assert_eq!(c.facts.legacy.as_deref(), Some("IČ 1, owner Petra Malá"));
        assert_eq!(c.facts.reg_number, None);
        let none = r#"{"raynet_id":7,"name":"Malá","matched_by":"email","detail":null}"#;
        assert!(serde_json::from_str::<Candidate>(none).unwrap().facts.is_empty());
    }
}
