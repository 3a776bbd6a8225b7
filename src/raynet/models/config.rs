//! User accounts and value-list entries.

use serde::{Deserialize, Serialize};

use super::Ref;

/// `GET /userAccount/` rows. `person.id` is what `owner` takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAccount {
    pub id: i64,
    pub username: Option<String>,
    pub person: Option<Ref>,
    pub user_role: Option<String>,
}

impl UserAccount {
    /// The person id of the user: what `owner` fields take (not `id`).
    pub fn person_id(&self) -> Option<i64> {
        self.person.as_ref().map(|p| p.id)
    }
}

/// Rows of `/businessCasePhase/`, `/contactSource/`, `/currency/`, `/businessCaseCategory/`:
/// `code01` is the label; currency has the ISO code in `code02`; phases carry their status
/// group (`B_ACTIVE`, `E_WIN`, `F_LOST`, `G_STORNO`) in `strValue01`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueListItem {
    pub id: i64,
    pub code01: Option<String>,
    pub code02: Option<String>,
    pub str_value01: Option<String>,
    pub probability: Option<i64>,
    pub business_case_type_id: Option<i64>,
}

impl ValueListItem {
    pub fn label(&self) -> &str {
        self.code01.as_deref().unwrap_or("")
    }
}
