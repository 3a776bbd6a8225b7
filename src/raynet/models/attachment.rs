//! Attachments (links).

use serde::{Deserialize, Serialize};

/// Body of `PUT /attachment/{entity}/{id}/` for a link attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkAttachment {
    pub link: String,
    pub link_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: Option<i64>,
    pub link: Option<String>,
    pub link_name: Option<String>,
}

// ---------------------------------------------------------------- value lists
