//! A candidate client of an ambiguous match, in the user's language: what it matched by and
//! what tells it apart (IČ, e-mail, city, owner). Text an older version stored is shown as it is.

use super::{Lang, Texts};
use crate::store::CandidateFacts;

impl Texts {
    /// "IČ 12345678, a@b.cz, Brno, owner Petra Malá"; None when nothing tells it apart.
    pub fn candidate_facts(&self, f: &CandidateFacts) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(r) = &f.reg_number {
            parts.push(format!("IČ {r}"));
        }
        parts.extend(f.email.iter().cloned());
        parts.extend(f.city.iter().cloned());
        if let Some(o) = &f.owner {
            parts.push(match self.lang {
                Lang::Cs => format!("vlastník {o}"),
                Lang::En => format!("owner {o}"),
            });
        }
        if parts.is_empty() {
            return f.legacy.clone();
        }
        Some(parts.join(", "))
    }

    /// The picker's line under a candidate: "e-mail; IČ 12345678, owner Petra Malá" /
    /// "podle e-mailu; IČ 12345678, vlastník Petra Malá".
    pub fn candidate_detail(&self, matched_by: &str, f: &CandidateFacts) -> String {
        let by = match self.lang {
            Lang::Cs => format!("podle {}", self.match_key(matched_by)),
            Lang::En => self.match_key(matched_by),
        };
        match self.candidate_facts(f) {
            Some(facts) => format!("{by}; {facts}"),
            None => by,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fake::english_words;

    fn facts() -> CandidateFacts {
        CandidateFacts {
            reg_number: Some("06234517".into()),
            email: Some("objednavky@kavarna-slunce.cz".into()),
            city: Some("Brno".into()),
            owner: Some("Petra Malá".into()),
            legacy: None,
        }
    }

    #[test]
    fn facts_read_in_each_language() {
        let cs = Lang::Cs.texts().candidate_detail("email", &facts());
        let en = Lang::En.texts().candidate_detail("email", &facts());
        assert_eq!(en, "e-mail; IČ 06234517, objednavky@kavarna-slunce.cz, Brno, owner Petra Malá");
        assert!(cs.contains("vlastník Petra Malá") && cs.starts_with("podle e-mailu"), "{cs}");
        assert!(english_words(&cs, &[]).is_empty(), "{cs}: {:?}", english_words(&cs, &[]));
        for key in ["ext_id", "reg_number", "email", "name", "code", "decision"] {
            let (c, e) = (Lang::Cs.texts().match_key(key), Lang::En.texts().match_key(key));
            assert!(!c.is_empty() && !e.is_empty(), "{key}");
            assert!(english_words(&c, &[]).is_empty(), "{key}: {c}");
        }
    }

    #[test]
    fn nothing_known_is_no_text_and_old_text_is_kept() {
        let t = Lang::Cs.texts();
        assert_eq!(t.candidate_facts(&CandidateFacts::default()), None);
        assert_eq!(t.candidate_detail("name", &CandidateFacts::default()), "podle názvu");
        let old =
            CandidateFacts { legacy: Some("IČ 1, owner Petra Malá".into()), ..CandidateFacts::default() };
        assert_eq!(t.candidate_facts(&old).as_deref(), Some("IČ 1, owner Petra Malá"));
        let typed = CandidateFacts { legacy: Some("old".into()), ..facts() };
        assert!(!t.candidate_facts(&typed).unwrap().contains("old"), "typed facts win");
    }
}
