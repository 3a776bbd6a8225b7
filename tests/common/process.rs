//! The binary as a child process: a clean environment, the world's config and data dir, and a
//! daemon whose output goes to files.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary with no credentials, config or data dir from the environment, logging errors only.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shoptet-raynet-sync"));
    c.env_remove("SHOPTET_API_TOKEN")
        .env_remove("RAYNET_API_KEY")
        .env_remove("SHOPTET_RAYNET_SYNC_CONFIG")
        .env_remove("SHOPTET_RAYNET_SYNC_DATA_DIR")
        .env_remove("JOURNAL_STREAM")
        .env("RUST_LOG", "error")
        .stdin(Stdio::null());
    c
}

/// The binary with `args`, pointed at `config` and the data dir `data`.
pub fn cli(config: &Path, data: &Path, args: &[&str]) -> Command {
    let mut c = bin();
    c.args(args).arg("--config").arg(config).arg("--data-dir").arg(data);
    c
}

/// A loopback port free at the moment of asking.
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A daemon child whose stdout and stderr go to files (no pipe can fill up and block it).
pub struct Daemon {
    pub child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
    _out_dir: tempfile::TempDir,
}

impl Daemon {
    pub fn spawn(mut cmd: Command) -> Daemon {
        let out_dir = tempfile::tempdir().expect("tempdir");
        let stdout = out_dir.path().join("stdout");
        let stderr = out_dir.path().join("stderr");
        cmd.stdout(std::fs::File::create(&stdout).expect("stdout file"))
            .stderr(std::fs::File::create(&stderr).expect("stderr file"));
        let child = cmd.spawn().expect("spawn daemon");
        Daemon { child, stdout, stderr, _out_dir: out_dir }
    }

    /// `run` logging at `info` to stderr.
    pub fn start(config: &Path, data: &Path) -> Daemon {
        Daemon::spawn(cli(config, data, &["run", "--log-stderr", "--log-level", "info"]))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// What the daemon logged (to stderr).
    pub fn log(&self) -> String {
        self.stderr()
    }

    pub fn output_text(&self) -> String {
        format!("{}{}", std::fs::read_to_string(&self.stdout).unwrap_or_default(), self.stderr())
    }

    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends SIGHUP (through `kill`, no libc) without waiting.
    pub fn hangup(&self) {
        let sent = Command::new("kill").arg("-HUP").arg(self.pid().to_string()).status().expect("kill");
        assert!(sent.success(), "kill -HUP");
    }

    /// Sends SIGTERM (through `kill`, no libc) and waits for the exit.
    pub async fn terminate(&mut self, within: Duration) -> Option<ExitStatus> {
        self.signal("-TERM", within).await
    }

    pub async fn signal(&mut self, signal: &str, within: Duration) -> Option<ExitStatus> {
        let sent = Command::new("kill").arg(signal).arg(self.pid().to_string()).status().expect("kill -TERM");
        assert!(sent.success(), "kill {signal} {} failed", self.pid());
        self.wait(within).await
    }

    pub async fn wait(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs a short-lived command to its end (killed after `within`) and returns its output.
pub async fn finish(cmd: Command, within: Duration) -> Output {
    let mut d = Daemon::spawn(cmd);
    let status = match d.wait(within).await {
        Some(s) => s,
        None => {
            let _ = d.child.kill();
            let _ = d.child.wait();
            panic!("command did not finish within {within:?}: {}", d.output_text());
        }
    };
    Output {
        status,
        stdout: std::fs::read(&d.stdout).unwrap_or_default(),
        stderr: std::fs::read(&d.stderr).unwrap_or_default(),
    }
}

/// Waits for `child`; with `kill_after`, kills it (SIGKILL) once that much time has passed.
/// True when it was killed, false when it ended first.
pub fn wait_or_kill(mut child: Child, kill_after: Option<Duration>) -> bool {
    if let Some(d) = kill_after {
        let start = Instant::now();
        while start.elapsed() < d {
            if child.try_wait().expect("try_wait").is_some() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = child.kill(); // SIGKILL
    }
    let _ = child.wait();
    kill_after.is_some()
}

/// One `sync --once` of the binary, quiet, killed (SIGKILL) after `kill_after` when given.
/// True when it was killed, false when it ended first.
pub fn sync_once_or_kill(config: &Path, data: &Path, kill_after: Option<Duration>) -> bool {
    let child = bin()
        .args(["sync", "--once", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    wait_or_kill(child, kill_after)
}

/// Polls `cond` every 50 ms until it holds or `within` passes.
pub async fn eventually(within: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
