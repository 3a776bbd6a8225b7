//! Checks a parsed configuration; every problem names its key and the fix.

use std::net::{IpAddr, SocketAddr};

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};

use super::{Config, ConfigError, ShoptetAuth};

const MIN_POLL: u64 = 30;
const MAX_POLL: u64 = 86_400;
const MAX_OVERLAP: u64 = 86_400;
/// Settings are read again at least this often (a day) and at most every minute.
const MIN_SETTINGS_REFRESH: u64 = 60;
const MAX_SETTINGS_REFRESH: u64 = 86_400;
const MAX_CLIENT_REFRESH: u64 = 86_400;
const ESHOP_EXAMPLE: &str = "https://www.my-eshop.cz";
const HOOK_EXAMPLE: &str = "https://sync.example.cz/webhook";
/// The ports a webhook URL may name with plain http (Shoptet delivers to 80, 8080, 443 and
/// 8443; the last two are https ports). Over http the signature is the only protection.
pub const PLAIN_HTTP_PORTS: [u16; 2] = [80, 8080];
const ALERT_HOOK_EXAMPLE: &str = "https://hooks.example.cz/alerts";
const MAX_STALE_MINUTES: u64 = 10_080;

/// All problems, in file order.
pub(super) fn problems(c: &Config) -> Vec<ConfigError> {
    let mut p = Problems(Vec::new());
    shoptet(&mut p, c);
    raynet(&mut p, c);
    sync(&mut p, c);
    webhook(&mut p, c);
    server(&mut p, c);
    alerts(&mut p, c);
    p.0
}

/// The problems found so far, each under its key.
struct Problems(Vec<ConfigError>);

impl Problems {
    fn check(&mut self, key: &str, result: Result<(), String>) {
        if let Err(message) = result {
            self.0.push(ConfigError::invalid(key, message));
        }
    }
}

/// `[shoptet]`: addresses, the token, the add-on e-shop and the connection limit.
fn shoptet(p: &mut Problems, c: &Config) {
    p.check("shoptet.base_url", web_url(&c.shoptet.base_url, "https://api.myshoptet.com"));
    p.check("shoptet.api_token", secret(&c.shoptet.api_token, "the Shoptet API token", "SHOPTET_API_TOKEN"));
    if c.shoptet.auth == ShoptetAuth::Addon {
        p.check(
            "shoptet.eshop_url",
            match &c.shoptet.eshop_url {
                None => Err("required when auth = \"addon\" — set it to the e-shop's address, \
                             e.g. \"https://www.my-eshop.cz\""
                    .into()),
                Some(u) => web_url(u, ESHOP_EXAMPLE),
            },
        );
    } else if let Some(u) = &c.shoptet.eshop_url {
        p.check("shoptet.eshop_url", web_url(u, ESHOP_EXAMPLE));
    }
    p.check(
        "shoptet.max_connections",
        if (1..=3).contains(&c.shoptet.max_connections) {
            Ok(())
        } else {
            Err("must be 1, 2 or 3 — Shoptet allows 3 simultaneous connections per API token, \
                 shared with the shop's other tools; 2 leaves one for them"
                .into())
        },
    );
}

/// `[raynet]`: the address and the credentials.
fn raynet(p: &mut Problems, c: &Config) {
    p.check("raynet.base_url", web_url(&c.raynet.base_url, "https://app.raynet.cz/api/v2"));
    p.check(
        "raynet.instance",
        non_empty(&c.raynet.instance, "set it to the RAYNET instance name (X-Instance-Name)"),
    );
    p.check(
        "raynet.max_connections",
        if (1..=4).contains(&c.raynet.max_connections) {
            Ok(())
        } else {
            Err("must be 1 to 4 — RAYNET allows 4 simultaneous connections per client; \
                 3 leaves one for other tools"
                .into())
        },
    );
    p.check("raynet.username", email(&c.raynet.username));
    p.check("raynet.api_key", secret(&c.raynet.api_key, "the RAYNET API key", "RAYNET_API_KEY"));
}

