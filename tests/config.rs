//! Configuration: example round-trip, invalid files, env overrides, atomic save, secrecy, paths.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use proptest::prelude::*;
use secrecy::ExposeSecret;
use shoptet_raynet_sync::config::{Config, ConfigError, MAX_CONFIG_BYTES, Paths, mask};

/// Every test that reads or writes process environment variables holds this lock.
static ENV_LOCK: Mutex<()> = Mutex::new(());

const ENV_VARS: [&str; 6] = [
    "SHOPTET_API_TOKEN",
    "RAYNET_API_KEY",
    "SHOPTET_RAYNET_SYNC_CONFIG",
    "SHOPTET_RAYNET_SYNC_DATA_DIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
];

/// Holds the env lock and restores the variables it touched when dropped.
struct EnvGuard {
    saved: Vec<(&'static str, Option<std::ffi::OsString>)>,
    _lock: MutexGuard<'static, ()>,
}

impl EnvGuard {
    fn new() -> Self {
        let lock = ENV_LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let saved = ENV_VARS.iter().map(|k| (*k, std::env::var_os(k))).collect();
        for k in ENV_VARS {
            // SAFETY: all env access in this test binary is serialized by ENV_LOCK.
            unsafe { std::env::remove_var(k) };
        }
        EnvGuard { saved, _lock: lock }
    }

    fn set(&self, key: &str, value: impl AsRef<std::ffi::OsStr>) {
        // SAFETY: serialized by ENV_LOCK, held by self.
        unsafe { std::env::set_var(key, value) };
    }
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        for (k, v) in &self.saved {
            // SAFETY: serialized by ENV_LOCK, still held.
            unsafe {
                match v {
                    Some(v) => std::env::set_var(k, v),
                    None => std::env::remove_var(k),
                }
            }
        }
    }
}

const SHOPTET_SECRET: &str = "shoptet-token-abcdef123456";
const RAYNET_SECRET: &str = "raynet-key-abcdef123456";

/// The sync's start in the config files: 30 days ago, at midnight, with its offset.
fn start() -> String {
    (chrono::Utc::now() - chrono::Duration::days(30)).format("%Y-%m-%dT00:00:00+01:00").to_string()
}

fn valid_toml() -> String {
    let start = start();
    format!(
        r#"[shoptet]
api_token = "{SHOPTET_SECRET}"

[raynet]
instance = "acme"
username = "jana@example.cz"
api_key = "{RAYNET_SECRET}"

[sync]
enabled_at = "{start}"
default_owner_id = 7
business_case_phase_id = 2
source_id = 3

[webhook]
enabled = true
listen = "127.0.0.1:8080"
public_url = "https://sync.example.cz/hook"
signature_key = "webhook-signature-key-9876"
"#
    )
}

/// Full serialization, secrets included, to compare two configs.
fn full_toml(c: &Config) -> String {
    toml::to_string(c).expect("config serializes")
}

fn invalid_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs/invalid")
}

#[test]
fn example_round_trips_and_matches_the_asset() {
    let example = Config::example();
    example.validate().expect("the example is valid");
    let text = full_toml(&example);
    let back = Config::from_toml_str(&text, None).expect("example re-parses");
    assert_eq!(full_toml(&back), text);

    let asset = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/config.example.toml");
    let asset_text = std::fs::read_to_string(&asset).expect("asset exists");
    let from_asset = Config::from_toml_str(&asset_text, Some(&asset)).expect("asset is valid");
    assert_eq!(full_toml(&from_asset), text, "asset and Config::example() differ");
}

#[test]
fn defaults_fill_optional_keys() {
    let c = Config::from_toml_str(&valid_toml(), None).expect("valid");
    assert_eq!(c.sync.final_status_ids, vec![-3]);
    assert_eq!(c.sync.cancelled_status_ids, vec![-4]);
    assert_eq!(c.sync.poll_interval_secs, 300);
    assert!(c.sync.name_template.contains("{code}"));
    assert!(c.shoptet.base_url.starts_with("https://"));
}

