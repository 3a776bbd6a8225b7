//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::runtime::Global;
use crate::store::OrderState;

/// The exit codes, as `--help` lists them (the README's "Exit codes" says the same).
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success; for `sync --once`: every order that should be synced is synced
  1    an error (configuration, credentials, database, data directory, a refused action)
  2    `sync --once`: some orders failed, are dead, wait for a decision or are still queued
  3    `poll-now`: no daemon took the request (none runs for the data directory)
  64   usage error: an unknown command, flag or value
  130  `sync --once` interrupted by SIGINT (Ctrl-C), 143 by SIGTERM, 129 by SIGHUP:
       it stopped after the order in flight; the next run goes on from there";

#[derive(Debug, Parser)]
#[command(
    name = "shoptet-raynet-sync",
    version,
    about = "Keeps a Shoptet e-shop and a RAYNET CRM in step: completed orders become business cases.",
    long_about = "Keeps a Shoptet e-shop and a RAYNET CRM in step: completed orders become business cases.\n\n\
                  Without a subcommand, opens the dashboard (and the guided setup when no configuration exists).",
    after_help = EXIT_CODES_HELP,
    subcommand_help_heading = "Commands"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// An order state as it is typed on the command line (`needs-decision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    Pending,
    Queued,
    Synced,
    Failed,
    #[value(alias = "needs_decision")]
    NeedsDecision,
    Skipped,
    Dead,
}

impl From<StateArg> for OrderState {
    fn from(s: StateArg) -> OrderState {
        match s {
            StateArg::Pending => OrderState::Pending,
            StateArg::Queued => OrderState::Queued,
            StateArg::Synced => OrderState::Synced,
            StateArg::Failed => OrderState::Failed,
            StateArg::NeedsDecision => OrderState::NeedsDecision,
            StateArg::Skipped => OrderState::Skipped,
            StateArg::Dead => OrderState::Dead,
        }
    }
}

