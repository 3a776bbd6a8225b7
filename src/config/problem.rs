//! What is wrong with one configuration value, as data (the key is beside it in
//! [`super::ConfigError::Invalid`]): `Display` says it in English for the logs; the front ends
//! say it in the user's language (`tui::i18n::config_problem`).

use std::fmt;

/// A secret the configuration needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    ShoptetToken,
    RaynetKey,
}

impl Secret {
    /// The environment variable that can hold it instead.
    pub fn env(self) -> &'static str {
        match self {
            Secret::ShoptetToken => super::SHOPTET_TOKEN_ENV,
            Secret::RaynetKey => super::RAYNET_KEY_ENV,
        }
    }
}

/// The RAYNET id a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Person,
    Phase,
    Source,
    Category,
}

/// Why a text is not a web address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlFault {
    NoScheme,
    NoHost,
    BadPort,
    BadIp,
    BadHostCharacters,
    Other,
}

/// The problem of one value, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `shoptet.eshop_url` with `auth = "addon"`.
    EshopUrlRequired {
        example: &'static str,
    },
    MaxConnections,
    /// `raynet.max_connections` outside 1..=4.
    RaynetConnections,
    /// `raynet.instance` is empty.
    NoInstance,
    /// `alerts.command` is empty.
    EmptyCommand,
    EmptySecret {
        secret: Secret,
    },
    /// Not a whole number above 0; `optional`: the key may be left out.
    NotAnId {
        kind: IdKind,
        got: i64,
        optional: bool,
    },
    NotAnEmail,
    NoFinalStatus,
    PollInterval {
        min: u64,
        max: u64,
    },
    NameTemplate,
    FinalAndCancelled {
        ids: Vec<i64>,
    },
    OverlapTooLong {
        max: u64,
    },
    SettingsRefresh {
        min: u64,
        max: u64,
    },
    ClientRefresh {
        max: u64,
    },
    /// `webhook.listen` missing while webhooks are enabled.
    ListenRequired,
    /// `webhook.listen` is not a socket address.
    WebhookListen,
    PublicUrlRequired,
    /// `server.listen` is not a socket address.
    ServerListen,
    /// `server.listen` takes the webhook receiver's port on another address.
    PortClash {
        port: u16,
        hook: String,
    },
    /// `alerts.webhook_url` (a secret: never quoted).
    AlertUrl {
        example: &'static str,
    },
    StalePoll {
        poll_minutes: u64,
        max: u64,
        suggested: u64,
    },
    HttpNotLocal {
        value: String,
        example: &'static str,
    },
    Scheme {
        scheme: String,
        example: &'static str,
    },
    HookHttpPort {
        port: Option<u16>,
        example: &'static str,
    },
    HookScheme {
        scheme: String,
        example: &'static str,
    },
    NotUrl {
        fault: UrlFault,
        example: &'static str,
    },
    NoHost {
        value: String,
        example: &'static str,
    },
    /// A text of its own (an older caller, or a library's message).
    Text {
        text: String,
    },
}

impl From<String> for Problem {
    fn from(text: String) -> Problem {
        Problem::Text { text }
    }
}

impl IdKind {
    fn en(self) -> &'static str {
        match self {
            IdKind::Person => "a RAYNET person id",
            IdKind::Phase => "a RAYNET business-case phase id",
            IdKind::Source => "a RAYNET source id",
            IdKind::Category => "a RAYNET category id",
        }
    }
}

impl UrlFault {
    fn en(self) -> &'static str {
        match self {
            UrlFault::NoScheme => "it does not start with https://",
            UrlFault::NoHost => "it has no host name",
            UrlFault::BadPort => "its port is not a number from 1 to 65535",
            UrlFault::BadIp => "its IP address is not valid",
            UrlFault::BadHostCharacters => {
                "its host name contains characters a host name cannot have (such as spaces)"
            }
            UrlFault::Other => "it is not a valid web address",
        }
    }
}

/// In English (the logs, `ConfigError`'s text).
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::ListenRequired
            | Problem::WebhookListen
            | Problem::PublicUrlRequired
            | Problem::ServerListen
            | Problem::PortClash { .. }
            | Problem::AlertUrl { .. }
            | Problem::StalePoll { .. }
            | Problem::HttpNotLocal { .. }
            | Problem::Scheme { .. }
            | Problem::HookHttpPort { .. }
            | Problem::HookScheme { .. }
            | Problem::NotUrl { .. }
            | Problem::NoHost { .. }
            | Problem::Text { .. } => self.fmt_address(f),
            _ => self.fmt_value(f),
        }
    }
}

