use std::io::IsTerminal;

use clap::Parser;
use shoptet_raynet_sync::cli::{Cli, EXIT_FATAL, EXIT_OK, EXIT_USAGE, print_error};

fn main() {
    // Output read by cron mail or journald gets no colour codes: the log formatter and clap
    // both follow the NO_COLOR convention (https://no-color.org).
    if !std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        // SAFETY: nothing else runs yet (no runtime, no other thread), so no one reads the
        // environment concurrently.
        unsafe { std::env::set_var("NO_COLOR", "1") };
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; anything else is a usage error.
            let _ = e.print();
            std::process::exit(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            print_error(&format!("cannot start the async runtime: {e}"));
            std::process::exit(EXIT_FATAL);
        }
    };
    let code = runtime.block_on(shoptet_raynet_sync::cli::run(cli));
    // Do not wait for background tasks (servers, file logger) beyond this point.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    std::process::exit(code);
}
