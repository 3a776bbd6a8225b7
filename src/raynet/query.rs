//! What the client's list reads filter by: the client-matching filters and the value lists.

/// What to match existing clients by on `GET /company/`. The e-mail and name filters are
/// case-insensitive `LIKE` patterns that may return more than the exact match: callers compare
/// the rows locally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompanyFilter {
    /// IČ, exact (`regNumber[EQ]`).
    RegNumber(String),
    /// E-mail of the primary address, case-insensitive (`primaryAddress-contactInfo.email[LIKE_NOCASE]`).
    Email(String),
    /// Name, case-insensitive (`name[LIKE_NOCASE]`; `name[EQ]` is case-sensitive on the server).
    Name(String),
}

impl CompanyFilter {
    pub(super) fn param(&self) -> (&'static str, String) {
        match self {
            CompanyFilter::RegNumber(v) => ("regNumber[EQ]", v.clone()),
            CompanyFilter::Email(v) => ("primaryAddress-contactInfo.email[LIKE_NOCASE]", like_literal(v)),
            CompanyFilter::Name(v) => ("name[LIKE_NOCASE]", like_literal(v.trim())),
        }
    }
}

/// A `LIKE` pattern that matches `text` itself. The wildcard characters `%` and `_`, and the
/// usual escape character `\`, are each replaced by `_` (exactly one character of any kind):
/// how RAYNET escapes inside a `LIKE` is not documented, so the pattern does not depend on it.
/// It can match a few more rows (`a_b` also finds `axb`), which the local comparison drops.
pub fn like_literal(text: &str) -> String {
    text.chars().map(|c| if matches!(c, '%' | '_' | '\\') { '_' } else { c }).collect()
}

/// The configuration value lists the sync resolves labels in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueList {
    BusinessCasePhase,
    ContactSource,
    Currency,
    BusinessCaseCategory,
}

impl ValueList {
    pub fn path(self) -> &'static str {
        match self {
            ValueList::BusinessCasePhase => "/businessCasePhase/",
            ValueList::ContactSource => "/contactSource/",
            ValueList::Currency => "/currency/",
            ValueList::BusinessCaseCategory => "/businessCaseCategory/",
        }
    }
}