impl Problem {
    /// The values of `[shoptet]`, `[raynet]` and `[sync]`.
    fn fmt_value(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::EshopUrlRequired { example } => write!(
                f,
                "required when auth = \"addon\" — set it to the e-shop's address, e.g. \"{example}\""
            ),
            Problem::MaxConnections => f.write_str(
                "must be 1, 2 or 3 — Shoptet allows 3 simultaneous connections per API token, shared \
                 with the shop's other tools; 2 leaves one for them",
            ),
            Problem::RaynetConnections => f.write_str(
                "must be 1 to 4 — RAYNET allows 4 simultaneous connections per client; 3 leaves one \
                 for other tools",
            ),
            Problem::NoInstance => {
                f.write_str("must not be empty — set it to the RAYNET instance name (X-Instance-Name)")
            }
            Problem::EmptyCommand => f.write_str(
                "must not be empty — write a shell command, e.g. 'logger -t shoptet-raynet-sync \
                 \"$SRS_ALERT_TEXT\"', or leave the key out",
            ),
            Problem::EmptySecret { secret } => {
                let what = match secret {
                    Secret::ShoptetToken => "the Shoptet API token",
                    Secret::RaynetKey => "the RAYNET API key",
                };
                write!(
                    f,
                    "must not be empty — set {what} here or in the {} environment variable",
                    secret.env()
                )
            }
            Problem::NotAnId { kind, got, optional } => {
                write!(f, "must be {}, a whole number above 0 — got {got}", kind.en())?;
                if *optional { f.write_str("; or leave the key out") } else { Ok(()) }
            }
            Problem::NotAnEmail => {
                f.write_str("must be the RAYNET user's login e-mail, e.g. \"jana@example.cz\"")
            }
            Problem::NoFinalStatus => {
                f.write_str("must list at least one Shoptet status id — e.g. [-3] (\"Vyřízena\")")
            }
            Problem::PollInterval { min, max } => {
                write!(f, "must be between {min} and {max} seconds — e.g. 300 (five minutes)")
            }
            Problem::NameTemplate => {
                f.write_str("must contain {code} (replaced by the order code) — e.g. \"Objednávka {code}\"")
            }
            Problem::FinalAndCancelled { ids } => write!(
                f,
                "status {} is also in sync.final_status_ids — a status cannot be both final and \
                 cancelled; remove it from one list",
                join(ids)
            ),
            Problem::OverlapTooLong { max } => {
                write!(f, "must be at most {max} seconds (one day) — e.g. 600")
            }
            Problem::SettingsRefresh { min, max } => {
                write!(f, "must be between {min} and {max} seconds — e.g. 3600 (an hour)")
            }
            Problem::ClientRefresh { max } => write!(
                f,
                "must be at most {max} seconds (one day) — e.g. 3600; 0 reads a known client from \
                 RAYNET for every order"
            ),
            _ => Ok(()),
        }
    }

    /// Addresses, listeners, URLs and the alerts; a text of its own.
    fn fmt_address(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::ListenRequired => {
                f.write_str("required when webhook.enabled = true — e.g. \"0.0.0.0:8080\"")
            }
            Problem::WebhookListen => f.write_str(
                "must be an IP address and a port, e.g. \"0.0.0.0:8080\" (every interface) or \
                 \"127.0.0.1:8080\" (this machine only)",
            ),
            Problem::PublicUrlRequired => {
                f.write_str("required when webhook.enabled = true — the https:// address Shoptet posts to")
            }
            Problem::ServerListen => f.write_str(
                "must be an IP address and a port, e.g. \"127.0.0.1:9464\" (this machine only) or \
                 \"0.0.0.0:9464\" (every interface); leave the key out to serve no status endpoint",
            ),
            Problem::PortClash { port, hook } => write!(
                f,
                "uses port {port} like webhook.listen = \"{hook}\" on another address — write the same \
                 address in both to share one listener, or choose another port"
            ),
            Problem::AlertUrl { example } => {
                write!(f, "must be an https:// address (http:// only for localhost) — e.g. \"{example}\"")
            }
            Problem::StalePoll { poll_minutes, max, suggested } => write!(
                f,
                "must be more than the poll interval ({poll_minutes} min) and at most {max} (a week) — \
                 e.g. {suggested} (three polls)"
            ),
            Problem::HttpNotLocal { value, example } => write!(
                f,
                "must use https:// (http:// is allowed only for localhost), got \"{value}\" — e.g. \"{example}\""
            ),
            Problem::Scheme { scheme, example } => {
                write!(f, "must be an https:// address, not {scheme}:// — e.g. \"{example}\"")
            }
            Problem::HookHttpPort { port, example } => write!(
                f,
                "uses http:// on port {}, which Shoptet reaches over https only: write https://, or \
                 http:// on port 80 or 8080 — e.g. \"{example}\"",
                port.map_or_else(|| "?".to_string(), |p| p.to_string())
            ),
            Problem::HookScheme { scheme, example } => write!(
                f,
                "must be an https:// address (or http:// on port 80 or 8080), not {scheme}:// — e.g. \"{example}\""
            ),
            Problem::NotUrl { fault, example } => {
                write!(f, "is not a web address: {} — write it like \"{example}\"", fault.en())
            }
            Problem::NoHost { value, example } => {
                write!(f, "has no host name, got \"{value}\" — write it like \"{example}\"")
            }
            Problem::Text { text } => f.write_str(text),
            _ => Ok(()),
        }
    }
}

/// "-3, 7".
pub fn join(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}
