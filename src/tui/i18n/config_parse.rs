//! Why the config file does not parse, in the user's language (English is the problem's own
//! `Display`). The TOML parser's own words, when we cannot classify them, stay as they are.

use super::{Lang, Texts};
use crate::config::ParseProblem;
use crate::config::parse_error::{Choices, Found, What};

impl Texts {
    /// After "FILE:" (the CLI's error, the doctor's config check).
    pub fn config_parse(&self, p: &ParseProblem) -> String {
        match self.lang {
            Lang::En => p.to_string(),
            Lang::Cs => cs(p),
        }
    }
}

fn cs(p: &ParseProblem) -> String {
    let what = cs_shape(&p.what).or_else(|| cs_kind(&p.what)).unwrap_or_else(|| cs_syntax(&p.what));
    match &p.place {
        None => what,
        Some(at) if at.key.is_empty() => format!("řádek {}, sloupec {}: {what}", at.line, at.column),
        Some(at) => format!("{} (řádek {}, sloupec {}): {what}", at.key, at.line, at.column),
    }
}

/// "a, b a c".
fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} a {}", init.join(", "), last.as_ref())
        }
    }
}

fn choices(c: &Choices) -> String {
    match c {
        Choices::ShoptetAuth => {
            "\"private-token\" (soukromý API token) nebo \"addon\" (OAuth doplňku)".into()
        }
        Choices::Names(names) if names.is_empty() => "jedna z hodnot popsaných v dokumentaci".into(),
        Choices::Names(names) => names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(" nebo "),
    }
}

fn found(f: &Found) -> String {
    match f {
        Found::Text(s) => format!("text {s}"),
        Found::Number(n) => format!("číslo {n}"),
        Found::Decimal(n) => format!("desetinné číslo {n}"),
        Found::Bool(b) => b.clone(),
        Found::List => "seznam".into(),
        Found::Table => "tabulka nebo datum bez uvozovek".into(),
        Found::Other(s) => s.clone(),
    }
}

/// Keys, sections and kinds of value; None for the others.
fn cs_shape(w: &What) -> Option<String> {
    Some(match w {
        What::MissingSection { section, needs, .. } if needs.is_empty() => {
            format!("chybí sekce [{section}] — doplňte ji")
        }
        What::MissingSection { section, needs, env } => {
            let env = env.map(|e| format!(" (nebo proměnnou prostředí {e})")).unwrap_or_default();
            format!("chybí sekce [{section}] — doplňte ji aspoň s klíči {}{env}", list(needs))
        }
        What::MissingKey { key, section, example } => {
            format!("v sekci [{section}] chybí {key} — doplňte řádek jako {example}")
        }
        What::ArrayHeader { section } => {
            format!("řádek sekce pište s jednoduchými hranatými závorkami: [{section}]")
        }
        What::MisplacedKey { key, home, found_in } if found_in.is_empty() => {
            format!("{key} patří do sekce [{home}] — přesuňte jej pod řádek [{home}]")
        }
        What::MisplacedKey { key, home, found_in } => {
            format!("{key} patří do sekce [{home}], ne do [{found_in}] — přesuňte jej tam")
        }
        What::UnknownSection { name, sections } => format!(
            "[{name}] není sekce tohoto souboru — odstraňte ji nebo opravte překlep; sekce jsou {}",
            list(&sections.iter().map(|s| format!("[{s}]")).collect::<Vec<_>>())
        ),
        What::UnknownKey { key, known, .. } if known.is_empty() => {
            format!("{key} není známé nastavení — odstraňte je nebo opravte překlep")
        }
        What::UnknownKey { key, section, known } => format!(
            "{key} není nastavení sekce [{section}] — odstraňte je nebo opravte překlep; nastavení \
             jsou {}",
            list(known)
        ),
        What::DuplicateSection { section } => format!("sekce [{section}] je tu dvakrát — slučte je do jedné"),
        What::DuplicateKey { key } => format!("{key} je nastaveno dvakrát — ponechte jen jeden z obou řádků"),
        What::NotAllowed { allowed, got } => format!("musí být {}, ne \"{got}\"", choices(allowed)),
        What::ChoiceInQuotes { allowed, example } => {
            format!("musí být {}, v uvozovkách — např. {example}", choices(allowed))
        }
        What::SecretNotText { example } => format!("musí být text v uvozovkách, např. {example}"),
        What::SecretNotValid { example } => {
            format!("zde není platné — zapište jej jako text v uvozovkách, např. {example}")
        }
        What::DateTime { example } => format!(
            "musí být datum a čas s posunem časového pásma, v uvozovkách (RFC 3339) — např. {example}"
        ),
        _ => return None,
    })
}

