//! Kontroly nastavení a zakládání webhooků česky.

use super::DoctorTexts;
use crate::doctor::{AuthFix, CheckName, Clock, Crm, Finding, Hook, Local, Shop};
use crate::http::ErrorKind;
use crate::webhooks::{Report, SetupError, UrlProblem};

pub const TEXTS: DoctorTexts = DoctorTexts {
    key_checks: "kontrola",
    key_back: "nastavení",
    title: "Kontrola",
    running: "Kontroluji nastavení proti oběma službám…",
    hint: "d zkontroluje znovu · Esc zpět na nastavení",
    ok: "ok",
    warn: "pozor",
    fail: "CHYBA",
    f_renew_key: "Podpisový klíč",
    key_stored: "uložen",
    key_none: "zatím žádný: při uložení se vyžádá od Shoptetu",
    key_renew: "při uložení vyžádat nový klíč (starý přestane platit)",
    registering: "Registruji webhooky u Shoptetu…",
    webhook_failed: "Webhooky se nepodařilo nastavit",
    err_public_url_path: "Adresa musí končit /webhook, kde přijímač odpovídá.",
    err_public_url_port: "Shoptet doručuje jen na porty 80, 443, 8080 a 8443.",
};

pub fn name(n: CheckName) -> &'static str {
    match n {
        CheckName::ConfigFile => "konfigurační soubor",
        CheckName::ConfigPermissions => "práva konfigurace",
        CheckName::Secrets => "tajné údaje",
        CheckName::DataDirectory => "datový adresář",
        CheckName::DataPermissions => "práva dat",
        CheckName::FreeSpace => "volné místo",
        CheckName::Database => "databáze",
        CheckName::Engine => "synchronizace",
        CheckName::Shoptet => "Shoptet",
        CheckName::OrderStatuses => "stavy objednávek",
        CheckName::ChangesFeed => "přehled změn",
        CheckName::Webhook => "webhook",
        CheckName::WebhookDeliveries => "doručení webhooků",
        CheckName::Raynet => "RAYNET",
        CheckName::DefaultOwner => "výchozí vlastník",
        CheckName::CasePhase => "fáze případu",
        CheckName::Source => "zdroj",
        CheckName::Category => "kategorie",
        CheckName::StornoPhase => "fáze po stornu",
        CheckName::Currencies => "měny",
        CheckName::RaynetBudget => "limit RAYNET",
        CheckName::Clock => "hodiny",
    }
}

pub fn summary(ok: usize, warn: usize, fail: usize) -> String {
    format!("v pořádku {ok}, upozornění {warn}, chyb {fail}")
}

pub fn finding(f: &Finding) -> (String, Option<String>) {
    match f {
        Finding::Local(l) => local(l),
        Finding::Shop(s) => shop(s),
        Finding::Crm(c) => crm(c),
        Finding::Hook(h) => hook(h),
        Finding::Clock(Clock::Off { service, secs }) => (
            format!("hodiny tohoto počítače se od hodin služby {service} liší o {secs} s"),
            Some("seřiďte hodiny (např. systemd-timesyncd nebo chrony)".into()),
        ),
        Finding::Clock(Clock::Agrees) => ("souhlasí s hodinami obou služeb".into(), None),
        Finding::Api { error, kind, on_auth } => (error.clone(), Some(api_fix(*kind, *on_auth).into())),
        Finding::Setup { error, section } => {
            (error.clone(), Some(format!("opravte sekci [{section}] v konfiguraci")))
        }
    }
}

