//! RAYNET's response envelope (`success`, `data`, `totalCount`) and error body
//! (`message`, `translatedMessage`, `type`), read leniently.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A successful body, split into its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// `data`, or the whole body when it came without an envelope.
    pub data: Value,
    pub total_count: Option<u64>,
}

/// The readable parts of an error body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// `translatedMessage`, else `message`.
    pub message: Option<String>,
    /// `type`, e.g. `RequestLimitReached`.
    pub kind: Option<String>,
}

/// Why a 2xx body could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvelopeError {
    /// Not JSON, or `data` of the wrong shape.
    Unreadable(String),
    /// `"success": false` in a 2xx answer.
    Refused(ErrorBody),
}

/// Splits a 2xx body. An empty body counts as `data: null`.
pub fn parse(body: &str) -> Result<Envelope, EnvelopeError> {
    if body.trim().is_empty() {
        return Ok(Envelope { data: Value::Null, total_count: None });
    }
    let v: Value = serde_json::from_str(body).map_err(|e| EnvelopeError::Unreadable(e.to_string()))?;
    let Value::Object(mut map) = v else {
        return Ok(Envelope { data: v, total_count: None });
    };
    if let Some(success) = map.get("success")
        && !truthy(success)
    {
        return Err(EnvelopeError::Refused(error_fields(&Value::Object(map))));
    }
    if !map.contains_key("success") && !map.contains_key("data") {
        return Ok(Envelope { data: Value::Object(map), total_count: None });
    }
    let total_count = map.get("totalCount").and_then(number_like);
    let data = map.remove("data").unwrap_or(Value::Null);
    Ok(Envelope { data, total_count })
}

/// Reads the error fields of a body, if it is JSON.
pub fn parse_error(body: &str) -> ErrorBody {
    serde_json::from_str::<Value>(body).map(|v| error_fields(&v)).unwrap_or_default()
}

fn error_fields(v: &Value) -> ErrorBody {
    let text =
        |k: &str| v.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    ErrorBody { message: text("translatedMessage").or_else(|| text("message")), kind: text("type") }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "on" | "yes" | "1"),
        Value::Number(n) => n.as_i64() != Some(0),
        _ => false,
    }
}

fn number_like(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The id of a created record: `data` as `{"id": 5}`, `5` or `"5"`.
pub fn created_id(data: &Value) -> Option<i64> {
    match data {
        Value::Object(m) => m.get("id").and_then(id_like),
        other => id_like(other),
    }
}

fn id_like(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Deserializes `data` into `T`.
pub fn data_as<T: DeserializeOwned>(data: Value) -> Result<T, EnvelopeError> {
    serde_json::from_value(data).map_err(|e| EnvelopeError::Unreadable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_envelope_with_string_success() {
        let e = parse(r#"{"success": "true", "totalCount": 2, "data": [1, 2]}"#).unwrap();
        assert_eq!(e.data, json!([1, 2]));
        assert_eq!(e.total_count, Some(2));
    }

    #[test]
    fn bare_object_and_empty_body() {
        assert_eq!(parse(r#"{"uuid": "x"}"#).unwrap().data, json!({"uuid": "x"}));
        assert_eq!(parse("  ").unwrap().data, Value::Null);
        assert!(matches!(parse("{\"data\": [").unwrap_err(), EnvelopeError::Unreadable(_)));
    }

    #[test]
    fn success_false_is_refused_with_its_reason() {
        let err = parse(r#"{"success": false, "type": "X", "message": "nope"}"#).unwrap_err();
        assert_eq!(
            err,
            EnvelopeError::Refused(ErrorBody { message: Some("nope".into()), kind: Some("X".into()) })
        );
    }

    #[test]
    fn error_prefers_translated_message() {
        let e = parse_error(r#"{"message": "m", "translatedMessage": "přeloženo", "type": "T"}"#);
        assert_eq!(e.message.as_deref(), Some("přeloženo"));
        assert_eq!(parse_error("<html>").message, None);
    }

    #[test]
    fn created_id_shapes() {
        assert_eq!(created_id(&json!({"id": 5})), Some(5));
        assert_eq!(created_id(&json!(3)), Some(3));
        assert_eq!(created_id(&json!("7")), Some(7));
        assert_eq!(created_id(&json!({"uuid": 1})), None);
    }
}
