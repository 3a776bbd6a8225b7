//! Checks a parsed configuration; every problem names its key and the fix.

use std::net::{IpAddr, SocketAddr};

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};

use super::problem::{IdKind, Problem, Secret, UrlFault};
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
    fn check(&mut self, key: &str, result: Result<(), Problem>) {
        if let Err(message) = result {
            self.0.push(ConfigError::invalid(key, message));
        }
    }
}

/// `[shoptet]`: addresses, the token, the add-on e-shop and the connection limit.
fn shoptet(p: &mut Problems, c: &Config) {
    p.check("shoptet.base_url", web_url(&c.shoptet.base_url, "https://api.myshoptet.com"));
    p.check("shoptet.api_token", secret(&c.shoptet.api_token, Secret::ShoptetToken));
    if c.shoptet.auth == ShoptetAuth::Addon {
        p.check(
            "shoptet.eshop_url",
            match &c.shoptet.eshop_url {
                None => Err(Problem::EshopUrlRequired { example: ESHOP_EXAMPLE }),
                Some(u) => web_url(u, ESHOP_EXAMPLE),
            },
        );
    } else if let Some(u) = &c.shoptet.eshop_url {
        p.check("shoptet.eshop_url", web_url(u, ESHOP_EXAMPLE));
    }
    p.check(
        "shoptet.max_connections",
        if (1..=3).contains(&c.shoptet.max_connections) { Ok(()) } else { Err(Problem::MaxConnections) },
    );
}

/// `[raynet]`: the address and the credentials.
fn raynet(p: &mut Problems, c: &Config) {
    p.check("raynet.base_url", web_url(&c.raynet.base_url, "https://app.raynet.cz/api/v2"));
    p.check("raynet.instance", non_empty(&c.raynet.instance, Problem::NoInstance));
    p.check(
        "raynet.max_connections",
        if (1..=4).contains(&c.raynet.max_connections) { Ok(()) } else { Err(Problem::RaynetConnections) },
    );
    p.check("raynet.username", email(&c.raynet.username));
    p.check("raynet.api_key", secret(&c.raynet.api_key, Secret::RaynetKey));
}

/// `[sync]`: statuses, RAYNET ids, timings and the case name.
fn sync(p: &mut Problems, c: &Config) {
    let s = &c.sync;
    p.check(
        "sync.final_status_ids",
        if s.final_status_ids.is_empty() { Err(Problem::NoFinalStatus) } else { Ok(()) },
    );
    p.check("sync.default_owner_id", positive_id(s.default_owner_id, IdKind::Person));
    p.check("sync.business_case_phase_id", positive_id(s.business_case_phase_id, IdKind::Phase));
    p.check("sync.source_id", positive_id(s.source_id, IdKind::Source));
    if let Some(id) = s.category_id {
        p.check("sync.category_id", optional_id(id, IdKind::Category));
    }
    p.check(
        "sync.poll_interval_secs",
        if (MIN_POLL..=MAX_POLL).contains(&s.poll_interval_secs) {
            Ok(())
        } else {
            Err(Problem::PollInterval { min: MIN_POLL, max: MAX_POLL })
        },
    );
    p.check(
        "sync.name_template",
        if s.name_template.contains("{code}") { Ok(()) } else { Err(Problem::NameTemplate) },
    );
    let overlap: Vec<i64> =
        s.cancelled_status_ids.iter().filter(|id| s.final_status_ids.contains(id)).copied().collect();
    p.check(
        "sync.cancelled_status_ids",
        if overlap.is_empty() { Ok(()) } else { Err(Problem::FinalAndCancelled { ids: overlap }) },
    );
    if let Some(id) = s.cancelled_phase_id {
        p.check("sync.cancelled_phase_id", optional_id(id, IdKind::Phase));
    }
    p.check(
        "sync.overlap_secs",
        if s.overlap_secs <= MAX_OVERLAP {
            Ok(())
        } else {
            Err(Problem::OverlapTooLong { max: MAX_OVERLAP })
        },
    );
    p.check(
        "sync.settings_refresh_secs",
        if (MIN_SETTINGS_REFRESH..=MAX_SETTINGS_REFRESH).contains(&s.settings_refresh_secs) {
            Ok(())
        } else {
            Err(Problem::SettingsRefresh { min: MIN_SETTINGS_REFRESH, max: MAX_SETTINGS_REFRESH })
        },
    );
    p.check(
        "sync.client_refresh_secs",
        if s.client_refresh_secs <= MAX_CLIENT_REFRESH {
            Ok(())
        } else {
            Err(Problem::ClientRefresh { max: MAX_CLIENT_REFRESH })
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
                None => Err(Problem::ListenRequired),
                Some(l) => l.parse::<SocketAddr>().map(|_| ()).map_err(|_| Problem::WebhookListen),
            },
        );
        p.check(
            "webhook.public_url",
            match &w.public_url {
                None => Err(Problem::PublicUrlRequired),
                Some(u) => hook_url(u),
            },
        );
    }
}

