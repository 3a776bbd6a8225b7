//! The command line: parses the arguments and hands each command to its front end (`front/`).
//! It holds no behaviour of its own beyond refusing flags a command would ignore.

pub mod args;
mod docs;
mod errors;

pub use args::{Cli, Command, WebhooksAction};

use crate::front::oneshot::render::texts;
use crate::front::{daemon, dashboard, demo, oneshot, sim};
use crate::runtime::{AppError, Global, checked, print_error_as};
use crate::store::OrderState;

/// Runs the parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> i32 {
    // Front ends that log to a file also record a fatal error there; the others log to stderr,
    // where the error is printed once, below.
    let logs_to_file = matches!(
        cli.command,
        None | Some(Command::Setup) | Some(Command::Demo { headless: false, .. })
    ) || matches!(&cli.command, Some(Command::Run(a)) if !(a.log_stderr || crate::runtime::logging::under_journald()));
    let global = cli.global.clone();
    match dispatch(&global, cli.command).await {
        Ok(code) => code,
        Err(e) => {
            if logs_to_file {
                tracing::error!(error = %e, "fatal");
            }
            let t = texts(&global);
            print_error_as(t.cli().error_label, &errors::said(t, &e));
            e.exit_code()
        }
    }
}

async fn dispatch(global: &Global, command: Option<Command>) -> Result<i32, AppError> {
    // The paths, with the data directory checked (a missing one is created when needed).
    let paths = || checked(global);
    let Some(command) = command else {
        return dashboard::run(global, &paths()?, false).await;
    };
    match command {
        Command::Setup => dashboard::run(global, &paths()?, true).await,
        Command::Demo { headless, listen } => {
            ignored_flags(global, "demo", false)?;
            let listen = demo::listen_addr(listen.as_deref())?;
            if headless {
                demo::headless(global, listen).await
            } else {
                dashboard::demo(global, listen).await
            }
        }
        Command::Sim { shoptet_port, raynet_port } => {
            ignored_flags(global, "sim", true)?;
            sim::run(global, shoptet_port, raynet_port).await
        }
        Command::Completions { shell } => docs::completions(shell),
        Command::Man => docs::man(),
        Command::Sync(a) => {
            let paths = paths()?;
            if !a.once {
                return Err(AppError::Usage(
                    "`sync` needs --once (one pass); use `run` for the daemon".into(),
                ));
            }
            oneshot::sync::run(global, &paths, a.dry_run, a.json).await
        }
        Command::Run(a) => daemon::run(global, &paths()?, a.log_stderr).await,
        Command::PollNow => oneshot::poll_now::run(texts(global), &paths()?).await,
        Command::Status { json } => oneshot::status::run(texts(global), &paths()?, json),
        Command::Webhooks { action } => webhooks(global, &paths()?, action).await,
        Command::Doctor { json } => {
            crate::runtime::logging::init_stderr(global.log_level.as_deref().or(Some("error")));
            // Unchecked paths: a data directory that is not one is a finding, not an abort.
            oneshot::doctor::run(texts(global).lang, &crate::runtime::paths(global)?, json).await
        }
        Command::Orders { state, search, limit, json } => {
            let states = state.into_iter().map(OrderState::from).collect();
            oneshot::orders::run(texts(global), &paths()?, states, search, limit, json)
        }
        Command::Show { code, json } => oneshot::show::run(texts(global), &paths()?, &code, json),
        Command::Retry { codes, all } => oneshot::actions::retry(texts(global), &paths()?, &codes, all),
        Command::Resync { code } => oneshot::actions::resync(texts(global), &paths()?, &code),
        Command::Skip { code, reason } => {
            oneshot::actions::skip(texts(global), &paths()?, &code, reason.as_deref())
        }
        Command::Unskip { code } => oneshot::actions::unskip(texts(global), &paths()?, &code),
        Command::Resolve { code, client, create, force } => {
            let asked = oneshot::actions::Resolve { client, create, force };
            oneshot::actions::resolve(texts(global), &paths()?, &code, asked)
        }
        Command::Backfill { from, dry_run } => {
            oneshot::backfill::run(global, &paths()?, &from, dry_run).await
        }
    }
}

/// `webhooks register|remove|status`.
async fn webhooks(
    global: &Global,
    paths: &crate::config::Paths,
    action: WebhooksAction,
) -> Result<i32, AppError> {
    crate::runtime::logging::init_stderr(global.log_level.as_deref().or(Some("error")));
    match action {
        WebhooksAction::Register { new_key, replace } => {
            oneshot::webhooks::register(texts(global), paths, new_key, replace).await
        }
        WebhooksAction::Remove { url } => oneshot::webhooks::remove(texts(global), paths, url).await,
        WebhooksAction::Status { json } => oneshot::webhooks::status(texts(global), paths, json).await,
    }
}

/// Refuses global flags a command would ignore (`demo` and `sim` make their own world).
fn ignored_flags(global: &Global, command: &str, lang_too: bool) -> Result<(), AppError> {
    let mut ignored = Vec::new();
    if global.config.is_some() {
        ignored.push("--config");
    }
    if global.data_dir.is_some() {
        ignored.push("--data-dir");
    }
    if lang_too && global.lang.is_some() {
        ignored.push("--lang");
    }
    if ignored.is_empty() {
        return Ok(());
    }
    let cli = texts(global).cli();
    Err(AppError::Usage(cli.flags_ignored(command, &ignored.join(cli.or()))))
}
