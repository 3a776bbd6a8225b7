//! Loading, environment overrides, review rendering and atomic saving of `Config`.

use std::fs;
use std::io::Write;
use std::path::Path;

use chrono::DateTime;
use secrecy::{ExposeSecret, SecretString};

use super::{
    Config, ConfigError, RaynetConfig, ShoptetAuth, ShoptetConfig, SyncConfig, WebhookConfig, mask,
    parse_error::{self, ParseProblem, What},
    redact, validate,
};

pub const SHOPTET_TOKEN_ENV: &str = "SHOPTET_API_TOKEN";
pub const RAYNET_KEY_ENV: &str = "RAYNET_API_KEY";
/// The largest configuration file `Config::load` reads (1 MiB); real ones are under 2 KiB.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

impl Config {
    /// Reads, parses, applies `SHOPTET_API_TOKEN` / `RAYNET_API_KEY`, then validates.
    /// Refuses anything but a regular file of at most [`MAX_CONFIG_BYTES`] (so `--config
    /// /dev/zero` or a FIFO fails at once instead of reading forever). The secrets of a loaded
    /// configuration are registered for redaction.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_limited(path)?;
        let mut config = parse(&text, Some(path))?;
        config.apply_env();
        redact::register_config(&config);
        config.validate().map_err(|e| e.in_path(Some(path)))?;
        Ok(config)
    }

    /// Parses and validates, without looking at the environment.
    pub fn from_toml_str(s: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
        let config = parse(s, path)?;
        config.validate().map_err(|e| e.in_path(path))?;
        Ok(config)
    }

    /// Non-empty `SHOPTET_API_TOKEN` / `RAYNET_API_KEY` replace the secrets from the file.
    pub fn apply_env(&mut self) {
        if let Some(token) = env_secret(SHOPTET_TOKEN_ENV) {
            self.shoptet.api_token = token;
        }
        if let Some(key) = env_secret(RAYNET_KEY_ENV) {
            self.raynet.api_key = key;
        }
    }

    /// The first problem, if any.
    pub fn validate(&self) -> Result<(), ConfigError> {
        match validate::problems(self).into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Every problem, each naming its key (for forms that mark all bad fields at once).
    pub fn problems(&self) -> Vec<ConfigError> {
        validate::problems(self)
    }

    /// Writes atomically (temp file in the same directory, fsync, rename) with mode 0600,
    /// creating the parent directory (0700) when missing.
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        redact::register_config(self);
        let text = toml::to_string_pretty(self).map_err(|e| ConfigError::Invalid {
            path: Some(path.to_path_buf()),
            key: String::new(),
            problem: format!("cannot be written as TOML: {e}").into(),
        })?;
        write_private(path, &text)
    }

    /// The file `save` would write, with every secret masked.
    pub fn to_review_toml(&self) -> String {
        let mut review = self.clone();
        review.shoptet.api_token = masked(&self.shoptet.api_token);
        review.raynet.api_key = masked(&self.raynet.api_key);
        review.webhook.signature_key = self.webhook.signature_key.as_ref().map(masked);
        review.alerts.webhook_url = self.alerts.webhook_url.as_ref().map(masked);
        toml::to_string_pretty(&review).unwrap_or_else(|e| format!("# cannot render: {e}\n"))
    }

    /// Plausible placeholder values that pass validation (for `setup` and the example file).
    pub fn example() -> Config {
        Config {
            shoptet: ShoptetConfig {
                base_url: super::default_shoptet_url(),
                auth: ShoptetAuth::PrivateToken,
                api_token: SecretString::from("paste-your-shoptet-private-api-token"),
                eshop_url: None,
                max_connections: super::default_shoptet_max_connections(),
            },
            raynet: RaynetConfig {
                base_url: super::default_raynet_url(),
                instance: "my-company".into(),
                username: "jana.novakova@example.cz".into(),
                api_key: SecretString::from("paste-your-raynet-api-key"),
                max_connections: super::default_raynet_max_connections(),
            },
            sync: SyncConfig {
                enabled_at: DateTime::parse_from_rfc3339("2026-01-01T00:00:00+01:00").unwrap_or_default(),
                final_status_ids: vec![-3],
                default_owner_id: 1,
                business_case_phase_id: 1,
                source_id: 1,
                category_id: None,
                poll_interval_secs: 300,
                name_template: super::default_name_template(),
                cancelled_status_ids: vec![-4],
                cancelled_phase_id: None,
                overlap_secs: 600,
                settings_refresh_secs: super::default_settings_refresh(),
                client_refresh_secs: super::default_client_refresh(),
                backfill_reserve: super::default_backfill_reserve(),
            },
            webhook: WebhookConfig::default(),
            server: super::ServerConfig::default(),
            alerts: super::AlertsConfig::default(),
        }
    }
}

/// Writes `text` to `path` atomically (temp file in the same directory, fsync, rename) with
/// mode 0600, creating the parent directory (0700) when missing.
pub(super) fn write_private(path: &Path, text: &str) -> Result<(), ConfigError> {
    let io_err = |source| ConfigError::Io { path: path.to_path_buf(), source };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    create_private_dir(parent).map_err(io_err)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".config.toml.")
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(io_err)?;
    set_private(tmp.as_file()).map_err(io_err)?;
    tmp.write_all(text.as_bytes()).map_err(io_err)?;
    tmp.as_file().sync_all().map_err(io_err)?;
    tmp.persist(path).map_err(|e| io_err(e.error))?;
    sync_dir(parent);
    Ok(())
}

/// The file's text, when it is a regular file of at most `MAX_CONFIG_BYTES`.
pub(super) fn read_limited(path: &Path) -> Result<String, ConfigError> {
    use std::io::Read;
    let io_err = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::NotFound => ConfigError::NotFound { path: path.to_path_buf() },
        _ => ConfigError::Io { path: path.to_path_buf(), source },
    };
    // Checked before opening: opening a FIFO would block until a writer appears.
    if !fs::metadata(path).map_err(io_err)?.is_file() {
        return Err(ConfigError::NotAFile { path: path.to_path_buf() });
    }
    let file = fs::File::open(path).map_err(io_err)?;
    // The file may have been swapped since; check what was opened, and read one byte more
    // than allowed so an oversized (or growing) file is told apart from a full one.
    if !file.metadata().map_err(io_err)?.is_file() {
        return Err(ConfigError::NotAFile { path: path.to_path_buf() });
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes).map_err(io_err)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(ConfigError::TooLarge { path: path.to_path_buf(), limit: MAX_CONFIG_BYTES });
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let problem = ParseProblem { place: None, what: What::NotUtf8 { line } };
        ConfigError::Parse { path: path.to_path_buf(), problem: Box::new(problem) }
    })
}

fn parse(text: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Parse {
        path: path.map_or_else(|| "<config>".into(), Path::to_path_buf),
        problem: Box::new(parse_error::describe(text, &e)),
    })
}

fn env_secret(name: &str) -> Option<SecretString> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty()).map(SecretString::from)
}

fn masked(secret: &SecretString) -> SecretString {
    SecretString::from(mask(secret.expose_secret()))
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn set_private(file: &fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_file: &fs::File) -> std::io::Result<()> {
    Ok(())
}

/// Makes the rename durable; best effort (not every platform can open a directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
