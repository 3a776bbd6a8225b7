//! Field checks run on every keystroke; each problem says what to do about it.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::tui::i18n::Texts;
use crate::webhooks::UrlProblem;

/// Text fields of the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    ShoptetUrl,
    ShoptetToken,
    ShoptetAddon,
    EshopUrl,
    RaynetUrl,
    Instance,
    Username,
    ApiKey,
    Start,
    WebhookEnabled,
    Listen,
    PublicUrl,
    /// Whether to fetch a new webhook signature key on save (a switch).
    RenewKey,
    PollInterval,
    NameTemplate,
}

/// The shortest and longest poll interval the configuration accepts, in seconds.
pub const POLL_RANGE: std::ops::RangeInclusive<u64> = 30..=86_400;

impl Field {
    pub fn is_secret(self) -> bool {
        matches!(self, Field::ShoptetToken | Field::ApiKey)
    }
}

/// What the configuration accepts for an API or e-shop address: https://, or http:// for
/// this machine only (localhost, 127.0.0.1, ::1), the way the simulators run.
pub fn check_url(v: &str) -> bool {
    if v.chars().any(char::is_whitespace) {
        return false;
    }
    let Ok(url) = reqwest::Url::parse(v) else { return false };
    let host = url.host_str().unwrap_or_default();
    if host.is_empty() || host.starts_with('.') {
        return false;
    }
    match url.scheme() {
        "https" => true,
        "http" => {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            bare.eq_ignore_ascii_case("localhost")
                || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        _ => false,
    }
}

fn check_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// Accepts "2026-11-27 08:30", "2026-11-27" (midnight) or RFC 3339, in the shop's zone.
pub fn parse_start(v: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    let v = v.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(v) {
        return Some(dt);
    }
    let naive = NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))?;
    let local = tz.from_local_datetime(&naive).earliest()?;
    Some(local.fixed_offset())
}

/// The on/off switches other fields depend on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Switches {
    pub addon: bool,
    pub webhook: bool,
}

