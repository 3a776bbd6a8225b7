//! The doctor's checks and the webhook setup in English (also what `doctor` prints).

use super::DoctorTexts;
use crate::doctor::{AuthFix, CheckName, Clock, Crm, Finding, Hook, Local, Shop};
use crate::http::ErrorKind;
use crate::webhooks::{Report, SetupError, UrlProblem};

pub const TEXTS: DoctorTexts = DoctorTexts {
    key_checks: "checks",
    key_back: "settings",
    title: "Checks",
    running: "Checking the setup against both services…",
    hint: "d runs the checks again · Esc back to the settings",
    ok: "ok",
    warn: "warn",
    fail: "FAIL",
    f_renew_key: "Signature key",
    key_stored: "stored",
    key_none: "none stored: a key is fetched from Shoptet when you save",
    key_renew: "get a new key when saving (the old one stops working)",
    registering: "Registering the webhooks at Shoptet…",
    webhook_failed: "The webhooks could not be set up",
    err_public_url_path: "The URL must end with /webhook, where the receiver answers.",
    err_public_url_port: "Shoptet delivers only to ports 80, 443, 8080 and 8443.",
};

pub fn name(n: CheckName) -> &'static str {
    n.as_str()
}

pub fn summary(ok: usize, warn: usize, fail: usize) -> String {
    format!("{ok} ok, {warn} warning(s), {fail} failure(s)")
}

pub fn finding(f: &Finding) -> (String, Option<String>) {
    match f {
        Finding::Local(l) => local(l),
        Finding::Shop(s) => shop(s),
        Finding::Crm(c) => crm(c),
        Finding::Hook(h) => hook(h),
        Finding::Clock(Clock::Off { service, secs }) => (
            format!("this machine's clock is {secs} s off {service}'s"),
            Some("synchronise the clock (e.g. systemd-timesyncd or chrony)".into()),
        ),
        Finding::Clock(Clock::Agrees) => ("agrees with the services' clocks".into(), None),
        Finding::Api { error, kind, on_auth } => (error.clone(), Some(api_fix(*kind, *on_auth).into())),
        Finding::Setup { error, section } => (error.clone(), Some(format!("fix [{section}] in the config"))),
    }
}

fn api_fix(kind: ErrorKind, on_auth: AuthFix) -> &'static str {
    match (kind, on_auth) {
        (ErrorKind::Auth, AuthFix::ShoptetToken) => {
            "the API token was refused: create a new one in the Shoptet admin and set shoptet.api_token"
        }
        (ErrorKind::Auth, AuthFix::RaynetLogin) => {
            "the username or API key was refused (RAYNET blocks an address after 20 failed logins): \
             check raynet.username, raynet.instance and raynet.api_key"
        }
        (ErrorKind::Auth, AuthFix::TokenRights) => "check the token's rights",
        (ErrorKind::Auth, AuthFix::RaynetCredentials) => "check the RAYNET credentials",
        (ErrorKind::RateLimited, _) => "wait for the rate limit to pass, then check again",
        _ => "check the base URL and the network, then check again",
    }
}

const RESTORE: &str = "restore sync.db from a backup, or move it away to start a fresh record";
const PICK_AGAIN: &str = "`shoptet-raynet-sync setup` (Configuration → e)";

fn local(l: &Local) -> (String, Option<String>) {
    let (detail, fix): (String, Option<String>) = match l {
        Local::ConfigReads { file } => (format!("{file} reads and validates"), None),
        Local::ConfigBroken { error } => {
            (error.clone(), Some("fix the file (or run `shoptet-raynet-sync setup`)".into()))
        }
        Local::ConfigLoose { file, mode } => (
            format!("{file} is {mode:04o}: other users can read the secrets in it"),
            Some(format!("chmod 600 {file}")),
        ),
        Local::ConfigPrivate => ("readable by its owner only".into(), None),
        Local::SecretsFromFile => ("from the config file".into(), None),
        Local::SecretsFromEnv { vars } => {
            (format!("{} from the environment, the rest from the file", vars.join(" and ")), None)
        }
        Local::DataDirMissing { dir } => (
            format!("{dir} does not exist yet"),
            Some("it is created (0700) on the first `run` or `sync --once`".into()),
        ),
        Local::DataDirNotADir { dir } => (
            format!("{dir} is not a directory"),
            Some("point --data-dir (or SHOPTET_RAYNET_SYNC_DATA_DIR) at a directory".into()),
        ),
        Local::DataDirWritable { dir } => (format!("{dir} is writable"), None),
        Local::DataDirNotWritable { dir, error } => (
            format!("cannot write in {dir}: {error}"),
            Some(format!("make {dir} writable for the user that runs the sync")),
        ),
        Local::DataPrivate => ("the database, lock and logs are private".into(), None),
        Local::DataLoose { paths, first, expected } => (
            format!("{} path(s) other users can read: {}", paths.len(), paths.join(", ")),
            Some(format!(
                "run `chmod {expected:o} {first}`{}",
                if paths.len() > 1 { " (and the same for the others)" } else { "" }
            )),
        ),
        Local::SpaceLow { mib } => (
            format!("{mib} MiB free where the database lives"),
            Some("free some space: SQLite needs room to write".into()),
        ),
        Local::Space { mib } => (format!("{mib} MiB free"), None),
        Local::NoDatabase => ("no sync.db yet".into(), Some("it is created on the first sync".into())),
        Local::DatabaseUnreadable { db, error } => (format!("{db}: {error}"), Some(RESTORE.into())),
        Local::DatabaseDamaged { verdict } => (format!("integrity check: {verdict}"), Some(RESTORE.into())),
        Local::DatabaseNewer { version, ours } => (
            format!("schema version {version} is newer than this program's ({ours})"),
            Some("run the newer version of shoptet-raynet-sync that wrote it".into()),
        ),
        Local::DatabaseMigrates { version, ours } => {
            (format!("intact; schema {version}, brought to {ours} on the next start"), None)
        }
        Local::DatabaseOk { version } => (format!("intact; schema {version}"), None),
        Local::EngineRunning => ("a daemon (or another engine) runs on this data directory".into(), None),
        Local::EngineIdle => {
            ("no daemon runs on this data directory (fine when `sync --once` runs from cron)".into(), None)
        }
    };
    (detail, fix)
}