#[test]
fn every_invalid_file_fails_naming_its_key() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(invalid_dir())
        .expect("invalid dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "expected ~20 invalid configs, found {}", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{}: first line must be `# expect: KEY`", file.display()))
            .trim()
            .to_owned();
        let err = match Config::from_toml_str(&text, Some(&file)) {
            Ok(_) => panic!("{} was accepted", file.display()),
            Err(e) => e,
        };
        let msg = err.to_string();
        match &err {
            ConfigError::Invalid { key, path, .. } => {
                assert_eq!(key, &expected, "{}: {msg}", file.display());
                assert_eq!(path.as_deref(), Some(file.as_path()));
            }
            ConfigError::Parse { .. } => {
                let named =
                    msg.contains(&format!("{expected} (line ")) || msg.contains(&format!("{expected}: "));
                assert!(named, "{}: message does not name `{expected}`: {msg}", file.display());
                assert!(msg.contains("line "), "{}: no line number: {msg}", file.display());
            }
            other => panic!("{}: unexpected error kind {other:?}", file.display()),
        }
        assert!(msg.contains(&expected), "{}: {msg}", file.display());
        for secret in ["abcdef123456", "99887766554433"] {
            assert!(!msg.contains(secret), "{}: secret leaked: {msg}", file.display());
        }
    }
}

#[test]
fn syntax_error_reports_line_and_column() {
    let text = std::fs::read_to_string(invalid_dir().join("syntax_error.toml")).expect("file");
    let err = Config::from_toml_str(&text, None).expect_err("syntax error");
    let line = text.lines().position(|l| l.starts_with("instance")).expect("line") + 1;
    let msg = err.to_string();
    assert!(msg.contains(&format!("line {line}, column")), "{msg}");
}

#[test]
fn problems_lists_every_bad_key() {
    let mut c = Config::example();
    c.sync.default_owner_id = 0;
    c.sync.name_template = "no placeholder".into();
    c.raynet.username = "not-an-email".into();
    let keys: Vec<String> = c.problems().iter().filter_map(|e| e.key().map(str::to_owned)).collect();
    assert_eq!(keys, ["raynet.username", "sync.default_owner_id", "sync.name_template"]);
    let first = c.validate().expect_err("invalid");
    assert_eq!(first.key(), Some("raynet.username"));
}

#[test]
fn http_is_allowed_only_for_loopback() {
    for (url, ok) in [
        ("http://127.0.0.1:9000", true),
        ("http://localhost:9000/api/v2", true),
        ("http://[::1]:9000", true),
        ("http://10.0.0.5:9000", false),
        ("http://raynet.example.cz", false),
        ("https://raynet.example.cz", true),
    ] {
        let mut c = Config::example();
        c.raynet.base_url = url.into();
        assert_eq!(c.validate().is_ok(), ok, "{url}");
    }
}

#[test]
fn env_overrides_secrets_on_load() {
    let env = EnvGuard::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, valid_toml()).expect("write");

    let c = Config::load(&path).expect("loads");
    assert_eq!(c.shoptet.api_token.expose_secret(), SHOPTET_SECRET);

    env.set("SHOPTET_API_TOKEN", "from-env-shoptet");
    env.set("RAYNET_API_KEY", "from-env-raynet");
    let c = Config::load(&path).expect("loads");
    assert_eq!(c.shoptet.api_token.expose_secret(), "from-env-shoptet");
    assert_eq!(c.raynet.api_key.expose_secret(), "from-env-raynet");

    // from_toml_str never looks at the environment.
    let c = Config::from_toml_str(&valid_toml(), None).expect("valid");
    assert_eq!(c.raynet.api_key.expose_secret(), RAYNET_SECRET);

    // An empty variable does not blank the file's secret.
    env.set("RAYNET_API_KEY", "");
    let c = Config::load(&path).expect("loads");
    assert_eq!(c.raynet.api_key.expose_secret(), RAYNET_SECRET);
}

