//! List queries: `attr[OP]=value` filters, `offset`/`limit` paging and sorting.

use std::cmp::Ordering;

use serde_json::Value;

use super::reply::SimError;

pub const MAX_LIMIT: usize = 1000;

/// One accepted filter attribute and where its value sits in a record (JSON pointer).
pub type Column = (&'static str, &'static str);

pub struct ListQuery {
    filters: Vec<(&'static str, String, String)>,
    offset: usize,
    limit: usize,
    sort: Option<&'static str>,
    descending: bool,
}

impl ListQuery {
    /// Parses the query pairs against the columns the endpoint supports.
    pub fn parse(pairs: &[(String, String)], columns: &[Column]) -> Result<ListQuery, SimError> {
        let mut q =
            ListQuery { filters: Vec::new(), offset: 0, limit: MAX_LIMIT, sort: None, descending: false };
        for (key, value) in pairs {
            match key.as_str() {
                "offset" => q.offset = parse_count("offset", value)?,
                "limit" => {
                    q.limit = parse_count("limit", value)?;
                    if q.limit > MAX_LIMIT {
                        return Err(SimError::invalid("limit", "must be at most 1000"));
                    }
                }
                "sortColumn" => {
                    let col = columns.iter().find(|(name, _)| name == value);
                    q.sort = Some(
                        col.map(|(_, ptr)| *ptr)
                            .ok_or_else(|| SimError::invalid("sortColumn", "is unknown"))?,
                    );
                }
                "sortDirection" => match value.to_ascii_uppercase().as_str() {
                    "ASC" => q.descending = false,
                    "DESC" => q.descending = true,
                    _ => return Err(SimError::invalid("sortDirection", "must be ASC or DESC")),
                },
                "dateFormat" | "view" => {}
                _ => {
                    let (attr, op) = split_key(key);
                    let ptr = columns
                        .iter()
                        .find(|(name, _)| *name == attr)
                        .map(|(_, ptr)| *ptr)
                        .ok_or_else(|| SimError::unsupported_filter(attr))?;
                    if !OPERATORS.contains(&op) {
                        return Err(SimError::new(
                            400,
                            "UnsupportedFilterException",
                            format!("Unsupported operator [{op}] for filter column [{attr}]"),
                            format!("Nepodporovaný operátor [{op}]"),
                        ));
                    }
                    q.filters.push((ptr, op.to_string(), value.clone()));
                }
            }
        }
        Ok(q)
    }

    /// Filters, sorts and pages `records`; returns the total match count and the page.
    pub fn apply<'a>(&self, records: impl Iterator<Item = &'a Value>) -> (usize, Vec<Value>) {
        let mut hits: Vec<&Value> = records
            .filter(|r| self.filters.iter().all(|(ptr, op, v)| matches(r.pointer(ptr), op, v)))
            .collect();
        let sort = self.sort.unwrap_or("/id");
        hits.sort_by(|a, b| compare(a.pointer(sort), b.pointer(sort)));
        if self.descending {
            hits.reverse();
        }
        let total = hits.len();
        (total, hits.into_iter().skip(self.offset).take(self.limit).cloned().collect())
    }
}

const OPERATORS: &[&str] =
    &["EQ", "EQ_OR_NULL", "NE", "NE_OR_NULL", "LT", "LE", "GT", "GE", "LIKE", "LIKE_NOCASE", "IN", "NOT_IN"];

fn parse_count(name: &str, value: &str) -> Result<usize, SimError> {
    value.trim().parse().map_err(|_| SimError::invalid(name, "must be a non-negative integer"))
}

fn split_key(key: &str) -> (&str, &str) {
    match key.strip_suffix(']').and_then(|k| k.split_once('[')) {
        Some((attr, op)) => (attr, op),
        None => (key, "EQ"),
    }
}

fn as_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

fn matches(field: Option<&Value>, op: &str, wanted: &str) -> bool {
    let have = as_text(field).filter(|s| !s.is_empty());
    let wanted_null = wanted.is_empty() || wanted == "null";
    let eq = |h: &Option<String>| match h {
        None => wanted_null,
        Some(h) => !wanted_null && text_eq(h, wanted),
    };
    match op {
        "EQ" => eq(&have),
        "NE" => !eq(&have),
        "EQ_OR_NULL" => have.is_none() || eq(&have),
        "NE_OR_NULL" => have.is_none() || !eq(&have),
        "LIKE" => have.is_some_and(|h| like(&h, wanted)),
        "LIKE_NOCASE" => have.is_some_and(|h| like(&h.to_lowercase(), &wanted.to_lowercase())),
        "IN" => have.is_some_and(|h| wanted.split(',').any(|w| text_eq(&h, w.trim()))),
        "NOT_IN" => !have.is_some_and(|h| wanted.split(',').any(|w| text_eq(&h, w.trim()))),
        "LT" | "LE" | "GT" | "GE" => have.is_some_and(|h| {
            let ord = match (h.parse::<f64>(), wanted.parse::<f64>()) {
                (Ok(a), Ok(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
                _ => h.as_str().cmp(wanted),
            };
            match op {
                "LT" => ord == Ordering::Less,
                "LE" => ord != Ordering::Greater,
                "GT" => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }
        }),
        _ => false,
    }
}

/// Numbers compare by value (`5` equals `5.0`), booleans by RAYNET's words, the rest exactly.
fn text_eq(have: &str, wanted: &str) -> bool {
    if have == wanted {
        return true;
    }
    if let (Ok(a), Ok(b)) = (have.parse::<f64>(), wanted.parse::<f64>()) {
        return a == b;
    }
    let truthy = |s: &str| match s.to_ascii_lowercase().as_str() {
        "true" | "on" | "yes" | "1" => Some(true),
        "false" | "off" | "no" | "0" => Some(false),
        _ => None,
    };
    matches!((truthy(have), truthy(wanted)), (Some(a), Some(b)) if a == b && (have == "true" || have == "false"))
}

/// One element of a `LIKE` pattern.
#[derive(Clone, Copy, PartialEq)]
enum Tok {
    /// `%`: any run of characters, also none.
    Any,
    /// `_`: exactly one character.
    One,
    Lit(char),
}

/// Splits a `LIKE` pattern. `\` escapes the next character (`\%`, `\_`, `\\` are literal), as
/// `LIKE … ESCAPE '\'` does in SQL; a `\` at the very end stands for itself.
fn tokens(pattern: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '%' => Tok::Any,
            '_' => Tok::One,
            '\\' => Tok::Lit(chars.next().unwrap_or('\\')),
            c => Tok::Lit(c),
        });
    }
    out
}