fn shop(s: &Shop) -> (String, Option<String>) {
    match s {
        Shop::Reached { name, id } => (format!("reachable, token accepted: {name} (id {id})"), None),
        Shop::StatusesOk => ("every configured status exists in the shop".into(), None),
        Shop::StatusesGone { ids } => (
            format!("status id(s) {} no longer exist in the shop", join(ids)),
            Some(format!("pick the statuses again: {PICK_AGAIN}")),
        ),
        Shop::FeedBehind { days } => (
            format!("the last change read is {days} days old, beyond the feed's 30 days"),
            Some("start the daemon: until it catches up, orders are read from the slower order list".into()),
        ),
        Shop::FeedOk { cursor } => (format!("cursor {cursor} is within the feed's window"), None),
    }
}

fn crm(c: &Crm) -> (String, Option<String>) {
    match c {
        Crm::Reached { users } => (format!("reachable, credentials accepted ({users} users)"), None),
        Crm::OwnerOk { id } => (format!("person #{id} is a user"), None),
        Crm::OwnerGone { id } => (
            format!("person #{id} is not a RAYNET user any more"),
            Some(format!("pick the owner again: {PICK_AGAIN}")),
        ),
        Crm::ValueOk { id } => (format!("#{id} exists"), None),
        Crm::ValueGone { id } => {
            (format!("#{id} no longer exists in RAYNET"), Some(format!("pick it again: {PICK_AGAIN}")))
        }
        Crm::CurrenciesOk => ("every currency of the shop exists in RAYNET".into(), None),
        Crm::CurrenciesMissing { codes } => (
            format!("{} not in RAYNET: orders in it cannot be synced", codes.join(", ")),
            Some("add the currency in RAYNET (Settings → Currencies)".into()),
        ),
        Crm::Budget { left, limit, reset, low } => {
            let reset = reset.as_ref().map(|r| format!(", renewed {r}")).unwrap_or_default();
            let fix = "new orders wait for the renewal; avoid large backfills today";
            (format!("{left} of {limit} requests left today{reset}"), low.then(|| fix.into()))
        }
    }
}

const REGISTER: &str = "`shoptet-raynet-sync webhooks register` (or setup → Webhook)";

fn hook(h: &Hook) -> (String, Option<String>) {
    match h {
        Hook::NoKey => (
            "webhooks are on but no signature key is set: every delivery is refused".into(),
            Some(format!("fetch one and register the webhooks: {REGISTER}")),
        ),
        Hook::BadUrl { url, problem } => (
            format!("{url} {}", url_problem(problem)),
            Some(format!("correct webhook.public_url, then {REGISTER}")),
        ),
        Hook::Registered { url } => (format!("order:create and order:update go to {url}"), None),
        Hook::PlainHttp { url } => (
            format!("{url} is plain http: the signature is the deliveries' only protection (anyone on the way reads them)"),
            Some("serve the receiver over https (e.g. a reverse proxy with a certificate) and set webhook.public_url to https://…".into()),
        ),
        Hook::NotRegistered { url, missing, elsewhere } => {
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("{} not registered for {url}", missing.join(" and ")));
            }
            parts.extend(elsewhere.iter().map(|(e, u)| format!("{e} goes to {u}, not {url}")));
            (parts.join("; "), Some(format!("register them: {REGISTER}; polling still finds every order")))
        }
        Hook::NotAllowed => (
            "this token cannot manage webhooks (Shoptet ties them to addon installations)".into(),
            Some(
                "rely on polling, or use an addon token (or a private token with the webhook rights)".into(),
            ),
        ),
        Hook::DeliveriesOk => ("no failed deliveries in Shoptet's 7-day log".into(), None),
        Hook::DeliveriesFailed { count, last } => (
            format!(
                "{count} failed in the last 7 days; the newest: {} of order {} to {} ({} attempts{})",
                last.event,
                last.order,
                last.url,
                last.attempts,
                last.attempted.as_ref().map(|a| format!(", last {a}")).unwrap_or_default()
            ),
            Some(format!(
                "make sure {} reaches this machine's receiver (webhook.listen, firewall, proxy); polling \
                 still finds every order",
                last.url
            )),
        ),
    }
}

pub fn url_problem(p: &UrlProblem) -> String {
    p.to_string()
}

pub fn setup_error(e: &SetupError) -> String {
    e.to_string()
}

pub fn setup_done(r: &Report, url: Option<&str>) -> String {
    let mut parts = Vec::new();
    match url {
        Some(url) if !(r.created.is_empty() && r.moved.is_empty()) => {
            parts.push(format!("webhooks registered at {url}"))
        }
        Some(url) => parts.push(format!("webhooks already registered at {url}")),
        None if r.removed.is_empty() => parts.push("no webhooks of ours to remove".into()),
        None => parts.push(format!("{} webhook(s) removed", r.removed.len())),
    }
    if r.key.is_some() {
        parts.push("new signature key saved".into());
    }
    parts.join(", ")
}

fn join(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}