fn api_fix(kind: ErrorKind, on_auth: AuthFix) -> &'static str {
    match (kind, on_auth) {
        (ErrorKind::Auth, AuthFix::ShoptetToken) => {
            "API token byl odmítnut: vytvořte v administraci Shoptetu nový a nastavte shoptet.api_token"
        }
        (ErrorKind::Auth, AuthFix::RaynetLogin) => {
            "uživatel nebo API klíč byl odmítnut (RAYNET po 20 neúspěšných přihlášeních adresu \
             zablokuje): zkontrolujte raynet.username, raynet.instance a raynet.api_key"
        }
        (ErrorKind::Auth, AuthFix::TokenRights) => "zkontrolujte oprávnění tokenu",
        (ErrorKind::Auth, AuthFix::RaynetCredentials) => "zkontrolujte přihlašovací údaje do RAYNETu",
        (ErrorKind::RateLimited, _) => "počkejte, až limit požadavků pomine, a zkontrolujte znovu",
        _ => "zkontrolujte adresu API a síť a zkontrolujte znovu",
    }
}

const RESTORE: &str = "obnovte sync.db ze zálohy, nebo ji odsuňte a začněte nový záznam";
const PICK_AGAIN: &str = "`shoptet-raynet-sync setup` (Konfigurace → e)";

fn local(l: &Local) -> (String, Option<String>) {
    match l {
        Local::ConfigReads { file } => (format!("{file} se načte a je v pořádku"), None),
        Local::ConfigBroken { error } => {
            (error.clone(), Some("opravte soubor (nebo spusťte `shoptet-raynet-sync setup`)".into()))
        }
        Local::ConfigLoose { file, mode } => (
            format!("{file} má práva {mode:04o}: tajné údaje v něm mohou číst i jiní uživatelé"),
            Some(format!("chmod 600 {file}")),
        ),
        Local::ConfigPrivate => ("číst jej může jen vlastník".into(), None),
        Local::SecretsFromFile => ("z konfiguračního souboru".into(), None),
        Local::SecretsFromEnv { vars } => {
            (format!("{} z proměnných prostředí, ostatní ze souboru", vars.join(" a ")), None)
        }
        Local::DataDirMissing { dir } => (
            format!("{dir} zatím neexistuje"),
            Some("vytvoří se (0700) při prvním `run` nebo `sync --once`".into()),
        ),
        Local::DataDirNotADir { dir } => (
            format!("{dir} není adresář"),
            Some("nasměrujte --data-dir (nebo SHOPTET_RAYNET_SYNC_DATA_DIR) na adresář".into()),
        ),
        Local::DataDirWritable { dir } => (format!("do {dir} lze zapisovat"), None),
        Local::DataDirNotWritable { dir, error } => (
            format!("do {dir} nelze zapisovat: {error}"),
            Some(format!("povolte zápis do {dir} uživateli, pod kterým synchronizace běží")),
        ),
        Local::DataPrivate => ("databáze, zámek i logy jsou soukromé".into(), None),
        Local::DataLoose { paths, first, expected } => (
            format!("cesty, které mohou číst jiní uživatelé ({}): {}", paths.len(), paths.join(", ")),
            Some(format!(
                "spusťte `chmod {expected:o} {first}`{}",
                if paths.len() > 1 { " (a totéž pro ostatní)" } else { "" }
            )),
        ),
        Local::SpaceLow { mib } => (
            format!("v místě databáze zbývá {mib} MiB"),
            Some("uvolněte místo: SQLite potřebuje prostor pro zápis".into()),
        ),
        Local::Space { mib } => (format!("volných {mib} MiB"), None),
        Local::NoDatabase => ("sync.db zatím není".into(), Some("vytvoří se při první synchronizaci".into())),
        Local::DatabaseUnreadable { db, error } => (format!("{db}: {error}"), Some(RESTORE.into())),
        Local::DatabaseDamaged { verdict } => {
            (format!("kontrola integrity: {verdict}"), Some(RESTORE.into()))
        }
        Local::DatabaseNewer { version, ours } => (
            format!("schéma verze {version} je novější než schéma tohoto programu ({ours})"),
            Some("spusťte novější verzi shoptet-raynet-sync, která ji zapsala".into()),
        ),
        Local::DatabaseMigrates { version, ours } => {
            (format!("v pořádku; schéma {version}, při dalším startu se převede na {ours}"), None)
        }
        Local::DatabaseOk { version } => (format!("v pořádku; schéma {version}"), None),
        Local::EngineRunning => {
            ("nad tímto datovým adresářem běží démon (nebo jiná synchronizace)".into(), None)
        }
        Local::EngineIdle => (
            "nad tímto datovým adresářem neběží démon (v pořádku, když `sync --once` spouští cron)".into(),
            None,
        ),
    }
}

