//! The configuration file (`config.toml`): types, loading with validation, atomic 0600 saving.
//!
//! Key names are fixed by the product (`[shoptet]`, `[raynet]`, `[sync]`); unknown keys are
//! an error. Secrets are `SecretString`s and never appear in `Debug`, logs or errors.

mod error;
mod file;
mod mask;
mod monitoring;
pub mod parse_error;
mod paths;
mod perms;
pub mod problem;
pub mod redact;
mod signature_key;
mod validate;

pub use error::ConfigError;
pub use file::{MAX_CONFIG_BYTES, RAYNET_KEY_ENV, SHOPTET_TOKEN_ENV};
pub use mask::mask;
pub use monitoring::{AlertsConfig, ServerConfig, default_stale_poll_minutes};
pub use parse_error::ParseProblem;
pub use paths::{CONFIG_ENV, DATA_DIR_ENV, Paths};
pub use perms::{
    LooseMode, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, create_private_file, ensure_private_dir, loose_modes,
    open_private_file,
};
pub use problem::Problem as ConfigProblem;
pub use signature_key::save_signature_key;
pub use validate::PLAIN_HTTP_PORTS;

use chrono::{DateTime, FixedOffset};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// The whole configuration file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub shoptet: ShoptetConfig,
    pub raynet: RaynetConfig,
    pub sync: SyncConfig,
    #[serde(default)]
    pub webhook: WebhookConfig,
    /// The status endpoint (`/healthz`, `/metrics`); off by default.
    #[serde(default, skip_serializing_if = "ServerConfig::is_off")]
    pub server: ServerConfig,
    #[serde(default, skip_serializing_if = "AlertsConfig::is_default")]
    pub alerts: AlertsConfig,
}

/// How the sync authenticates to Shoptet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShoptetAuth {
    /// `Shoptet-Private-API-Token` (Shoptet Premium).
    PrivateToken,
    /// Addon OAuth: `api_token` is the OAuth access token, exchanged for 30-minute API tokens.
    Addon,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShoptetConfig {
    #[serde(default = "default_shoptet_url")]
    pub base_url: String,
    #[serde(default = "default_shoptet_auth")]
    pub auth: ShoptetAuth,
    /// Private API token or addon OAuth access token. Env `SHOPTET_API_TOKEN` overrides.
    #[serde(default = "empty_secret", serialize_with = "expose_secret")]
    pub api_token: SecretString,
    /// For `auth = "addon"`: the e-shop's URL (its OAuth server lives there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eshop_url: Option<String>,
    /// Simultaneous requests to Shoptet, 1..=3. Shoptet allows 3 connections per token and the
    /// shop's other tools share them, so the default (2) leaves one free.
    #[serde(default = "default_shoptet_max_connections", skip_serializing_if = "is_default_connections")]
    pub max_connections: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RaynetConfig {
    #[serde(default = "default_raynet_url")]
    pub base_url: String,
    /// Instance name (`X-Instance-Name`).
    pub instance: String,
    /// The RAYNET user's login e-mail.
    pub username: String,
    /// Env `RAYNET_API_KEY` overrides.
    #[serde(default = "empty_secret", serialize_with = "expose_secret")]
    pub api_key: SecretString,
    /// Simultaneous requests to RAYNET (orders worked at once), 1..=4. RAYNET allows 4
    /// connections per client; the default (3) leaves one for other tools.
    #[serde(
        default = "default_raynet_max_connections",
        skip_serializing_if = "is_default_raynet_connections"
    )]
    pub max_connections: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    /// Orders created after this moment are in scope, and older ones that change after it.
    pub enabled_at: DateTime<FixedOffset>,
    /// Shoptet status ids that make an order final (synced). Default `[-3]`.
    #[serde(default = "default_final_statuses")]
    pub final_status_ids: Vec<i64>,
    /// RAYNET person id (not userAccount id) of the owner of new clients.
    pub default_owner_id: i64,
    pub business_case_phase_id: i64,
    pub source_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<i64>,
    #[serde(default = "default_poll_interval")]
    pub poll_interval_secs: u64,
    /// Business-case name; `{code}` is replaced by the order code.
    #[serde(default = "default_name_template")]
    pub name_template: String,
    /// Shoptet status ids meaning "cancelled". Default `[-4]`.
    #[serde(default = "default_cancelled_statuses")]
    pub cancelled_status_ids: Vec<i64>,
    /// Phase a synced business case moves to when its order is cancelled; unset = leave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_phase_id: Option<i64>,
    /// How far back each poll re-reads the changes feed, to never miss a boundary change.
    #[serde(default = "default_overlap")]
    pub overlap_secs: u64,
    /// How long the settings read from both services (users, value lists, the e-shop and its
    /// statuses) are used before they are read again. They are read again sooner when the
    /// configuration changes or RAYNET refuses one of them.
    #[serde(default = "default_settings_refresh", skip_serializing_if = "is_default_settings_refresh")]
    pub settings_refresh_secs: u64,
    /// How long what the store remembers of a known client (its owner, that it still exists)
    /// stands before the client is read from RAYNET again; 0 reads it for every order.
    #[serde(default = "default_client_refresh", skip_serializing_if = "is_default_client_refresh")]
    pub client_refresh_secs: u64,
    /// RAYNET requests a backfill leaves in each day's budget for new orders: backfill orders
    /// wait for the next day once only this many are left.
    #[serde(default = "default_backfill_reserve", skip_serializing_if = "is_default_reserve")]
    pub backfill_reserve: u64,
}

