//! Checks that need no network: the config file, the data directory, the database, the lock.

use std::path::Path;

use super::{Check, CheckName, Finding, Local};
use crate::config::{Config, Paths, RAYNET_KEY_ENV, SHOPTET_TOKEN_ENV, loose_modes};
use crate::runtime::engine_running;
use crate::store::SCHEMA_VERSION;

/// Below this much free space in the data directory, a warning.
const LOW_SPACE_BYTES: u64 = 200 * 1024 * 1024;

fn ok(name: CheckName, f: Local) -> Check {
    Check::ok(name, Finding::Local(f))
}
fn warn(name: CheckName, f: Local) -> Check {
    Check::warn(name, Finding::Local(f))
}
fn fail(name: CheckName, f: Local) -> Check {
    Check::fail(name, Finding::Local(f))
}

pub fn config(paths: &Paths, out: &mut Vec<Check>) -> Option<Config> {
    let file = paths.config_file.display().to_string();
    let config = match Config::load(&paths.config_file) {
        Ok(c) => {
            out.push(ok(CheckName::ConfigFile, Local::ConfigReads { file: file.clone() }));
            c
        }
        Err(e) => {
            out.push(fail(CheckName::ConfigFile, Local::ConfigBroken { error: (&e).into() }));
            return None;
        }
    };
    let loose: Vec<_> = loose_modes(paths).into_iter().filter(|l| l.path == paths.config_file).collect();
    match loose.first() {
        Some(l) => out.push(warn(CheckName::ConfigPermissions, Local::ConfigLoose { file, mode: l.mode })),
        None => out.push(ok(CheckName::ConfigPermissions, Local::ConfigPrivate)),
    }
    let vars: Vec<&'static str> = [SHOPTET_TOKEN_ENV, RAYNET_KEY_ENV]
        .into_iter()
        .filter(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()))
        .collect();
    let from = if vars.is_empty() { Local::SecretsFromFile } else { Local::SecretsFromEnv { vars } };
    out.push(ok(CheckName::Secrets, from));
    Some(config)
}

pub fn data_dir(paths: &Paths, out: &mut Vec<Check>) {
    let path = &paths.data_dir;
    let dir = path.display().to_string();
    if !path.exists() {
        out.push(warn(CheckName::DataDirectory, Local::DataDirMissing { dir }));
        return;
    }
    if !path.is_dir() {
        out.push(fail(CheckName::DataDirectory, Local::DataDirNotADir { dir }));
        return;
    }
    match tempfile::tempfile_in(path) {
        Ok(_) => out.push(ok(CheckName::DataDirectory, Local::DataDirWritable { dir })),
        Err(e) => {
            out.push(fail(CheckName::DataDirectory, Local::DataDirNotWritable { dir, error: e.to_string() }))
        }
    }
    let loose: Vec<_> = loose_modes(paths).into_iter().filter(|l| l.path != paths.config_file).collect();
    match loose.first() {
        None => out.push(ok(CheckName::DataPermissions, Local::DataPrivate)),
        Some(first) => out.push(warn(
            CheckName::DataPermissions,
            Local::DataLoose {
                paths: loose.iter().map(|l| l.path.display().to_string()).collect(),
                first: first.path.display().to_string(),
                expected: first.expected,
            },
        )),
    }
    let mib = |b: u64| b / (1024 * 1024);
    match free_bytes(path) {
        Some(b) if b < LOW_SPACE_BYTES => {
            out.push(warn(CheckName::FreeSpace, Local::SpaceLow { mib: mib(b) }))
        }
        Some(b) => out.push(ok(CheckName::FreeSpace, Local::Space { mib: mib(b) })),
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
            out.push(warn(CheckName::Database, Local::NoDatabase));
        }
        return;
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let checked = rusqlite::Connection::open_with_flags(&db, flags).and_then(|c| {
        let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let verdict: String = c.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        Ok((version, verdict))
    });
    let ours = SCHEMA_VERSION;
    out.push(match checked {
        Err(e) => fail(
            CheckName::Database,
            Local::DatabaseUnreadable { db: db.display().to_string(), error: e.to_string() },
        ),
        Ok((_, verdict)) if verdict != "ok" => fail(CheckName::Database, Local::DatabaseDamaged { verdict }),
        Ok((version, _)) if version > ours => {
            fail(CheckName::Database, Local::DatabaseNewer { version, ours })
        }
        Ok((version, _)) if version < ours => {
            ok(CheckName::Database, Local::DatabaseMigrates { version, ours })
        }
        Ok((version, _)) => ok(CheckName::Database, Local::DatabaseOk { version }),
    });
}

pub fn lock(paths: &Paths, out: &mut Vec<Check>) {
    if !paths.data_dir.is_dir() {
        return;
    }
    let found = if engine_running(paths) { Local::EngineRunning } else { Local::EngineIdle };
    out.push(ok(CheckName::Engine, found));
}
