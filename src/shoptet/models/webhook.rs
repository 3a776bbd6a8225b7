//! Registered webhooks, their deliveries, and what Shoptet posts.

use serde::{Deserialize, Serialize};

/// A registered webhook (`GET|POST /api/webhooks`, schema `webhook`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub id: i64,
    pub event: String,
    pub url: String,
    pub created: Option<String>,
    pub updated: Option<String>,
}

/// One delivery of a webhook (`GET /api/webhooks/notifications`, schema `webhookNotification`):
/// Shoptet keeps 7 days of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookNotification {
    pub id: i64,
    pub webhook_id: i64,
    /// The URL as it was when the notification was created.
    pub webhook_url: String,
    pub event: String,
    pub created: Option<String>,
    /// The last delivery attempt (`null` before the first).
    pub attempted: Option<String>,
    pub attempts: i64,
    /// The result of the last attempt: `new`, `failed` or `success`.
    pub status: String,
    /// Not delivered yet, and Shoptet will try again.
    pub active: bool,
    pub data: NotificationData,
}

/// What the notification carried (schema `notificationData`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationData {
    pub event: String,
    /// Order code for order events.
    pub event_instance: String,
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
