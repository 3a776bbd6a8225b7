//! What each check found, as data: the front ends say it in their language (the CLI and
//! `--json` in English, the dashboard in Czech or English) with the fix in one line.

use crate::config::{ConfigError, ConfigProblem, ParseProblem};
use crate::http::ErrorKind;
use crate::webhooks::UrlProblem;

/// Which check a result belongs to. `as_str` is the stable name `doctor --json` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckName {
    ConfigFile,
    ConfigPermissions,
    Secrets,
    DataDirectory,
    DataPermissions,
    FreeSpace,
    Database,
    Engine,
    Shoptet,
    OrderStatuses,
    ChangesFeed,
    Webhook,
    WebhookDeliveries,
    Raynet,
    DefaultOwner,
    CasePhase,
    Source,
    Category,
    StornoPhase,
    Currencies,
    RaynetBudget,
    Clock,
}

impl CheckName {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckName::ConfigFile => "config file",
            CheckName::ConfigPermissions => "config permissions",
            CheckName::Secrets => "secrets",
            CheckName::DataDirectory => "data directory",
            CheckName::DataPermissions => "data permissions",
            CheckName::FreeSpace => "free space",
            CheckName::Database => "database",
            CheckName::Engine => "engine",
            CheckName::Shoptet => "Shoptet",
            CheckName::OrderStatuses => "order statuses",
            CheckName::ChangesFeed => "changes feed",
            CheckName::Webhook => "webhook",
            CheckName::WebhookDeliveries => "webhook deliveries",
            CheckName::Raynet => "RAYNET",
            CheckName::DefaultOwner => "default owner",
            CheckName::CasePhase => "case phase",
            CheckName::Source => "source",
            CheckName::Category => "category",
            CheckName::StornoPhase => "storno phase",
            CheckName::Currencies => "currencies",
            CheckName::RaynetBudget => "RAYNET budget",
            CheckName::Clock => "clock",
        }
    }
}

/// A finding of any check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Local(Local),
    Shop(Shop),
    Crm(Crm),
    Hook(Hook),
    Clock(Clock),
    /// A request failed: `error` as the API client words it; the fix depends on its kind.
    Api {
        error: String,
        kind: ErrorKind,
        on_auth: AuthFix,
    },
    /// The API client could not even be built from a configuration section.
    Setup {
        error: String,
        section: &'static str,
    },
}

/// What to do when a service refused the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFix {
    ShoptetToken,
    RaynetLogin,
    TokenRights,
    RaynetCredentials,
}

/// Why the config file cannot be used: a value's typed problem, the file's typed parse
/// error, or the words of the system, kept as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokenConfig {
    NotFound {
        file: String,
    },
    Invalid {
        file: String,
        key: String,
        problem: ConfigProblem,
    },
    /// Not TOML, or not of this program's shape.
    Unreadable {
        file: String,
        problem: ParseProblem,
    },
    Other {
        text: String,
    },
}

impl From<&ConfigError> for BrokenConfig {
    fn from(e: &ConfigError) -> BrokenConfig {
        let shown = |p: &std::path::Path| p.display().to_string();
        match e {
            ConfigError::NotFound { path } => BrokenConfig::NotFound { file: shown(path) },
            ConfigError::Invalid { path, key, problem } => BrokenConfig::Invalid {
                file: path.as_deref().map(shown).unwrap_or_default(),
                key: key.clone(),
                problem: problem.clone(),
            },
            ConfigError::Parse { path, problem } => {
                BrokenConfig::Unreadable { file: shown(path), problem: (**problem).clone() }
            }
            other => BrokenConfig::Other { text: other.to_string() },
        }
    }
}

/// The config file, the data directory, the database and the lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Local {
    ConfigReads {
        file: String,
    },
    ConfigBroken {
        error: BrokenConfig,
    },
    ConfigLoose {
        file: String,
        mode: u32,
    },
    ConfigPrivate,
    SecretsFromFile,
    SecretsFromEnv {
        vars: Vec<&'static str>,
    },
    DataDirMissing {
        dir: String,
    },
    DataDirNotADir {
        dir: String,
    },
    DataDirWritable {
        dir: String,
    },
    DataDirNotWritable {
        dir: String,
        error: String,
    },
    DataPrivate,
    /// Paths others can read; the first with the mode it should have.
    DataLoose {
        paths: Vec<String>,
        first: String,
        expected: u32,
    },
    SpaceLow {
        mib: u64,
    },
    Space {
        mib: u64,
    },
    NoDatabase,
    DatabaseUnreadable {
        db: String,
        error: String,
    },
    DatabaseDamaged {
        verdict: String,
    },
    DatabaseNewer {
        version: i64,
        ours: i64,
    },
    DatabaseMigrates {
        version: i64,
        ours: i64,
    },
    DatabaseOk {
        version: i64,
    },
    EngineRunning,
    EngineIdle,
}

/// Shoptet: the e-shop, the configured statuses, the changes feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shop {
    Reached { name: String, id: i64 },
    StatusesOk,
    StatusesGone { ids: Vec<i64> },
    FeedBehind { days: i64 },
    FeedOk { cursor: String },
}

/// RAYNET: credentials, the configured values, currencies, the daily budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Crm {
    Reached { users: usize },
    OwnerOk { id: i64 },
    OwnerGone { id: i64 },
    ValueOk { id: i64 },
    ValueGone { id: i64 },
    CurrenciesOk,
    CurrenciesMissing { codes: Vec<String> },
    Budget { left: u64, limit: u64, reset: Option<String>, low: bool },
}

/// Our webhooks: the key, the URL, the registration, failed deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hook {
    NoKey,
    BadUrl {
        url: String,
        problem: UrlProblem,
    },
    Registered {
        url: String,
    },
    /// A plain-http public URL (allowed on 80 and 8080): the signature is the only protection.
    PlainHttp {
        url: String,
    },
    /// `elsewhere`: (event, URL) pairs of our events registered at another address.
    NotRegistered {
        url: String,
        missing: Vec<&'static str>,
        elsewhere: Vec<(String, String)>,
    },
    NotAllowed,
    DeliveriesOk,
    /// Failed deliveries of the last 7 days; the newest one in detail.
    DeliveriesFailed {
        count: usize,
        last: FailedDelivery,
    },
}

/// One failed delivery, as Shoptet's notification log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedDelivery {
    pub event: String,
    pub order: String,
    pub url: String,
    pub attempted: Option<String>,
    pub attempts: i64,
}

/// This machine's clock against the services'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clock {
    Off { service: &'static str, secs: i64 },
    Agrees,
}