#[test]
fn secrets_may_come_from_env_alone() {
    let env = EnvGuard::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    let without = valid_toml()
        .lines()
        .filter(|l| !l.starts_with("api_token") && !l.starts_with("api_key"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, &without).expect("write");

    let err = Config::load(&path).expect_err("no secrets anywhere");
    assert_eq!(err.key(), Some("shoptet.api_token"));
    assert!(err.to_string().contains("SHOPTET_API_TOKEN"), "{err}");

    env.set("SHOPTET_API_TOKEN", "env-token");
    env.set("RAYNET_API_KEY", "env-key");
    let c = Config::load(&path).expect("secrets from env");
    assert_eq!(c.shoptet.api_token.expose_secret(), "env-token");
}

#[test]
fn load_missing_file_says_how_to_create_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nope.toml");
    let err = Config::load(&path).expect_err("missing");
    assert!(matches!(err, ConfigError::NotFound { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("setup") && msg.contains("nope.toml"), "{msg}");

    // A directory is not a configuration file (refused before it is opened).
    let err = Config::load(dir.path()).expect_err("a directory");
    assert!(matches!(err, ConfigError::NotAFile { .. }), "{err:?}");
}

#[cfg(unix)]
#[test]
fn save_is_private_atomic_and_round_trips() {
    use std::os::unix::fs::PermissionsExt;
    let _env = EnvGuard::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let parent = dir.path().join("nested/app");
    let path = parent.join("config.toml");
    let c = Config::from_toml_str(&valid_toml(), None).expect("valid");
    c.save(&path).expect("saves");

    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&parent), 0o700);
    let back = Config::load(&path).expect("reloads");
    assert_eq!(full_toml(&back), full_toml(&c));

    // Overwriting a too-open file replaces it with a private one and leaves no temp files.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let mut changed = c.clone();
    changed.sync.default_owner_id = 99;
    changed.save(&path).expect("saves again");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(Config::load(&path).expect("reloads").sync.default_owner_id, 99);
    let names: Vec<_> =
        std::fs::read_dir(&parent).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(names, [std::ffi::OsString::from("config.toml")]);
}

#[test]
fn secrets_never_show_in_debug_review_or_errors() {
    let c = Config::from_toml_str(&valid_toml(), None).expect("valid");
    let secrets = [SHOPTET_SECRET, RAYNET_SECRET, "webhook-signature-key-9876"];
    let debug = format!("{c:?}");
    let review = c.to_review_toml();
    for s in secrets {
        assert!(!debug.contains(s), "Debug leaks {s}");
        assert!(!review.contains(s), "review leaks {s}");
    }
    assert!(review.contains(&mask(SHOPTET_SECRET)), "{review}");
    assert!(review.contains("instance = \"acme\""), "{review}");

    // Invalid config errors (with the secret present in the file) do not echo it.
    let bad = valid_toml().replace("default_owner_id = 7", "default_owner_id = \"x\"");
    let err = Config::from_toml_str(&bad, None).expect_err("bad type");
    for s in secrets {
        assert!(!err.to_string().contains(s) && !format!("{err:?}").contains(s));
    }
    let bad = valid_toml()
        .replace(&format!("api_token = \"{SHOPTET_SECRET}\""), &format!("api_token = {SHOPTET_SECRET}"));
    let err = Config::from_toml_str(&bad, None).expect_err("unquoted secret");
    assert!(!err.to_string().contains(SHOPTET_SECRET), "{err}");
}

#[test]
fn mask_shows_at_most_last_four() {
    assert_eq!(mask("abcdefghijklmnop9876"), "••••••••9876");
    assert!(!mask("short1").contains("t1"));
    assert!(!mask("abcd").contains("abcd"));
}

#[test]
fn paths_flag_beats_env_beats_default() {
    let env = EnvGuard::new();
    let home = tempfile::tempdir().expect("tempdir");
    env.set("XDG_CONFIG_HOME", home.path().join("cfg"));
    env.set("XDG_DATA_HOME", home.path().join("data"));

    let default = Paths::resolve(None, None).expect("defaults");
    if cfg!(target_os = "linux") {
        assert_eq!(default.config_file, home.path().join("cfg/shoptet-raynet-sync/config.toml"));
        assert_eq!(default.data_dir, home.path().join("data/shoptet-raynet-sync"));
    }
    assert!(default.config_file.ends_with("shoptet-raynet-sync/config.toml"));

    env.set("SHOPTET_RAYNET_SYNC_CONFIG", "/env/config.toml");
    env.set("SHOPTET_RAYNET_SYNC_DATA_DIR", "/env/data");
    let from_env = Paths::resolve(None, None).expect("env");
    assert_eq!(from_env.config_file, PathBuf::from("/env/config.toml"));
    assert_eq!(from_env.data_dir, PathBuf::from("/env/data"));

    let flags = Paths::resolve(Some("/flag/c.toml".into()), Some("/flag/data".into())).expect("flags");
    assert_eq!(flags.config_file, PathBuf::from("/flag/c.toml"));
    assert_eq!(flags.data_dir, PathBuf::from("/flag/data"));
    assert_eq!(flags.database(), PathBuf::from("/flag/data/sync.db"));
    assert_eq!(flags.log_dir(), PathBuf::from("/flag/data/logs"));
    assert_eq!(flags.lock_file(), PathBuf::from("/flag/data/engine.lock"));

    // An empty variable counts as unset.
    env.set("SHOPTET_RAYNET_SYNC_DATA_DIR", "");
    let mixed = Paths::resolve(None, None).expect("mixed");
    assert_eq!(mixed.config_file, PathBuf::from("/env/config.toml"));
    assert_eq!(mixed.data_dir, default.data_dir);
}