/// SQL `LIKE`: `%` any run, `_` one character, `\` escapes; the whole text must match.
fn like(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let p = tokens(pattern);
    let (mut ti, mut pi) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == Tok::One || p[pi] == Tok::Lit(t[ti])) {
            ti += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == Tok::Any {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == Tok::Any {
        pi += 1;
    }
    pi == p.len()
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().unwrap_or(0.0).partial_cmp(&y.as_f64().unwrap_or(0.0)).unwrap_or(Ordering::Equal)
        }
        _ => as_text(a).unwrap_or_default().cmp(&as_text(b).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const COLS: &[Column] = &[("name", "/name"), ("id", "/id"), ("email", "/c/email")];

    fn q(pairs: &[(&str, &str)]) -> Result<ListQuery, SimError> {
        let pairs: Vec<(String, String)> =
            pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        ListQuery::parse(&pairs, COLS)
    }

    #[test]
    fn like_handles_wildcards_and_diacritics() {
        assert!(like("kavárna slunce s.r.o.", "kavárna%"));
        assert!(like("abc", "a_c"));
        assert!(!like("abc", "a_d%"));
        assert!(like("x@y.cz", "%@y.cz"));
        assert!(like("", "%"));
        assert!(!like("", "_"));
        assert!(!like("abc", "ab"), "the whole text must match");
    }

    #[test]
    fn like_escapes_wildcards_with_a_backslash() {
        assert!(like("100% káva", "100\\% káva"));
        assert!(!like("1000 káva", "100\\% káva"), "an escaped % is no wildcard");
        assert!(like("a_b", "a\\_b"));
        assert!(!like("axb", "a\\_b"), "an escaped _ is no wildcard");
        assert!(like("c:\\dir", "c:\\\\dir"), "an escaped backslash");
        assert!(like("end\\", "end\\"), "a trailing backslash stands for itself");
    }

    #[test]
    fn like_nocase_ignores_letter_case_beyond_ascii() {
        let rows = [json!({"id": 1, "name": "Pekařství Horák s.r.o."}), json!({"id": 2, "name": "Horák"})];
        let (total, page) = q(&[("name[LIKE_NOCASE]", "PEKAŘSTVÍ HORÁK S.R.O.")]).unwrap().apply(rows.iter());
        assert_eq!((total, page[0]["id"].as_i64()), (1, Some(1)));
        let (total, _) = q(&[("name[LIKE]", "PEKAŘSTVÍ HORÁK S.R.O.")]).unwrap().apply(rows.iter());
        assert_eq!(total, 0, "LIKE keeps letter case");
        let (total, _) = q(&[("name[EQ]", "pekařství horák s.r.o.")]).unwrap().apply(rows.iter());
        assert_eq!(total, 0, "EQ keeps letter case");
        let (total, _) = q(&[("name[LIKE_NOCASE]", "%horák%")]).unwrap().apply(rows.iter());
        assert_eq!(total, 2);
    }

    #[test]
    fn filters_page_and_count() {
        let rows = [
            json!({"id": 1, "name": "Alfa", "c": {"email": "A@x.cz"}}),
            json!({"id": 2, "name": "Beta", "c": {"email": "b@x.cz"}}),
            json!({"id": 3, "name": "Alfa", "c": null}),
        ];
        let (total, page) =
            q(&[("name", "Alfa"), ("limit", "1"), ("offset", "1")]).unwrap().apply(rows.iter());
        assert_eq!(total, 2);
        assert_eq!(page[0]["id"], 3);
        let (total, _) = q(&[("email[LIKE_NOCASE]", "a@x.cz")]).unwrap().apply(rows.iter());
        assert_eq!(total, 1);
        let (_, page) = q(&[("sortColumn", "id"), ("sortDirection", "DESC")]).unwrap().apply(rows.iter());
        assert_eq!(page[0]["id"], 3);
    }

    #[test]
    fn unknown_columns_and_big_limits_are_rejected() {
        assert_eq!(q(&[("color", "red")]).err().map(|e| e.status), Some(400));
        assert_eq!(q(&[("limit", "1001")]).err().map(|e| e.status), Some(400));
        assert_eq!(q(&[("name[FOO]", "x")]).err().map(|e| e.status), Some(400));
    }
}
