use clap::Parser;
use shoptet_raynet_sync::cli::Cli;
use shoptet_raynet_sync::runtime::{EXIT_FATAL, EXIT_OK, EXIT_USAGE, print_error_as};

fn main() {
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
            let t = shoptet_raynet_sync::front::oneshot::render::texts(&cli.global);
            print_error_as(t.cli().error_label, &t.cli().err_runtime(&e.to_string()));
            std::process::exit(EXIT_FATAL);
        }
    };
    let code = runtime.block_on(shoptet_raynet_sync::cli::run(cli));
    // Do not wait for background tasks (servers, file logger) beyond this point.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    std::process::exit(code);
}
