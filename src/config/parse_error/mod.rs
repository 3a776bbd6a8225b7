//! Turns a TOML error into a typed [`ParseProblem`]: the dotted key, its line:column and
//! what is wrong, in the user's words ("a whole number"), not Rust's ("i64").

mod en;
mod keys;
mod locate;
mod what;

use keys::{SECRET_KEYS, SECTIONS, choices, example, known_keys, required_keys, section_of};
use locate::{
    enclosing_table, field_in_message, header_name, join, last_segment, line_col, line_key, parent,
    quoted_after,
};
pub use what::{Choices, Found, ParseProblem, Place, What};

/// The key, its place and what is wrong (the place without the key when none can be told).
/// Never repeats the value of a secret key.
pub(super) fn describe(source: &str, err: &toml::de::Error) -> ParseProblem {
    describe_raw(source, err.message(), err.span())
}

/// The same for `toml_edit`'s errors (the same parser underneath).
pub(super) fn describe_edit(source: &str, err: &toml_edit::TomlError) -> ParseProblem {
    describe_raw(source, err.message(), err.span())
}

fn describe_raw(source: &str, message: &str, span: Option<std::ops::Range<usize>>) -> ParseProblem {
    let raw = message.trim().to_owned();
    let Some(span) = span else {
        return ParseProblem { place: None, what: explain(&raw, &Spot::default()) };
    };
    let start = span.start.min(source.len());
    let (line_no, col) = line_col(source, start);
    let lines: Vec<&str> = source.lines().collect();
    let line = lines.get(line_no - 1).copied().unwrap_or_default();
    let table = enclosing_table(&lines, line_no);
    let field = field_in_message(&raw);
    let on_header = header_name(line).is_some();
    let array_header = line.trim_start().starts_with("[[");
    let no_value = line.split_once('=').is_some_and(|(_, v)| {
        let v = v.trim();
        v.is_empty() || v.starts_with('#')
    });
    let key = match &field {
        Some(f) if header_name(line).is_some_and(|h| last_segment(&h) == f) => table.clone(),
        Some(f) => match line_key(line) {
            // `key = { … }` inline table: the field sits under the line's key.
            Some(k) if k != *f && last_segment(&k) != f => join(&join(&table, &k), f),
            _ => join(&table, f),
        },
        None => match line_key(line) {
            Some(k) => join(&table, &k),
            None => table.clone(),
        },
    };
    let what = explain(&raw, &Spot { key: key.clone(), on_header, array_header, no_value });
    ParseProblem { place: Some(Place { key, line: line_no, column: col }), what }
}

/// Where an error points: the dotted key and what its line looks like.
#[derive(Default)]
struct Spot {
    key: String,
    /// The line is a `[section]` header.
    on_header: bool,
    /// The line is a `[[section]]` header (an array of tables).
    array_header: bool,
    /// The line is `key =` with nothing after the `=`.
    no_value: bool,
}

impl Spot {
    fn leaf(&self) -> &str {
        if self.key.is_empty() { "key" } else { last_segment(&self.key) }
    }

    fn secret(&self) -> bool {
        SECRET_KEYS.contains(&last_segment(&self.key))
    }

    /// `leaf = example`, e.g. `default_owner_id = 1`. A key outside its section gets the
    /// example of the section it belongs to.
    fn example(&self) -> String {
        format!("{} = {}", self.leaf(), self.example_value().unwrap_or("…"))
    }

    fn example_value(&self) -> Option<&'static str> {
        example(&self.key).or_else(|| {
            let leaf = self.leaf();
            section_of(leaf).and_then(|section| example(&format!("{section}.{leaf}")))
        })
    }

    /// How to write a value the parser could not read, after the kind of value the key takes.
    fn value_fix(&self) -> What {
        match self.example_value() {
            Some(e) if e.starts_with('"') => What::QuoteText { example: self.example() },
            Some(_) => What::BadValue { example: self.example() },
            None => What::BadValueAnyKey,
        }
    }
}