fn shop(s: &Shop) -> (String, Option<String>) {
    match s {
        Shop::Reached { name, id } => (format!("dostupný, token přijat: {name} (id {id})"), None),
        Shop::StatusesOk => ("všechny nastavené stavy v e-shopu existují".into(), None),
        Shop::StatusesGone { ids } => (
            format!("stavy s id {} už v e-shopu nejsou", join(ids)),
            Some(format!("vyberte stavy znovu: {PICK_AGAIN}")),
        ),
        Shop::FeedBehind { days } => (
            format!("poslední přečtená změna je {days} dní stará, přehled změn sahá jen 30 dní zpět"),
            Some("spusťte démona: než to dožene, čtou se objednávky z pomalejšího seznamu".into()),
        ),
        Shop::FeedOk { cursor } => (format!("kurzor {cursor} je v dosahu přehledu změn"), None),
    }
}

fn crm(c: &Crm) -> (String, Option<String>) {
    match c {
        Crm::Reached { users } => (format!("dostupný, přihlášení přijato (uživatelů: {users})"), None),
        Crm::OwnerOk { id } => (format!("osoba #{id} je uživatel"), None),
        Crm::OwnerGone { id } => (
            format!("osoba #{id} už není uživatelem RAYNETu"),
            Some(format!("vyberte vlastníka znovu: {PICK_AGAIN}")),
        ),
        Crm::ValueOk { id } => (format!("#{id} existuje"), None),
        Crm::ValueGone { id } => {
            (format!("#{id} už v RAYNETu neexistuje"), Some(format!("vyberte znovu: {PICK_AGAIN}")))
        }
        Crm::CurrenciesOk => ("všechny měny e-shopu v RAYNETu existují".into(), None),
        Crm::CurrenciesMissing { codes } => (
            format!("{} v RAYNETu chybí: objednávky v této měně nelze přenést", codes.join(", ")),
            Some("přidejte měnu v RAYNETu (Nastavení → Měny)".into()),
        ),
        Crm::Budget { left, limit, reset, low } => {
            let reset = reset.as_ref().map(|r| format!(", obnoví se {r}")).unwrap_or_default();
            let fix = "nové objednávky počkají na obnovení; dnes nespouštějte velké doplňování";
            (format!("dnes zbývá {left} z {limit} požadavků{reset}"), low.then(|| fix.into()))
        }
    }
}

const REGISTER: &str = "`shoptet-raynet-sync webhooks register` (nebo průvodce → Webhook)";