/// `[sync]`: statuses, RAYNET ids, timings and the case name.
fn sync(p: &mut Problems, c: &Config) {
    let s = &c.sync;
    p.check(
        "sync.final_status_ids",
        if s.final_status_ids.is_empty() {
            Err("must list at least one Shoptet status id — e.g. [-3] (\"Vyřízena\")".into())
        } else {
            Ok(())
        },
    );
    p.check("sync.default_owner_id", positive_id(s.default_owner_id, "a RAYNET person id"));
    p.check(
        "sync.business_case_phase_id",
        positive_id(s.business_case_phase_id, "a RAYNET business-case phase id"),
    );
    p.check("sync.source_id", positive_id(s.source_id, "a RAYNET source id"));
    if let Some(id) = s.category_id {
        p.check("sync.category_id", optional_id(id, "a RAYNET category id"));
    }
    p.check(
        "sync.poll_interval_secs",
        if (MIN_POLL..=MAX_POLL).contains(&s.poll_interval_secs) {
            Ok(())
        } else {
            Err(format!("must be between {MIN_POLL} and {MAX_POLL} seconds — e.g. 300 (five minutes)"))
        },
    );
    p.check(
        "sync.name_template",
        if s.name_template.contains("{code}") {
            Ok(())
        } else {
            Err("must contain {code} (replaced by the order code) — e.g. \"Objednávka {code}\"".into())
        },
    );
    let overlap: Vec<String> = s
        .cancelled_status_ids
        .iter()
        .filter(|id| s.final_status_ids.contains(id))
        .map(i64::to_string)
        .collect();
    p.check(
        "sync.cancelled_status_ids",
        if overlap.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "status {} is also in sync.final_status_ids — a status cannot be both final and \
                 cancelled; remove it from one list",
                overlap.join(", ")
            ))
        },
    );
    if let Some(id) = s.cancelled_phase_id {
        p.check("sync.cancelled_phase_id", optional_id(id, "a RAYNET business-case phase id"));
    }
    p.check(
        "sync.overlap_secs",
        if s.overlap_secs <= MAX_OVERLAP {
            Ok(())
        } else {
            Err(format!("must be at most {MAX_OVERLAP} seconds (one day) — e.g. 600"))
        },
    );
    p.check(
        "sync.settings_refresh_secs",
        if (MIN_SETTINGS_REFRESH..=MAX_SETTINGS_REFRESH).contains(&s.settings_refresh_secs) {
            Ok(())
        } else {
            Err(format!(
                "must be between {MIN_SETTINGS_REFRESH} and {MAX_SETTINGS_REFRESH} seconds — e.g. 3600 (an hour)"
            ))
        },
    );
    p.check(
        "sync.client_refresh_secs",
        if s.client_refresh_secs <= MAX_CLIENT_REFRESH {
            Ok(())
        } else {
            Err(format!(
                "must be at most {MAX_CLIENT_REFRESH} seconds (one day) — e.g. 3600; 0 reads a known \
                 client from RAYNET for every order"
            ))
        },
    );
}

/// `[webhook]`: the listen address and the public URL, when enabled.
fn webhook(p: &mut Problems, c: &Config) {
    let w = &c.webhook;
    if w.enabled {
        p.check(
            "webhook.listen",
            match &w.listen {
                None => Err("required when webhook.enabled = true — e.g. \"0.0.0.0:8080\"".into()),
                Some(l) => l.parse::<SocketAddr>().map(|_| ()).map_err(|_| {
                    "must be an IP address and a port, e.g. \"0.0.0.0:8080\" (every interface) or \
                         \"127.0.0.1:8080\" (this machine only)"
                        .into()
                }),
            },
        );
        p.check(
            "webhook.public_url",
            match &w.public_url {
                None => Err("required when webhook.enabled = true — the https:// address \
                             Shoptet posts to"
                    .into()),
                Some(u) => hook_url(u),
            },
        );
    }
}

/// `[server]`: a socket address that can live beside the webhook receiver's.
fn server(p: &mut Problems, c: &Config) {
    let Some(listen) = &c.server.listen else { return };
    let Ok(addr) = listen.parse::<SocketAddr>() else {
        p.check(
            "server.listen",
            Err("must be an IP address and a port, e.g. \"127.0.0.1:9464\" (this machine only) or \
                 \"0.0.0.0:9464\" (every interface); leave the key out to serve no status endpoint"
                .into()),
        );
        return;
    };
    let hook =
        c.webhook.listen.as_deref().filter(|_| c.webhook.enabled).and_then(|l| l.parse::<SocketAddr>().ok());
    if let Some(hook) = hook
        && hook != addr
        && hook.port() == addr.port()
        && (hook.ip().is_unspecified() || addr.ip().is_unspecified() || hook.ip() == addr.ip())
    {
        p.check(
            "server.listen",
            Err(format!(
                "uses port {} like webhook.listen = \"{hook}\" on another address — write the same \
                 address in both to share one listener, or choose another port",
                addr.port()
            )),
        );
    }
}