/// Optional webhook receiver (an accelerator; polling stays the source of truth).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    #[serde(default)]
    pub enabled: bool,
    /// Address to listen on, e.g. `0.0.0.0:8080`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    /// Public URL Shoptet posts to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// HMAC-SHA1 signature key from `/api/webhooks/renew-signature-key`.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "expose_secret_opt")]
    pub signature_key: Option<SecretString>,
}

pub fn default_shoptet_url() -> String {
    "https://api.myshoptet.com".into()
}
pub fn default_raynet_url() -> String {
    "https://app.raynet.cz/api/v2".into()
}
pub fn default_shoptet_max_connections() -> usize {
    2
}
pub fn default_raynet_max_connections() -> usize {
    3
}
fn is_default_raynet_connections(n: &usize) -> bool {
    *n == default_raynet_max_connections()
}
fn is_default_connections(n: &usize) -> bool {
    *n == default_shoptet_max_connections()
}
fn default_shoptet_auth() -> ShoptetAuth {
    ShoptetAuth::PrivateToken
}
fn default_final_statuses() -> Vec<i64> {
    vec![-3]
}
fn default_cancelled_statuses() -> Vec<i64> {
    vec![-4]
}
fn default_poll_interval() -> u64 {
    300
}
fn default_overlap() -> u64 {
    600
}
pub fn default_settings_refresh() -> u64 {
    3600
}
fn is_default_settings_refresh(n: &u64) -> bool {
    *n == default_settings_refresh()
}
pub fn default_client_refresh() -> u64 {
    3600
}
fn is_default_client_refresh(n: &u64) -> bool {
    *n == default_client_refresh()
}
pub fn default_backfill_reserve() -> u64 {
    2_000
}
fn is_default_reserve(n: &u64) -> bool {
    *n == default_backfill_reserve()
}
pub fn default_name_template() -> String {
    "Objednávka {code}".into()
}

/// A missing secret parses as empty, so it can come from the environment alone.
fn empty_secret() -> SecretString {
    SecretString::from("")
}

/// Secrets are written to the 0600 file only; everywhere else they stay redacted.
fn expose_secret<S: serde::Serializer>(s: &SecretString, ser: S) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    ser.serialize_str(s.expose_secret())
}

fn expose_secret_opt<S: serde::Serializer>(s: &Option<SecretString>, ser: S) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    match s {
        Some(s) => ser.serialize_str(s.expose_secret()),
        None => ser.serialize_none(),
    }
}