/// A value of the wrong kind; None for the others.
fn cs_kind(w: &What) -> Option<String> {
    Some(match w {
        What::Negative { example } => {
            format!("nesmí být záporné — napište celé číslo 0 nebo větší, např. {example}")
        }
        What::TooLarge { number, example } => {
            format!("{number} je příliš velké — napište celé číslo jako {example}")
        }
        What::NotWhole { example, found: f, unquote } => {
            let hint = if *unquote { " — odstraňte uvozovky" } else { "" };
            format!("musí být celé číslo, např. {example}, ne {}{hint}", found(f))
        }
        What::NotText { example, found: f } => {
            format!("musí být text v uvozovkách, např. {example}, ne {}", found(f))
        }
        What::NotBool { found: f } => format!("musí být true nebo false (bez uvozovek), ne {}", found(f)),
        What::NotList { example, found: f, brackets } => {
            let hint = if *brackets { " — dejte číslo do hranatých závorek" } else { "" };
            format!("musí být seznam v hranatých závorkách, např. {example}, ne {}{hint}", found(f))
        }
        What::NotSection { key, found: f } => {
            format!("musí být sekce: řádek [{key}] a pod ním její nastavení, ne {}", found(f))
        }
        What::NotNumber { example, found: f } => format!("musí být číslo, např. {example}, ne {}", found(f)),
        What::NotKind { expected, example, found: f } => {
            format!("musí být hodnota jiného druhu ({expected}), např. {example}, ne {}", found(f))
        }
        What::NotUtf8 { line } => {
            format!("řádek {line}: soubor není text v UTF-8 — uložte jej v kódování UTF-8")
        }
        What::Unclassified { parser } => {
            format!("zde není platné ({parser}) — nastavení pište jako klíč = hodnota, text v uvozovkách")
        }
        _ => return None,
    })
}

/// The parser's syntax errors.
fn cs_syntax(w: &What) -> String {
    match w {
        What::Unterminated => "neukončený text — doplňte uzavírací uvozovky na konec hodnoty".into(),
        What::BadEscape => "text v uvozovkách má chybné zpětné lomítko — zpětné lomítko pište jako \\\\, \
                            nebo text se zpětnými lomítky dejte do 'jednoduchých uvozovek'"
            .into(),
        What::BadQuotedText => {
            "text v uvozovkách není platný — zkontrolujte uvozovky a zpětná lomítka".into()
        }
        What::QuoteText { example } => format!("text musí být v uvozovkách, např. {example}"),
        What::BadValue { example } => format!("není platná hodnota — napište ji jako {example}"),
        What::BadValueAnyKey => {
            "není platná hodnota — text pište v uvozovkách, čísla, true a false bez uvozovek".into()
        }
        What::BadKey => "není platný klíč — klíč tvoří písmena, číslice, _ a -, za ním = hodnota".into(),
        What::NotASetting => "tento řádek není nastavení — nastavení pište jako klíč = hodnota".into(),
        What::NoValue { key, example: Some(example) } => {
            format!("{key} nemá hodnotu — napište ji jako {example}")
        }
        What::NoValue { key, example: None } => {
            format!("{key} nemá hodnotu — nastavení pište jako klíč = hodnota")
        }
        What::NeitherSettingNorSection => {
            "tento řádek není nastavení ani řádek sekce — napište klíč = hodnota, nebo [sekce]".into()
        }
        What::BadList => "seznam není platný — napište jej jako [-3, -4]".into(),
        What::BadInlineTable => {
            "tabulka { … } není platná — napište ji na jeden řádek jako { klíč = hodnota, \
                                 klíč = hodnota }"
                .into()
        }
        What::OneEquals { example } => format!("mezi klíč a hodnotu patří právě jedno =, např. {example}"),
        What::MoreOnLine => "na řádku je víc než jedno nastavení — pište jedno klíč = hodnota na řádek; \
                             komentáře začínají #"
            .into(),
        What::TooDeep => "je vnořeno příliš hluboko — konfigurace nemá vnořené seznamy ani tabulky".into(),
        What::StrayCarriageReturn => {
            "obsahuje osamocený znak CR (návrat vozíku) — uložte soubor s běžnými konci řádků".into()
        }
        _ => String::new(),
    }
}

#[cfg(test)]
#[path = "config_parse_tests.rs"]
mod tests;
