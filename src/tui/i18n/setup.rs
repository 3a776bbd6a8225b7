//! The setup wizard's words that come from outside the TUI: what to do when a connection test
//! fails, and why the demo does not save. Both languages in one `match` each.

use crate::http::Service;

use super::{Lang, Texts};

/// Why a connection test failed, as far as the hint goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestFailure {
    /// The credentials were refused.
    Credentials,
    /// No answer at all.
    NoAnswer,
    /// Anything else.
    Other,
}

impl Texts {
    /// What to do after a failed connection test of `service`.
    pub fn test_hint(&self, service: Service, why: TestFailure) -> &'static str {
        let cs = self.lang == Lang::Cs;
        match (service, why) {
            (Service::Shoptet, TestFailure::Credentials) if cs => {
                "zkontrolujte token: administrace Shoptetu → Propojení → API partner / Soukromé API"
            }
            (Service::Shoptet, TestFailure::Credentials) => {
                "check the token: Shoptet admin → Connections → API partner / Private API"
            }
            (Service::Raynet, TestFailure::Credentials) if cs => {
                "zkontrolujte název instance, e-mail uživatele a API klíč (RAYNET → Můj účet → Zabezpečení); \
                 po 20 neúspěšných přihlášeních RAYNET tuto adresu zablokuje"
            }
            (Service::Raynet, TestFailure::Credentials) => {
                "check the instance name, the user e-mail and the API key (RAYNET → My account → Security); \
                 after 20 failed logins RAYNET blocks this address"
            }
            (_, TestFailure::NoAnswer) if cs => "zkontrolujte adresu API a síť",
            (_, TestFailure::NoAnswer) => "check the API address and the network",
            (_, TestFailure::Other) if cs => "zkuste to znovu; když to trvá, zkontrolujte adresu",
            (_, TestFailure::Other) => "try again; if it persists, check the address",
        }
    }

    /// The demo's answer to "save".
    pub fn demo_config_fixed(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "nastavení ukázky je pevné; pro vlastní obchod spusťte `shoptet-raynet-sync setup`",
            Lang::En => "the demo configuration is fixed; run `shoptet-raynet-sync setup` for your own shop",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fake::english_words;

    #[test]
    fn every_hint_reads_in_both_languages() {
        let (cs, en) = (Lang::Cs.texts(), Lang::En.texts());
        for service in [Service::Shoptet, Service::Raynet] {
            for why in [TestFailure::Credentials, TestFailure::NoAnswer, TestFailure::Other] {
                let (c, e) = (cs.test_hint(service, why), en.test_hint(service, why));
                assert!(!c.is_empty() && c != e, "{c} / {e}");
                assert_eq!(english_words(c, &[]), Vec::<String>::new(), "{c}");
            }
        }
        assert_ne!(cs.demo_config_fixed(), en.demo_config_fixed());
        assert_eq!(english_words(cs.demo_config_fixed(), &["sync", "setup"]), Vec::<String>::new());
    }
}