/// A shell for `completions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Elvish,
    #[value(name = "powershell")]
    PowerShell,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The dashboard against the built-in simulated shop and CRM (nothing real is touched)
    Demo {
        /// No TUI: run the demo sync and print a summary
        #[arg(long)]
        headless: bool,
        /// Serve GET /healthz and /metrics on this address (e.g. 127.0.0.1:9464), as `run` does
        /// with [server] listen; with --headless, until Ctrl-C after the summary
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
    },
    /// Guided first-time setup (the dashboard's wizard)
    Setup,
    /// One sync pass (`sync --once`)
    #[command(after_help = EXIT_CODES_HELP)]
    Sync(SyncArgs),
    /// The daemon: poll every poll_interval_secs, process retries, reload the configuration on
    /// SIGHUP, stop cleanly on SIGINT/SIGTERM
    Run(RunArgs),
    /// Ask the running daemon to poll Shoptet now (exit 3 when no daemon runs)
    #[command(after_help = EXIT_CODES_HELP)]
    PollNow,
    /// Check the whole setup: config, data directory, database, lock, both APIs, configured
    /// values, clocks, webhook — each ok / warn / fail with the fix (exit 0 ok, 2 warnings, 1 failure)
    Doctor {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Our Shoptet webhooks (order:create and order:update at webhook.public_url): register,
    /// remove or show them
    Webhooks {
        #[command(subcommand)]
        action: WebhooksAction,
    },
    /// Counts per state, daemon, times, cursor, rate-limit state, where the database and logs are
    Status {
        /// Print JSON (stable: fields are only ever added)
        #[arg(long)]
        json: bool,
    },
    /// List orders known locally, with why each one waits
    Orders {
        /// Only orders in this state (repeat or separate with commas for several)
        #[arg(long, value_enum, value_delimiter = ',', value_name = "STATE")]
        state: Vec<StateArg>,
        /// Only orders whose code, customer or e-mail contains this text
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// At most this many orders, newest change first
        #[arg(long, default_value_t = 100, value_name = "N")]
        limit: u64,
        /// Print JSON (stable: fields are only ever added)
        #[arg(long)]
        json: bool,
    },
    /// One order in detail: state and why, the plan, every API call, the history
    Show {
        /// The Shoptet order code
        code: String,
        /// Print JSON (stable: fields are only ever added)
        #[arg(long)]
        json: bool,
    },
    /// Retry failed, dead or queued orders now (a synced order: use `resync`)
    #[command(override_usage = "shoptet-raynet-sync retry <CODE>...\n       shoptet-raynet-sync retry --all")]
    Retry {
        /// Shoptet order codes
        #[arg(value_name = "CODE", required_unless_present = "all")]
        codes: Vec<String>,
        /// Every failed and dead order
        #[arg(long, conflicts_with = "codes")]
        all: bool,
    },
    /// Fetch an order again and bring its business case up to date
    Resync {
        /// The Shoptet order code
        code: String,
    },
    /// Stop trying an order that is not synced (it stays visible as skipped; `unskip` undoes it)
    Skip {
        /// The Shoptet order code
        code: String,
        /// Why, shown in `orders` and `show` (without it: "skipped by hand", in the `--lang` language)
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Undo `skip`: queue the order so it is synced (or goes back to pending)
    Unskip {
        /// The Shoptet order code
        code: String,
    },
    /// Settle an ambiguous client match (the candidates: `orders --state needs-decision`)
    #[command(override_usage = "shoptet-raynet-sync resolve <CODE> --client <ID> [--force]\n       \
                                shoptet-raynet-sync resolve <CODE> --create")]
    Resolve {
        /// The Shoptet order code
        code: String,
        /// Link this existing RAYNET client id (one of the candidates, or any with --force)
        #[arg(long, value_name = "ID", conflicts_with = "create", required_unless_present = "create")]
        client: Option<i64>,
        /// Create a new client instead
        #[arg(long)]
        create: bool,
        /// Link a client that is not one of the candidates
        #[arg(long, requires = "client")]
        force: bool,
    },
    /// Queue older, unchanged final orders created since DATE (low priority) and sync them
    /// within today's RAYNET budget, keeping sync.backfill_reserve requests for new orders
    Backfill {
        /// YYYY-MM-DD (midnight in the e-shop's time zone) or an RFC 3339 timestamp
        #[arg(long, value_name = "DATE")]
        from: String,
        /// Only print the estimate (orders, RAYNET requests, budget left today, ETA)
        #[arg(long)]
        dry_run: bool,
    },
    /// Run both simulators standalone and print their credentials as one JSON line
    Sim {
        /// Port of the simulated Shoptet API on 127.0.0.1 (0 = any free port)
        #[arg(long, default_value_t = 0, value_name = "PORT")]
        shoptet_port: u16,
        /// Port of the simulated RAYNET API on 127.0.0.1 (0 = any free port)
        #[arg(long, default_value_t = 0, value_name = "PORT")]
        raynet_port: u16,
    },
    /// Print a shell completion script to stdout
    #[command(
        after_help = "Examples:\n  shoptet-raynet-sync completions bash > /etc/bash_completion.d/shoptet-raynet-sync\n  \
                            shoptet-raynet-sync completions zsh > \"${fpath[1]}/_shoptet-raynet-sync\"\n  \
                            shoptet-raynet-sync completions fish > ~/.config/fish/completions/shoptet-raynet-sync.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the manual page (roff) to stdout
    #[command(
        after_help = "Example:\n  shoptet-raynet-sync man > /usr/local/share/man/man1/shoptet-raynet-sync.1"
    )]
    Man,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Log to stderr instead of files in the data directory (the default under systemd, where
    /// JOURNAL_STREAM is set: the journal keeps the lines)
    #[arg(long)]
    pub log_stderr: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Required: one pass and exit (use `run` for the daemon)
    #[arg(long)]
    pub once: bool,
    /// Print the plan; write nothing to RAYNET or the local store
    #[arg(long)]
    pub dry_run: bool,
    /// Print JSON (stable: fields are only ever added)
    #[arg(long)]
    pub json: bool,
}

/// `webhooks …`: the setup the dashboard's wizard does, for an admin over SSH.
#[derive(Debug, Subcommand)]
pub enum WebhooksAction {
    /// Register order:create and order:update at webhook.public_url (a second run adds nothing);
    /// fetch a signature key into the config file when none is stored
    Register {
        /// Fetch a new signature key even though one is stored (the old one stops working)
        #[arg(long)]
        new_key: bool,
        /// An older address of this sync: our webhooks there are moved to the public URL
        #[arg(long, value_name = "URL")]
        replace: Vec<String>,
    },
    /// Remove our webhooks (at webhook.public_url, and at each --url); other tools' stay
    Remove {
        /// Another address of ours to remove webhooks from
        #[arg(long, value_name = "URL")]
        url: Vec<String>,
    },
    /// What is registered, whether it matches the configuration, failed deliveries of the last
    /// 7 days (exit 0 as configured, 2 not)
    Status {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
}
