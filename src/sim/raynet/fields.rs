//! Reading loosely typed request bodies the way RAYNET does.

use serde_json::{Map, Value};

use super::reply::SimError;

/// A non-empty string field.
pub fn text(body: &Value, key: &str) -> Option<String> {
    match body.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A reference sent as a plain id, a numeric string or `{"id": n}`.
pub fn id(body: &Value, key: &str) -> Result<Option<i64>, SimError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| SimError::invalid(key, "must be an id")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => {
            s.trim().parse().map(Some).map_err(|_| SimError::invalid(key, "must be an id"))
        }
        Some(Value::Object(o)) => match o.get("id") {
            Some(v) => id(&Value::Object(Map::from_iter([(key.to_string(), v.clone())])), key),
            None => Err(SimError::invalid(key, "must be an id")),
        },
        Some(_) => Err(SimError::invalid(key, "must be an id")),
    }
}

/// A decimal sent as a number or a string with `.`.
pub fn number(body: &Value, key: &str) -> Result<Option<f64>, SimError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            n.as_f64().map(Some).ok_or_else(|| SimError::invalid(key, "must be a number"))
        }
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => {
            s.trim().parse::<f64>().map(Some).map_err(|_| SimError::invalid(key, "must be a number"))
        }
        Some(_) => Err(SimError::invalid(key, "must be a number")),
    }
}

/// A date as `yyyy-MM-dd`, or an ISO-8601 date-time (its local date is kept).
pub fn date(body: &Value, key: &str) -> Result<Option<String>, SimError> {
    let Some(raw) = text(body, key) else {
        return Ok(None);
    };
    if let Ok(d) = chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
        return Ok(Some(d.format("%Y-%m-%d").to_string()));
    }
    chrono::DateTime::parse_from_rfc3339(&raw)
        .map(|t| Some(t.date_naive().format("%Y-%m-%d").to_string()))
        .map_err(|_| SimError::invalid(key, "must be a date yyyy-MM-dd"))
}

/// RAYNET booleans: `true/on/yes/1` and `false/off/no/0`.
pub fn boolean(body: &Value, key: &str) -> Result<bool, SimError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::Number(n)) => Ok(n.as_i64() != Some(0)),
        Some(Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" | "1" => Ok(true),
            "false" | "off" | "no" | "0" | "" => Ok(false),
            _ => Err(SimError::invalid(key, "must be a boolean")),
        },
        Some(_) => Err(SimError::invalid(key, "must be a boolean")),
    }
}

/// Rounds money to two decimals and returns it as a JSON number.
pub fn money(v: f64) -> Value {
    let r = (v * 100.0).round() / 100.0;
    serde_json::Number::from_f64(r).map(Value::Number).unwrap_or(Value::Null)
}

/// A unit price or rate as sent, only cleared of binary float noise (RAYNET keeps more than
/// two decimals on line prices; totals are what gets rounded to the cent).
pub fn precise(v: f64) -> Value {
    num_value((v * 1_000_000.0).round() / 1_000_000.0)
}

pub fn num_value(v: f64) -> Value {
    serde_json::Number::from_f64(v).map(Value::Number).unwrap_or(Value::Null)
}

/// Country name as RAYNET shows it for an ISO alpha-2 code on input.
pub fn country_name(code: &str) -> String {
    match code.to_ascii_uppercase().as_str() {
        "CZ" => "Česká republika",
        "SK" => "Slovensko",
        "AT" => "Rakousko",
        "DE" => "Německo",
        "PL" => "Polsko",
        "HU" => "Maďarsko",
        _ => code,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_accept_numbers_strings_and_refs() {
        let b = json!({"a": 3, "b": "4", "c": {"id": 5}, "d": "x", "e": null});
        assert_eq!(id(&b, "a").unwrap(), Some(3));
        assert_eq!(id(&b, "b").unwrap(), Some(4));
        assert_eq!(id(&b, "c").unwrap(), Some(5));
        assert_eq!(id(&b, "d").unwrap_err().status, 400);
        assert_eq!(id(&b, "e").unwrap(), None);
    }

    #[test]
    fn dates_accept_plain_and_iso_forms_only() {
        let b = json!({"a": "2024-11-04", "b": "2024-11-04T23:30:00.000+01:00", "c": "4.11.2024"});
        assert_eq!(date(&b, "a").unwrap().as_deref(), Some("2024-11-04"));
        assert_eq!(date(&b, "b").unwrap().as_deref(), Some("2024-11-04"));
        assert_eq!(date(&b, "c").unwrap_err().status, 400);
    }

    #[test]
    fn booleans_follow_raynet_words() {
        let b = json!({"a": "yes", "b": "off", "c": "maybe"});
        assert!(boolean(&b, "a").unwrap());
        assert!(!boolean(&b, "b").unwrap());
        assert!(boolean(&b, "c").is_err());
    }
}
