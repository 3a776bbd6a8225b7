//! File logging: lines land in the daily file, without ANSI codes; a second init is harmless.

#[test]
fn init_file_writes_plain_lines_and_tolerates_a_second_call() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log_dir = dir.path().join("logs");
    let guard = shoptet_raynet_sync::logging::init_file(&log_dir, Some("info")).expect("init");
    tracing::info!(order = "2026000123", "synced order");
    tracing::debug!("below the level");

    let again = shoptet_raynet_sync::logging::init_file(&log_dir, Some("debug"));
    assert!(again.is_ok());
    shoptet_raynet_sync::logging::init_stderr(None);
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
}
