//! Clients (companies), their addresses and contact details.

use serde::{Deserialize, Serialize};

use super::{Ref, lenient_bool};

/// `address` of a company address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressFields {
    /// Label, required by RAYNET ("Sídlo", "Dodací adresa").
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    /// ISO 3166-1 alpha-2 on input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tel1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tel1_type: Option<String>,
}

/// An element of `addresses` on create, and the body of `PUT /company/{id}/address/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressInput {
    pub address: AddressFields,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_info: Option<ContactInfo>,
}

/// Body of `PUT /company/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyCreate {
    pub name: String,
    /// `A`, `B` or `C`.
    pub rating: String,
    /// `A_POTENTIAL`, `B_ACTUAL`, `C_DEFERRED`, `D_UNATTRACTIVE`.
    pub state: String,
    /// `A_SUBSCRIBER`, `B_PARTNER`, `C_SUPPLIER`, `D_RIVAL`.
    pub role: String,
    #[serde(default)]
    pub person: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reg_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_number: Option<String>,
    /// Person id of a RAYNET user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_source: Option<i64>,
    /// First element becomes the primary address ("sídlo").
    #[serde(default)]
    pub addresses: Vec<AddressInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext_id: Option<String>,
}

/// A company address in responses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyAddress {
    pub id: Option<i64>,
    #[serde(default)]
    pub address: Option<serde_json::Value>,
    #[serde(default)]
    pub contact_info: Option<ContactInfoOut>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub primary: bool,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub contact_address: bool,
}

impl CompanyAddress {
    /// Whether this address says what `input` says: the same label, street, city and ZIP code
    /// (compared without spaces and letter case; a missing value equals an empty one) and, when
    /// the answer carries a `countryCode`, the same country. The country itself comes back as a
    /// name, not the code that was sent (raynet-api.md §5), so it is not compared.
    pub fn same_as(&self, input: &AddressFields) -> bool {
        let Some(out) = self.address.as_ref() else { return false };
        let norm = |v: Option<&str>| -> String {
            v.unwrap_or_default()
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let field = |key: &str| norm(out.get(key).and_then(serde_json::Value::as_str));
        let country_ok = match (out.get("countryCode").and_then(serde_json::Value::as_str), &input.country) {
            (Some(code), Some(sent)) => norm(Some(code)) == norm(Some(sent)),
            _ => true,
        };
        field("name") == norm(Some(&input.name))
            && field("street") == norm(input.street.as_deref())
            && field("city") == norm(input.city.as_deref())
            && field("zipCode") == norm(input.zip_code.as_deref())
            && country_ok
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactInfoOut {
    pub email: Option<String>,
    pub tel1: Option<String>,
}

/// A company in list and detail responses (the fields the sync reads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub id: i64,
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub person: bool,
    pub reg_number: Option<String>,
    pub tax_number: Option<String>,
    pub owner: Option<Ref>,
    pub primary_address: Option<CompanyAddress>,
    #[serde(default)]
    pub addresses: Vec<CompanyAddress>,
    #[serde(default)]
    pub ext_ids: Option<Vec<String>>,
}

impl Company {
    pub fn primary_email(&self) -> Option<&str> {
        self.primary_address.as_ref()?.contact_info.as_ref()?.email.as_deref()
    }
}

// ---------------------------------------------------------------- product
