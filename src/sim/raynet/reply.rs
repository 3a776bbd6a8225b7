//! RAYNET response envelopes and error bodies.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// An error answered with RAYNET's error body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {kind}: {message}")]
pub struct SimError {
    pub status: u16,
    pub kind: &'static str,
    pub message: String,
    pub translated: String,
}

impl SimError {
    pub fn new(
        status: u16,
        kind: &'static str,
        message: impl Into<String>,
        translated: impl Into<String>,
    ) -> Self {
        SimError { status, kind, message: message.into(), translated: translated.into() }
    }

    /// 400 for a missing or invalid field.
    pub fn invalid(field: &str, why: &str) -> Self {
        SimError::new(
            400,
            "ValidationException",
            format!("Validation failed: field [{field}] {why}"),
            format!("Pole [{field}]: {}", translate_why(why)),
        )
    }

    pub fn required(field: &str) -> Self {
        SimError::invalid(field, "is required")
    }

    /// 404 for an unknown id of `entity`.
    pub fn not_found(entity: &str, id: impl std::fmt::Display) -> Self {
        SimError::new(
            404,
            "EntityNotFoundException",
            format!("Entity [{entity}] with id [{id}] not found"),
            format!("Záznam [{entity}] s id [{id}] nebyl nalezen"),
        )
    }

    pub fn unsupported_filter(column: &str) -> Self {
        SimError::new(
            400,
            "UnsupportedFilterException",
            format!("Unsupported filter column [{column}]"),
            format!("Nepodporovaný filtr [{column}]"),
        )
    }

    pub fn duplicate_ext_id(ext_id: &str) -> Self {
        SimError::new(
            400,
            "TranslatedApplicationException",
            format!("exception.duplicateKey: extId [{ext_id}] is already used"),
            format!("Externí identifikátor [{ext_id}] již existuje"),
        )
    }

    pub fn bad_json(detail: &str) -> Self {
        SimError::new(
            400,
            "HttpMessageNotReadableException",
            format!("Malformed request body: {detail}"),
            "Neplatný požadavek",
        )
    }

    pub fn body(&self) -> Value {
        json!({"success": false, "message": self.message, "translatedMessage": self.translated, "type": self.kind})
    }
}

fn translate_why(why: &str) -> &'static str {
    match why {
        "is required" => "je povinné",
        _ => "má neplatnou hodnotu",
    }
}

impl IntoResponse for SimError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.body())).into_response()
    }
}

pub type SimResult = Result<Response, SimError>;

pub fn list(total: usize, data: Vec<Value>) -> Response {
    Json(json!({"success": true, "totalCount": total, "data": data})).into_response()
}

pub fn detail(data: Value) -> Response {
    Json(json!({"success": true, "data": data})).into_response()
}

pub fn created(id: i64) -> Response {
    (StatusCode::CREATED, Json(json!({"success": true, "data": {"id": id}}))).into_response()
}

pub fn created_without_id() -> Response {
    (StatusCode::CREATED, Json(json!({"success": "true"}))).into_response()
}

/// Attachment create answers with the bare id (`Insert201IdResponse`).
pub fn created_bare(id: i64) -> Response {
    (StatusCode::CREATED, Json(json!({"success": "true", "data": id}))).into_response()
}

pub fn ok() -> Response {
    Json(json!({"success": "true"})).into_response()
}
