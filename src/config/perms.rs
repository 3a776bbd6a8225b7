//! File modes of the local data: the database holds customers' names, e-mails, addresses and
//! phone numbers, the logs mention them, so everything is created for its owner only —
//! directories 0700, files 0600. A directory that already exists keeps its mode (it may be a
//! shared one such as `/tmp`); when others can read it, a warning says so.
//! [`loose_modes`] lists every path of the data directory that is more open than that.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use super::Paths;

/// Mode of the directories the sync creates.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
/// Mode of the files the sync creates.
pub const PRIVATE_FILE_MODE: u32 = 0o600;

/// Creates `dir` and its missing parents with mode 0700. A directory that exists already is
/// left as it is — never chmod-ed — and a warning is logged when group or others may read it.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            warn_if_open(dir, &meta);
            Ok(())
        }
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists but is not a directory", dir.display()),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => create_dir_private(dir),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn create_dir_private(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().recursive(true).mode(PRIVATE_DIR_MODE).create(dir)
}

#[cfg(not(unix))]
fn create_dir_private(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// Opens `path` for writing without truncating, creating it with mode 0600 when missing.
/// An existing file keeps its mode.
pub fn open_private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(PRIVATE_FILE_MODE);
    }
    options.open(path)
}

/// Creates `path` empty with mode 0600 when it does not exist; leaves an existing one alone.
pub fn create_private_file(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => open_private_file(path).map(drop),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn warn_if_open(dir: &Path, meta: &fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        tracing::warn!(
            dir = %dir.display(),
            mode = %format!("{mode:o}"),
            "the directory holding customer data is readable by other users; \
             use a private directory or run `chmod 700` on it"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_open(_dir: &Path, _meta: &fs::Metadata) {}

/// A path of the local data that others may read or write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LooseMode {
    pub path: PathBuf,
    /// The permission bits found (e.g. `0o644`).
    pub mode: u32,
    /// The most open mode the path should have (`0o700` or `0o600`).
    pub expected: u32,
}

impl std::fmt::Display for LooseMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is {:04o}; other users can read it — run `chmod {:o} {}`",
            self.path.display(),
            self.mode,
            self.expected,
            self.path.display()
        )
    }
}

/// Every existing path of the configuration and the data directory whose mode is looser
/// than private: the data directory and `logs/` (0700), the config file, `sync.db` with its
/// `-wal` / `-shm` files, `engine.lock` and each log file (0600). Missing paths are skipped.
/// Always empty on platforms without Unix modes.
pub fn loose_modes(paths: &Paths) -> Vec<LooseMode> {
    let mut checks: Vec<(PathBuf, u32)> = vec![
        (paths.config_file.clone(), PRIVATE_FILE_MODE),
        (paths.data_dir.clone(), PRIVATE_DIR_MODE),
        (paths.database(), PRIVATE_FILE_MODE),
        (with_suffix(&paths.database(), "-wal"), PRIVATE_FILE_MODE),
        (with_suffix(&paths.database(), "-shm"), PRIVATE_FILE_MODE),
        (with_suffix(&paths.database(), "-journal"), PRIVATE_FILE_MODE),
        (paths.lock_file(), PRIVATE_FILE_MODE),
        (paths.log_dir(), PRIVATE_DIR_MODE),
    ];
    if let Ok(entries) = fs::read_dir(paths.log_dir()) {
        let mut logs: Vec<PathBuf> =
            entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
        logs.sort();
        checks.extend(logs.into_iter().map(|p| (p, PRIVATE_FILE_MODE)));
    }
    checks.into_iter().filter_map(|(path, expected)| loose(&path, expected)).collect()
}

#[cfg(unix)]
fn loose(path: &Path, expected: u32) -> Option<LooseMode> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & !expected != 0).then(|| LooseMode { path: path.to_path_buf(), mode, expected })
}

#[cfg(not(unix))]
fn loose(_path: &Path, _expected: u32) -> Option<LooseMode> {
    None
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}