/// `[alerts]`: the command, the webhook URL, and a stale-poll limit longer than a poll.
fn alerts(p: &mut Problems, c: &Config) {
    let a = &c.alerts;
    if let Some(cmd) = &a.command {
        p.check(
            "alerts.command",
            non_empty(cmd, "write a shell command, e.g. 'logger -t shoptet-raynet-sync \"$SRS_ALERT_TEXT\"', or leave the key out"),
        );
    }
    if let Some(url) = &a.webhook_url {
        // The URL is a secret (chat webhooks carry their key in it): the message never quotes it.
        p.check(
            "alerts.webhook_url",
            web_url(url.expose_secret(), ALERT_HOOK_EXAMPLE).map_err(|_| {
                format!(
                    "must be an https:// address (http:// only for localhost) — e.g. \"{ALERT_HOOK_EXAMPLE}\""
                )
            }),
        );
    }
    let Some(stale) = a.stale_poll_minutes else { return };
    let poll_minutes = c.sync.poll_interval_secs.div_ceil(60);
    p.check(
        "alerts.stale_poll_minutes",
        if stale > poll_minutes && stale <= MAX_STALE_MINUTES {
            Ok(())
        } else {
            Err(format!(
                "must be more than the poll interval ({poll_minutes} min) and at most {MAX_STALE_MINUTES} \
                 (a week) — e.g. {} (three polls)",
                (poll_minutes * 3).max(crate::config::default_stale_poll_minutes())
            ))
        },
    );
}

fn non_empty(value: &str, fix: &str) -> Result<(), String> {
    if value.trim().is_empty() { Err(format!("must not be empty — {fix}")) } else { Ok(()) }
}

fn secret(value: &SecretString, what: &str, env: &str) -> Result<(), String> {
    if value.expose_secret().trim().is_empty() {
        Err(format!("must not be empty — set {what} here or in the {env} environment variable"))
    } else {
        Ok(())
    }
}

fn positive_id(id: i64, what: &str) -> Result<(), String> {
    if id > 0 { Ok(()) } else { Err(format!("must be {what}, a whole number above 0 — got {id}")) }
}

fn optional_id(id: i64, what: &str) -> Result<(), String> {
    positive_id(id, what).map_err(|e| format!("{e}; or leave the key out"))
}

fn email(value: &str) -> Result<(), String> {
    let fix = "must be the RAYNET user's login e-mail, e.g. \"jana@example.cz\"";
    let Some((local, domain)) = value.split_once('@') else {
        return Err(fix.into());
    };
    let ok = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace);
    if ok { Ok(()) } else { Err(fix.into()) }
}

/// An http(s) URL; plain http only towards this machine.
fn web_url(value: &str, example: &str) -> Result<(), String> {
    let url = parse_url(value, example)?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(format!(
            "must use https:// (http:// is allowed only for localhost), got \"{value}\" — e.g. \"{example}\""
        )),
        other => Err(format!("must be an https:// address, not {other}:// — e.g. \"{example}\"")),
    }
}

/// Where Shoptet posts webhooks: https, or plain http on a port Shoptet delivers plain http to
/// (it delivers to 80, 8080, 443 and 8443 and names no scheme: shoptet-api.md §7).
fn hook_url(value: &str) -> Result<(), String> {
    let url = parse_url(value, HOOK_EXAMPLE)?;
    match (url.scheme(), url.port_or_known_default()) {
        ("https", _) => Ok(()),
        ("http", Some(port)) if PLAIN_HTTP_PORTS.contains(&port) => Ok(()),
        ("http", port) => Err(format!(
            "uses http:// on port {}, which Shoptet reaches over https only: write https://, or \
             http:// on port 80 or 8080 — e.g. \"{HOOK_EXAMPLE}\"",
            port.map_or_else(|| "?".to_string(), |p| p.to_string())
        )),
        (other, _) => Err(format!(
            "must be an https:// address (or http:// on port 80 or 8080), not {other}:// — e.g. \"{HOOK_EXAMPLE}\""
        )),
    }
}

fn parse_url(value: &str, example: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|e| {
        // `url::ParseError` is not reachable through reqwest; its texts are stable.
        let why = match e.to_string().as_str() {
            "relative URL without a base" => "it does not start with https://",
            "empty host" => "it has no host name",
            "invalid port number" => "its port is not a number from 1 to 65535",
            "invalid IPv4 address" | "invalid IPv6 address" => "its IP address is not valid",
            "invalid domain character" | "invalid international domain name" => {
                "its host name contains characters a host name cannot have (such as spaces)"
            }
            _ => "it is not a valid web address",
        };
        format!("is not a web address: {why} — write it like \"{example}\"")
    })?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("has no host name, got \"{value}\" — write it like \"{example}\""));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
