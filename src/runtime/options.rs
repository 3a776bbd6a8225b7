//! The global options every command accepts.

use std::path::PathBuf;

use clap::Args;

const GLOBAL: &str = "Global options";

#[derive(Debug, Clone, Default, Args)]
pub struct Global {
    /// Configuration file [env: SHOPTET_RAYNET_SYNC_CONFIG]
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub config: Option<PathBuf>,
    /// Data directory: database and logs [env: SHOPTET_RAYNET_SYNC_DATA_DIR]
    #[arg(long, global = true, value_name = "DIR", help_heading = GLOBAL)]
    pub data_dir: Option<PathBuf>,
    /// Language of the dashboard (default from LANG) and of the reasons commands print (default English)
    #[arg(long, global = true, value_name = "LANG", value_parser = ["cs", "en"], ignore_case = true,
          help_heading = GLOBAL)]
    pub lang: Option<String>,
    /// Log level; overrides RUST_LOG (default: RUST_LOG, else info)
    #[arg(long, global = true, value_name = "LEVEL",
          value_parser = ["error", "warn", "info", "debug", "trace", "off"], ignore_case = true,
          help_heading = GLOBAL)]
    pub log_level: Option<String>,
}
