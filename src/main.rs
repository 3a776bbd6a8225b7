use clap::Parser;

fn main() {
    let cli = shoptet_raynet_sync::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let code = runtime.block_on(shoptet_raynet_sync::cli::run(cli));
    // Do not wait for background tasks (servers, file logger) beyond this point.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    std::process::exit(code);
}
