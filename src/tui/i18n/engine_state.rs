//! Why the engine stopped (credentials, configuration) and why it refused a command, in Czech
//! and English: renders the typed problems of `engine::api`. Both languages of each variant
//! stand in one `match`. The dashboard (Overview, status bar, flashes) and the CLI share it.

use std::fmt::Display;

use chrono::TimeZone;

use crate::engine::api::{AuthIssue, ConfigIssue, Rejection};
use crate::http::Service;

use super::reasons::at;
use super::{Lang, Texts};

impl Texts {
    /// What is wrong with `service`'s credentials (after "credentials rejected by RAYNET:").
    pub fn auth_issue<Z: TimeZone>(&self, service: Service, a: &AuthIssue, tz: &Z) -> String
    where
        Z::Offset: Display,
    {
        let lang = self.lang;
        match a {
            AuthIssue::Rejected { status: Some(status), said } => match said.trim() {
                "" => format!("HTTP {status}"),
                said => format!("HTTP {status}: {said}"),
            },
            AuthIssue::Rejected { status: None, said } | AuthIssue::Text { text: said } => said.clone(),
            AuthIssue::Blocked { at: when, said } => {
                let when = at(*when, tz);
                match lang {
                    Lang::Cs => format!(
                        "odmítnuto {when} ({said}); hodinu se nezkouší znovu, aby {service} tuto adresu \
                         nezablokoval — opravte údaje v nastavení"
                    ),
                    Lang::En => format!(
                        "rejected at {when} ({said}); not tried again for an hour, so {service} does not \
                         block this address — fix them in the configuration"
                    ),
                }
            }
        }
    }

    /// What does not fit in the configuration (after "configuration problem:").
    pub fn config_issue(&self, c: &ConfigIssue) -> String {
        let lang = self.lang;
        match (c, lang) {
            (ConfigIssue::UnknownOwner { id, valid }, Lang::Cs) => format!(
                "sync.default_owner_id = {id} není id osoby žádného uživatele RAYNETu; použijte jedno z: {}",
                valid.join(", ")
            ),
            (ConfigIssue::UnknownOwner { .. }, Lang::En) => c.to_string(),
            (ConfigIssue::UnknownId { key, id, valid }, Lang::Cs) => {
                format!("{key} = {id} v RAYNETu neexistuje; použijte jedno z: {}", valid.join(", "))
            }
            (ConfigIssue::UnknownId { .. }, Lang::En) => c.to_string(),
            (ConfigIssue::OtherEshop { new_id, old_id }, Lang::Cs) => format!(
                "nové nastavení vede na jiný e-shop (id {new_id}, tento datový adresář patří e-shopu \
                 id {old_id}); použijte pro něj jiný datový adresář"
            ),
            (ConfigIssue::OtherEshop { .. }, Lang::En) => c.to_string(),
            (ConfigIssue::NotPrepared, Lang::Cs) => "jádro ještě nenačetlo e-shop a CRM".into(),
            (ConfigIssue::NotPrepared, Lang::En) => {
                "the engine has not loaded the shop and the CRM yet".into()
            }
            (ConfigIssue::Text { text }, _) => text.clone(),
        }
    }

    /// Why a command was refused (after "Rejected:"); times in `tz`.
    pub fn rejection<Z: TimeZone>(&self, r: &Rejection, tz: &Z) -> String
    where
        Z::Offset: Display,
    {
        match (r, self.lang) {
            (Rejection::UnknownOrder { code }, Lang::Cs) => {
                format!("objednávka {code} v místním záznamu není")
            }
            (Rejection::UnknownOrder { code }, Lang::En) => {
                format!("order {code} is not in the local record")
            }
            (Rejection::DaemonOwns, _) => self.daemon_owns.to_string(),
            (Rejection::NoAnswer, _) => self.daemon_no_answer.to_string(),
            (Rejection::Failed { reason }, _) => self.reason(reason, tz),
            (Rejection::Text { text }, _) => text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::store::Reason;
    use crate::tui::fake::english_words;

    fn at() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).expect("time")
    }

    fn names() -> Vec<String> {
        vec!["10 (Jana Nováková)".into(), "11 (Petr Král)".into()]
    }

    /// Every typed variant renders non-empty, differently in Czech and English, and the Czech
    /// one without English words (the verbatim text variants are left out: they are as written).
    #[test]
    fn every_typed_problem_reads_in_both_languages() {
        let (cs, en) = (Lang::Cs.texts(), Lang::En.texts());
        let mut pairs: Vec<(String, String)> = Vec::new();
        let blocked = AuthIssue::Blocked { at: at(), said: "Neplatné přihlašovací údaje".into() };
        pairs.push((
            cs.auth_issue(Service::Raynet, &blocked, &Utc),
            en.auth_issue(Service::Raynet, &blocked, &Utc),
        ));
        let configs = [
            ConfigIssue::UnknownOwner { id: 99, valid: names() },
            ConfigIssue::UnknownId { key: "sync.source_id".into(), id: 7, valid: names() },
            ConfigIssue::OtherEshop { new_id: 2, old_id: 1 },
            ConfigIssue::NotPrepared,
        ];
        pairs.extend(configs.iter().map(|c| (cs.config_issue(c), en.config_issue(c))));
        let rejections = [
            Rejection::UnknownOrder { code: "2026000042".into() },
            Rejection::DaemonOwns,
            Rejection::NoAnswer,
            Rejection::Failed { reason: Reason::CurrencyMissing { iso: "USD".into() } },
        ];
        pairs.extend(rejections.iter().map(|r| (cs.rejection(r, &Utc), en.rejection(r, &Utc))));
        for (cs, en) in &pairs {
            assert!(!cs.trim().is_empty() && !en.trim().is_empty(), "{cs:?} / {en:?}");
            assert_ne!(cs, en);
            assert_eq!(english_words(cs, &[]), Vec::<String>::new(), "{cs}");
        }
    }

    #[test]
    fn a_services_own_words_and_old_texts_are_kept_as_they_are() {
        let said = AuthIssue::Rejected { status: Some(401), said: "Neplatný API klíč".into() };
        for lang in [Lang::Cs, Lang::En] {
            let t = lang.texts();
            assert_eq!(t.auth_issue(Service::Raynet, &said, &Utc), "HTTP 401: Neplatný API klíč");
            assert_eq!(t.auth_issue(Service::Raynet, &"401 Unauthorized".into(), &Utc), "401 Unauthorized");
            assert_eq!(t.config_issue(&"owner 12 is gone".into()), "owner 12 is gone");
            assert_eq!(t.rejection(&"busy".into(), &Utc), "busy");
        }
    }
}
