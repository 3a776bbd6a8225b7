//! Why the config file does not parse, as data: where (dotted key, line, column) and what,
//! with its parameters. `Display` says it in English (the logs, `ConfigError`'s text); the
//! front ends say it in the user's language (`tui::i18n::config_parse`).

/// One parse error of the configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProblem {
    /// None when the parser told no place (or the file is not text at all).
    pub place: Option<Place>,
    pub what: What,
}

/// Where in the file: `key` is dotted (`sync.default_owner_id`), empty when none can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub key: String,
    pub line: usize,
    pub column: usize,
}

/// The allowed words of a key that takes one of a few.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choices {
    /// `shoptet.auth`: "private-token" or "addon".
    ShoptetAuth,
    /// The names serde lists, without quotes (empty: none told).
    Names(Vec<String>),
}

/// What the file holds where another kind of value belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The text as written, with its quotes (cut after 40 characters, ending `…"`).
    Text(String),
    Number(String),
    Decimal(String),
    /// `true` or `false`.
    Bool(String),
    List,
    /// A table, or a date written without quotes.
    Table,
    /// serde's own word for it.
    Other(String),
}

/// What is wrong. `example` fields are `key = value` lines as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A whole section is missing; `needs`: the keys it needs at least, `env`: the variable
    /// that can stand in for them.
    MissingSection {
        section: String,
        needs: Vec<&'static str>,
        env: Option<&'static str>,
    },
    MissingKey {
        key: String,
        section: String,
        example: String,
    },
    /// `[[section]]` written for `[section]`.
    ArrayHeader {
        section: String,
    },
    /// A key of section `home` under `found_in` ("" = above every section line).
    MisplacedKey {
        key: String,
        home: &'static str,
        found_in: String,
    },
    UnknownSection {
        name: String,
        sections: Vec<&'static str>,
    },
    /// `known` empty: the section's settings cannot be told.
    UnknownKey {
        key: String,
        section: String,
        known: Vec<&'static str>,
    },
    DuplicateSection {
        section: String,
    },
    DuplicateKey {
        key: String,
    },
    NotAllowed {
        allowed: Choices,
        got: String,
    },
    ChoiceInQuotes {
        allowed: Choices,
        example: String,
    },
    /// A secret key's value is not text (the value is never repeated).
    SecretNotText {
        example: String,
    },
    /// A secret key's value is not valid (the value is never repeated).
    SecretNotValid {
        example: String,
    },
    DateTime {
        example: String,
    },
    Negative {
        example: String,
    },
    TooLarge {
        number: String,
        example: String,
    },
    /// `unquote`: the text is a number in quotes.
    NotWhole {
        example: String,
        found: Found,
        unquote: bool,
    },
    NotText {
        example: String,
        found: Found,
    },
    NotBool {
        found: Found,
    },
    /// `brackets`: a lone number where a list belongs.
    NotList {
        example: String,
        found: Found,
        brackets: bool,
    },
    NotSection {
        key: String,
        found: Found,
    },
    NotNumber {
        example: String,
        found: Found,
    },
    /// `expected`: serde's own words for the kind of value.
    NotKind {
        expected: String,
        example: String,
        found: Found,
    },
    Unterminated,
    BadEscape,
    BadQuotedText,
    QuoteText {
        example: String,
    },
    BadValue {
        example: String,
    },
    BadValueAnyKey,
    BadKey,
    NotASetting,
    /// `example`: None when the key's value cannot be told.
    NoValue {
        key: String,
        example: Option<String>,
    },
    NeitherSettingNorSection,
    BadList,
    BadInlineTable,
    OneEquals {
        example: String,
    },
    MoreOnLine,
    TooDeep,
    StrayCarriageReturn,
    /// The file is not UTF-8 text from `line` on.
    NotUtf8 {
        line: usize,
    },
    /// The TOML parser's own message, when it cannot be told in our words.
    Unclassified {
        parser: String,
    },
}
