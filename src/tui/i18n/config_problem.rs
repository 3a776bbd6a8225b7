//! What is wrong with one configuration value, in the user's language (English is the
//! problem's own `Display`). A text of a library or an older caller stays as it is.

use super::{Lang, Texts};
use crate::config::problem::{IdKind, Problem, Secret, UrlFault, join};

impl Texts {
    /// After "KEY:" (the CLI's error, the doctor's config check).
    pub fn config_problem(&self, p: &Problem) -> String {
        match self.lang {
            Lang::En => p.to_string(),
            Lang::Cs => cs(p),
        }
    }
}

fn id_kind(k: IdKind) -> &'static str {
    match k {
        IdKind::Person => "id osoby v RAYNETu",
        IdKind::Phase => "id fáze obchodního případu v RAYNETu",
        IdKind::Source => "id zdroje v RAYNETu",
        IdKind::Category => "id kategorie v RAYNETu",
    }
}

fn url_fault(f: UrlFault) -> &'static str {
    match f {
        UrlFault::NoScheme => "nezačíná https://",
        UrlFault::NoHost => "chybí v ní název serveru",
        UrlFault::BadPort => "port není číslo od 1 do 65535",
        UrlFault::BadIp => "IP adresa je chybná",
        UrlFault::BadHostCharacters => "název serveru obsahuje nepřípustné znaky (např. mezery)",
        UrlFault::Other => "nejde o platnou webovou adresu",
    }
}

fn cs(p: &Problem) -> String {
    cs_value(p).unwrap_or_else(|| cs_address(p))
}

/// The values of `[shoptet]`, `[raynet]` and `[sync]`; None for the others.
fn cs_value(p: &Problem) -> Option<String> {
    Some(match p {
        Problem::EshopUrlRequired { example } => {
            format!("je povinná při auth = \"addon\" — zadejte adresu e-shopu, např. \"{example}\"")
        }
        Problem::MaxConnections => "musí být 1, 2 nebo 3 — Shoptet dovoluje 3 souběžná spojení na jeden \
                                    API token, sdílená s dalšími nástroji obchodu; 2 jim jedno nechají"
            .into(),
        Problem::RaynetConnections => "musí být 1 až 4 — RAYNET dovoluje 4 souběžná spojení na klienta; \
                                       při 3 zbude jedno dalším nástrojům"
            .into(),
        Problem::NoInstance => "nesmí být prázdné — zadejte název instance RAYNETu (X-Instance-Name)".into(),
        Problem::EmptyCommand => "nesmí být prázdné — napište příkaz pro shell, např. 'logger -t \
                                  shoptet-raynet-sync \"$SRS_ALERT_TEXT\"', nebo klíč vynechte"
            .into(),
        Problem::EmptySecret { secret } => {
            let what = match secret {
                Secret::ShoptetToken => "API token Shoptetu",
                Secret::RaynetKey => "API klíč RAYNETu",
            };
            format!("nesmí být prázdné — zadejte {what} sem nebo do proměnné prostředí {}", secret.env())
        }
        Problem::NotAnId { kind, got, optional } => {
            let leave = if *optional { "; nebo klíč vynechte" } else { "" };
            format!("musí být {}, celé číslo větší než 0 — zadáno {got}{leave}", id_kind(*kind))
        }
        Problem::NotAnEmail => {
            "musí být přihlašovací e-mail uživatele RAYNETu, např. \"jana@example.cz\"".into()
        }
        Problem::NoFinalStatus => {
            "musí obsahovat aspoň jedno id stavu Shoptetu — např. [-3] (\"Vyřízena\")".into()
        }
        Problem::PollInterval { min, max } => {
            format!("musí být mezi {min} a {max} sekundami — např. 300 (pět minut)")
        }
        Problem::NameTemplate => {
            "musí obsahovat {code} (nahradí se kódem objednávky) — např. \"Objednávka {code}\"".into()
        }
        Problem::FinalAndCancelled { ids } => format!(
            "stav {} je i v sync.final_status_ids — stav nemůže být zároveň konečný a stornovaný; \
             odeberte jej z jednoho seznamu",
            join(ids)
        ),
        Problem::OverlapTooLong { max } => format!("smí být nejvýš {max} sekund (jeden den) — např. 600"),
        Problem::SettingsRefresh { min, max } => {
            format!("musí být mezi {min} a {max} sekundami — např. 3600 (hodina)")
        }
        Problem::ClientRefresh { max } => format!(
            "smí být nejvýš {max} sekund (jeden den) — např. 3600; 0 čte známého klienta z RAYNETu \
             u každé objednávky"
        ),
        _ => return None,
    })
}

