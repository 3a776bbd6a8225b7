//! File logging: lines land in the daily file, without ANSI codes and without credentials; the
//! log directory and files are private; a second init is harmless.

#[test]
fn init_file_writes_plain_private_redacted_lines_and_tolerates_a_second_call() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Neither the data directory nor logs/ exists yet: both are created 0700.
    let data_dir = dir.path().join("data");
    let log_dir = data_dir.join("logs");
    shoptet_raynet_sync::config::redact::register_secret("logging-test-api-key-31415");
    let guard = shoptet_raynet_sync::runtime::logging::init_file(&log_dir, Some("info")).expect("init");
    tracing::info!(order = "2026000123", "synced order");
    tracing::debug!("below the level");
    tracing::warn!(
        body = r#"{"error":"bad key logging-test-api-key-31415","auth":"Bearer eyJ0eXAiOiJKV1Qi.eyJzdWIi.c2lnbmF0dXJl"}"#,
        "RAYNET refused the request"
    );

    let again = shoptet_raynet_sync::runtime::logging::init_file(&log_dir, Some("debug"));
    assert!(again.is_ok());
    shoptet_raynet_sync::runtime::logging::init_stderr(None);
    drop(again);
    drop(guard); // flushes the non-blocking writer

    let files: Vec<_> =
        std::fs::read_dir(&log_dir).expect("log dir created").map(|e| e.expect("entry").path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    assert!(name.starts_with("shoptet-raynet-sync.") && name.ends_with(".log"), "{name}");
    let text = std::fs::read_to_string(&files[0]).expect("readable");
    assert!(text.contains("synced order") && text.contains("2026000123"), "{text}");
    assert!(!text.contains("below the level"), "{text}");
    assert!(!text.contains('\u{1b}'), "ANSI escape in log file: {text}");

    assert!(text.contains("RAYNET refused the request"), "{text}");
    assert!(!text.contains("logging-test-api-key-31415"), "configured secret logged: {text}");
    assert!(!text.contains("eyJ0eXAiOiJKV1Qi"), "bearer token logged: {text}");
    assert!(text.contains("Bearer [redacted]"), "{text}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&data_dir), 0o700, "data dir");
        assert_eq!(mode(&log_dir), 0o700, "logs dir");
        assert_eq!(mode(&files[0]), 0o600, "log file");
    }
}