/// `[server]`: a socket address that can live beside the webhook receiver's.
fn server(p: &mut Problems, c: &Config) {
    let Some(listen) = &c.server.listen else { return };
    let Ok(addr) = listen.parse::<SocketAddr>() else {
        p.check("server.listen", Err(Problem::ServerListen));
        return;
    };
    let hook =
        c.webhook.listen.as_deref().filter(|_| c.webhook.enabled).and_then(|l| l.parse::<SocketAddr>().ok());
    if let Some(hook) = hook
        && hook != addr
        && hook.port() == addr.port()
        && (hook.ip().is_unspecified() || addr.ip().is_unspecified() || hook.ip() == addr.ip())
    {
        p.check("server.listen", Err(Problem::PortClash { port: addr.port(), hook: hook.to_string() }));
    }
}

/// `[alerts]`: the command, the webhook URL, and a stale-poll limit longer than a poll.
fn alerts(p: &mut Problems, c: &Config) {
    let a = &c.alerts;
    if let Some(cmd) = &a.command {
        p.check("alerts.command", non_empty(cmd, Problem::EmptyCommand));
    }
    if let Some(url) = &a.webhook_url {
        // The URL is a secret (chat webhooks carry their key in it): the message never quotes it.
        p.check(
            "alerts.webhook_url",
            web_url(url.expose_secret(), ALERT_HOOK_EXAMPLE)
                .map_err(|_| Problem::AlertUrl { example: ALERT_HOOK_EXAMPLE }),
        );
    }
    let Some(stale) = a.stale_poll_minutes else { return };
    let poll_minutes = c.sync.poll_interval_secs.div_ceil(60);
    p.check(
        "alerts.stale_poll_minutes",
        if stale > poll_minutes && stale <= MAX_STALE_MINUTES {
            Ok(())
        } else {
            Err(Problem::StalePoll {
                poll_minutes,
                max: MAX_STALE_MINUTES,
                suggested: (poll_minutes * 3).max(crate::config::default_stale_poll_minutes()),
            })
        },
    );
}

fn non_empty(value: &str, problem: Problem) -> Result<(), Problem> {
    if value.trim().is_empty() { Err(problem) } else { Ok(()) }
}

fn secret(value: &SecretString, secret: Secret) -> Result<(), Problem> {
    if value.expose_secret().trim().is_empty() { Err(Problem::EmptySecret { secret }) } else { Ok(()) }
}

fn positive_id(got: i64, kind: IdKind) -> Result<(), Problem> {
    if got > 0 { Ok(()) } else { Err(Problem::NotAnId { kind, got, optional: false }) }
}

fn optional_id(got: i64, kind: IdKind) -> Result<(), Problem> {
    if got > 0 { Ok(()) } else { Err(Problem::NotAnId { kind, got, optional: true }) }
}

fn email(value: &str) -> Result<(), Problem> {
    let Some((local, domain)) = value.split_once('@') else {
        return Err(Problem::NotAnEmail);
    };
    let ok = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace);
    if ok { Ok(()) } else { Err(Problem::NotAnEmail) }
}

/// An http(s) URL; plain http only towards this machine.
fn web_url(value: &str, example: &'static str) -> Result<(), Problem> {
    let url = parse_url(value, example)?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(Problem::HttpNotLocal { value: value.to_string(), example }),
        other => Err(Problem::Scheme { scheme: other.to_string(), example }),
    }
}

/// Where Shoptet posts webhooks: https, or plain http on a port Shoptet delivers plain http to
/// (it delivers to 80, 8080, 443 and 8443 and names no scheme: shoptet-api.md §7).
fn hook_url(value: &str) -> Result<(), Problem> {
    let url = parse_url(value, HOOK_EXAMPLE)?;
    match (url.scheme(), url.port_or_known_default()) {
        ("https", _) => Ok(()),
        ("http", Some(port)) if PLAIN_HTTP_PORTS.contains(&port) => Ok(()),
        ("http", port) => Err(Problem::HookHttpPort { port, example: HOOK_EXAMPLE }),
        (other, _) => Err(Problem::HookScheme { scheme: other.to_string(), example: HOOK_EXAMPLE }),
    }
}

fn parse_url(value: &str, example: &'static str) -> Result<Url, Problem> {
    let url = Url::parse(value).map_err(|e| {
        // `url::ParseError` is not reachable through reqwest; its texts are stable.
        let fault = match e.to_string().as_str() {
            "relative URL without a base" => UrlFault::NoScheme,
            "empty host" => UrlFault::NoHost,
            "invalid port number" => UrlFault::BadPort,
            "invalid IPv4 address" | "invalid IPv6 address" => UrlFault::BadIp,
            "invalid domain character" | "invalid international domain name" => UrlFault::BadHostCharacters,
            _ => UrlFault::Other,
        };
        Problem::NotUrl { fault, example }
    })?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Problem::NoHost { value: value.to_string(), example });
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