/// Addresses, listeners, URLs and the alerts; a text of its own.
fn cs_address(p: &Problem) -> String {
    match p {
        Problem::ListenRequired => "je povinné při webhook.enabled = true — např. \"0.0.0.0:8080\"".into(),
        Problem::WebhookListen => "musí být IP adresa a port, např. \"0.0.0.0:8080\" (všechna rozhraní) \
                                   nebo \"127.0.0.1:8080\" (jen tento počítač)"
            .into(),
        Problem::PublicUrlRequired => {
            "je povinná při webhook.enabled = true — adresa https://, na kterou Shoptet posílá".into()
        }
        Problem::ServerListen => "musí být IP adresa a port, např. \"127.0.0.1:9464\" (jen tento počítač) \
                                  nebo \"0.0.0.0:9464\" (všechna rozhraní); bez klíče se stav neposkytuje"
            .into(),
        Problem::PortClash { port, hook } => format!(
            "používá port {port} jako webhook.listen = \"{hook}\" na jiné adrese — napište do obou \
             stejnou adresu (jedno naslouchání), nebo zvolte jiný port"
        ),
        Problem::AlertUrl { example } => {
            format!("musí být adresa https:// (http:// jen pro localhost) — např. \"{example}\"")
        }
        Problem::StalePoll { poll_minutes, max, suggested } => format!(
            "musí být víc než interval načítání ({poll_minutes} min) a nejvýš {max} (týden) — \
             např. {suggested} (tři načtení)"
        ),
        Problem::HttpNotLocal { value, example } => format!(
            "musí používat https:// (http:// jen pro localhost), zadáno \"{value}\" — např. \"{example}\""
        ),
        Problem::Scheme { scheme, example } => {
            format!("musí být adresa https://, ne {scheme}:// — např. \"{example}\"")
        }
        Problem::HookHttpPort { port, example } => format!(
            "používá http:// na portu {}, kam Shoptet doručuje jen přes https: napište https://, \
             nebo http:// na portu 80 či 8080 — např. \"{example}\"",
            port.map_or_else(|| "?".to_string(), |p| p.to_string())
        ),
        Problem::HookScheme { scheme, example } => format!(
            "musí být adresa https:// (nebo http:// na portu 80 či 8080), ne {scheme}:// — např. \"{example}\""
        ),
        Problem::NotUrl { fault, example } => {
            format!("není webová adresa: {} — napište ji jako \"{example}\"", url_fault(*fault))
        }
        Problem::NoHost { value, example } => {
            format!("chybí název serveru, zadáno \"{value}\" — napište ji jako \"{example}\"")
        }
        Problem::Text { text } => text.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fake::english_words;

    /// One of each problem (a new variant belongs here too).
    fn problems() -> Vec<Problem> {
        let ex = "https://www.my-eshop.cz";
        let mut v = vec![
            Problem::EshopUrlRequired { example: ex },
            Problem::MaxConnections,
            Problem::RaynetConnections,
            Problem::NoInstance,
            Problem::EmptyCommand,
            Problem::EmptySecret { secret: Secret::ShoptetToken },
            Problem::EmptySecret { secret: Secret::RaynetKey },
            Problem::NotAnEmail,
            Problem::NoFinalStatus,
            Problem::PollInterval { min: 30, max: 86_400 },
            Problem::NameTemplate,
            Problem::FinalAndCancelled { ids: vec![-3, 7] },
            Problem::OverlapTooLong { max: 86_400 },
            Problem::SettingsRefresh { min: 60, max: 86_400 },
            Problem::ClientRefresh { max: 86_400 },
            Problem::ListenRequired,
            Problem::WebhookListen,
            Problem::PublicUrlRequired,
            Problem::ServerListen,
            Problem::PortClash { port: 8080, hook: "0.0.0.0:8080".into() },
            Problem::AlertUrl { example: ex },
            Problem::StalePoll { poll_minutes: 5, max: 10_080, suggested: 30 },
            Problem::HttpNotLocal { value: "http://shop.cz".into(), example: ex },
            Problem::Scheme { scheme: "ftp".into(), example: ex },
            Problem::HookHttpPort { port: Some(81), example: ex },
            Problem::HookHttpPort { port: None, example: ex },
            Problem::HookScheme { scheme: "ftp".into(), example: ex },
            Problem::NoHost { value: "https://".into(), example: ex },
        ];
        for kind in [IdKind::Person, IdKind::Phase, IdKind::Source, IdKind::Category] {
            v.push(Problem::NotAnId { kind, got: 0, optional: kind == IdKind::Category });
        }
        for fault in [
            UrlFault::NoScheme,
            UrlFault::NoHost,
            UrlFault::BadPort,
            UrlFault::BadIp,
            UrlFault::BadHostCharacters,
            UrlFault::Other,
        ] {
            v.push(Problem::NotUrl { fault, example: ex });
        }
        v
    }

    #[test]
    fn every_problem_reads_in_both_languages_and_czech_has_no_english() {
        // Words of the examples and commands the sentences quote.
        let allowed = ["addon", "enabled", "true", "logger", "code", "sync"];
        for p in problems() {
            let (cs, en) = (Lang::Cs.texts().config_problem(&p), Lang::En.texts().config_problem(&p));
            assert!(!cs.is_empty() && !en.is_empty(), "{p:?}");
            assert_ne!(cs, en, "{p:?}");
            assert!(english_words(&cs, &allowed).is_empty(), "{cs}: {:?}", english_words(&cs, &allowed));
        }
        let all: Vec<String> = problems().iter().map(|p| Lang::Cs.texts().config_problem(p)).collect();
        let distinct: std::collections::BTreeSet<&String> = all.iter().collect();
        assert_eq!(distinct.len(), all.len(), "each problem says something of its own");
    }

    #[test]
    fn a_text_of_its_own_stays_as_it_is() {
        let p = Problem::Text { text: "must be a table ([webhook])".into() };
        assert_eq!(Lang::Cs.texts().config_problem(&p), "must be a table ([webhook])");
    }
}
