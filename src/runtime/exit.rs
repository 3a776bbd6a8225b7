//! The process exit codes (the README's "Exit codes" and `--help` list the same).

/// Everything went through (pending orders are not failures).
pub const EXIT_OK: i32 = 0;
/// A fatal error (configuration, credentials, store).
pub const EXIT_FATAL: i32 = 1;
/// Some orders failed or wait for a decision.
pub const EXIT_ORDERS_WAITING: i32 = 2;
/// `poll-now`: no daemon took the request — none runs for the data directory, or the engine
/// that holds it takes no requests (`sync --once`). LSB's "program is not running".
pub const EXIT_NO_DAEMON: i32 = 3;
/// The command line was wrong (sysexits' EX_USAGE).
pub const EXIT_USAGE: i32 = 64;
/// `sync --once` stopped by SIGHUP, SIGINT or SIGTERM: 128 + the signal.
pub const EXIT_SIGHUP: i32 = 129;
pub const EXIT_SIGINT: i32 = 130;
pub const EXIT_SIGTERM: i32 = 143;