fn hook(h: &Hook) -> (String, Option<String>) {
    match h {
        Hook::NoKey => (
            "webhooky jsou zapnuté, ale chybí podpisový klíč: každé doručení se odmítne".into(),
            Some(format!("vyžádejte klíč a zaregistrujte webhooky: {REGISTER}")),
        ),
        Hook::BadUrl { url, problem } => (
            format!("{url}: {}", url_problem(problem)),
            Some(format!("opravte webhook.public_url, pak {REGISTER}")),
        ),
        Hook::Registered { url } => (format!("order:create a order:update míří na {url}"), None),
        Hook::PlainHttp { url } => (
            format!("{url} je nešifrované http: doručení chrání jen podpis (kdokoli po cestě je přečte)"),
            Some("zpřístupněte přijímač přes https (např. reverzní proxy s certifikátem) a nastavte webhook.public_url na https://…".into()),
        ),
        Hook::NotRegistered { url, missing, elsewhere } => {
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("{} není pro {url} zaregistrováno", missing.join(" a ")));
            }
            parts.extend(elsewhere.iter().map(|(e, u)| format!("{e} míří na {u}, ne na {url}")));
            let fix = format!("zaregistrujte je: {REGISTER}; pravidelná kontrola najde každou objednávku");
            (parts.join("; "), Some(fix))
        }
        Hook::NotAllowed => (
            "tento token nesmí spravovat webhooky (Shoptet je váže na instalace doplňků)".into(),
            Some("spolehněte se na pravidelnou kontrolu, nebo použijte token doplňku (či soukromý token s právy k webhookům)".into()),
        ),
        Hook::DeliveriesOk => ("v sedmidenním záznamu Shoptetu není žádné nedoručené volání".into(), None),
        Hook::DeliveriesFailed { count, last } => (
            format!(
                "za posledních 7 dní nedoručeno: {count}; poslední: {} objednávky {} na {} (pokusů {}{})",
                last.event,
                last.order,
                last.url,
                last.attempts,
                last.attempted.as_ref().map(|a| format!(", naposledy {a}")).unwrap_or_default()
            ),
            Some(format!(
                "ověřte, že {} vede na přijímač na tomto počítači (webhook.listen, firewall, proxy); \
                 pravidelná kontrola najde každou objednávku",
                last.url
            )),
        ),
    }
}

pub fn url_problem(p: &UrlProblem) -> String {
    match p {
        UrlProblem::NotAUrl => "není webová adresa — napište ji jako https://sync.example.cz/webhook".into(),
        UrlProblem::NotHttps => {
            "používá http:// na portu pro https: napište https://, nebo http:// na portu 80 či 8080".into()
        }
        UrlProblem::Port(port) => format!("port {port}: Shoptet doručuje jen na porty 80, 443, 8080 a 8443"),
        UrlProblem::Path => "musí končit /webhook, kde přijímač odpovídá".into(),
        UrlProblem::TooLong => "je delší než 2000 znaků, víc Shoptet nezaregistruje".into(),
    }
}

pub fn setup_error(e: &SetupError) -> String {
    match e {
        SetupError::Url(p) => format!("veřejná adresa {}", url_problem(p)),
        SetupError::NotAllowed(api) => format!(
            "Shoptet tomuto tokenu nedovolí spravovat webhooky ({}). Webhooky patří instalacím \
             doplňků: použijte token doplňku (auth = \"addon\"), nebo soukromému API tokenu přidejte \
             práva k webhookům (administrace Shoptetu → Propojení → API → Přístup k API), nebo webhooky \
             vypněte — pravidelná kontrola přenese každou objednávku i tak.",
            api.status.map_or_else(|| "bez odpovědi".to_string(), |s| format!("HTTP {s}"))
        ),
        SetupError::Blocked(hooks) => {
            let list: Vec<String> =
                hooks.iter().map(|h| format!("{} → {} (id {})", h.event, h.url, h.id)).collect();
            format!(
                "Shoptet dovolí jen jednu adresu na událost a tyto jsou obsazené: {}. Je-li to stará \
                 adresa této synchronizace, přesuňte naše webhooky: `shoptet-raynet-sync webhooks register \
                 --replace <adresa>` (nebo je odeberte: `webhooks remove --url <adresa>`); jinak ji \
                 musí uvolnit nástroj, který ji zaregistroval.",
                list.join(", ")
            )
        }
        SetupError::Api(api) => api.to_string(),
    }
}

pub fn setup_done(r: &Report, url: Option<&str>) -> String {
    let mut parts = Vec::new();
    match url {
        Some(url) if !(r.created.is_empty() && r.moved.is_empty()) => {
            parts.push(format!("webhooky zaregistrovány na {url}"))
        }
        Some(url) => parts.push(format!("webhooky už jsou na {url} zaregistrované")),
        None if r.removed.is_empty() => parts.push("žádné naše webhooky k odebrání".into()),
        None => parts.push(format!("odebráno webhooků: {}", r.removed.len())),
    }
    if r.key.is_some() {
        parts.push("nový podpisový klíč uložen".into());
    }
    parts.join(", ")
}

fn join(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}
