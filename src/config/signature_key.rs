//! Storing a fetched webhook signature key in the config file: only `[webhook]
//! signature_key` changes, the rest of a hand-written file (comments, order, secrets kept in
//! the environment) stays as it is; written atomically with mode 0600.

use std::path::Path;

use secrecy::{ExposeSecret, SecretString};

use super::ConfigError;
use super::file::{read_limited, write_private};

/// Sets `webhook.signature_key` in the file at `path`.
pub fn save_signature_key(path: &Path, key: &SecretString) -> Result<(), ConfigError> {
    let text = read_limited(path)?;
    let mut doc: toml_edit::DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| ConfigError::Parse {
            path: path.to_path_buf(),
            problem: Box::new(super::parse_error::describe_edit(&text, &e)),
        })?;
    super::redact::register_secret(key.expose_secret());
    let table = doc.entry("webhook").or_insert_with(toml_edit::table);
    let Some(table) = table.as_table_like_mut() else {
        return Err(ConfigError::Invalid {
            path: Some(path.to_path_buf()),
            key: "webhook".into(),
            problem: "must be a table ([webhook])".to_string().into(),
        });
    };
    table.insert("signature_key", toml_edit::value(key.expose_secret()));
    write_private(path, &doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_key_changes_and_comments_stay() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("config.toml");
        let before = "# my shop\n[shoptet]\napi_token = \"\" # from SHOPTET_API_TOKEN\n\n[webhook]\nenabled = true # on\n";
        std::fs::write(&path, before).expect("write");
        save_signature_key(&path, &SecretString::from("0123456789abcdef")).expect("saved");
        let after = std::fs::read_to_string(&path).expect("read");
        assert!(
            after.starts_with("# my shop\n[shoptet]\napi_token = \"\" # from SHOPTET_API_TOKEN"),
            "{after}"
        );
        assert!(after.contains("enabled = true # on"), "{after}");
        let parsed: toml::Table = toml::from_str(&after).expect("toml");
        assert_eq!(parsed["webhook"]["signature_key"].as_str(), Some("0123456789abcdef"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        save_signature_key(&path, &SecretString::from("fedcba9876543210")).expect("replaced");
        let again: toml::Table =
            toml::from_str(&std::fs::read_to_string(&path).expect("read")).expect("toml");
        assert_eq!(again["webhook"]["signature_key"].as_str(), Some("fedcba9876543210"));
    }

    #[test]
    fn a_file_without_a_webhook_table_gets_one() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[sync]\nsource_id = 1\n").expect("write");
        save_signature_key(&path, &SecretString::from("0123456789abcdef")).expect("saved");
        let parsed: toml::Table =
            toml::from_str(&std::fs::read_to_string(&path).expect("read")).expect("toml");
        assert_eq!(parsed["webhook"]["signature_key"].as_str(), Some("0123456789abcdef"));
        assert_eq!(parsed["sync"]["source_id"].as_integer(), Some(1));
    }
}
