//! A parse error in English: `"<key> (line L, column C): <what is wrong and how to fix it>"`.

use std::fmt;

use super::what::{Choices, Found, ParseProblem, What};

impl fmt::Display for ParseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            None => write!(f, "{}", self.what),
            Some(p) if p.key.is_empty() => write!(f, "line {}, column {}: {}", p.line, p.column, self.what),
            Some(p) => write!(f, "{} (line {}, column {}): {}", p.key, p.line, p.column, self.what),
        }
    }
}

impl fmt::Display for What {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shape().unwrap_or_else(|| self.syntax()))
    }
}

impl fmt::Display for Choices {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Choices::ShoptetAuth => {
                f.write_str("\"private-token\" (a private API token) or \"addon\" (addon OAuth)")
            }
            Choices::Names(names) if names.is_empty() => f.write_str("one of the documented values"),
            Choices::Names(names) => {
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                f.write_str(&quoted.join(" or "))
            }
        }
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Text(s) => write!(f, "the text {s}"),
            Found::Number(n) => write!(f, "the number {n}"),
            Found::Decimal(n) => write!(f, "the decimal number {n}"),
            Found::Bool(b) => f.write_str(b),
            Found::List => f.write_str("a list"),
            Found::Table => f.write_str("a table or a date without quotes"),
            Found::Other(s) => f.write_str(s),
        }
    }
}

impl What {
    /// Keys, sections and kinds of value; None for the syntax errors.
    fn shape(&self) -> Option<String> {
        Some(match self {
            What::MissingSection { section, needs, .. } if needs.is_empty() => {
                format!("section [{section}] is missing — add it")
            }
            What::MissingSection { section, needs, env } => {
                let env = env.map(|e| format!(" (or the {e} environment variable)")).unwrap_or_default();
                format!("section [{section}] is missing — add it with at least {}{env}", list(needs))
            }
            What::MissingKey { key, section, example } => {
                format!("{key} is missing from section [{section}] — add a line such as {example}")
            }
            What::ArrayHeader { section } => {
                format!("write the section line with single brackets: [{section}]")
            }
            What::MisplacedKey { key, home, found_in } if found_in.is_empty() => {
                format!("{key} belongs in section [{home}] — move it below the [{home}] line")
            }
            What::MisplacedKey { key, home, found_in } => {
                format!("{key} belongs in section [{home}], not [{found_in}] — move it there")
            }
            What::UnknownSection { name, sections } => format!(
                "[{name}] is not a section of this file — remove it or check the spelling; the sections \
                 are {}",
                list(&sections.iter().map(|s| format!("[{s}]")).collect::<Vec<_>>())
            ),
            What::UnknownKey { key, known, .. } if known.is_empty() => {
                format!("{key} is not a known setting — remove it or check the spelling")
            }
            What::UnknownKey { key, section, known } => format!(
                "{key} is not a setting of [{section}] — remove it or check the spelling; the \
                 settings are {}",
                list(known)
            ),
            What::DuplicateSection { section } => {
                format!("section [{section}] appears twice — merge the two into one")
            }
            What::DuplicateKey { key } => format!("{key} is set twice — keep one of the two lines"),
            What::NotAllowed { allowed, got } => format!("must be {allowed}, not \"{got}\""),
            What::ChoiceInQuotes { allowed, example } => {
                format!("must be {allowed}, in quotes — e.g. {example}")
            }
            What::SecretNotText { example } => format!("must be text in quotes, e.g. {example}"),
            What::SecretNotValid { example } => {
                format!("is not valid here — write it as text in quotes, e.g. {example}")
            }
            What::DateTime { example } => format!(
                "must be a date and time with its time-zone offset, in quotes (RFC 3339) — e.g. {example}"
            ),
            _ => return self.kind(),
        })
    }

    /// A value of the wrong kind.
    fn kind(&self) -> Option<String> {
        Some(match self {
            What::Negative { example } => {
                format!("must not be negative — write a whole number of 0 or more, e.g. {example}")
            }
            What::TooLarge { number, example } => {
                format!("{number} is too large — write a whole number such as {example}")
            }
            What::NotWhole { example, found, unquote } => {
                let hint = if *unquote { " — remove the quotes" } else { "" };
                format!("must be a whole number, e.g. {example}, not {found}{hint}")
            }
            What::NotText { example, found } => {
                format!("must be text in quotes, e.g. {example}, not {found}")
            }
            What::NotBool { found } => format!("must be true or false (without quotes), not {found}"),
            What::NotList { example, found, brackets } => {
                let hint = if *brackets { " — put the number in square brackets" } else { "" };
                format!("must be a list in square brackets, e.g. {example}, not {found}{hint}")
            }
            What::NotSection { key, found } => {
                format!("must be a section: a [{key}] line followed by its settings, not {found}")
            }
            What::NotNumber { example, found } => format!("must be a number, e.g. {example}, not {found}"),
            What::NotKind { expected, example, found } => {
                format!("must be {expected}, e.g. {example}, not {found}")
            }
            What::NotUtf8 { line } => {
                format!("line {line}: the file is not UTF-8 text — save it with UTF-8 encoding")
            }
            What::Unclassified { parser } => {
                format!("is not valid here ({parser}) — write settings as key = value, text in quotes")
            }
            _ => return None,
        })
    }

    /// The parser's syntax errors.
    fn syntax(&self) -> String {
        match self {
            What::Unterminated => {
                "unterminated string — add the closing quote at the end of the value".into()
            }
            What::BadEscape => {
                "the quoted text has an invalid backslash escape — write \\\\ for a backslash, \
                                or put text with backslashes in 'single quotes'"
                    .into()
            }
            What::BadQuotedText => "the quoted text is not valid — check its quotes and backslashes".into(),
            What::QuoteText { example } => format!("text must be in quotes, e.g. {example}"),
            What::BadValue { example } => format!("is not a valid value — write it like {example}"),
            What::BadValueAnyKey => {
                "is not a valid value — write text in quotes, and numbers, true or false without quotes"
                    .into()
            }
            What::BadKey => {
                "is not a valid key — keys are letters, digits, _ and -, followed by = value".into()
            }
            What::NotASetting => "this line is not a setting — write settings as key = value".into(),
            What::NoValue { key, example: Some(example) } => {
                format!("{key} has no value — write it as {example}")
            }
            What::NoValue { key, example: None } => {
                format!("{key} has no value — write settings as key = value")
            }
            What::NeitherSettingNorSection => {
                "this line is neither a setting nor a section line — write key = value, or [section]".into()
            }
            What::BadList => "the list is not valid — write it as [-3, -4]".into(),
            What::BadInlineTable => {
                "the { … } table is not valid — write it on one line as { key = value, key = value }".into()
            }
            What::OneEquals { example } => {
                format!("write exactly one = between the key and its value, e.g. {example}")
            }
            What::MoreOnLine => "there is more on this line than one setting — write one key = value per \
                                 line; comments start with #"
                .into(),
            What::TooDeep => "is nested too deeply — the configuration has no nested lists or tables".into(),
            What::StrayCarriageReturn => {
                "contains a stray carriage return — save the file with ordinary line endings".into()
            }
            _ => String::new(),
        }
    }
}

/// "a, b and c".
pub(super) fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}
