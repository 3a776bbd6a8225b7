//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "shoptet-raynet-sync",
    version,
    about = "Keeps a Shoptet e-shop and a RAYNET CRM in step: completed orders become business cases.",
    long_about = "Without a subcommand, opens the dashboard (and the guided setup when no configuration exists)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Configuration file [env: SHOPTET_RAYNET_SYNC_CONFIG]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Data directory: database and logs [env: SHOPTET_RAYNET_SYNC_DATA_DIR]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// User interface language: cs or en (default from LANG)
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Log level (error, warn, info, debug, trace); RUST_LOG wins when set
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The dashboard against the built-in simulated shop and CRM (nothing real is touched)
    Demo {
        /// No TUI: run the demo sync and print a summary
        #[arg(long)]
        headless: bool,
    },
    /// Guided first-time setup (the dashboard's wizard)
    Setup,
    /// One sync pass
    Sync(SyncArgs),
    /// The daemon: poll every poll_interval_secs, process retries, stop cleanly on SIGINT/SIGTERM
    Run,
    /// Counts per state, cursor, last successful sync, rate-limit state
    Status {
        #[arg(long)]
        json: bool,
    },
    /// List orders known locally
    Orders {
        /// pending, queued, synced, failed, needs-decision, skipped, dead
        #[arg(long)]
        state: Option<String>,
        /// Code, customer or e-mail contains this
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u64,
        #[arg(long)]
        json: bool,
    },
    /// Retry failed or dead orders now
    Retry {
        codes: Vec<String>,
        #[arg(long, conflicts_with = "codes")]
        all: bool,
    },
    /// Fetch an order again and sync it as if new (updates its business case)
    Resync { code: String },
    /// Stop trying an order (it stays visible as skipped)
    Skip {
        code: String,
        #[arg(long, default_value = "skipped from the command line")]
        reason: String,
    },
    /// Settle an ambiguous client match
    Resolve {
        code: String,
        /// Link this existing RAYNET client id
        #[arg(long, conflicts_with = "create", required_unless_present = "create")]
        client: Option<i64>,
        /// Create a new client instead
        #[arg(long)]
        create: bool,
    },
    /// Queue older, unchanged final orders created since DATE (low priority)
    Backfill {
        /// YYYY-MM-DD or an RFC 3339 timestamp
        #[arg(long)]
        from: String,
    },
    /// Run both simulators standalone and print their credentials as one JSON line
    Sim {
        #[arg(long, default_value_t = 0)]
        shoptet_port: u16,
        #[arg(long, default_value_t = 0)]
        raynet_port: u16,
    },
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Required: one pass and exit (use `run` for the daemon)
    #[arg(long)]
    pub once: bool,
    /// Print the plan; write nothing to RAYNET or the local store
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}