/// What one parser message says.
fn explain(raw: &str, at: &Spot) -> What {
    if let Some(f) = quoted_after(raw, "missing field `") {
        return missing(&f, at);
    }
    if at.array_header {
        return What::ArrayHeader { section: at.key.clone() };
    }
    if let Some(f) = quoted_after(raw, "unknown field `") {
        return unknown(&f, at);
    }
    if raw.starts_with("duplicate key") || raw.starts_with("duplicate field") {
        return if at.on_header {
            What::DuplicateSection { section: at.key.clone() }
        } else {
            What::DuplicateKey { key: at.leaf().to_owned() }
        };
    }
    if let Some(v) = quoted_after(raw, "unknown variant `") {
        let allowed = choices(&at.key).unwrap_or_else(|| allowed_variants(raw));
        return What::NotAllowed { allowed, got: v };
    }
    let mismatch = raw.strip_prefix("invalid type: ").or_else(|| raw.strip_prefix("invalid value: "));
    if let Some((got, expected)) = mismatch.and_then(|m| m.rsplit_once(", expected ")) {
        return wrong_type(got, expected, at);
    }
    if raw.starts_with("wanted string or table")
        && let Some(allowed) = choices(&at.key)
    {
        return What::ChoiceInQuotes { allowed, example: at.example() };
    }
    if let Some(syntax) = syntax(raw, at) {
        return syntax;
    }
    if at.key == "sync.enabled_at" {
        return date_time(at);
    }
    if at.secret() {
        // The parser's text may quote the value; never repeat a secret.
        return What::SecretNotValid { example: at.example() };
    }
    let what = raw.split_once(", expected").map_or(raw, |(w, _)| w).trim();
    What::Unclassified { parser: what.to_owned() }
}

fn missing(field: &str, at: &Spot) -> What {
    let parent = parent(&at.key);
    if parent.is_empty() {
        let (needs, env) = required_keys(field);
        What::MissingSection { section: field.to_owned(), needs, env }
    } else {
        What::MissingKey { key: field.to_owned(), section: parent.to_owned(), example: at.example() }
    }
}

fn unknown(field: &str, at: &Spot) -> What {
    let parent = parent(&at.key);
    match section_of(field) {
        Some(home) if home != parent => {
            What::MisplacedKey { key: field.to_owned(), home, found_in: parent.to_owned() }
        }
        _ if parent.is_empty() => {
            What::UnknownSection { name: field.to_owned(), sections: SECTIONS.map(|(s, _)| s).to_vec() }
        }
        _ => {
            What::UnknownKey { key: field.to_owned(), section: parent.to_owned(), known: known_keys(parent) }
        }
    }
}

/// `got` and `expected` as serde words them: `string "x"` / `i64`, `integer `5`` / `a string`.
fn wrong_type(got: &str, expected: &str, at: &Spot) -> What {
    let example = at.example();
    if at.secret() {
        return What::SecretNotText { example };
    }
    if at.key == "sync.enabled_at" {
        return date_time(at);
    }
    if let Some(allowed) = choices(&at.key) {
        return What::ChoiceInQuotes { allowed, example };
    }
    let got_text = got.strip_prefix("string ").map(|s| s.trim_matches('"'));
    let got_int = got.strip_prefix("integer `").map(|s| s.split('`').next().unwrap_or(s));
    let found = describe_found(got);
    match expected_kind(expected) {
        Expected::Whole { unsigned } => {
            if let Some(n) = got_int {
                if unsigned && n.starts_with('-') {
                    return What::Negative { example };
                }
                return What::TooLarge { number: n.to_owned(), example };
            }
            let unquote = got_text.is_some_and(|t| t.trim().parse::<i128>().is_ok());
            What::NotWhole { example, found, unquote }
        }
        Expected::Text => What::NotText { example, found },
        Expected::Bool => What::NotBool { found },
        Expected::List => What::NotList { example, found, brackets: got_int.is_some() },
        Expected::Section => What::NotSection { key: at.key.clone(), found },
        Expected::Number => What::NotNumber { example, found },
        Expected::Other(expected) => What::NotKind { expected, example, found },
    }
}

enum Expected {
    Whole { unsigned: bool },
    Text,
    Bool,
    List,
    Section,
    Number,
    Other(String),
}

fn expected_kind(expected: &str) -> Expected {
    let e = expected.trim();
    match e {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "an integer" => Expected::Whole { unsigned: false },
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => Expected::Whole { unsigned: true },
        "a string" | "a borrowed string" | "a char" | "string" => Expected::Text,
        "a boolean" => Expected::Bool,
        "a sequence" => Expected::List,
        "f32" | "f64" | "a float" => Expected::Number,
        _ if e.contains("map") || e.starts_with("struct ") => Expected::Section,
        _ => Expected::Other(e.trim_matches('`').to_owned()),
    }
}

