//! Turns a TOML error into one sentence naming the dotted key, its line:column and the fix,
//! in the user's words ("a whole number"), not Rust's ("i64").

mod keys;
mod locate;

use keys::{SECRET_KEYS, SECTIONS, choices, example, known_keys, list, required_keys, section_of};
use locate::{
    enclosing_table, field_in_message, header_name, join, last_segment, line_col, line_key, parent,
    quoted_after,
};

/// `"<key> (line L, column C): <what is wrong and how to fix it>"`, or without the key when
/// none can be told. Never repeats the value of a secret key.
pub(super) fn describe(source: &str, err: &toml::de::Error) -> String {
    let raw = err.message().trim().to_owned();
    let Some(span) = err.span() else {
        return explain(&raw, &Spot::default());
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
    let message = explain(&raw, &Spot { key: key.clone(), on_header, array_header, no_value });
    if key.is_empty() {
        format!("line {line_no}, column {col}: {message}")
    } else {
        format!("{key} (line {line_no}, column {col}): {message}")
    }
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
    fn value_fix(&self) -> String {
        match self.example_value() {
            Some(e) if e.starts_with('"') => format!("text must be in quotes, e.g. {}", self.example()),
            Some(_) => format!("is not a valid value — write it like {}", self.example()),
            None => "is not a valid value — write text in quotes, and numbers, true or false without quotes"
                .into(),
        }
    }
}

/// The sentence for one parser message.
fn explain(raw: &str, at: &Spot) -> String {
    if let Some(f) = quoted_after(raw, "missing field `") {
        return missing(&f, at);
    }
    if at.array_header {
        return format!("write the section line with single brackets: [{}]", at.key);
    }
    if let Some(f) = quoted_after(raw, "unknown field `") {
        return unknown(&f, at);
    }
    if raw.starts_with("duplicate key") || raw.starts_with("duplicate field") {
        return if at.on_header {
            format!("section [{}] appears twice — merge the two into one", at.key)
        } else {
            format!("{} is set twice — keep one of the two lines", at.leaf())
        };
    }
    if let Some(v) = quoted_after(raw, "unknown variant `") {
        let allowed = choices(&at.key).map(str::to_owned).unwrap_or_else(|| allowed_variants(raw));
        return format!("must be {allowed}, not \"{v}\"");
    }
    let mismatch = raw.strip_prefix("invalid type: ").or_else(|| raw.strip_prefix("invalid value: "));
    if let Some((got, expected)) = mismatch.and_then(|m| m.rsplit_once(", expected ")) {
        return wrong_type(got, expected, at);
    }
    if raw.starts_with("wanted string or table")
        && let Some(allowed) = choices(&at.key)
    {
        return format!("must be {allowed}, in quotes — e.g. {}", at.example());
    }
    if let Some(syntax) = syntax(raw, at) {
        return syntax;
    }
    if at.key == "sync.enabled_at" {
        return date_time(at);
    }
    if at.secret() {
        // The parser's text may quote the value; never repeat a secret.
        return format!("is not valid here — write it as text in quotes, e.g. {}", at.example());
    }
    let what = raw.split_once(", expected").map_or(raw, |(w, _)| w).trim();
    format!("is not valid here ({what}) — write settings as key = value, text in quotes")
}

fn missing(field: &str, at: &Spot) -> String {
    let parent = parent(&at.key);
    if parent.is_empty() {
        match required_keys(field) {
            Some(keys) => format!("section [{field}] is missing — add it with at least {keys}"),
            None => format!("section [{field}] is missing — add it"),
        }
    } else {
        format!("{field} is missing from section [{parent}] — add a line such as {}", at.example())
    }
}

fn unknown(field: &str, at: &Spot) -> String {
    let parent = parent(&at.key);
    match section_of(field) {
        Some(home) if home != parent => {
            if parent.is_empty() {
                format!("{field} belongs in section [{home}] — move it below the [{home}] line")
            } else {
                format!("{field} belongs in section [{home}], not [{parent}] — move it there")
            }
        }
        _ if parent.is_empty() => format!(
            "[{field}] is not a section of this file — remove it or check the spelling; the sections \
             are {}",
            list(&SECTIONS.map(|(s, _)| format!("[{s}]")).iter().map(String::as_str).collect::<Vec<_>>())
        ),
        _ => match known_keys(parent) {
            Some(keys) => format!(
                "{field} is not a setting of [{parent}] — remove it or check the spelling; the \
                 settings are {keys}"
            ),
            None => format!("{field} is not a known setting — remove it or check the spelling"),
        },
    }
}

/// `got` and `expected` as serde words them: `string "x"` / `i64`, `integer `5`` / `a string`.
fn wrong_type(got: &str, expected: &str, at: &Spot) -> String {
    let example = at.example();
    if at.secret() {
        return format!("must be text in quotes, e.g. {example}");
    }
    if at.key == "sync.enabled_at" {
        return date_time(at);
    }
    if let Some(allowed) = choices(&at.key) {
        return format!("must be {allowed}, in quotes — e.g. {example}");
    }
    let got_text = got.strip_prefix("string ").map(|s| s.trim_matches('"'));
    let got_int = got.strip_prefix("integer `").map(|s| s.split('`').next().unwrap_or(s));
    let found = describe_found(got);
    match expected_kind(expected) {
        Expected::Whole { unsigned } => {
            if let Some(n) = got_int {
                if unsigned && n.starts_with('-') {
                    return format!(
                        "must not be negative — write a whole number of 0 or more, e.g. {example}"
                    );
                }
                return format!("{n} is too large — write a whole number such as {example}");
            }
            let hint = match got_text {
                Some(t) if t.trim().parse::<i128>().is_ok() => " — remove the quotes",
                _ => "",
            };
            format!("must be a whole number, e.g. {example}, not {found}{hint}")
        }
        Expected::Text => format!("must be text in quotes, e.g. {example}, not {found}"),
        Expected::Bool => format!("must be true or false (without quotes), not {found}"),
        Expected::List => {
            let hint = if got_int.is_some() { " — put the number in square brackets" } else { "" };
            format!("must be a list in square brackets, e.g. {example}, not {found}{hint}")
        }
        Expected::Section => {
            format!("must be a section: a [{}] line followed by its settings, not {found}", at.key)
        }
        Expected::Number => format!("must be a number, e.g. {example}, not {found}"),
        Expected::Other(what) => format!("must be {what}, e.g. {example}, not {found}"),
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

/// What the file holds, in words: `"seven"` (text), `7.5`, `a list`, `a table`.
fn describe_found(got: &str) -> String {
    let inner = |s: &str| s.split('`').nth(1).unwrap_or(s).to_owned();
    if let Some(s) = got.strip_prefix("string ") {
        // A long value is cut: it may be a multi-line string that swallowed other lines.
        const MAX: usize = 40;
        if s.chars().count() > MAX {
            format!("the text {}…\"", s.chars().take(MAX).collect::<String>())
        } else {
            format!("the text {s}")
        }
    } else if got.starts_with("integer `") {
        format!("the number {}", inner(got))
    } else if got.starts_with("floating point `") {
        format!("the decimal number {}", inner(got))
    } else if got.starts_with("boolean `") {
        inner(got)
    } else if got == "sequence" {
        "a list".into()
    } else if got == "map" {
        "a table or a date without quotes".into()
    } else {
        got.into()
    }
}

fn date_time(at: &Spot) -> String {
    format!("must be a date and time with its time-zone offset, in quotes (RFC 3339) — e.g. {}", at.example())
}

/// The parser's syntax messages, in plain words (every description `toml_parser` has).
fn syntax(raw: &str, at: &Spot) -> Option<String> {
    let leaf = at.leaf();
    let (what, expected) = raw.split_once(", expected").unwrap_or((raw, ""));
    let closing_quote = ["`\"`", "`'`", "`\"\"\"`", "`'''`"].iter().any(|q| expected.contains(q));
    let message = match what.trim() {
        w if w.starts_with("invalid") && w.contains("string") && closing_quote => {
            "unterminated string — add the closing quote at the end of the value".into()
        }
        "missing escaped value" | "too few unicode value digits" => {
            "the quoted text has an invalid backslash escape — write \\\\ for a backslash, or put text \
             with backslashes in 'single quotes'"
                .into()
        }
        w if w.starts_with("invalid") && w.contains("string") => {
            "the quoted text is not valid — check its quotes and backslashes".into()
        }
        "missing opening quote" => at.value_fix(),
        _ if leaf.contains(char::is_whitespace) => {
            "is not a valid key — keys are letters, digits, _ and -, followed by = value".into()
        }
        "invalid key"
        | "invalid unquoted key"
        | "unquoted keys cannot be empty"
        | "keys cannot be multi-line literal strings"
        | "keys cannot be multi-line basic strings" => {
            "is not a valid key — keys are letters, digits, _ and -, followed by = value".into()
        }
        "key with no value" if at.key.is_empty() => {
            "this line is not a setting — write settings as key = value".into()
        }
        w if at.no_value || matches!(w, "key with no value" | "missing value" | "missing value for key") => {
            match at.example_value() {
                Some(_) => format!("{leaf} has no value — write it as {}", at.example()),
                None => format!("{leaf} has no value — write settings as key = value"),
            }
        }
        "string values must be quoted" | "invalid value" => at.value_fix(),
        "unclosed table" | "unclosed array table" | "missing table open" => {
            "this line is neither a setting nor a section line — write key = value, or [section]".into()
        }
        "unclosed array"
        | "missing array opening"
        | "missing comma between array elements"
        | "extra comma in array"
        | "unexpected `=` in array" => "the list is not valid — write it as [-3, -4]".into(),
        "unclosed inline table"
        | "missing inline table opening"
        | "missing key for inline table element"
        | "invalid inline table element"
        | "extra comma in inline table"
        | "missing comma between key-value pairs" => {
            "the { … } table is not valid — write it on one line as { key = value, key = value }".into()
        }
        "missing assignment between key-value pairs"
        | "extra assignment between key-value pairs"
        | "extra `=`" => {
            format!("write exactly one = between the key and its value, e.g. {}", at.example())
        }
        "unexpected content"
        | "unexpected key or value"
        | "invalid key-value pair"
        | "unexpected content between comment and newline"
        | "missing comment start"
        | "invalid comment character" => "there is more on this line than one setting — write one \
                                          key = value per line; comments start with #"
            .into(),
        w if at.key == "sync.enabled_at" && w.starts_with("invalid") => date_time(at),
        w if is_number_problem(w) || w.starts_with("invalid") => at.value_fix(),
        "cannot recurse further; max recursion depth met" => {
            "is nested too deeply — the configuration has no nested lists or tables".into()
        }
        "carriage return must be followed by newline" => {
            "contains a stray carriage return — save the file with ordinary line endings".into()
        }
        _ => return None,
    };
    Some(message)
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

/// `` `a` or `b` `` / `` one of `a`, `b` `` from serde's message, as `"a" or "b"`.
fn allowed_variants(raw: &str) -> String {
    let after = raw.split_once("expected ").map_or("", |(_, r)| r);
    let names: Vec<String> = after.split('`').skip(1).step_by(2).map(|n| format!("\"{n}\"")).collect();
    if names.is_empty() {
        "one of the documented values".into()
    } else {
        names.iter().map(String::as_str).collect::<Vec<_>>().join(" or ")
    }
}