/// The problem with `value` in `field`, or None when it is fine.
pub fn problem(field: Field, value: &str, sw: Switches, tz: Tz, t: &'static Texts) -> Option<&'static str> {
    let webhook_enabled = sw.webhook;
    let v = value.trim();
    match field {
        Field::ShoptetUrl | Field::RaynetUrl => (!check_url(v)).then_some(t.err_url),
        Field::ShoptetToken => {
            if v.is_empty() {
                Some(t.err_shoptet_token_empty)
            } else if value.chars().any(char::is_whitespace) {
                Some(t.err_token_spaces)
            } else {
                None
            }
        }
        Field::ApiKey => {
            if v.is_empty() {
                Some(t.err_api_key_empty)
            } else if value.chars().any(char::is_whitespace) {
                Some(t.err_token_spaces)
            } else {
                None
            }
        }
        Field::Instance => {
            let ok =
                !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            (!ok).then_some(t.err_instance)
        }
        Field::Username => (!check_email(v)).then_some(t.err_email),
        Field::Start => parse_start(v, tz).is_none().then_some(t.err_start),
        Field::WebhookEnabled | Field::ShoptetAddon | Field::RenewKey => None,
        Field::EshopUrl => (sw.addon && !check_url(v)).then_some(t.err_eshop_url),
        Field::Listen => {
            (webhook_enabled && v.parse::<std::net::SocketAddr>().is_err()).then_some(t.err_listen)
        }
        Field::PublicUrl if !webhook_enabled => None,
        Field::PublicUrl => public_url_problem(v, t),
        Field::PollInterval => {
            (!v.parse::<u64>().is_ok_and(|n| POLL_RANGE.contains(&n))).then_some(t.err_poll)
        }
        Field::NameTemplate => (!v.contains("{code}")).then_some(t.err_name_template),
    }
}

/// What Shoptet and our receiver need of the public URL (https, Shoptet's ports, the
/// receiver's path), said the way the form says it.
fn public_url_problem(v: &str, t: &'static Texts) -> Option<&'static str> {
    let d = crate::tui::i18n::doctor::texts(t.lang);
    match crate::webhooks::check_public_url(v) {
        Ok(()) => None,
        Err(UrlProblem::Port(_)) => Some(d.err_public_url_port),
        Err(UrlProblem::Path) => Some(d.err_public_url_path),
        Err(_) => Some(t.err_public_url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::i18n::Lang;

    #[test]
    fn urls_need_a_scheme_and_a_host() {
        assert!(check_url("https://api.myshoptet.com"));
        assert!(check_url("http://127.0.0.1:8080/api"));
        assert!(!check_url("api.myshoptet.com"));
        assert!(!check_url("https://"));
        assert!(!check_url("https://exa mple.com"));
    }

    #[test]
    fn plain_http_is_accepted_for_this_machine_only_as_the_configuration_does() {
        assert!(check_url("http://localhost:8080"));
        assert!(check_url("http://[::1]:8080/api/v2"));
        assert!(!check_url("http://api.myshoptet.com"));
        assert!(!check_url("ftp://api.myshoptet.com"));
    }

    #[test]
    fn poll_interval_and_name_template_follow_the_configuration_rules() {
        let t = Lang::En.texts();
        let sw = Switches::default();
        assert!(problem(Field::PollInterval, "300", sw, Tz::UTC, t).is_none());
        for bad in ["29", "86401", "five", ""] {
            assert!(problem(Field::PollInterval, bad, sw, Tz::UTC, t).is_some(), "{bad}");
        }
        assert!(problem(Field::NameTemplate, "Objednávka {code}", sw, Tz::UTC, t).is_none());
        assert!(problem(Field::NameTemplate, "Objednávka", sw, Tz::UTC, t).is_some());
    }

    #[test]
    fn start_dates_are_read_in_the_shop_zone() {
        let dt = parse_start("2026-07-01 10:00", Tz::Europe__Prague).expect("valid");
        assert_eq!(dt.to_rfc3339(), "2026-07-01T10:00:00+02:00");
        let d = parse_start("2026-01-01", Tz::Europe__Prague).expect("valid");
        assert_eq!(d.to_rfc3339(), "2026-01-01T00:00:00+01:00");
        assert!(parse_start("2026-13-01", Tz::UTC).is_none());
        assert!(parse_start("yesterday", Tz::UTC).is_none());
    }

    fn on() -> Switches {
        Switches { addon: true, webhook: true }
    }

    #[test]
    fn the_eshop_url_is_needed_only_for_the_addon() {
        let t = Lang::En.texts();
        assert!(problem(Field::EshopUrl, "", Switches::default(), Tz::UTC, t).is_none());
        assert!(problem(Field::EshopUrl, "", on(), Tz::UTC, t).is_some());
        assert!(problem(Field::EshopUrl, "https://www.obchod.cz", on(), Tz::UTC, t).is_none());
    }

    #[test]
    fn webhook_fields_only_matter_when_enabled() {
        let t = Lang::En.texts();
        assert!(problem(Field::Listen, "", Switches::default(), Tz::UTC, t).is_none());
        assert!(problem(Field::Listen, "nope", on(), Tz::UTC, t).is_some());
        assert!(problem(Field::Listen, "0.0.0.0:8080", on(), Tz::UTC, t).is_none());
        assert!(problem(Field::PublicUrl, "http://x.cz/hook", on(), Tz::UTC, t).is_some());
    }

    #[test]
    fn the_public_url_needs_a_shoptet_port_and_the_receiver_path() {
        let t = Lang::En.texts();
        let d = crate::tui::i18n::doctor::texts(Lang::En);
        let check = |v: &str| problem(Field::PublicUrl, v, on(), Tz::UTC, t);
        assert_eq!(check("https://sync.zahrada.cz/webhook"), None);
        assert_eq!(check("https://sync.zahrada.cz:8443/shop/webhook"), None);
        assert_eq!(check("https://sync.zahrada.cz:9000/webhook"), Some(d.err_public_url_port));
        assert_eq!(check("https://sync.zahrada.cz/hook"), Some(d.err_public_url_path));
        // Plain http only on 80 and 8080 (Shoptet's https ports need https://).
        assert_eq!(check("http://sync.zahrada.cz/webhook"), None);
        assert_eq!(check("http://sync.zahrada.cz:8443/webhook"), Some(t.err_public_url));
    }

    #[test]
    fn emails_and_instances_are_checked() {
        let t = Lang::En.texts();
        assert!(problem(Field::Username, "jan@firma.cz", Switches::default(), Tz::UTC, t).is_none());
        assert!(problem(Field::Username, "jan@firma", Switches::default(), Tz::UTC, t).is_some());
        assert!(problem(Field::Instance, "moje-firma", Switches::default(), Tz::UTC, t).is_none());
        assert!(problem(Field::Instance, "moje firma", Switches::default(), Tz::UTC, t).is_some());
    }
}