/// What the file holds: `"seven"` (text), `7.5`, a list, a table.
fn describe_found(got: &str) -> Found {
    let inner = |s: &str| s.split('`').nth(1).unwrap_or(s).to_owned();
    if let Some(s) = got.strip_prefix("string ") {
        // A long value is cut: it may be a multi-line string that swallowed other lines.
        const MAX: usize = 40;
        if s.chars().count() > MAX {
            Found::Text(format!("{}…\"", s.chars().take(MAX).collect::<String>()))
        } else {
            Found::Text(s.to_owned())
        }
    } else if got.starts_with("integer `") {
        Found::Number(inner(got))
    } else if got.starts_with("floating point `") {
        Found::Decimal(inner(got))
    } else if got.starts_with("boolean `") {
        Found::Bool(inner(got))
    } else if got == "sequence" {
        Found::List
    } else if got == "map" {
        Found::Table
    } else {
        Found::Other(got.into())
    }
}

fn date_time(at: &Spot) -> What {
    What::DateTime { example: at.example() }
}

/// The parser's syntax messages, in plain words (every description `toml_parser` has).
fn syntax(raw: &str, at: &Spot) -> Option<What> {
    let leaf = at.leaf();
    let (what, expected) = raw.split_once(", expected").unwrap_or((raw, ""));
    let closing_quote = ["`\"`", "`'`", "`\"\"\"`", "`'''`"].iter().any(|q| expected.contains(q));
    let what = match what.trim() {
        w if w.starts_with("invalid") && w.contains("string") && closing_quote => What::Unterminated,
        "missing escaped value" | "too few unicode value digits" => What::BadEscape,
        w if w.starts_with("invalid") && w.contains("string") => What::BadQuotedText,
        "missing opening quote" => at.value_fix(),
        _ if leaf.contains(char::is_whitespace) => What::BadKey,
        "invalid key"
        | "invalid unquoted key"
        | "unquoted keys cannot be empty"
        | "keys cannot be multi-line literal strings"
        | "keys cannot be multi-line basic strings" => What::BadKey,
        "key with no value" if at.key.is_empty() => What::NotASetting,
        w if at.no_value || matches!(w, "key with no value" | "missing value" | "missing value for key") => {
            What::NoValue { key: leaf.to_owned(), example: at.example_value().map(|_| at.example()) }
        }
        "string values must be quoted" | "invalid value" => at.value_fix(),
        "unclosed table" | "unclosed array table" | "missing table open" => What::NeitherSettingNorSection,
        "unclosed array"
        | "missing array opening"
        | "missing comma between array elements"
        | "extra comma in array"
        | "unexpected `=` in array" => What::BadList,
        "unclosed inline table"
        | "missing inline table opening"
        | "missing key for inline table element"
        | "invalid inline table element"
        | "extra comma in inline table"
        | "missing comma between key-value pairs" => What::BadInlineTable,
        "missing assignment between key-value pairs"
        | "extra assignment between key-value pairs"
        | "extra `=`" => What::OneEquals { example: at.example() },
        "unexpected content"
        | "unexpected key or value"
        | "invalid key-value pair"
        | "unexpected content between comment and newline"
        | "missing comment start"
        | "invalid comment character" => What::MoreOnLine,
        w if at.key == "sync.enabled_at" && w.starts_with("invalid") => date_time(at),
        w if is_number_problem(w) || w.starts_with("invalid") => at.value_fix(),
        "cannot recurse further; max recursion depth met" => What::TooDeep,
        "carriage return must be followed by newline" => What::StrayCarriageReturn,
        _ => return None,
    };
    Some(what)
}

fn is_number_problem(what: &str) -> bool {
    (what.starts_with("invalid") && (what.contains("number") || what.contains("float")))
        || matches!(
            what,
            "invalid fraction"
                | "invalid exponent"
                | "invalid mantissa"
                | "unexpected leading zero"
                | "redundant numeric sign"
                | "unexpected sign"
                | "integers with a radix cannot be signed"
                | "radix must be lowercase"
                | "redundant integer number prefix"
                | "`_` may only go between digits"
        )
}

/// `` `a` or `b` `` / `` one of `a`, `b` `` from serde's message: the names.
fn allowed_variants(raw: &str) -> Choices {
    let after = raw.split_once("expected ").map_or("", |(_, r)| r);
    Choices::Names(after.split('`').skip(1).step_by(2).map(str::to_owned).collect())
}
