//! Registered webhooks.

use serde::{Deserialize, Serialize};

/// A registered webhook (`GET|POST /api/webhooks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub id: i64,
    pub event: String,
    pub url: String,
    pub created: Option<String>,
    pub updated: Option<String>,
}

/// The JSON Shoptet POSTs to a webhook URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    pub eshop_id: i64,
    pub event: String,
    pub event_created: String,
    /// Order code for order events, GUID for products/customers.
    pub event_instance: String,
}
