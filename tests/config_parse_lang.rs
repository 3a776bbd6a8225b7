//! A config file that does not parse (or holds a wrong value), as the CLI's error line says it:
//! with `--lang cs` no English word, with English the loader's own text.

#[allow(dead_code)]
#[path = "common/process.rs"]
mod process;

use std::path::{Path, PathBuf};

use shoptet_raynet_sync::config::{Config, ConfigError};
use shoptet_raynet_sync::tui::fake::english_words;

/// Section names and values typed as they are.
const ALLOWED: &[&str] = &["sync", "true", "false"];

fn invalid_configs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs/invalid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/configs/invalid")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// `sync --once` on `config` in `lang`: its stderr (the command must fail with 1).
fn said(config: &Path, data: &Path, lang: &str) -> String {
    let o = process::cli(config, data, &["sync", "--once", "--lang", lang]).output().expect("run");
    assert_eq!(o.status.code(), Some(1), "{}: {o:?}", config.display());
    process::text(&o.stderr)
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text.as_ref()).expect("write");
    path
}

/// A good configuration; the sync starts 30 days ago.
fn valid() -> String {
    let start = (chrono::Utc::now() - chrono::Duration::days(30)).format("%Y-%m-%dT00:00:00+01:00");
    format!(
        "[shoptet]\napi_token = \"shoptet-token-abcdef123456\"\n\n[raynet]\ninstance = \"acme\"\n\
         username = \"jana@example.cz\"\napi_key = \"raynet-key-abcdef123456\"\n\n[sync]\n\
         enabled_at = \"{start}\"\ndefault_owner_id = 7\nbusiness_case_phase_id = 2\nsource_id = 3\n"
    )
}

/// Broken by hand: each one of the parse errors a user makes most.
fn broken_files(dir: &Path) -> Vec<PathBuf> {
    let valid = valid();
    let with = |extra: &str| format!("{valid}{extra}\n");
    vec![
        write(dir, "unknown_sync_key.toml", with("foo = 1")),
        write(dir, "duplicate_key.toml", with("source_id = 4")),
        write(dir, "no_value.toml", with("poll_interval_secs =")),
        write(dir, "quoted_number.toml", valid.replace("source_id = 3", "source_id = \"3\"")),
        write(dir, "unterminated.toml", valid.replace("\"acme\"", "\"acme")),
        write(dir, "array_header.toml", valid.replace("[sync]", "[[sync]]")),
        write(dir, "duplicate_section.toml", with("[raynet]\ninstance = \"b\"")),
        write(dir, "missing_section.toml", valid.replace("[raynet]", "[rynet]")),
        write(dir, "not_a_list.toml", with("final_status_ids = -3")),
        write(dir, "not_utf8.toml", [valid.as_bytes(), b"name_template = \"caf\xe9 {code}\"\n"].concat()),
    ]
}

#[test]
fn a_config_that_does_not_parse_is_said_in_czech_without_english() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let mut parse_errors = 0;
    for file in broken_files(dir.path()).into_iter().chain(invalid_configs()) {
        let shown = file.display().to_string();
        let cs = said(&file, &data, "cs");
        let line = cs.lines().find(|l| l.contains(&shown)).unwrap_or_else(|| panic!("{shown}: {cs}"));
        let words = english_words(&line.replace(&shown, "<file>"), ALLOWED);
        assert!(words.is_empty(), "{shown} in Czech: {line}\nEnglish: {words:?}");

        // English: the loader's own text, word for word.
        let error = Config::load(&file).expect_err("broken");
        let en = said(&file, &data, "en");
        assert!(en.contains(&error.to_string()), "{shown}: {en}\nexpected: {error}");
        assert_ne!(cs, en, "{shown}");
        if matches!(error, ConfigError::Parse { .. }) {
            parse_errors += 1;
            assert!(line.contains("řádek "), "{shown}: the place in Czech: {line}");
        }
    }
    assert!(parse_errors >= 12, "the files exercise the parser: {parse_errors}");
}
