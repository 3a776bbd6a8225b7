//! Long work on the command line: one line that says how big a first sync or a backfill is
//! (orders, RAYNET requests, today's budget, ETA), and a progress bar with counts and the ETA —
//! drawn only when stderr is a terminal, so never in JSON mode, cron mail or the journal.

use std::io::IsTerminal;

use chrono::Utc;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::engine::api::EngineStatus;
use crate::engine::estimate::WorkKind;
use crate::runtime::logging;
use crate::tui::i18n::cli::CliTexts;

/// What the follower shows.
struct View {
    cli: &'static CliTexts,
    /// Print the estimate line when a first sync or backfill begins (text mode).
    announce: bool,
    announced: bool,
    bar: Option<ProgressBar>,
    terminal: bool,
}

impl View {
    fn update(&mut self, s: &EngineStatus) {
        let (Some((done, total)), Some(e)) = (s.progress, s.estimate.as_ref()) else { return };
        let now = Utc::now();
        if self.announce && !self.announced && e.kind != WorkKind::Backlog {
            println!("{}", self.cli.describe(e, now));
            self.announced = true;
        }
        if !self.terminal {
            return;
        }
        let cli = self.cli;
        let bar = self.bar.get_or_insert_with(|| new_bar(cli, total, e.kind));
        bar.set_length(total);
        bar.set_position(done);
        bar.set_message(cli.eta(e, now));
    }
}

/// A bar on stderr; log lines are written above it while it is drawn.
fn new_bar(cli: &CliTexts, total: u64, kind: WorkKind) -> ProgressBar {
    let template = format!("{{prefix}} {{bar:30}} {{pos}}/{{len}} {} · {{msg}}", cli.bar_orders);
    let style = ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style);
    bar.set_prefix(cli.kind_name(kind));
    let drawn = bar.clone();
    logging::around_stderr(Some(Box::new(move |write| drawn.suspend(write))));
    bar
}

/// Follows the engine's status while a pass runs (see the module documentation).
pub(super) struct Follower {
    stop: oneshot::Sender<()>,
    task: JoinHandle<bool>,
}

/// Starts following; `announce`: print the estimate line (not yet printed by the caller).
pub(super) fn follow(
    cli: &'static CliTexts,
    mut status: watch::Receiver<EngineStatus>,
    announce: bool,
) -> Follower {
    let (stop, mut stopped) = oneshot::channel();
    let terminal = std::io::stderr().is_terminal();
    let task = tokio::spawn(async move {
        let mut view = View { cli, announce, announced: false, bar: None, terminal };
        loop {
            view.update(&status.borrow_and_update().clone());
            tokio::select! {
                _ = &mut stopped => break,
                changed = status.changed() => if changed.is_err() { break },
            }
        }
        if let Some(bar) = view.bar.take() {
            logging::around_stderr(None);
            bar.finish_and_clear();
        }
        view.announced
    });
    Follower { stop, task }
}

impl Follower {
    /// Stops following and clears the bar; true when the estimate line was printed.
    pub(super) async fn finish(self) -> bool {
        let _ = self.stop.send(());
        self.task.await.unwrap_or(false)
    }
}