// ---- Robustness: what `--config` may point at, and what the messages say ----

/// Runs `load` on another thread, failing (instead of hanging) when it does not return.
fn load_within(path: &Path, secs: u64) -> Result<Config, ConfigError> {
    let (tx, rx) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(Config::load(&path));
    });
    rx.recv_timeout(std::time::Duration::from_secs(secs)).expect("Config::load did not return")
}

#[test]
fn load_refuses_devices_and_oversized_files() {
    // `--config /dev/zero` used to read forever, growing to gigabytes.
    #[cfg(unix)]
    {
        let err = load_within(Path::new("/dev/zero"), 10).expect_err("a device");
        assert!(matches!(err, ConfigError::NotAFile { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("/dev/zero") && msg.contains("not a regular file"), "{msg}");
        assert!(msg.contains("--config"), "says how to fix it: {msg}");
    }

    let dir = tempfile::tempdir().expect("tempdir");
    // Just under the cap: a valid file padded with comments loads.
    let padded = dir.path().join("padded.toml");
    let mut text = valid_toml();
    let line = format!("# {}\n", "x".repeat(77));
    while text.len() + line.len() <= MAX_CONFIG_BYTES as usize {
        text.push_str(&line);
    }
    std::fs::write(&padded, &text).expect("write");
    load_within(&padded, 30).expect("a file under 1 MiB loads");

    // Over the cap: refused, with the limit in the message.
    let big = dir.path().join("big.toml");
    text.push_str(&"#".repeat(MAX_CONFIG_BYTES as usize + 1 - text.len()));
    std::fs::write(&big, &text).expect("write");
    let err = load_within(&big, 30).expect_err("too large");
    assert!(matches!(err, ConfigError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("1024 KiB"), "{err}");

    // Not UTF-8: a parse error with a line number, not an I/O error.
    let latin = dir.path().join("latin.toml");
    std::fs::write(&latin, b"[shoptet]\napi_token = \"caf\xe9\"\n").expect("write");
    let err = load_within(&latin, 10).expect_err("not UTF-8");
    assert!(matches!(err, ConfigError::Parse { .. }), "{err:?}");
    assert!(err.to_string().contains("line 2") && err.to_string().contains("UTF-8"), "{err}");
}

#[cfg(unix)]
#[test]
fn load_refuses_a_fifo_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("config.fifo");
    match std::process::Command::new("mkfifo").arg(&fifo).status() {
        Ok(s) if s.success() => {}
        other => {
            eprintln!("skipped: mkfifo unavailable ({other:?})");
            return;
        }
    }
    let err = load_within(&fifo, 10).expect_err("a FIFO");
    assert!(matches!(err, ConfigError::NotAFile { .. }), "{err:?}");
}

/// A duplicated or unterminated secret line says so, like any other key, without the value.
#[test]
fn secret_lines_report_duplicates_and_unterminated_strings() {
    let secret_line = |key: &str, value: &str| format!("{key} = \"{value}\"");
    for (key, dotted, value) in [
        ("api_key", "raynet.api_key", RAYNET_SECRET),
        ("api_token", "shoptet.api_token", SHOPTET_SECRET),
        ("signature_key", "webhook.signature_key", "webhook-signature-key-9876"),
    ] {
        let line = secret_line(key, value);
        let duplicated = valid_toml().replace(&line, &format!("{line}\n{line}"));
        let err = Config::from_toml_str(&duplicated, None).expect_err("duplicate");
        let msg = err.to_string();
        assert!(msg.contains(&format!("{dotted} (line ")), "{msg}");
        assert!(msg.contains("set twice"), "{msg}");
        assert!(!msg.contains("quoted string"), "{msg}");
        assert!(!msg.contains(value), "secret in {msg}");

        let unterminated = valid_toml().replace(&line, &format!("{key} = \"{value}"));
        let err = Config::from_toml_str(&unterminated, None).expect_err("unterminated");
        let msg = err.to_string();
        assert!(msg.contains(&format!("{dotted} (line ")), "{msg}");
        assert!(msg.contains("unterminated string") && msg.contains("closing quote"), "{msg}");
        assert!(!msg.contains(value), "secret in {msg}");

        // A wrong type still asks for quotes, and still does not repeat the value.
        let unquoted = valid_toml().replace(&line, &format!("{key} = {value}"));
        let msg = Config::from_toml_str(&unquoted, None).expect_err("unquoted").to_string();
        assert!(msg.contains("in quotes") && !msg.contains(value), "{msg}");
    }
}

/// Words a user of the config file should never meet: Rust types and serde's phrasing.
const RUST_WORDS: [&str; 16] = [
    "i64",
    "u64",
    "i128",
    "invalid type",
    "invalid value",
    "sequence",
    "expected `",
    "a map",
    "struct ",
    "missing field",
    "unknown field",
    "unknown variant",
    "basic string",
    "wanted string",
    "relative URL",
    "socket address",
];

fn assert_plain(context: &str, msg: &str) {
    for word in RUST_WORDS {
        assert!(!msg.contains(word), "{context}: `{word}` in {msg}");
    }
}

#[test]
fn messages_speak_the_users_language() {
    for entry in std::fs::read_dir(invalid_dir()).expect("invalid dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        let msg = Config::from_toml_str(&text, Some(&path)).expect_err("invalid").to_string();
        assert_plain(&path.display().to_string(), &msg);
    }

    let base = valid_toml();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "missing [raynet]",
            std::fs::read_to_string(invalid_dir().join("missing_raynet_table.toml")).expect("file"),
            "section [raynet] is missing",
        ),
        (
            "text for a number",
            base.replace("default_owner_id = 7", "default_owner_id = \"7\""),
            "default_owner_id (line 11, column 20): must be a whole number, e.g. default_owner_id = 1, \
             not the text \"7\" — remove the quotes",
        ),
        ("decimal", base.replace("source_id = 3", "source_id = 3.5"), "must be a whole number"),
        (
            "negative seconds",
            base.replace("source_id = 3", "source_id = 3\npoll_interval_secs = -1"),
            "must not be negative",
        ),
        ("too large", base.replace("source_id = 3", "source_id = 99999999999999999999"), "is too large"),
        (
            "one status, not a list",
            base.replace("source_id = 3", "source_id = 3\nfinal_status_ids = -3"),
            "must be a list in square brackets, e.g. final_status_ids = [-3]",
        ),
        ("yes for a bool", base.replace("enabled = true", "enabled = \"yes\""), "must be true or false"),
        (
            "unknown key",
            base.replace("instance = \"acme\"", "instance = \"acme\"\ncolour = \"red\""),
            "colour is not a setting of [raynet] — remove it or check the spelling",
        ),
        (
            "key in the wrong section",
            base.replace("instance = \"acme\"", "instance = \"acme\"\nsource_id = 3"),
            "source_id belongs in section [sync], not [raynet]",
        ),
        ("unknown section", format!("{base}\n[extra]\nx = 1\n"), "[extra] is not a section"),
        ("section twice", format!("{base}\n[sync]\nsource_id = 4\n"), "section [sync] appears twice"),
        (
            "key twice",
            base.replace("source_id = 3", "source_id = 3\nsource_id = 4"),
            "source_id is set twice",
        ),
        (
            "missing key",
            base.replace("username = \"jana@example.cz\"\n", ""),
            "username is missing from section [raynet] — add a line such as username = ",
        ),
        (
            "date without zone",
            base.replace("+01:00\"", "\""),
            "must be a date and time with its time-zone offset",
        ),
        ("bare date", base.replace(&format!("\"{}\"", start()), &start()[..10]), "in quotes"),
        ("no value", base.replace("source_id = 3", "source_id ="), "source_id has no value"),
        ("unquoted text", base.replace("\"acme\"", "acme"), "text must be in quotes"),
        ("array of tables", base.replace("[raynet]", "[[raynet]]"), "single brackets: [raynet]"),
        ("wrong auth", base.replace("[raynet]", "auth = \"password\"\n\n[raynet]"), "\"private-token\""),
        ("not a URL", base.replace("[raynet]", "base_url = \"api shoptet\"\n\n[raynet]"), "https://"),
        ("bad listen", base.replace("127.0.0.1:8080", "8080"), "an IP address and a port"),
        ("garbage", "\u{1}\u{2}zz".to_string(), "write settings as key = value"),
        ("empty file", String::new(), "section [shoptet] is missing"),
    ];
    for (name, text, expected) in cases {
        let msg = Config::from_toml_str(&text, None).expect_err(name).to_string();
        assert!(msg.contains(expected), "{name}: wanted `{expected}` in {msg}");
        assert_plain(name, &msg);
    }
}

