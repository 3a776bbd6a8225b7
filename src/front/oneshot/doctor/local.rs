//! Checks that need no network: the config file, the data directory, the database, the lock.

use std::path::Path;

use super::Check;
use crate::config::{Config, Paths, RAYNET_KEY_ENV, SHOPTET_TOKEN_ENV, loose_modes};
use crate::runtime::engine_running;
use crate::store::SCHEMA_VERSION;

/// Below this much free space in the data directory, a warning.
const LOW_SPACE_BYTES: u64 = 200 * 1024 * 1024;

pub fn config(paths: &Paths, out: &mut Vec<Check>) -> Option<Config> {
    let file = paths.config_file.display().to_string();
    let config = match Config::load(&paths.config_file) {
        Ok(c) => {
            out.push(Check::ok("config file", format!("{file} reads and validates")));
            c
        }
        Err(e) => {
            out.push(Check::fail(
                "config file",
                e.to_string(),
                "fix the file (or run `shoptet-raynet-sync setup`)",
            ));
            return None;
        }
    };
    let loose: Vec<_> = loose_modes(paths).into_iter().filter(|l| l.path == paths.config_file).collect();
    match loose.first() {
        Some(l) => out.push(Check::warn(
            "config permissions",
            format!("{file} is {:04o}: other users can read the secrets in it", l.mode),
            format!("chmod 600 {file}"),
        )),
        None => out.push(Check::ok("config permissions", "readable by its owner only")),
    }
    let from_env: Vec<&str> = [SHOPTET_TOKEN_ENV, RAYNET_KEY_ENV]
        .into_iter()
        .filter(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()))
        .collect();
    out.push(Check::ok(
        "secrets",
        if from_env.is_empty() {
            "from the config file".to_string()
        } else {
            format!("{} from the environment, the rest from the file", from_env.join(" and "))
        },
    ));
    Some(config)
}

pub fn data_dir(paths: &Paths, out: &mut Vec<Check>) {
    let dir = &paths.data_dir;
    let shown = dir.display().to_string();
    if !dir.exists() {
        out.push(Check::warn(
            "data directory",
            format!("{shown} does not exist yet"),
            "it is created (0700) on the first `run` or `sync --once`",
        ));
        return;
    }
    if !dir.is_dir() {
        out.push(Check::fail(
            "data directory",
            format!("{shown} is not a directory"),
            "point --data-dir (or SHOPTET_RAYNET_SYNC_DATA_DIR) at a directory",
        ));
        return;
    }
    match tempfile::tempfile_in(dir) {
        Ok(_) => out.push(Check::ok("data directory", format!("{shown} is writable"))),
        Err(e) => out.push(Check::fail(
            "data directory",
            format!("cannot write in {shown}: {e}"),
            format!("make {shown} writable for the user that runs the sync"),
        )),
    }
    let loose: Vec<_> = loose_modes(paths).into_iter().filter(|l| l.path != paths.config_file).collect();
    match loose.as_slice() {
        [] => out.push(Check::ok("data permissions", "the database, lock and logs are private")),
        many => out.push(Check::warn(
            "data permissions",
            format!(
                "{} path(s) other users can read: {}",
                many.len(),
                many.iter().map(|l| l.path.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
            many[0].to_string(),
        )),
    }
    match free_bytes(dir) {
        Some(free) if free < LOW_SPACE_BYTES => out.push(Check::warn(
            "free space",
            format!("{} MiB free where the database lives", free / (1024 * 1024)),
            "free some space: SQLite needs room to write",
        )),
        Some(free) => out.push(Check::ok("free space", format!("{} MiB free", free / (1024 * 1024)))),
        None => {}
    }
}

/// Free bytes of the file system holding `dir`, from POSIX `df -Pk` (`None` when it cannot
/// be read).
fn free_bytes(dir: &Path) -> Option<u64> {
    let out = std::process::Command::new("df").arg("-Pk").arg(dir).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let kib: u64 = text.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()?;
    Some(kib * 1024)
}

pub fn database(paths: &Paths, out: &mut Vec<Check>) {
    let db = paths.database();
    if !db.exists() {
        if paths.data_dir.is_dir() {
            out.push(Check::warn("database", "no sync.db yet", "it is created on the first sync"));
        }
        return;
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let checked = rusqlite::Connection::open_with_flags(&db, flags).and_then(|c| {
        let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let verdict: String = c.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        Ok((version, verdict))
    });
    match checked {
        Err(e) => out.push(Check::fail(
            "database",
            format!("{}: {e}", db.display()),
            "restore sync.db from a backup, or move it away to start a fresh record",
        )),
        Ok((_, verdict)) if verdict != "ok" => out.push(Check::fail(
            "database",
            format!("integrity check: {verdict}"),
            "restore sync.db from a backup, or move it away to start a fresh record",
        )),
        Ok((version, _)) if version > SCHEMA_VERSION => out.push(Check::fail(
            "database",
            format!("schema version {version} is newer than this program's ({SCHEMA_VERSION})"),
            "run the newer version of shoptet-raynet-sync that wrote it",
        )),
        Ok((version, _)) if version < SCHEMA_VERSION => out.push(Check::ok(
            "database",
            format!("intact; schema {version}, brought to {SCHEMA_VERSION} on the next start"),
        )),
        Ok((version, _)) => out.push(Check::ok("database", format!("intact; schema {version}"))),
    }
}

pub fn lock(paths: &Paths, out: &mut Vec<Check>) {
    if !paths.data_dir.is_dir() {
        return;
    }
    if engine_running(paths) {
        out.push(Check::ok("engine", "a daemon (or another engine) runs on this data directory"));
    } else {
        out.push(Check::ok(
            "engine",
            "no daemon runs on this data directory (fine when `sync --once` runs from cron)",
        ));
    }
}