/// A `[section]` line or a `key = value` line with everything TOML and our keys allow.
fn toml_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "api_token",
        "api_key",
        "instance",
        "username",
        "base_url",
        "auth",
        "enabled_at",
        "source_id",
        "default_owner_id",
        "final_status_ids",
        "enabled",
        "listen",
        "colour",
        "[sync]",
        "[raynet]",
        "[[raynet]]",
        "[webhook",
        "",
    ]);
    let value = prop::sample::select(vec![
        "\"x\"",
        "\"unterminated",
        "7",
        "-1",
        "7.5",
        "true",
        "[-3",
        "[1, 2]",
        "{ a = 1 }",
        "2026-01-01",
        "\"\"\"",
        "'lit'",
        "\"\\q\"",
        "",
        "99999999999999999999",
        "\"2026-01-01T00:00:00+01:00\"",
    ]);
    (key, value, "[ =#\"\\[\\]a-z0-9.\n-]{0,6}").prop_map(|(k, v, noise)| {
        if k.starts_with('[') { format!("{k}{noise}") } else { format!("{k} = {v}{noise}") }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary bytes never panic the parser, and the error is one readable line.
    #[test]
    fn any_bytes_give_a_config_or_a_readable_error(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Config::from_toml_str(&text, None) {
            let msg = e.to_string();
            prop_assert!(!msg.trim().is_empty());
            assert_plain("arbitrary bytes", &msg);
        }
    }

    /// TOML-shaped lines in any order: never a panic, always a message naming a line or a key.
    #[test]
    fn toml_like_text_gives_a_config_or_a_readable_error(lines in prop::collection::vec(toml_line(), 0..12)) {
        let text = lines.join("\n");
        match Config::from_toml_str(&text, None) {
            Ok(_) => {}
            Err(e @ ConfigError::Parse { .. }) => {
                let msg = e.to_string();
                prop_assert!(msg.contains("line "), "{}", msg);
                assert_plain(&text, &msg);
            }
            Err(e) => prop_assert!(e.key().is_some(), "{:?}", e),
        }
    }

    /// Replacing lines of a valid file with quote-free junk never makes a message repeat a
    /// secret that stays in the file.
    #[test]
    fn errors_never_repeat_secrets(
        junk in prop::collection::vec((0usize..24, "[a-z_\\[\\]=0-9 .{}-]{0,20}"), 1..4)
    ) {
        let mut lines: Vec<String> = valid_toml().lines().map(str::to_owned).collect();
        for (at, text) in junk {
            let at = at % lines.len();
            if !lines[at].contains("_key") && !lines[at].contains("api_token") {
                lines[at] = text;
            }
        }
        if let Err(e) = Config::from_toml_str(&lines.join("\n"), None) {
            let shown = format!("{e} {e:?}");
            for secret in [SHOPTET_SECRET, RAYNET_SECRET, "webhook-signature-key-9876"] {
                prop_assert!(!shown.contains(secret), "{} leaked in {}", secret, shown);
            }
        }
    }
}
